// The walk over a folder tree that route discovery (discover.h) and the project search
// (project.h) share: inside a git work tree, a folder git ignores is not entered (pruned whole,
// as git itself does, with one ignore check per folder, never one per file below it).
#pragma once

#include <filesystem>
#include <functional>
#include <system_error>

namespace routeauth::engine {

class GitRepo;

struct FolderWalk {
  const GitRepo* repo = nullptr;  // whose ignore rules apply; none outside a repository
  // A folder never entered whatever git says (node_modules, .next): asked before the ignore
  // rules, so these cost no ignore check.
  std::function<bool(const std::filesystem::path& folder)> skip;
  // A folder about to be entered (neither skipped nor ignored); may be empty.
  std::function<void(const std::filesystem::path& folder)> entered;
  // Every entry below that is not a folder, in directory order; false ends the walk.
  std::function<bool(const std::filesystem::directory_entry& file)> file;
};

// Walks the tree below `root` (not following links to folders; folders it may not read are
// passed over). Returns the error that ended the listing early, if any.
std::error_code walk_folders(const std::filesystem::path& root, const FolderWalk& walk);

// Whether `repo`'s ignore rules (libgit2's: every .gitignore, info/exclude, core.excludesFile)
// ignore `path`, a folder when `folder`; false without a repository or outside its work tree.
[[nodiscard]] bool git_ignores(const GitRepo* repo, const std::filesystem::path& path, bool folder);

}  // namespace routeauth::engine
