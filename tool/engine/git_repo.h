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
  // The repository holding `path` (searching upwards), or nullopt when there is none. libgit2 is
  // started only when the repository is used for more than its work tree (staged files, ignore
  // rules, the git folder): starting it reads the system's TLS certificates, which costs more
  // than checking a file. An ordinary repository (a .git folder) is found without it; anything
  // else (a linked worktree's .git file, core.worktree, a bare repository) is left to libgit2.
  static std::optional<GitRepo> discover(const std::string& path);

  [[nodiscard]] const std::string& workdir() const { return workdir_; }  // absolute, ends with '/'
  [[nodiscard]] std::string git_dir() const;
  // `path` (absolute or relative to the current directory) relative to the work tree.
  [[nodiscard]] std::string relative(const std::string& path) const;

  struct StagedFile {
    std::string path;   // relative to the work tree
    std::string bytes;  // the index's version
  };
  // Files added or modified in the index relative to HEAD (every indexed file before the first
  // commit), with their staged content.
  [[nodiscard]] std::vector<StagedFile> staged_files() const;

  [[nodiscard]] bool ignored(const std::string& relative_path) const;

 private:
  // libgit2's handle, opened on first use (shared by copies).
  [[nodiscard]] git_repository* repo() const;
  struct Handle;
  std::shared_ptr<Handle> handle_;
  std::string workdir_;
};

}  // namespace routeauth::engine
