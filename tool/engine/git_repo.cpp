#include "engine/git_repo.h"

#include <git2.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <unordered_map>

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
  // fs::weakly_canonical of folders (absolute, lexically normal), each worked out once: a folder
  // walk asks several times about each file's folder and about the same few above them, and
  // resolving costs a readlink per part. At most kFolders are kept (a walk of 10,000 route folders
  // must not keep them all; the ones above are worked out again in a few lstat calls).
  static constexpr size_t kFolders = 4096;
  std::mutex folders_mutex;
  std::unordered_map<std::string, std::string> folders;
  ~Handle() {
    if (repo) git_repository_free(repo);
  }

  fs::path canonical_folder(const fs::path& dir) {
    {
      std::lock_guard lock(folders_mutex);
      if (auto it = folders.find(dir.native()); it != folders.end()) return it->second;
    }
    std::error_code ec;
    fs::path out;
    const fs::path parent = dir.parent_path();
    if (parent == dir || dir.filename().empty()) {
      out = fs::weakly_canonical(dir, ec);
    } else {
      // The parent's answer, then this part: only a symbolic link here needs resolving again.
      out = canonical_folder(parent) / dir.filename();
      struct stat st {};
      if (::lstat(out.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) out = fs::weakly_canonical(out, ec);
    }
    std::lock_guard lock(folders_mutex);
    if (folders.size() >= kFolders) folders.clear();
    folders.emplace(dir.native(), out.native());
    return out;
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
  // A path that does not exist (a deleted file, say) is looked up from its nearest existing folder.
  fs::path start = fs::absolute(path, ec).lexically_normal();
  while (!fs::is_directory(start, ec) && start.has_relative_path()) start = start.parent_path();
  GitRepo repo;
  repo.handle_ = std::make_shared<Handle>();
  // The variables git's hooks run with (GIT_INDEX_FILE above all) change what the repository is:
  // only libgit2 reads them all.
  const bool from_env = std::getenv("GIT_DIR") || std::getenv("GIT_WORK_TREE") || std::getenv("GIT_INDEX_FILE") ||
                        std::getenv("GIT_CEILING_DIRECTORIES") || std::getenv("GIT_COMMON_DIR") ||
                        std::getenv("GIT_OBJECT_DIRECTORY");
  if (const fs::path canonical = fs::canonical(start, ec); !ec && !from_env) {
    const auto plain = plain_workdir(canonical);
    if (!plain) return std::nullopt;
    if (!plain->empty()) {
      repo.workdir_ = *plain;
      return repo;
    }
  }
  ensure_libgit2();
  git_repository* raw = nullptr;
  if (git_repository_open_ext(&raw, start.c_str(), GIT_REPOSITORY_OPEN_FROM_ENV, nullptr) != 0) return std::nullopt;
  std::call_once(repo.handle_->once, [&] { repo.handle_->repo = raw; });
  const char* wd = git_repository_workdir(raw);
  if (!wd) return std::nullopt;  // a bare repository has no files to migrate
  repo.workdir_ = wd;
  if (!repo.workdir_.ends_with('/')) repo.workdir_ += '/';
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

std::string GitRepo::hooks_dir() const {
  git_repository* const handle = repo();
  Owned<git_config, git_config_free> config;
  if (git_repository_config_snapshot(&config.p, handle) == 0) {
    git_buf value = GIT_BUF_INIT;
    if (git_config_get_path(&value, config.p, "core.hooksPath") == 0) {
      fs::path hooks(std::string(value.ptr, value.size));
      git_buf_dispose(&value);
      // git runs hooks from the root of the work tree, so a relative hooksPath starts there.
      if (hooks.is_relative()) hooks = fs::path(workdir_) / hooks;
      return hooks.lexically_normal().string();
    }
    git_error_clear();
  }
  return (fs::path(git_repository_commondir(handle)) / "hooks").lexically_normal().string();
}

std::optional<std::string> GitRepo::inside(const std::string& path) const {
  std::error_code ec;
  fs::path abs = fs::absolute(path, ec).lexically_normal();
  if (!abs.has_filename() && abs.has_relative_path()) abs = abs.parent_path();  // "app/api/" is "app/api"
  const fs::path full = handle_->canonical_folder(abs.parent_path()) / abs.filename();
  const fs::path root = handle_->canonical_folder(fs::path(workdir_).lexically_normal().parent_path());
  const fs::path rel = full.lexically_relative(root);
  if (rel.empty() || *rel.begin() == "..") {
    if (full == root) return std::string(".");
    return std::nullopt;
  }
  return rel.generic_string();
}

std::string GitRepo::relative(const std::string& path) const {
  if (auto rel = inside(path)) return *rel;
  return fs::path(path).generic_string();
}

namespace {

bool regular_blob(uint32_t mode) { return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE; }

}  // namespace

std::vector<GitRepo::StagedFile> GitRepo::staged_files() const {
  git_repository* const handle = repo();
  Owned<git_index, git_index_free> index;
  if (git_repository_index(&index.p, handle) != 0) fail("cannot read the git index");

  // During a merge a path can have up to three stages (base, ours, theirs) and no staged version.
  std::set<std::string> unmerged;
  if (git_index_has_conflicts(index.p)) {
    Owned<git_index_conflict_iterator, git_index_conflict_iterator_free> it;
    if (git_index_conflict_iterator_new(&it.p, index.p) != 0) fail("cannot list the unmerged paths");
    const git_index_entry* ancestor = nullptr;
    const git_index_entry* ours = nullptr;
    const git_index_entry* theirs = nullptr;
    int rc = 0;
    while ((rc = git_index_conflict_next(&ancestor, &ours, &theirs, it.p)) == 0) {
      bool source = false;
      const char* path = nullptr;
      for (const git_index_entry* side : {ancestor, ours, theirs}) {
        if (!side) continue;
        path = side->path;
        source = source || regular_blob(side->mode);
      }
      if (path && source) unmerged.insert(path);
    }
    if (rc != GIT_ITEROVER) fail("cannot list the unmerged paths");
  }

  Owned<git_tree, git_tree_free> head_tree;
  {
    Owned<git_object, git_object_free> head;
    if (git_revparse_single(&head.p, handle, "HEAD^{tree}") == 0) {
      head_tree.p = reinterpret_cast<git_tree*>(head.p);
      head.p = nullptr;
    }
  }
  Owned<git_diff, git_diff_free> diff;
  git_diff_options options = GIT_DIFF_OPTIONS_INIT;
  if (git_diff_tree_to_index(&diff.p, handle, head_tree.p, index.p, &options) != 0) {
    fail("cannot compare the index with HEAD");
  }
  std::vector<StagedFile> out;
  const size_t n = git_diff_num_deltas(diff.p);
  for (size_t i = 0; i < n; ++i) {
    const git_diff_delta* delta = git_diff_get_delta(diff.p, i);
    if (delta->status == GIT_DELTA_DELETED || delta->status == GIT_DELTA_CONFLICTED) continue;
    if (!regular_blob(delta->new_file.mode) || unmerged.contains(delta->new_file.path)) continue;
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, &delta->new_file.id);
    out.push_back(StagedFile{delta->new_file.path, false, hex});
  }
  for (const auto& path : unmerged) out.push_back(StagedFile{path, true, {}});
  std::sort(out.begin(), out.end(), [](const StagedFile& a, const StagedFile& b) { return a.path < b.path; });
  return out;
}

std::string GitRepo::read_staged(const StagedFile& file) const {
  git_oid id;
  Owned<git_blob, git_blob_free> blob;
  if (file.unmerged || git_oid_fromstr(&id, file.blob.c_str()) != 0 || git_blob_lookup(&blob.p, repo(), &id) != 0) {
    fail(fmt::format("cannot read the staged {}", file.path));
  }
  const auto* data = static_cast<const char*>(git_blob_rawcontent(blob.p));
  return std::string(data, static_cast<size_t>(git_blob_rawsize(blob.p)));
}

bool GitRepo::knows(const std::string& relative_path) const {
  if (relative_path.empty() || relative_path == ".") return true;
  git_repository* const handle = repo();
  Owned<git_index, git_index_free> index;
  if (git_repository_index(&index.p, handle) == 0) {
    for (int stage = 0; stage <= 3; ++stage) {
      if (git_index_get_bypath(index.p, relative_path.c_str(), stage)) return true;
    }
    size_t at = 0;
    if (git_index_find_prefix(&at, index.p, (relative_path + "/").c_str()) == 0) return true;
  }
  Owned<git_object, git_object_free> head;
  if (git_revparse_single(&head.p, handle, "HEAD^{tree}") != 0) {
    git_error_clear();
    return false;
  }
  Owned<git_tree_entry, git_tree_entry_free> entry;
  const bool found = git_tree_entry_bypath(&entry.p, reinterpret_cast<git_tree*>(head.p), relative_path.c_str()) == 0;
  if (!found) git_error_clear();
  return found;
}

bool GitRepo::ignored(const std::string& relative_path) const {
  int ignored = 0;
  if (git_ignore_path_is_ignored(&ignored, repo(), relative_path.c_str()) != 0) return false;
  return ignored != 0;
}

}  // namespace routeauth::engine
