// routeauth diff (and apply --dry-run): print what apply would change as one unified diff, or
// as a diffstat; write nothing.
#include <fmt/ostream.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <ostream>

#include "cli/commands.h"
#include "cli/dependency_warnings.h"
#include "engine/git_repo.h"
#include "output/diff.h"

namespace routeauth::cli {

namespace {

// The width --stat fills, found as git finds it: $COLUMNS, else the terminal's, else 80.
size_t stat_width(const Io& io) {
  if (const char* columns = std::getenv("COLUMNS")) {
    if (const int n = std::atoi(columns); n > 0) return static_cast<size_t>(n);
  }
  winsize size{};
  if (io.out_is_terminal && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

}  // namespace

int run_diff(const Options& options, Io io) {
  // Every diff is libgit2's: without it, one error line (status 3) before any file is read.
  engine::ensure_libgit2();
  Totals totals;
  const bool color = use_color(options, io);
  std::vector<output::DiffStat> stats;
  RouteImportsSeen imports;  // of the files that would change
  engine::Config config;
  int status = for_each_file(options, engine::Mode::fix, io, totals, [&](const Processed& p) {
    print_findings(io.err, p, /*fixable_too=*/p.outcome.status == engine::Status::parse_error);
    if (!p.outcome.changed()) return;
    ++totals.changed;
    imports.add(p.outcome);
    if (options.stat) {
      stats.push_back(output::diff_stat(p.display_path, p.outcome.original, p.outcome.result));
      return;
    }
    const std::string patch = output::unified_diff(p.display_path, p.outcome.original, p.outcome.result);
    io.out << (color ? output::colorize(patch) : patch);
  }, &config);
  if (options.stat && !stats.empty()) io.out << output::format_stat(stats, color, stat_width(io));
  if (status != kUsage && !options.quiet) print_summary(io.err, totals, "would change");
  if (status != kUsage) print_missing(io.err, imports.missing(options, config));
  if (status == kClean && totals.changed > 0) status = kFindings;
  return status;
}

}  // namespace routeauth::cli
