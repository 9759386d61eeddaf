#include "output/sarif.h"

#include <fmt/format.h>

#include <map>
#include <set>
#include <tuple>

#include "engine/rule.h"

namespace routeauth::output {

namespace {

constexpr std::string_view kParseError = "parse-error";
constexpr std::string_view kParseErrorSummary = "the file does not parse; nothing was changed";
constexpr std::string_view kFingerprintKey = "routeauthFinding/v1";

// `session-call` -> `SessionCall` (SARIF's reportingDescriptor.name: an identifier-like name).
std::string pascal_name(std::string_view id) {
  std::string out;
  bool upper = true;
  for (char c : id) {
    if (c == '-' || c == '_') {
      upper = true;
      continue;
    }
    out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    upper = false;
  }
  return out;
}

std::string extra_summary(std::string_view id) {
  if (id == "suppression") return "a routeauth-ignore comment has no reason or names no rule; it silences nothing";
  if (id == "unused-suppression") return "a routeauth-ignore comment silences no finding";
  return fmt::format("routeauth finding {}", id);
}

std::string_view level_of(engine::Severity severity) {
  switch (severity) {
    case engine::Severity::error: return "error";
    case engine::Severity::warning: return "warning";
    case engine::Severity::note: return "note";
  }
  return "error";
}

nlohmann::ordered_json descriptor(std::string_view id, std::string_view summary) {
  nlohmann::ordered_json rule;
  rule["id"] = id;
  rule["name"] = pascal_name(id);
  rule["shortDescription"] = {{"text", summary}};
  rule["helpUri"] = fmt::format("{}#the-rules", kInformationUri);
  rule["defaultConfiguration"] = {{"level", "error"}};
  rule["properties"] = {{"tags", nlohmann::ordered_json::array({"security"})}};
  return rule;
}

}  // namespace

std::string uri_reference(std::string_view path) {
  static constexpr std::string_view kKeep = "-._~/!$&'()*+,;=@";
  std::string out;
  for (char ch : path) {
    const auto c = static_cast<unsigned char>(ch);
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (alnum || kKeep.find(ch) != std::string_view::npos) {
      out += ch;
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string stable_hash(std::string_view text) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return fmt::format("{:016x}", h);
}

nlohmann::ordered_json sarif_log(const std::vector<Diagnostic>& diagnostics) {
  // The rules, in registry order, then parse-error; a result's ruleIndex points into this list.
  auto rules = nlohmann::ordered_json::array();
  std::map<std::string, size_t, std::less<>> index;
  for (const auto& rule : engine::rules()) {
    index.emplace(std::string(rule->id()), rules.size());
    rules.push_back(descriptor(rule->id(), rule->summary()));
  }
  index.emplace(std::string(kParseError), rules.size());
  rules.push_back(descriptor(kParseError, kParseErrorSummary));
  // Findings under ids no rule object owns (those about routeauth-ignore comments) get a
  // descriptor too, in id order, so that every result has one to point at.
  std::set<std::string> extra;
  for (const auto& d : diagnostics) {
    if (!index.contains(d.rule)) extra.insert(d.rule);
  }
  for (const auto& id : extra) {
    index.emplace(id, rules.size());
    rules.push_back(descriptor(id, extra_summary(id)));
  }

  auto results = nlohmann::ordered_json::array();
  // The fingerprint names what a finding is, not where: the path, the rule, the message and
  // how many identical findings came before it in the file. It survives lines moving above it.
  std::map<std::tuple<std::string, std::string, std::string>, size_t> seen;
  for (const auto& d : diagnostics) {
    nlohmann::ordered_json result;
    result["ruleId"] = d.rule;
    if (auto it = index.find(d.rule); it != index.end()) result["ruleIndex"] = it->second;
    result["level"] = level_of(d.severity);
    std::string text = d.message;
    for (const auto& note : d.notes) text += "\nnote: " + note;
    result["message"] = {{"text", text}};
    nlohmann::ordered_json location;
    location["physicalLocation"] = {
        {"artifactLocation", {{"uri", uri_reference(d.path)}, {"uriBaseId", "%SRCROOT%"}}},
        {"region", {{"startLine", d.line}, {"startColumn", d.utf16_column}}},
    };
    result["locations"] = nlohmann::ordered_json::array({location});
    const size_t occurrence = seen[{d.path, d.rule, d.message}]++;
    result["partialFingerprints"] = {
        {kFingerprintKey, stable_hash(fmt::format("{}\n{}\n{}\n{}", d.path, d.rule, d.message, occurrence))}};
    result["properties"] = {{"fixable", d.fixable}};
    results.push_back(std::move(result));
  }

  nlohmann::ordered_json driver;
  driver["name"] = "routeauth";
  driver["version"] = ROUTEAUTH_VERSION;
  driver["semanticVersion"] = ROUTEAUTH_VERSION;
  driver["informationUri"] = kInformationUri;
  driver["rules"] = std::move(rules);

  nlohmann::ordered_json run;
  run["tool"] = {{"driver", std::move(driver)}};
  run["columnKind"] = "utf16CodeUnits";
  run["results"] = std::move(results);

  nlohmann::ordered_json log;
  log["$schema"] = kSarifSchema;
  log["version"] = "2.1.0";
  log["runs"] = nlohmann::ordered_json::array({std::move(run)});
  return log;
}

}  // namespace routeauth::output
