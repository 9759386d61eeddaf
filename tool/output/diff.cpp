#include "output/diff.h"

#include "engine/git_repo.h"

#include <git2.h>

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace routeauth::output {

namespace {

[[noreturn]] void fail(std::string_view what) {
  const git_error* e = git_error_last();
  throw std::runtime_error(std::string(what) + ": " + (e && e->message ? e->message : "libgit2 error"));
}

using PatchPtr = std::unique_ptr<git_patch, decltype(&git_patch_free)>;

PatchPtr make_patch(std::string_view path, const std::string& before, const std::string& after, int context_lines) {
  engine::ensure_libgit2();
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
  return PatchPtr(raw, &git_patch_free);
}

}  // namespace

std::string unified_diff(std::string_view path, const std::string& before, const std::string& after,
                         int context_lines) {
  if (before == after) return {};
  const std::string p(path);
  PatchPtr patch = make_patch(path, before, after, context_lines);
  git_buf buf = GIT_BUF_INIT;
  if (git_patch_to_buf(&buf, patch.get()) != 0) fail("diff " + p);
  std::string out(buf.ptr, buf.size);
  git_buf_dispose(&buf);
  return out;
}

std::string colorize(const std::string& patch) {
  constexpr std::string_view bold = "\033[1m", cyan = "\033[36m", red = "\033[31m", green = "\033[32m",
                             reset = "\033[m";
  std::string out;
  out.reserve(patch.size() + patch.size() / 4);
  bool in_header = false;
  size_t start = 0;
  while (start < patch.size()) {
    size_t end = patch.find('\n', start);
    if (end == std::string::npos) end = patch.size();
    std::string_view line(patch.data() + start, end - start);
    std::string_view colour;
    if (line.starts_with("diff --git ")) in_header = true;
    if (in_header) {
      colour = bold;
      if (line.starts_with("+++ ")) in_header = false;
    } else if (line.starts_with("@@")) {
      colour = cyan;
    } else if (line.starts_with("+")) {
      colour = green;
    } else if (line.starts_with("-")) {
      colour = red;
    }
    if (colour.empty()) {
      out += line;
    } else {
      // Keep a CR inside the colour, so the reset stays on the same terminal line.
      out += colour;
      out += line;
      out += reset;
    }
    if (end < patch.size()) out += '\n';
    start = end + 1;
  }
  return out;
}

DiffStat diff_stat(std::string_view path, const std::string& before, const std::string& after) {
  DiffStat stat{std::string(path), 0, 0};
  if (before == after) return stat;
  PatchPtr patch = make_patch(path, before, after, 0);
  size_t context = 0;
  if (git_patch_line_stats(&context, &stat.added, &stat.deleted, patch.get()) != 0) fail("diff --stat " + stat.path);
  return stat;
}

std::string format_stat(const std::vector<DiffStat>& stats, bool color) {
  size_t name_width = 0;
  size_t max_changes = 0;
  size_t added = 0;
  size_t deleted = 0;
  for (const auto& s : stats) {
    name_width = std::max(name_width, s.path.size());
    max_changes = std::max(max_changes, s.added + s.deleted);
    added += s.added;
    deleted += s.deleted;
  }
  const size_t count_width = std::to_string(max_changes).size();
  const size_t bar_width = std::max<size_t>(10, 80 > name_width + count_width + 6 ? 80 - name_width - count_width - 6 : 10);
  std::string out;
  for (const auto& s : stats) {
    const size_t total = s.added + s.deleted;
    size_t plus = s.added;
    size_t minus = s.deleted;
    if (total > bar_width) {  // scale, as git does, keeping at least one of each kind
      plus = s.added * bar_width / total;
      minus = s.deleted * bar_width / total;
      if (s.added && !plus) plus = 1;
      if (s.deleted && !minus) minus = 1;
    }
    out += fmt::format(" {:<{}} | {:>{}} ", s.path, name_width, total, count_width);
    if (color && plus) out += "\033[32m";
    out += std::string(plus, '+');
    if (color && plus) out += "\033[m";
    if (color && minus) out += "\033[31m";
    out += std::string(minus, '-');
    if (color && minus) out += "\033[m";
    out += '\n';
  }
  out += fmt::format(" {} file{} changed", stats.size(), stats.size() == 1 ? "" : "s");
  if (added) out += fmt::format(", {} insertion{}(+)", added, added == 1 ? "" : "s");
  if (deleted) out += fmt::format(", {} deletion{}(-)", deleted, deleted == 1 ? "" : "s");
  out += '\n';
  return out;
}

}  // namespace routeauth::output
