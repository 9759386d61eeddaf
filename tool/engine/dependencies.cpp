#include "engine/dependencies.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "engine/modules.h"

namespace fs = std::filesystem;

namespace routeauth::engine {

namespace {

bool is_next_auth(std::string_view source) { return source == "next-auth" || source == "next-auth/next"; }

bool inside(const fs::path& path, const fs::path& folder) {
  const std::string p = path.generic_string(), f = folder.generic_string();
  return p == f || p.starts_with(f.ends_with('/') ? f : f + "/");
}

// How a path is shown: relative to the root when under it ("." for the root), else absolute.
std::string shown(const fs::path& path, const fs::path& root) {
  if (!inside(path, root)) return path.generic_string();
  const std::string rel = path.lexically_relative(root).generic_string();
  return rel.empty() ? "." : rel;
}

// The nearest folder, `dir` or above it, holding one of `markers`; up to `stop` when `dir` is
// under it (the git work tree), else up to the file system's root.
std::optional<fs::path> nearest_holding(fs::path dir, const fs::path& stop, std::initializer_list<const char*> markers) {
  const bool bounded = !stop.empty() && inside(dir, stop);
  std::error_code ec;
  for (;;) {
    for (const char* marker : markers) {
      if (fs::is_regular_file(dir / marker, ec)) return dir;
    }
    if ((bounded && dir == stop) || dir == dir.parent_path()) return std::nullopt;
    dir = dir.parent_path();
  }
}

fs::path folder(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::absolute(path, ec).lexically_normal();
  if (!p.has_filename()) p = p.parent_path();  // `/repo/` (a git work tree) is `/repo`
  return p;
}

// The file to create for a module that does not resolve: its intended path, with the route's
// kind of extension when the specifier has none.
fs::path file_to_create(const std::string& intended, const std::string& route) {
  fs::path file(intended);
  for (const char* ext : kModuleExtensions) {
    if (file.filename().string().ends_with(ext)) return file;
  }
  const std::string kind = fs::path(route).extension().string();
  file += kind == ".ts" || kind == ".tsx" || kind == ".mts" || kind == ".cts" ? ".ts" : ".js";
  return file;
}

std::string package_message(const MissingDependency& gap, const std::string& unreadable) {
  const std::string where = gap.app == "." ? "" : fmt::format(" in {}", gap.app);
  if (!unreadable.empty()) {
    return fmt::format("{} cannot be read as JSON ({}), so whether it lists {}, which the migrated routes import, is "
                       "unknown; correct it, and run `npm i {}`{} if it does not",
                       gap.manifest, unreadable, gap.specifier, gap.specifier, where);
  }
  if (gap.manifest.empty()) {
    return fmt::format("no package.json lists {}, which the migrated routes{} import (there is none in {} or above "
                       "it); add one and run `npm i {}`{}",
                       gap.specifier, where, gap.app, gap.specifier, where);
  }
  return fmt::format("{} does not list {}, which the migrated routes import; run `npm i {}`{}", gap.manifest,
                     gap.specifier, gap.specifier, where);
}

std::string module_message(const MissingDependency& gap, const Config& config) {
  const bool configured = gap.specifier == config.auth_options_module;
  const std::string where = gap.app == "." ? "" : fmt::format(" in {}", gap.app);
  const std::string what =
      gap.setting.empty()
          ? fmt::format("the migrated routes import {} from '{}', which does not resolve to a file{}", gap.name,
                        gap.specifier, where)
          : fmt::format("the migrated routes import {} from '{}', which {} names and which does not resolve to a "
                        "file{}",
                        gap.name, gap.specifier, gap.setting, where);
  const std::string create =
      gap.create.empty()
          ? fmt::format("no `paths` alias or baseUrl in the tsconfig.json or jsconfig.json{} maps it: add one (such "
                        "as \"@/*\": [\"./*\"]) and create the module exporting {}",
                        where, gap.name)
          : fmt::format("create {} exporting {}", gap.create, gap.name);
  if (!gap.setting.empty()) {
    return fmt::format("{}; {}, or set {} to the module that exports it", what, create, gap.setting);
  }
  if (configured) {
    return fmt::format("{}; {}, or set \"authOptionsModule\" in routeauth.json (or --auth-options-module) to the "
                       "module that exports it",
                       what, create);
  }
  return fmt::format("{}; {}, or import it from the module that exports it", what, create);
}

}  // namespace

std::vector<ModuleImport> session_imports(const RouteFile& route) {
  std::vector<ModuleImport> out;
  const bool calls_backend =
      std::any_of(route.handlers.begin(), route.handlers.end(), [](const Handler& h) { return h.has_backend_fetch(); });
  if (!calls_backend) return out;
  for (const Import& imp : route.imports) {
    if (imp.type_only) continue;
    if (is_next_auth(imp.source) && imp.find("getServerSession")) out.push_back({imp.source, "getServerSession"});
    if (imp.find("authOptions")) out.push_back({imp.source, "authOptions"});
  }
  return out;
}

bool lists_package(const std::string& package_json, const std::string& package) {
  std::ifstream in(package_json, std::ios::binary);
  if (!in) throw std::runtime_error("cannot be opened");
  std::stringstream text;
  text << in.rdbuf();
  const nlohmann::json doc = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) throw std::runtime_error(doc.is_discarded() ? "not JSON" : "not a JSON object");
  for (const char* key : {"dependencies", "devDependencies", "peerDependencies"}) {
    const auto it = doc.find(key);
    if (it != doc.end() && it->is_object() && it->contains(package)) return true;
  }
  return false;
}

