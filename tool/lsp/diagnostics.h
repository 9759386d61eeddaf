// routeauth's findings as LSP sees them: Diagnostics with UTF-16 ranges, the rule id as their
// code, and the fixed text as a TextEdit.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "engine/pipeline.h"
#include "lsp/text.h"

namespace routeauth::lsp {

struct Range {
  Position start;
  Position end;
};

// Where a finding is shown: from its offset to the end of the word (identifier) it points at, or
// one character when it points at anything else; an empty range at the end of the text.
[[nodiscard]] Range finding_range(const engine::Finding& finding, std::string_view text, const TextIndex& index);

[[nodiscard]] nlohmann::json to_json(Position p);
[[nodiscard]] nlohmann::json to_json(const Range& r);
[[nodiscard]] Position position_of(const nlohmann::json& j);  // throws nlohmann::json::exception
[[nodiscard]] Range range_of(const nlohmann::json& j);

// Where the README documents the finding id `code` (its row of "The rules", anchor `rule-<id>`),
// on the project's home page (CMake's project HOMEPAGE_URL); "" for a code that is no finding id
// (a whole-file diagnostic such as `config`).
[[nodiscard]] std::string rule_doc_url(std::string_view code);

// One Diagnostic: range, severity, code (the rule id) with its codeDescription, source
// "routeauth", message (and notes).
[[nodiscard]] nlohmann::json diagnostic(const engine::Finding& finding, std::string_view text, const TextIndex& index);

// A diagnostic at the start of the document, for what is said about the whole file (a config that
// does not load, a file over the size limit): `code` names what it is.
[[nodiscard]] nlohmann::json file_diagnostic(std::string_view code, std::string_view message);

// The TextEdit that turns `text` into `result`: the whole document replaced.
[[nodiscard]] nlohmann::json whole_text_edit(std::string_view text, const std::string& result);

}  // namespace routeauth::lsp
