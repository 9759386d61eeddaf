#include "output/diff.h"

#include <git2.h>

#include <memory>
#include <stdexcept>

namespace routeauth::output {

namespace {

struct Libgit2 {
  Libgit2() { git_libgit2_init(); }
  ~Libgit2() { git_libgit2_shutdown(); }
};

[[noreturn]] void fail(std::string_view what) {
  const git_error* e = git_error_last();
  throw std::runtime_error(std::string(what) + ": " + (e && e->message ? e->message : "libgit2 error"));
}

}  // namespace

std::string unified_diff(std::string_view path, const std::string& before, const std::string& after,
                         int context_lines) {
  if (before == after) return {};
  static Libgit2 init;
  git_diff_options options = GIT_DIFF_OPTIONS_INIT;
  options.context_lines = static_cast<uint32_t>(context_lines);
  // Route files are text even when they hold a NUL or odd bytes: never "Binary files differ".
  options.flags |= GIT_DIFF_FORCE_TEXT;
  const std::string p(path);
  git_patch* raw = nullptr;
  if (git_patch_from_buffers(&raw, before.data(), before.size(), p.c_str(), after.data(), after.size(),
                             p.c_str(), &options) != 0) {
    fail("diff " + p);
  }
  std::unique_ptr<git_patch, decltype(&git_patch_free)> patch(raw, &git_patch_free);
  git_buf buf = GIT_BUF_INIT;
  if (git_patch_to_buf(&buf, patch.get()) != 0) fail("diff " + p);
  std::string out(buf.ptr, buf.size);
  git_buf_dispose(&buf);
  return out;
}

}  // namespace routeauth::output
