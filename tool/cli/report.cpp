// routeauth report: the migration status of every route (tool/output/report.h says how each is
// decided), as a table, the migration guide's Markdown checklist ticked, or JSON. It runs the
// rules in check mode and changes nothing. A report is not a gate: it exits 0 whatever the
// routes' status (parse errors included), 2 on a usage error, 3 when a file could not be read.
#include <fmt/ostream.h>

#include <filesystem>
#include <map>
#include <ostream>
#include <vector>

#include "cli/commands.h"
#include "cli/dependency_warnings.h"
#include "engine/modules.h"
#include "engine/project.h"
#include "output/json_output.h"
#include "output/report.h"

namespace routeauth::cli {

namespace {

// Names a header builder with the file its import resolves to, relative to the route's app
// (`getBackendHeaders (lib/api/backend-headers.ts)`), through each app's tsconfig/jsconfig paths;
// with the specifier as written when it does not resolve. One resolver per app, made on the
// first builder seen there.
class BuilderModules {
 public:
  std::string name(const std::string& route, const engine::HeaderBuilder& b) {
    const std::string file = std::filesystem::absolute(route).lexically_normal().string();
    const std::string root = engine::project_root(file);
    auto it = resolvers_.find(root);
    if (it == resolvers_.end()) it = resolvers_.emplace(root, engine::ModuleResolver(root)).first;
    const auto target = it->second.resolve(file, b.specifier);
    return fmt::format("{} ({})", b.name,
                       target ? std::filesystem::path(*target).lexically_relative(root).generic_string() : b.specifier);
  }

 private:
  std::map<std::string, engine::ModuleResolver> resolvers_;
};

}  // namespace

int run_report(const Options& options, Io io) {
  if (!has_inputs(options)) {
    fmt::print(io.err, "routeauth: error: report needs a PATH\nRun with --help for more information.\n");
    return kUsage;
  }
  Totals totals;
  std::vector<output::RouteEntry> routes;
  RouteImportsSeen imports;  // what the routes import for the session, or would after apply
  engine::Config config;
  size_t unprocessable = 0;  // files taken through the engine that still count as failed
  BuilderModules builders;
  int status = for_each_file(options, engine::Mode::check, io, totals, [&](const Processed& p) {
    imports.add(p.outcome, /*existing=*/true);
    if (p.outcome.status == engine::Status::parse_error || p.outcome.status == engine::Status::internal_error) {
      ++unprocessable;
    }
    if (p.outcome.status == engine::Status::findings && !has_unfixable(p.outcome)) ++totals.changed;
    routes.push_back(output::classify(p.outcome, p.display_path, [&](const engine::HeaderBuilder& b) {
      return builders.name(p.outcome.path, b);
    }));
  }, &config);
  if (status == kUsage) return kUsage;

  const auto missing = imports.missing(options, config);
  if (options.format == "markdown") {
    io.out << output::render_markdown(routes, missing);
  } else if (options.format == "json") {
    io.out << output::to_text(output::report_json(routes, missing));
  } else {
    io.out << output::render_table(routes, missing);
  }
  if (!options.quiet) print_summary(io.err, totals, "to fix");
  // Parse errors are part of the report; a file that could not be read at all is not.
  return totals.failed > unprocessable ? kFailed : kClean;
}

}  // namespace routeauth::cli
