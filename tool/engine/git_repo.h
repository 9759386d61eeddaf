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
  // The repository holding `path` (searching upwards), or nullopt when there is none.
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
  struct Free {
    void operator()(git_repository* r) const;
  };
  std::shared_ptr<git_repository> repo_;
  std::string workdir_;
};

}  // namespace routeauth::engine
