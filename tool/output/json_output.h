// Machine-readable findings: `check --format json`. The same fields as the text lines
// (`path:line:col: severity: message [rule]` and its notes), one JSON document per run.
//
//   {"version": "0.1.0",
//    "findings": [{"path": "app/api/x/route.ts", "line": 8, "column": 23, "severity": "error",
//                  "rule": "session-call", "message": "...", "fixable": true, "notes": []}, ...],
//    "summary": {"files_seen": 7, "with_findings": 7, "to_fix": 6, "compliant": 0, "no_backend_calls": 0,
//                "manual_review": 1, "failed": 0}}
//
// Findings are in path order, then by position; positions are 1-based, columns in bytes as the
// text output counts them.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/pipeline.h"
#include "engine/rule.h"

namespace routeauth::output {

// One finding, located: what a text line of `check` says, as data. Owns its strings, so it
// outlives the Outcome it came from.
struct Diagnostic {
  std::string path;          // as shown (relative to the repository root), forward slashes
  uint32_t line = 1;         // 1-based
  uint32_t column = 1;       // 1-based, in bytes (BOM excluded), as the text output counts
  uint32_t utf16_column = 1;  // the same place in UTF-16 code units (SARIF's default column kind)
  engine::Severity severity = engine::Severity::error;
  std::string rule;
  std::string message;
  bool fixable = false;
  std::vector<std::string> notes;
};

// The findings of one processed file, located in its original text, in the Outcome's order.
[[nodiscard]] std::vector<Diagnostic> diagnostics_of(const engine::Outcome& outcome, const std::string& display_path);

// Path order, then line, then column; stable for findings at one place.
void sort_diagnostics(std::vector<Diagnostic>& diagnostics);

[[nodiscard]] std::string_view severity_name(engine::Severity severity);

// The run's counts, as the summary line on stderr gives them.
struct Summary {
  size_t files_seen = 0;
  size_t with_findings = 0;  // files with at least one finding (parse errors included)
  size_t to_fix = 0;         // files whose findings are all fixable
  size_t compliant = 0;         // files with backend calls that follow the pattern
  size_t no_backend_calls = 0;  // files without a backend call: nothing to migrate
  size_t manual_review = 0;
  size_t failed = 0;
};

[[nodiscard]] nlohmann::ordered_json findings_json(const std::vector<Diagnostic>& diagnostics, const Summary& summary);

// `json` pretty-printed (two spaces) with a final newline; non-UTF-8 bytes are replaced, never
// thrown on.
[[nodiscard]] std::string to_text(const nlohmann::ordered_json& json);

}  // namespace routeauth::output
