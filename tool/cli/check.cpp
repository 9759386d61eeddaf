// routeauth check: report every finding, change nothing. With --staged, the index's version of
// each staged route file is checked (what the commit will hold), not the working tree's.
//
// --format text (default): one `path:line:col: severity: message [id]` line per finding;
// --format json: one JSON document (tool/output/json_output.h); --format sarif: SARIF 2.1.0
// (tool/output/sarif.h). The exit status and the summary line on stderr are the same for all.
#include <fmt/ostream.h>

#include <ostream>
#include <vector>

#include "cli/commands.h"
#include "output/json_output.h"
#include "output/sarif.h"

namespace routeauth::cli {

int run_check(const Options& options, Io io) {
  if (!has_inputs(options)) {
    fmt::print(io.err, "routeauth: error: check needs a PATH, or --staged\nRun with --help for more information.\n");
    return kUsage;
  }
  const bool text = options.format.empty() || options.format == "text";
  if (!text && options.format != "json" && options.format != "sarif") {
    fmt::print(io.err, "routeauth: error: --format must be text, json or sarif, not '{}'\n", options.format);
    return kUsage;
  }
  Totals totals;
  bool any = false;
  size_t with_findings = 0;
  std::vector<output::Diagnostic> diagnostics;
  int status = for_each_file(options, engine::Mode::check, io, totals, [&](const Processed& p) {
    if (text) {
      print_findings(io.out, p);
    } else {
      auto found = output::diagnostics_of(p.outcome, p.display_path);
      diagnostics.insert(diagnostics.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
    }
    if (!p.outcome.findings.empty()) ++with_findings;
    if (p.outcome.status == engine::Status::findings) {
      any = true;
      if (!has_unfixable(p.outcome)) ++totals.changed;
    }
  });
  if (status == kUsage) return status;
  if (!text) {
    output::sort_diagnostics(diagnostics);
    if (options.format == "sarif") {
      io.out << output::to_text(output::sarif_log(diagnostics));
    } else {
      output::Summary summary;
      summary.files_seen = totals.seen;
      summary.with_findings = with_findings;
      summary.to_fix = totals.changed;
      summary.compliant = totals.compliant;
      summary.no_backend_calls = totals.no_backend;
      summary.manual_review = totals.manual;
      summary.failed = totals.failed;
      io.out << output::to_text(output::findings_json(diagnostics, summary));
    }
  }
  if (!options.quiet) print_summary(io.err, totals, "to fix");
  if (status == kClean && any) status = kFindings;
  return status;
}

}  // namespace routeauth::cli
