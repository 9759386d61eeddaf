#include "output/json_output.h"

#include <algorithm>
#include <tuple>

#include "engine/source.h"

namespace routeauth::output {

namespace {

// UTF-16 code units in `bytes` (UTF-8): one per code point below U+10000, two above. A byte
// that does not start a valid sequence counts as one unit (editors show it as U+FFFD).
uint32_t utf16_units(std::string_view bytes) {
  uint32_t units = 0;
  size_t i = 0;
  while (i < bytes.size()) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    size_t len = 1;
    if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
    } else if (c >= 0xE0) {
      len = 3;
    } else if (c >= 0xC2 && c < 0xE0) {
      len = 2;
    }
    bool valid = len > 1 && i + len <= bytes.size();
    for (size_t k = 1; valid && k < len; ++k) {
      valid = (static_cast<unsigned char>(bytes[i + k]) & 0xC0) == 0x80;
    }
    if (!valid) len = 1;
    units += (valid && len == 4) ? 2 : 1;
    i += len;
  }
  return units;
}

}  // namespace

std::string_view severity_name(engine::Severity severity) {
  switch (severity) {
    case engine::Severity::error: return "error";
    case engine::Severity::warning: return "warning";
    case engine::Severity::note: return "note";
  }
  return "error";
}

std::vector<Diagnostic> diagnostics_of(const engine::Outcome& outcome, const std::string& display_path) {
  std::vector<Diagnostic> out;
  if (outcome.findings.empty()) return out;
  const engine::SourceFile file(display_path, outcome.original);
  for (const auto& f : outcome.findings) {
    const uint32_t offset = std::min<uint32_t>(f.offset, static_cast<uint32_t>(outcome.original.size()));
    const engine::Position pos = file.position(offset);
    uint32_t line_begin = file.line_start(offset);
    if (line_begin < file.bom_size()) line_begin = file.bom_size();
    Diagnostic d;
    d.path = display_path;
    d.line = pos.line;
    d.column = pos.column;
    d.utf16_column = 1 + utf16_units(file.slice(line_begin, std::max(line_begin, offset)));
    d.severity = f.severity;
    d.rule = f.rule;
    d.message = f.message;
    d.fixable = f.fixable();
    d.notes = f.notes;
    out.push_back(std::move(d));
  }
  return out;
}

void sort_diagnostics(std::vector<Diagnostic>& diagnostics) {
  std::stable_sort(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.path, a.line, a.column) < std::tie(b.path, b.line, b.column);
  });
}

nlohmann::ordered_json findings_json(const std::vector<Diagnostic>& diagnostics, const Summary& summary) {
  nlohmann::ordered_json doc;
  doc["version"] = ROUTEAUTH_VERSION;
  auto findings = nlohmann::ordered_json::array();
  for (const auto& d : diagnostics) {
    nlohmann::ordered_json f;
    f["path"] = d.path;
    f["line"] = d.line;
    f["column"] = d.column;
    f["severity"] = severity_name(d.severity);
    f["rule"] = d.rule;
    f["message"] = d.message;
    f["fixable"] = d.fixable;
    f["notes"] = d.notes;
    findings.push_back(std::move(f));
  }
  doc["findings"] = std::move(findings);
  doc["summary"] = {
      {"files_seen", summary.files_seen},
      {"with_findings", summary.with_findings},
      {"to_fix", summary.to_fix},
      {"compliant", summary.compliant},
      {"no_backend_calls", summary.no_backend_calls},
      {"manual_review", summary.manual_review},
      {"failed", summary.failed},
  };
  return doc;
}

std::string to_text(const nlohmann::ordered_json& json) {
  return json.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace routeauth::output
