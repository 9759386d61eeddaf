// What routeauth learns about the Next.js project around the routes: where authOptions is
// exported and how to import it (tsconfig `paths` aliases), and the walk over its own source
// files (session_types.h reads its next-auth augmentation through it).
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/config.h"

namespace routeauth::engine {

class GitRepo;

// The folder of the Next.js app holding `path`: the nearest one above it with a package.json,
// tsconfig.json or jsconfig.json (or the folder of `path` itself when there is none).
[[nodiscard]] std::string project_root(const std::string& path);

// Reads JSON with comments and trailing commas (tsconfig.json, jsconfig.json) as plain JSON.
[[nodiscard]] std::string strip_jsonc(const std::string& text);

struct AuthOptionsModule {
  std::string file;       // the module that exports authOptions, relative to the project root
  std::string specifier;  // how routes import it: a tsconfig alias (`@/lib/auth`), or empty
};

// Where the project keeps its NextAuth setup, found as a person would: the module the project's
// own files import `authOptions` from (the most common one wins, among those that resolve to a
// file), else a module that exports it (`export const authOptions`, `export { authOptions }`,
// a re-export), searched over the project's source with tree-sitter; the same for NextAuth v5's
// `auth`, from the modules that export it and make it with NextAuth (`export const { auth,
// handlers } = NextAuth(...)`, `const n = NextAuth(...); export const auth = n.auth`). The search
// reads the ProjectTree's source files (so never what node_modules, dot folders, build output or
// the repository's ignore rules hold), at most kAuthScanMaxFiles files of at most
// kAuthScanMaxBytes each, and parses only those that name authOptions or auth as a whole word
// (a route that only forwards an `authorization` header is read, not parsed). A file git
// ignores neither exports nor votes (a generated copy of the options); an import that resolves
// into one still counts, since the project's own code uses it.
inline constexpr size_t kAuthScanMaxFiles = 20'000;
inline constexpr size_t kAuthScanMaxBytes = 256 * 1024;
struct AuthModules {
  std::optional<AuthOptionsModule> auth_options;  // v4: authOptions
  std::optional<AuthOptionsModule> auth;          // v5: auth, made by NextAuth(...)
  size_t files_read = 0;    // how many files the search opened (once per run: see tests)
  size_t files_parsed = 0;  // how many of those it parsed
};
[[nodiscard]] AuthModules find_auth_modules(const std::string& project);

// The project's own source, as the auth module search and the session types read it: the files
// below the project root, without node_modules, dot folders and dist/out/build, and, when the
// project is inside a git work tree, without the folders its ignore rules ignore (pruned whole by
// walk_folders: one ignore check per folder entered, none per file). Outside a repository only
// the fixed skips apply.
class ProjectTree {
 public:
  explicit ProjectTree(const std::string& project);
  ProjectTree(const ProjectTree&) = delete;
  ProjectTree& operator=(const ProjectTree&) = delete;
  ~ProjectTree();

  [[nodiscard]] const std::filesystem::path& root() const { return root_; }
  // The files whose names `wanted` accepts, in path order: at most kAuthScanMaxFiles of them,
  // none over kAuthScanMaxBytes.
  [[nodiscard]] std::vector<std::filesystem::path> files(const std::function<bool(const std::string&)>& wanted) const;
  // Whether a rule ignores the file itself (`*.generated.ts`, `lib/auth.local.ts`): asked only of
  // the few files a search would use, so the walk stays one check per folder.
  [[nodiscard]] bool ignored(const std::filesystem::path& file) const;

 private:
  std::filesystem::path root_;
  std::unique_ptr<GitRepo> repo_;  // the work tree holding root_, or null
};

// find_auth_modules(project).auth_options.
[[nodiscard]] std::optional<AuthOptionsModule> detect_auth_options(const std::string& project);

// The import specifier for `target` (a file of the project) through the tsconfig/jsconfig
// `paths` aliases, or "" when no alias covers it.
[[nodiscard]] std::string alias_for(const std::string& project, const std::string& target);

}  // namespace routeauth::engine
