// routeauth check: report every finding, change nothing. With --staged, the index's version of
// each staged route file is checked (what the commit will hold), not the working tree's.
#include <fmt/ostream.h>

#include <ostream>

#include "cli/commands.h"

namespace routeauth::cli {

int run_check(const Options& options, Io io) {
  if (options.paths.empty() && !options.staged) {
    fmt::print(io.err, "routeauth: error: check needs a PATH, or --staged\nRun with --help for more information.\n");
    return kUsage;
  }
  Totals totals;
  bool any = false;
  int status = for_each_file(options, engine::Mode::check, io, totals, [&](const Processed& p) {
    print_findings(io.out, p);
    if (p.outcome.status == engine::Status::findings) {
      any = true;
      if (!has_unfixable(p.outcome)) ++totals.changed;
    }
  });
  if (status != kUsage && !options.quiet) print_summary(io.err, totals, "to fix");
  if (status == kClean && any) status = kFindings;
  return status;
}

}  // namespace routeauth::cli
