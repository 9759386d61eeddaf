// routeauth diff (and apply --dry-run): print what apply would change as one unified diff, or
// as a diffstat; write nothing.
#include <fmt/ostream.h>

#include <ostream>

#include "cli/commands.h"
#include "output/diff.h"

namespace routeauth::cli {

int run_diff(const Options& options, Io io) {
  Totals totals;
  const bool color = use_color(options, io);
  std::vector<output::DiffStat> stats;
  int status = for_each_file(options, engine::Mode::fix, io, totals, [&](const Processed& p) {
    print_findings(io.err, p, /*fixable_too=*/p.outcome.status == engine::Status::parse_error);
    if (!p.outcome.changed()) return;
    ++totals.changed;
    if (options.stat) {
      stats.push_back(output::diff_stat(p.display_path, p.outcome.original, p.outcome.result));
      return;
    }
    const std::string patch = output::unified_diff(p.display_path, p.outcome.original, p.outcome.result);
    io.out << (color ? output::colorize(patch) : patch);
  });
  if (options.stat && !stats.empty()) io.out << output::format_stat(stats, color);
  if (status != kUsage && !options.quiet) print_summary(io.err, totals, "would change");
  if (status == kClean && totals.changed > 0) status = kFindings;
  return status;
}

}  // namespace routeauth::cli
