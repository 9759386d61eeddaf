#include "rewriters/session_import.h"

#include "rewriters/common.h"
#include "rewriters/session_read.h"

#include <fmt/format.h>

#include <algorithm>

namespace routeauth::rewriters {

using namespace engine;

namespace {

bool is_next_auth(std::string_view source) { return source == "next-auth" || source == "next-auth/next"; }

// The import statement binding `local`, or null (a declaration of this file binds it).
TSNode importing(const RouteFile& route, std::string_view local) {
  for (const auto& imp : route.imports) {
    if (imp.default_name == local || imp.namespace_name == local) return imp.statement;
    for (const auto& n : imp.named) {
      if (n.local == local) return imp.statement;
    }
  }
  return TSNode{};
}

// v5: `auth` imported from the project's auth module, merged into an import of that module the
// file already has, else on a line of its own. A name `auth` bound to something else, or bound as
// a type, is for a person to sort out.
void import_auth(const RouteFile& route, const Config& config, const Handler& needing,
                 std::vector<Finding>& out) {
  const uint32_t at = ts_node_start_byte(needing.name);
  if (bound_as_type_only(route, "auth")) {
    out.push_back(ask_person(at, "'auth' is imported with 'type' and cannot be used as a value; import it as a value, "
                                 "then run again",
                             importing(route, "auth")));
    return;
  }
  const std::string specifier = auth_specifier(route, config);
  if (const std::string from = auth_source(route, config); !from.empty()) {
    out.push_back(ask_person(at,
                             fmt::format("'auth' comes from {}, not the auth module '{}'; {} needs NextAuth's auth() "
                                         "to read the session: rename the other 'auth', then run again",
                                         from, specifier, needing.method),
                             importing(route, "auth")));
    return;
  }
  for (const auto& imp : route.imports) {
    if (!imp.type_only && imp.find("auth") && is_auth_module(route, config, imp.source)) return;
  }
  Finding finding;
  finding.rule = "session-import";
  finding.offset = at;
  finding.message = fmt::format("'auth' is not imported; {} calls the backend and needs the user's session",
                                needing.method);
  for (const auto& imp : route.imports) {
    if (imp.source != specifier || imp.type_only) continue;
    if (auto edits = merge_into_import(route, imp, "auth"); !edits.empty()) {
      add(finding.fix, std::move(edits));
      out.push_back(std::move(finding));
      return;
    }
  }
  finding.fix.push_back(insert_import_lines(
      route, fmt::format("import {{ auth }} from {}{}{}", route.style.quoted(specifier), import_semi(route),
                         route.style.eol)));
  out.push_back(std::move(finding));
}

}  // namespace

void SessionImport::diagnose(const RouteFile& route, const Config& config,
                             std::vector<Finding>& out) const {
  const auto needing = std::find_if(route.handlers.begin(), route.handlers.end(),
                                    [](const Handler& h) { return h.has_backend_fetch(); });
  if (needing == route.handlers.end()) return;
  const SessionNeeds needs = session_needs(route, config);
  if (needs.auth) import_auth(route, config, *needing, out);
  if (!needs.server_session) return;
  const uint32_t at = ts_node_start_byte(needing->name);
  const Style& style = route.style;

  // A name the migration needs as a value, taken by a type-only import: a person decides
  // whether to make that import a value import.
  for (const std::string_view name : {"getServerSession", "authOptions"}) {
    if (!bound_as_type_only(route, name)) continue;
    out.push_back(ask_person(at,
                             fmt::format("'{}' is imported with 'type' and cannot be used as a value; "
                                         "import it as a value, then run again",
                                         name),
                             importing(route, name)));
    return;
  }

  // getServerSession: imported from next-auth (any alias) is present; the name taken by
  // anything else is for a person to sort out.
  bool has_session_fn = false;
  const Import* merge_target = nullptr;
  for (const auto& imp : route.imports) {
    if (is_next_auth(imp.source) && !imp.type_only && imp.find("getServerSession")) {
      has_session_fn = true;
    }
  }
  if (!has_session_fn && route.declares("getServerSession")) {
    std::string from = "this file";
    for (const auto& imp : route.imports) {
      for (const auto& n : imp.named) {
        if (n.local == "getServerSession") from = fmt::format("'{}'", imp.source);
      }
    }
    out.push_back(ask_person(at,
                             fmt::format("'getServerSession' comes from {}, not next-auth; check that it "
                                         "is NextAuth's session call, or rename it, then run again",
                                         from),
                             importing(route, "getServerSession")));
    return;
  }
  if (!has_session_fn) {
    for (const auto& imp : route.imports) {
      if (!is_next_auth(imp.source) || imp.type_only) continue;
      if (merge_into_import(route, imp, "getServerSession").empty()) continue;
      if (!merge_target || (imp.source == "next-auth" && merge_target->source != "next-auth")) {
        merge_target = &imp;
      }
    }
  }

  // authOptions: imported from any module, under any alias, or declared here; or not needed (every
  // session call passes options of its own).
  bool has_auth_options = !needs.auth_options || route.declares("authOptions");
  for (const auto& imp : route.imports) {
    if (!imp.type_only && imp.find("authOptions")) has_auth_options = true;
  }

  if (has_session_fn && has_auth_options) return;

  Finding finding;
  finding.rule = std::string(id());
  finding.offset = at;
  std::vector<std::string> missing;
  if (!has_session_fn) missing.emplace_back("'getServerSession'");
  if (!has_auth_options) missing.emplace_back("'authOptions'");
  finding.message = fmt::format(
      "{} {} not imported; {} calls the backend and needs the user's session",
      fmt::join(missing, " and "), missing.size() == 1 ? "is" : "are", needing->who(text(route.source(), needing->name)));

  std::string lines;
  if (!has_session_fn) {
    if (merge_target) {
      add(finding.fix, merge_into_import(route, *merge_target, "getServerSession"));
    } else {
      lines += fmt::format("import {{ getServerSession }} from {}{}{}", style.quoted("next-auth"),
                           import_semi(route), style.eol);
    }
    finding.imports.push_back({merge_target ? merge_target->source : "next-auth", "getServerSession"});
  }
  if (!has_auth_options) {
    const std::string from = project_specifier(route, config.auth_options_module, config.auth_options_file);
    lines += fmt::format("import {{ authOptions }} from {}{}{}", style.quoted(from), import_semi(route), style.eol);
    finding.imports.push_back({from, "authOptions"});
  }
  if (!lines.empty()) finding.fix.push_back(insert_import_lines(route, std::move(lines)));
  out.push_back(std::move(finding));
}

}  // namespace routeauth::rewriters
