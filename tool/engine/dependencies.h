// What the project must have for the migrated code to build: every package the migrated routes
// import (next-auth) listed in the package.json nearest each route, and every module of the
// project they import (authOptions) resolving to a file from the route. Computed once per run,
// after the routes went through the rules, from what they import (Outcome::imports_added and
// ::session_imports); apply, diff, init and report say what is missing, check never computes it
// (pre-commit stays fast and quiet).
//
//   std::vector<RouteImports> routes = {{"/repo/apps/web/app/api/x/route.ts", {{"next-auth", "getServerSession"}}}};
//   for (const auto& gap : missing_dependencies(routes, config, "/repo")) print(gap.message);
//   // apps/web/package.json does not list next-auth, which the migrated routes import; run `npm i next-auth` in apps/web
//
// "Nearest package.json": walking up from the route's folder to the root of its git repository
// (without one, to the file system's root), the first package.json found decides; a workspace root
// that lists next-auth counts for an app under it only when the app has no package.json of its
// own (an app with one installs its own dependencies). `dependencies`, `devDependencies` and
// `peerDependencies` all count. Modules resolve as engine/modules.h does, from the app: the
// nearest folder with a package.json, tsconfig.json or jsconfig.json.
#pragma once

#include <string>
#include <vector>

#include "engine/config.h"
#include "engine/route_model.h"
#include "engine/rule.h"

namespace routeauth::engine {

struct RouteImports {
  std::string route;  // the route file, absolute
  std::vector<ModuleImport> imports;
};

struct MissingDependency {
  enum class Kind {
    package,  // an npm package the nearest package.json does not list
    module,   // a specifier that resolves to no file
  };
  Kind kind = Kind::package;
  std::string app;        // the app's folder, relative to the root ("." for the root itself)
  std::string specifier;  // the package name (`next-auth`), or the module specifier
  std::string name;       // what the routes import from it (getServerSession, authOptions)
  std::string manifest;   // package: the package.json that should list it, relative; "" when none exists
  std::string create;     // module: the file to create, relative to the app; "" when no path maps it
  std::string setting;    // module: the setting that named it (Config::auth_options_setting), or ""
  size_t routes = 0;      // how many routes import it there
  std::string message;    // what is missing, where, and what to do: one line, no prefix
};

// What `routes` import that their apps cannot provide, one entry per app and package or module
// (however many routes import it), ordered by app, then packages before modules. `root` is the
// folder paths are shown relative to; `stop` the git work tree, where the walks up from a route
// end ("" outside git: up to the file system's root). A route in no Node project (no
// package.json, tsconfig.json or jsconfig.json in its folder or above) has nothing to be checked
// against and is left out.
[[nodiscard]] std::vector<MissingDependency> missing_dependencies(const std::vector<RouteImports>& routes,
                                                                  const Config& config, const std::string& root,
                                                                  const std::string& stop = "");

// The imports a file with backend calls has that the migration relies on: getServerSession from
// next-auth (or next-auth/next), authOptions from any module (type-only imports excluded).
[[nodiscard]] std::vector<ModuleImport> session_imports(const RouteFile& route);

// Whether a package.json lists `package` under dependencies, devDependencies or peerDependencies.
// Throws std::runtime_error naming the file when it is not a JSON object.
[[nodiscard]] bool lists_package(const std::string& package_json, const std::string& package);

}  // namespace routeauth::engine
