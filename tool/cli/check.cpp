// routeauth check: report every finding, change nothing.
#include <CLI/CLI.hpp>

#include <ostream>

#include "cli/commands.h"

namespace routeauth::cli {

int run_check(const Options& options, Io io) {
  Totals totals;
  bool any = false;
  int status = for_each_file(options, engine::Mode::check, io, totals, [&](const Processed& p) {
    print_findings(io.out, p);
    if (p.outcome.status == engine::Status::findings) {
      any = true;
      if (!p.outcome.findings.empty() && !has_unfixable(p.outcome)) ++totals.changed;
    }
  });
  if (status != kUsage && !options.quiet) print_summary(io.err, totals, "to fix");
  if (status == kClean && any) status = kFindings;
  return status;
}

}  // namespace routeauth::cli
