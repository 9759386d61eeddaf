#include "engine/folder_walk.h"

#include "engine/git_repo.h"

namespace fs = std::filesystem;

namespace routeauth::engine {

bool git_ignores(const GitRepo* repo, const fs::path& path, bool folder) {
  if (repo == nullptr) return false;
  const auto relative = repo->inside(path.string());
  if (!relative || *relative == ".") return false;
  return repo->ignored(folder ? *relative + "/" : *relative);
}

std::error_code walk_folders(const fs::path& root, const FolderWalk& walk) {
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code kind;
    if (it->is_directory(kind)) {
      const fs::path& folder = it->path();
      if ((walk.skip && walk.skip(folder)) || git_ignores(walk.repo, folder, true)) {
        it.disable_recursion_pending();
      } else if (walk.entered) {
        walk.entered(folder);
      }
      continue;
    }
    if (walk.file && !walk.file(*it)) break;
  }
  return ec;
}

}  // namespace routeauth::engine
