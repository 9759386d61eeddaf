// `check --format sarif`: SARIF 2.1.0 as GitHub code scanning reads it (one run, the rules as
// reportingDescriptors, one result per finding with a repo-relative location under %SRCROOT%
// and a stable partial fingerprint). tests/sarif validates it against the SARIF 2.1.0 JSON schema.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "output/json_output.h"

namespace routeauth::output {

inline constexpr std::string_view kSarifSchema = "https://json.schemastore.org/sarif-2.1.0.json";
inline constexpr std::string_view kInformationUri = ROUTEAUTH_HOMEPAGE;  // project(HOMEPAGE_URL) in CMakeLists.txt

// The SARIF log of one run; `diagnostics` in the order they are to appear (sort_diagnostics).
[[nodiscard]] nlohmann::ordered_json sarif_log(const std::vector<Diagnostic>& diagnostics);

// A repo-relative path as a URI reference: every byte but unreserved characters, `/` and the
// sub-delimiters `!$&'()*+,;=` (and `@`) percent-encoded, so `[id]` becomes `%5Bid%5D`.
[[nodiscard]] std::string uri_reference(std::string_view path);

// 16 hex digits (FNV-1a, 64 bit) of `text`: stable across runs, machines and line moves.
[[nodiscard]] std::string stable_hash(std::string_view text);

}  // namespace routeauth::output
