// routeauth apply: rewrite the files in place, each atomically.
#include <fmt/ostream.h>

#include <ostream>

#include "cli/commands.h"
#include "output/write.h"

namespace routeauth::cli {

int run_apply(const Options& options, Io io) {
  Totals totals;
  bool left_for_a_person = false;
  bool write_failed = false;
  int status = for_each_file(options, engine::Mode::fix, io, totals, [&](const Processed& p) {
    print_findings(io.err, p, /*fixable_too=*/p.outcome.status == engine::Status::parse_error);
    if (has_unfixable(p.outcome) && p.outcome.status == engine::Status::findings) left_for_a_person = true;
    if (!p.outcome.changed()) return;
    try {
      output::write_atomically(p.outcome.path, p.outcome.result);
      ++totals.changed;
    } catch (const std::exception& e) {
      fmt::print(io.err, "routeauth: error: {}\n", e.what());
      ++totals.failed;
      write_failed = true;
    }
  });
  if (status != kUsage && !options.quiet) print_summary(io.err, totals, "changed");
  if (write_failed && status != kUsage) status = kFailed;
  if (status == kClean && left_for_a_person) status = kFindings;
  return status;
}

}  // namespace routeauth::cli
