// Which files a run looks at: explicit route files, route files found under the `app/` folders
// of directory arguments (honouring .gitignore inside a git repository), route lists (a file of
// paths or a Markdown checklist like the migration guide's), include/exclude globs and shards.
#pragma once

#include <string>
#include <vector>

namespace routeauth::engine {

class GitRepo;

struct Discovery {
  std::vector<std::string> files;   // sorted, without duplicates
  std::vector<std::string> errors;  // "<path>: <what>", one per bad argument
};

struct DiscoverOptions {
  const GitRepo* repo = nullptr;     // for .gitignore and repo-relative globs
  std::vector<std::string> include;  // gitignore-style globs relative to `root`
  std::vector<std::string> exclude;
  std::string root;                  // where globs are anchored (the config's folder, or the repo root)
  int shard_index = 0;               // 0-based; with shard_count > 1, keep only this share
  int shard_count = 1;
};

// route.{ts,tsx,js,jsx,mjs} below a folder named `app`; the NextAuth route is not one of ours.
[[nodiscard]] bool is_route_file(const std::string& path);
[[nodiscard]] bool is_nextauth_route(const std::string& path);

// The route files among `files` that the options keep, sorted, without duplicates; nothing is read
// and the files need not exist (staged paths). A file is a route file by its path relative to the
// repository (absolute outside one), never as typed; NextAuth's route and anything under
// node_modules or .next are dropped.
[[nodiscard]] std::vector<std::string> select_routes(std::vector<std::string> files, const DiscoverOptions& options);

[[nodiscard]] Discovery discover(const std::vector<std::string>& paths, const DiscoverOptions& options = {});

// The paths a route list names: one per line (blank lines and `#` comments skipped), or, in
// Markdown, the checklist items whose first backquoted text is a path
// (`- [ ] \`/app/api/brain/x/route.ts\``). A leading `/` means the repository root (`root`).
[[nodiscard]] std::vector<std::string> parse_route_list(const std::string& text, const std::string& root,
                                                        bool markdown);

// `path` relative to `root`, with forward slashes.
[[nodiscard]] std::string relative_to(const std::string& path, const std::string& root);

// Which of `shards` a path falls in (a stable hash of the repo-relative path).
[[nodiscard]] int shard_of(const std::string& relative_path, int shards);

}  // namespace routeauth::engine
