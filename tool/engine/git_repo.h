// The git repository around the files a run looks at, through libgit2: its work tree, the
// staged (index) version of files, ignore rules, and its hooks folder.
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

struct git_repository;

namespace routeauth::engine {

// libgit2's global state, initialised once per process (and shut down at exit).
void ensure_libgit2();

class GitError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class GitRepo {
 public:
  // The repository holding `path` (searching upwards from its nearest existing folder), or nullopt
  // when there is none. As git does, GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE (set by `git commit -a`
  // for its hooks) and GIT_CEILING_DIRECTORIES are honoured. libgit2 is started only when the
  // repository is used for more than its work tree (staged files, ignore rules, hooks): starting
  // it reads the system's TLS certificates, which costs more than checking a file. An ordinary
  // repository (a .git folder, none of those variables set) is found without it; anything else (a
  // linked worktree's .git file, core.worktree, a bare repository) is left to libgit2.
  static std::optional<GitRepo> discover(const std::string& path);

  [[nodiscard]] const std::string& workdir() const { return workdir_; }  // absolute, ends with '/'
  [[nodiscard]] std::string git_dir() const;
  // Where git runs hooks from: core.hooksPath (relative to the work tree) when set, else the
  // `hooks` folder of the common git dir (shared by every linked worktree), as
  // `git rev-parse --git-path hooks` says.
  [[nodiscard]] std::string hooks_dir() const;
  // `path` (absolute or relative to the current directory) relative to the work tree: "." for
  // the work tree itself, nullopt when it is outside. Symbolic links in the folders are resolved,
  // a link at the end is not (so it keeps its own name).
  [[nodiscard]] std::optional<std::string> inside(const std::string& path) const;
  // The same, or `path` itself when it is outside the work tree.
  [[nodiscard]] std::string relative(const std::string& path) const;

  struct StagedFile {
    std::string path;       // relative to the work tree
    bool unmerged = false;  // conflict stages in the index: there is no one staged version
    std::string blob;       // the staged blob's id (hex); empty when unmerged
  };
  // The regular files (mode 100644 or 100755) added or modified in the index relative to HEAD
  // (every indexed one before the first commit), and the unmerged paths; sorted by path. Symbolic
  // links and submodules (gitlinks) are left out: their blobs are no source. Reads no content.
  [[nodiscard]] std::vector<StagedFile> staged_files() const;
  // The staged content of one of them. Throws GitError.
  [[nodiscard]] std::string read_staged(const StagedFile& file) const;
  // Whether the index or HEAD holds `relative_path` or something below it (a pathspec that
  // names a deleted file is still one git knows).
  [[nodiscard]] bool knows(const std::string& relative_path) const;

  [[nodiscard]] bool ignored(const std::string& relative_path) const;

 private:
  // libgit2's handle, opened on first use (shared by copies).
  [[nodiscard]] git_repository* repo() const;
  struct Handle;
  std::shared_ptr<Handle> handle_;
  std::string workdir_;
};

}  // namespace routeauth::engine
