// What apply, diff, report and init say about what the project lacks for the migrated routes to
// build (engine/dependencies.h): the imports the routes of a run gain (or would gain) are gathered
// as the files go by; what is missing is computed once, after the last file. check never does it.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "cli/common.h"
#include "engine/dependencies.h"

namespace routeauth::cli {

class RouteImportsSeen {
 public:
  // The imports `outcome`'s fixes add (apply, diff); with `existing`, also the session imports
  // its original text has (report: a route migrated earlier needs them as much).
  void add(const engine::Outcome& outcome, bool existing = false);

  // What the project lacks for them: nothing when no route gained (or has) such an import.
  [[nodiscard]] std::vector<engine::MissingDependency> missing(const Options& options,
                                                               const engine::Config& config) const;

 private:
  std::vector<engine::RouteImports> routes_;
};

// `routeauth: warning: <message>`, one line each.
void print_missing(std::ostream& err, const std::vector<engine::MissingDependency>& missing);

// What engine::missing_dependencies needs to know about the run started at `start`.
struct Roots {
  std::string shown;  // paths are shown relative to it: the git work tree, else the current folder
  std::string stop;   // where walks up from a route end: the git work tree, else "" (none)
};
[[nodiscard]] Roots roots_of(const std::string& start);

// What `routes` lack, for the run started at `start` (engine/dependencies.h).
[[nodiscard]] std::vector<engine::MissingDependency> missing_for(const std::vector<engine::RouteImports>& routes,
                                                                 const engine::Config& config, const std::string& start);

}  // namespace routeauth::cli