namespace {

// The gaps of one run: every route's imports, checked against its app, each gap kept once per
// app and package or module.
class Gaps {
 public:
  Gaps(const Config& config, const std::string& root, const std::string& stop)
      : config_(config), top_(folder(root)), end_(stop.empty() ? fs::path() : folder(stop)) {}

  void add(const RouteImports& r) {
    std::error_code ec;
    const fs::path route = fs::absolute(r.route, ec).lexically_normal();
    const auto app = app_of(route.parent_path());
    if (!app) return;  // loose files, in no Node project: nothing to check them against
    const ModuleResolver& modules = resolvers_.try_emplace(app->string(), app->string()).first->second;
    std::set<Key> counted;  // each gap once per route
    for (const ModuleImport& imp : std::set<ModuleImport>(r.imports.begin(), r.imports.end())) {
      if (modules.resolve(route.string(), imp.specifier)) continue;
      const auto intended = modules.intended_path(route.string(), imp.specifier);
      const std::string package = package_name(imp.specifier);
      auto gap = !intended && !package.empty() ? package_gap(route, package, *app)
                                               : module_gap(route, imp.specifier, intended, *app);
      if (!gap) continue;
      gap->name = imp.name;
      const Key key{gap->app, gap->kind, gap->specifier};
      auto& kept = gaps_.try_emplace(key, std::move(*gap)).first->second;
      if (counted.insert(key).second) ++kept.routes;
    }
  }

  std::vector<MissingDependency> take() {
    std::vector<MissingDependency> out;
    for (auto& [key, gap] : gaps_) {
      gap.message = gap.kind == MissingDependency::Kind::package ? package_message(gap, unreadable_[gap.manifest])
                                                                 : module_message(gap, config_);
      out.push_back(std::move(gap));
    }
    return out;
  }

 private:
  using Key = std::tuple<std::string, MissingDependency::Kind, std::string>;  // app, kind, specifier

  std::optional<fs::path> app_of(const fs::path& dir) {
    auto [it, fresh] = apps_.try_emplace(dir.string());
    if (fresh) it->second = nearest_holding(dir, end_, {"package.json", "tsconfig.json", "jsconfig.json"});
    return it->second;
  }

  // A package the nearest package.json does not list (or cannot say whether it does).
  std::optional<MissingDependency> package_gap(const fs::path& route, const std::string& package, const fs::path& app) {
    MissingDependency gap;
    gap.kind = MissingDependency::Kind::package;
    gap.specifier = package;
    const auto holder = nearest_holding(route.parent_path(), end_, {"package.json"});
    if (!holder) {
      gap.app = shown(app, top_);
      return gap;
    }
    const fs::path manifest = *holder / "package.json";
    gap.manifest = shown(manifest, top_);
    gap.app = shown(*holder, top_);
    auto [it, fresh] = listed_.try_emplace({manifest.string(), package}, false);
    if (fresh) {
      try {
        it->second = lists_package(manifest.string(), package);
      } catch (const std::exception& e) {
        unreadable_[gap.manifest] = e.what();
      }
    }
    if (it->second) return std::nullopt;
    return gap;
  }

  // A module of the project that resolves to no file.
  MissingDependency module_gap(const fs::path& route, const std::string& specifier,
                               const std::optional<std::string>& intended, const fs::path& app) const {
    MissingDependency gap;
    gap.kind = MissingDependency::Kind::module;
    gap.specifier = specifier;
    gap.app = shown(app, top_);
    if (intended) {
      const fs::path file = file_to_create(*intended, route.string());
      gap.create = inside(file, app) ? file.lexically_relative(app).generic_string() : shown(file, top_);
    }
    if (specifier == config_.auth_options_module) gap.setting = config_.auth_options_setting;
    return gap;
  }

  const Config& config_;
  const fs::path top_;  // paths are shown relative to it
  const fs::path end_;  // walks up end there ("" : at the file system's root)
  std::map<std::string, std::optional<fs::path>> apps_;            // a route's folder -> its app
  std::map<std::string, ModuleResolver> resolvers_;                // an app -> its module resolution
  std::map<std::pair<std::string, std::string>, bool> listed_;     // (package.json, package) -> listed
  std::map<std::string, std::string> unreadable_;                  // a package.json shown -> why unreadable
  std::map<Key, MissingDependency> gaps_;
};

}  // namespace

std::vector<MissingDependency> missing_dependencies(const std::vector<RouteImports>& routes, const Config& config,
                                                    const std::string& root, const std::string& stop) {
  Gaps gaps(config, root, stop);
  for (const RouteImports& r : routes) gaps.add(r);
  return gaps.take();
}

}  // namespace routeauth::engine
