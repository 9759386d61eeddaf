#include "cli/dependency_warnings.h"

#include <fmt/ostream.h>

#include <filesystem>
#include <ostream>

#include "engine/git_repo.h"

namespace routeauth::cli {

void RouteImportsSeen::add(const engine::Outcome& outcome, bool existing) {
  engine::RouteImports route{outcome.path, outcome.imports_added};
  if (existing) route.imports.insert(route.imports.end(), outcome.session_imports.begin(), outcome.session_imports.end());
  if (!route.imports.empty()) routes_.push_back(std::move(route));
}

std::vector<engine::MissingDependency> RouteImportsSeen::missing(const Options& options,
                                                                 const engine::Config& config) const {
  if (routes_.empty()) return {};
  return missing_for(routes_, config, options.paths.empty() ? "." : options.paths.front());
}

void print_missing(std::ostream& err, const std::vector<engine::MissingDependency>& missing) {
  for (const auto& gap : missing) fmt::print(err, "routeauth: warning: {}\n", gap.message);
}

Roots roots_of(const std::string& start) {
  if (const auto repo = engine::GitRepo::discover(start)) return {repo->workdir(), repo->workdir()};
  std::error_code ec;
  return {std::filesystem::current_path(ec).string(), ""};
}

std::vector<engine::MissingDependency> missing_for(const std::vector<engine::RouteImports>& routes,
                                                   const engine::Config& config, const std::string& start) {
  const Roots roots = roots_of(start);
  return engine::missing_dependencies(routes, config, roots.shown, roots.stop);
}

}  // namespace routeauth::cli
