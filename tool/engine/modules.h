// Module resolution: which file of the project an import specifier names, the way TypeScript's
// bundler/node resolution finds it for a Next.js app. Built once per app root (it reads the
// tsconfig.json / jsconfig.json there, following `extends` of local files), read-only after.
//
//   ModuleResolver modules("/repo/apps/web");
//   modules.resolve("/repo/apps/web/app/api/x/route.ts", "@/lib/auth")  // -> "/repo/apps/web/lib/auth.ts"
//   modules.resolve(".../route.ts", "next-auth")                          // -> nullopt (a package)
//   modules.specifier_for("/repo/apps/web/lib/auth.ts")                   // -> "@/lib/auth"
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace routeauth::engine {

// The extensions a specifier without one may name, in the order they are tried.
inline constexpr const char* kModuleExtensions[] = {".ts", ".tsx", ".d.ts", ".js", ".jsx", ".mjs", ".mts", ".cts"};

class ModuleResolver {
 public:
  // Reads `root`/tsconfig.json, else `root`/jsconfig.json (comments and trailing commas allowed),
  // and the local files it `extends` (up to three levels): compilerOptions.baseUrl and .paths,
  // the nearer file winning. A missing or unreadable config means: relative imports only.
  explicit ModuleResolver(std::string root);

  // The absolute, normalised path of the file `specifier` names when imported by `from_file`:
  // relative (`./x`, `../x`), a `paths` alias (the longest matching pattern first, each of its
  // targets in order), or a path under baseUrl. Tries the name as given, then each of
  // kModuleExtensions, then `index` + each of them in the folder; `./x.js` also finds `x.ts`.
  // A package (`next-auth`, `@scope/pkg`) or anything not found is std::nullopt.
  [[nodiscard]] std::optional<std::string> resolve(const std::string& from_file, std::string_view specifier) const;

  // Where the file `specifier` names would be, as resolve() looks first: the path of a relative
  // specifier, the first target of the `paths` alias that matches it, else the path under
  // baseUrl; as written (an extension only when the specifier has one). nullopt for a package
  // name no alias matches (`next-auth`, `@scope/pkg`), and when nothing maps the specifier.
  [[nodiscard]] std::optional<std::string> intended_path(const std::string& from_file, std::string_view specifier) const;

  // How a file of the project is imported through a `paths` alias (`@/lib/auth` for
  // <root>/lib/auth.ts, without extension or trailing `/index`), or "" when no alias covers it.
  [[nodiscard]] std::string specifier_for(const std::string& file) const;

  [[nodiscard]] const std::string& root() const { return root_; }
  [[nodiscard]] bool has_paths() const { return !paths_.empty(); }

 private:
  struct Alias {
    std::string pattern;               // `@/*`, `~lib`
    std::vector<std::string> targets;  // absolute, normalised, may hold one `*`
  };
  [[nodiscard]] std::optional<std::string> file_or_folder(const std::string& base) const;
  // The alias that maps `specifier` (an exact pattern first, then the wildcard one with the
  // longest prefix), and what its `*` stands for; null when none does.
  [[nodiscard]] const Alias* matching_alias(std::string_view specifier, std::string& star) const;

  std::string root_;
  std::string base_url_;       // absolute, or "" when the config sets none
  std::vector<Alias> paths_;   // in the config's order
};

// A specifier that names a file by path: `./x`, `../x`, `/x`.
[[nodiscard]] bool is_relative_specifier(std::string_view specifier);

// The package a bare specifier names (`next-auth` for `next-auth/next`, `@scope/pkg` for
// `@scope/pkg/x`), or "" when it names none (relative, `@/x`, `~/x`, `#x`).
[[nodiscard]] std::string package_name(std::string_view specifier);

}  // namespace routeauth::engine
