// routeauth diff: print what apply would change as one unified diff; write nothing.
#include <fmt/ostream.h>

#include <ostream>

#include "cli/commands.h"
#include "output/diff.h"

namespace routeauth::cli {

int run_diff(const Options& options, Io io) {
  Totals totals;
  bool any_change = false;
  int status = for_each_file(options, engine::Mode::fix, io, totals, [&](const Processed& p) {
    print_findings(io.err, p, /*fixable_too=*/p.outcome.status == engine::Status::parse_error);
    if (!p.outcome.changed()) return;
    any_change = true;
    ++totals.changed;
    io.out << output::unified_diff(p.display_path, p.outcome.original, p.outcome.result);
  });
  if (status != kUsage && !options.quiet) print_summary(io.err, totals, "would change");
  if (status == kClean && any_change) status = kFindings;
  return status;
}

}  // namespace routeauth::cli
