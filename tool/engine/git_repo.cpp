#include "engine/git_repo.h"

#include <git2.h>

#include <filesystem>

#include <fmt/format.h>

namespace fs = std::filesystem;

namespace routeauth::engine {

namespace {

[[noreturn]] void fail(std::string_view what) {
  const git_error* e = git_error_last();
  throw GitError(fmt::format("{}: {}", what, e && e->message ? e->message : "libgit2 error"));
}

template <typename T, void (*F)(T*)>
struct Owned {
  T* p = nullptr;
  ~Owned() {
    if (p) F(p);
  }
};

}  // namespace

void ensure_libgit2() {
  struct Libgit2 {
    Libgit2() { git_libgit2_init(); }
    ~Libgit2() { git_libgit2_shutdown(); }
  };
  static Libgit2 init;
}

void GitRepo::Free::operator()(git_repository* r) const { git_repository_free(r); }

std::optional<GitRepo> GitRepo::discover(const std::string& path) {
  ensure_libgit2();
  std::error_code ec;
  fs::path start = fs::absolute(path, ec);
  if (!fs::is_directory(start, ec)) start = start.parent_path();
  git_repository* raw = nullptr;
  if (git_repository_open_ext(&raw, start.c_str(), 0, nullptr) != 0) return std::nullopt;
  GitRepo repo;
  repo.repo_.reset(raw, Free{});
  const char* wd = git_repository_workdir(raw);
  if (!wd) return std::nullopt;  // a bare repository has no files to migrate
  repo.workdir_ = wd;
  return repo;
}

std::string GitRepo::git_dir() const { return git_repository_path(repo_.get()); }

std::string GitRepo::relative(const std::string& path) const {
  std::error_code ec;
  const fs::path abs = fs::weakly_canonical(fs::absolute(path, ec), ec);
  const fs::path root = fs::weakly_canonical(fs::path(workdir_), ec);
  const fs::path rel = abs.lexically_relative(root);
  if (rel.empty() || *rel.begin() == "..") return fs::path(path).generic_string();
  return rel.generic_string();
}

std::vector<GitRepo::StagedFile> GitRepo::staged_files() const {
  git_repository* repo = repo_.get();
  Owned<git_index, git_index_free> index;
  if (git_repository_index(&index.p, repo) != 0) fail("cannot read the git index");

  Owned<git_tree, git_tree_free> head_tree;
  {
    Owned<git_object, git_object_free> head;
    if (git_revparse_single(&head.p, repo, "HEAD^{tree}") == 0) {
      head_tree.p = reinterpret_cast<git_tree*>(head.p);
      head.p = nullptr;
    }
  }
  Owned<git_diff, git_diff_free> diff;
  git_diff_options options = GIT_DIFF_OPTIONS_INIT;
  if (git_diff_tree_to_index(&diff.p, repo, head_tree.p, index.p, &options) != 0) {
    fail("cannot compare the index with HEAD");
  }
  std::vector<StagedFile> out;
  const size_t n = git_diff_num_deltas(diff.p);
  for (size_t i = 0; i < n; ++i) {
    const git_diff_delta* delta = git_diff_get_delta(diff.p, i);
    if (delta->status == GIT_DELTA_DELETED) continue;
    Owned<git_blob, git_blob_free> blob;
    if (git_blob_lookup(&blob.p, repo, &delta->new_file.id) != 0) fail(fmt::format("cannot read the staged {}", delta->new_file.path));
    const auto* data = static_cast<const char*>(git_blob_rawcontent(blob.p));
    out.push_back(StagedFile{delta->new_file.path, std::string(data, static_cast<size_t>(git_blob_rawsize(blob.p)))});
  }
  return out;
}

bool GitRepo::ignored(const std::string& relative_path) const {
  int ignored = 0;
  if (git_ignore_path_is_ignored(&ignored, repo_.get(), relative_path.c_str()) != 0) return false;
  return ignored != 0;
}

}  // namespace routeauth::engine
