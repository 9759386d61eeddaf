#include "lsp/diagnostics.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "engine/suppressions.h"

namespace routeauth::lsp {

namespace {

bool word_byte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '_' || u == '$' ||
         u >= 0x80;
}

int severity_of(engine::Severity s) {
  switch (s) {
    case engine::Severity::error:
      return 1;
    case engine::Severity::warning:
      return 2;
    case engine::Severity::note:
      return 3;
  }
  return 1;
}

}  // namespace

Range finding_range(const engine::Finding& finding, std::string_view text, const TextIndex& index) {
  const uint32_t begin = std::min<uint32_t>(finding.offset, static_cast<uint32_t>(text.size()));
  uint32_t end = begin;
  while (end < text.size() && word_byte(text[end])) ++end;
  if (end == begin && end < text.size() && text[end] != '\n' && text[end] != '\r') {
    end += utf8_length(static_cast<unsigned char>(text[end]));
    end = std::min<uint32_t>(end, static_cast<uint32_t>(text.size()));
  }
  return Range{index.position(begin), index.position(end)};
}

nlohmann::json to_json(Position p) { return {{"line", p.line}, {"character", p.character}}; }

nlohmann::json to_json(const Range& r) { return {{"start", to_json(r.start)}, {"end", to_json(r.end)}}; }

Position position_of(const nlohmann::json& j) {
  return Position{j.at("line").get<uint32_t>(), j.at("character").get<uint32_t>()};
}

Range range_of(const nlohmann::json& j) { return Range{position_of(j.at("start")), position_of(j.at("end"))}; }

std::string rule_doc_url(std::string_view code) {
  // The ids the engine reports besides its rules' (README "The rules" lists them all).
  constexpr std::array<std::string_view, 4> kOtherIds = {"manual-review", "parse-error", engine::kSuppressionRule,
                                                         engine::kUnusedSuppressionRule};
  const bool known = engine::find_rule(code) != nullptr ||
                     std::find(kOtherIds.begin(), kOtherIds.end(), code) != kOtherIds.end();
  return known ? fmt::format("{}#rule-{}", ROUTEAUTH_HOMEPAGE, code) : std::string();
}

nlohmann::json diagnostic(const engine::Finding& finding, std::string_view text, const TextIndex& index) {
  std::string message = finding.message;
  for (const auto& note : finding.notes) message += "\nnote: " + note;
  nlohmann::json d = {{"range", to_json(finding_range(finding, text, index))},
                      {"severity", severity_of(finding.severity)},
                      {"code", finding.rule},
                      {"source", "routeauth"},
                      {"message", message}};
  if (std::string url = rule_doc_url(finding.rule); !url.empty()) d["codeDescription"] = {{"href", std::move(url)}};
  return d;
}

nlohmann::json file_diagnostic(std::string_view code, std::string_view message) {
  return {{"range", to_json(Range{})}, {"severity", 1}, {"code", code}, {"source", "routeauth"}, {"message", message}};
}

nlohmann::json whole_text_edit(std::string_view text, const std::string& result) {
  const TextIndex index(text);
  return {{"range", to_json(Range{Position{}, index.end()})}, {"newText", result}};
}

}  // namespace routeauth::lsp
