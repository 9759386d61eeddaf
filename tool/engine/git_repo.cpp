#include "engine/git_repo.h"

#include <git2.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <mutex>

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

struct GitRepo::Handle {
  std::once_flag once;
  git_repository* repo = nullptr;
  ~Handle() {
    if (repo) git_repository_free(repo);
  }
};

namespace {

// An ordinary repository around `start` (a canonical folder), found the way libgit2 finds it: the
// nearest folder upwards, on the same file system, holding a .git folder with HEAD and objects/.
// Returns its work tree, "" when libgit2 must decide (a .git file, a folder that is itself a git
// folder, core.worktree or core.bare in its config, another owner), nullopt when there is none.
std::optional<std::string> plain_workdir(const fs::path& start) {
  struct stat st {};
  if (::stat(start.c_str(), &st) != 0) return "";
  const dev_t device = st.st_dev;
  for (fs::path dir = start;; dir = dir.parent_path()) {
    if (::stat(dir.c_str(), &st) != 0 || st.st_dev != device) return std::nullopt;
    std::error_code ec;
    if (fs::exists(dir / "HEAD", ec) || fs::exists(dir / "gitdir", ec)) return "";  // a git folder itself
    const fs::path git = dir / ".git";
    const fs::file_status status = fs::symlink_status(git, ec);
    if (fs::exists(status)) {
      if (!fs::is_directory(status)) return "";
      if (::stat(git.c_str(), &st) != 0 || st.st_uid != ::geteuid()) return "";
      if (!fs::is_regular_file(git / "HEAD", ec) || !fs::is_directory(git / "objects", ec)) return "";
      std::ifstream in(git / "config");
      for (std::string line; std::getline(in, line);) {
        std::erase_if(line, [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
        if (line.starts_with("worktree") || line.starts_with("bare=true")) return "";
      }
      std::string workdir = dir.string();
      if (!workdir.ends_with('/')) workdir += '/';
      return workdir;
    }
    if (dir == dir.parent_path()) return std::nullopt;
  }
}

}  // namespace

std::optional<GitRepo> GitRepo::discover(const std::string& path) {
  std::error_code ec;
  fs::path start = fs::absolute(path, ec);
  if (!fs::is_directory(start, ec)) start = start.parent_path();
  GitRepo repo;
  repo.handle_ = std::make_shared<Handle>();
  if (const fs::path canonical = fs::canonical(start, ec); !ec) {
    const auto plain = plain_workdir(canonical);
    if (!plain) return std::nullopt;
    if (!plain->empty()) {
      repo.workdir_ = *plain;
      return repo;
    }
  }
  ensure_libgit2();
  git_repository* raw = nullptr;
  if (git_repository_open_ext(&raw, start.c_str(), 0, nullptr) != 0) return std::nullopt;
  std::call_once(repo.handle_->once, [&] { repo.handle_->repo = raw; });
  const char* wd = git_repository_workdir(raw);
  if (!wd) return std::nullopt;  // a bare repository has no files to migrate
  repo.workdir_ = wd;
  return repo;
}

git_repository* GitRepo::repo() const {
  std::call_once(handle_->once, [&] {
    ensure_libgit2();
    if (git_repository_open_ext(&handle_->repo, workdir_.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) != 0) {
      handle_->repo = nullptr;
    }
  });
  if (!handle_->repo) fail(fmt::format("cannot open the git repository at {}", workdir_));
  return handle_->repo;
}

std::string GitRepo::git_dir() const { return git_repository_path(repo()); }

std::string GitRepo::relative(const std::string& path) const {
  std::error_code ec;
  const fs::path abs = fs::weakly_canonical(fs::absolute(path, ec), ec);
  const fs::path root = fs::weakly_canonical(fs::path(workdir_), ec);
  const fs::path rel = abs.lexically_relative(root);
  if (rel.empty() || *rel.begin() == "..") return fs::path(path).generic_string();
  return rel.generic_string();
}

std::vector<GitRepo::StagedFile> GitRepo::staged_files() const {
  git_repository* repo = this->repo();
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
  if (git_ignore_path_is_ignored(&ignored, repo(), relative_path.c_str()) != 0) return false;
  return ignored != 0;
}

}  // namespace routeauth::engine
