#include "rewriters/session_read.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

namespace routeauth::rewriters {

using namespace engine;

namespace {

std::string_view last_part(std::string_view field_path) {
  const size_t dot = field_path.rfind('.');
  return dot == std::string_view::npos ? field_path : field_path.substr(dot + 1);
}

// The file a relative specifier names from `route`, without extension or `/index`.
std::string lexical_target(const RouteFile& route, std::string_view specifier) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::string target = (fs::absolute(route.source().path(), ec).parent_path() / std::string(specifier))
                           .lexically_normal()
                           .generic_string();
  if (target.ends_with("/index")) target.resize(target.size() - 6);
  return target;
}

std::string without_extension(const std::string& file) {
  std::filesystem::path p(file);
  p.replace_extension();
  std::string out = p.lexically_normal().generic_string();
  if (out.ends_with("/index")) out.resize(out.size() - 6);
  return out;
}

// The arguments of a getServerSession call, or null.
TSNode call_arguments(const SessionPlan& plan) {
  TSNode call = field(plan.declaration, "value");
  while (is(call, "await_expression") || is(call, "parenthesized_expression")) call = ts_node_named_child(call, 0);
  return is(call, "call_expression") ? field(call, "arguments") : TSNode{};
}

// The options the file's getServerSession calls already pass, when one passes a single name
// (`getServerSession(authConfig)`): a new read passes the same. "" when none does.
std::string options_in_use(const RouteFile& route, const Config& config) {
  for (const Handler& handler : route.handlers) {
    const SessionPlan plan = plan_session(route, handler, config);
    if (!plan.exists || plan.api != SessionApi::server_session) continue;
    const TSNode args = call_arguments(plan);
    if (ts_node_named_child_count(args) == 1 && is(ts_node_named_child(args, 0), "identifier")) {
      return std::string(text(route.source(), ts_node_named_child(args, 0)));
    }
  }
  return "";
}

// Whether an existing getServerSession call needs authOptions bound: it passes it, or passes
// nothing (the guide's call is the one to complete); a call passing options of its own does not.
bool needs_auth_options(const RouteFile& route, const SessionPlan& plan) {
  const TSNode args = call_arguments(plan);
  if (ts_node_named_child_count(args) == 0) return true;
  const std::string name = auth_options_name(route);
  bool named = false;
  walk_named(route, args, [&](TSNode n) {
    named = named || (is(n, "identifier") && text(route.source(), n) == name);
    return !named;
  });
  return named;
}

}  // namespace

std::vector<SessionReader> session_readers(const RouteFile& route, const Config& config) {
  std::vector<SessionReader> out{{SessionApi::server_session, session_function_name(route)}};
  for (const auto& imp : route.imports) {
    if (imp.type_only) continue;
    if (imp.source == "next-auth/jwt") {
      if (const auto* n = imp.find("getToken")) out.push_back({SessionApi::token, n->local});
    } else if (is_auth_module(route, config, imp.source)) {
      if (const auto* n = imp.find("auth")) out.push_back({SessionApi::auth, n->local});
    }
  }
  return out;
}

bool is_auth_module(const RouteFile& route, const Config& config, std::string_view source) {
  if (!config.auth_module.empty() && source == config.auth_module) return true;
  const bool relative = source.starts_with("./") || source.starts_with("../");
  if (relative && !config.auth_file.empty() &&
      lexical_target(route, source) == without_extension(config.auth_file)) {
    return true;
  }
  const bool own = relative || source.starts_with("@/") || source.starts_with("~/") || source.starts_with("#");
  std::string_view path = source;
  if (path.ends_with("/index")) path.remove_suffix(6);
  return own && (path == "#auth" || path.ends_with("/auth"));
}

std::string auth_name(const RouteFile& route, const Config& config) {
  for (const auto& imp : route.imports) {
    if (imp.type_only || !is_auth_module(route, config, imp.source)) continue;
    if (const auto* n = imp.find("auth")) return n->local;
  }
  return "auth";
}

std::string project_specifier(const RouteFile& route, const std::string& specifier, const std::string& file) {
  if (file.empty()) return specifier;
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path from = fs::absolute(route.source().path(), ec).parent_path();
  fs::path target = fs::path(file);
  target.replace_extension();
  std::string rel = target.lexically_relative(from).generic_string();
  if (rel.ends_with("/index")) rel.resize(rel.size() - 6);
  return rel.starts_with(".") ? rel : "./" + rel;
}

std::string auth_specifier(const RouteFile& route, const Config& config) {
  if (!config.auth_module.empty() || config.auth_file.empty()) return config.auth_module;
  return project_specifier(route, "", config.auth_file);
}

std::string new_session_call(const RouteFile& route, const Config& config) {
  if (config.uses_auth()) return auth_name(route, config) + "()";
  const std::string options = options_in_use(route, config);
  return fmt::format("{}({})", session_function_name(route), options.empty() ? auth_options_name(route) : options);
}

SessionNeeds session_needs(const RouteFile& route, const Config& config) {
  SessionNeeds needs;
  for (const Handler& handler : route.handlers) {
    if (!handler.has_backend_fetch()) continue;
    const SessionPlan plan = plan_session(route, handler, config);
    if (plan.exists) {
      if (plan.api == SessionApi::server_session) {
        needs.server_session = true;
        needs.auth_options = needs.auth_options || needs_auth_options(route, plan);
      }
    } else if (config.uses_auth()) {
      needs.auth = true;
    } else {
      needs.server_session = true;
      needs.auth_options = needs.auth_options || options_in_use(route, config).empty();
    }
  }
  return needs;
}

std::string auth_source(const RouteFile& route, const Config& config) {
  for (const auto& imp : route.imports) {
    const bool binds = imp.default_name == "auth" || imp.namespace_name == "auth" ||
                       std::any_of(imp.named.begin(), imp.named.end(), [](const auto& n) { return n.local == "auth"; });
    if (!binds) continue;
    const auto* named = imp.find("auth");
    if (named && named->local == "auth" && !imp.type_only && is_auth_module(route, config, imp.source)) return "";
    return fmt::format("'{}'", imp.source);
  }
  return route.declares("auth") ? "this file" : "";
}

Config read_settings(const Config& config, SessionApi api) {
  Config out = config;
  if (api == SessionApi::token) {
    out.access_token_field = std::string(last_part(config.access_token_field));
    out.tenant_field = std::string(last_part(config.tenant_field));
  }
  return out;
}

}  // namespace routeauth::rewriters
