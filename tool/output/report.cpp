#include "output/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "engine/rule.h"
#include "engine/source.h"

namespace routeauth::output {

namespace {

constexpr std::string_view kParseError = "parse-error";
constexpr std::string_view kSessionCall = "session-call";

std::vector<std::string> split(const std::string& path) {
  std::vector<std::string> parts;
  size_t begin = 0;
  while (begin <= path.size()) {
    const size_t end = std::min(path.find('/', begin), path.size());
    if (end > begin) parts.push_back(path.substr(begin, end - begin));
    begin = end + 1;
  }
  return parts;
}

std::string join(const std::vector<std::string>& parts, size_t begin, size_t end, std::string_view sep) {
  std::string out;
  for (size_t i = begin; i < end && i < parts.size(); ++i) {
    if (i > begin) out += sep;
    out += parts[i];
  }
  return out;
}

// Where a route's folder sits: the app root (`app/api`, with whatever is above it) and the
// folders between it and the route's own folder.
struct Place {
  std::string root;
  std::string group;
};

Place place_of(const std::string& path) {
  const auto parts = split(path);
  const size_t n = parts.size();
  // parts: ..., app, api, <group...>, <route folder>, route.ts
  size_t below = n;  // index of the first part below the root
  for (size_t i = 0; i + 1 < n; ++i) {
    if (parts[i] == "app" && i + 1 < n && parts[i + 1] == "api") {
      below = i + 2;
      break;
    }
  }
  if (below == n) {
    for (size_t i = 0; i + 1 < n; ++i) {
      if (parts[i] == "app") {
        below = i + 1;
        break;
      }
    }
  }
  if (below == n) below = 0;
  const size_t route_folder = n >= 2 ? n - 2 : 0;
  Place p;
  p.root = join(parts, 0, below, "/");
  p.group = below < route_folder ? join(parts, below, route_folder, "/") : std::string();
  return p;
}

struct Counts {
  size_t total = 0, done = 0;
  std::map<RouteStatus, size_t> by;
};

Counts count(const std::vector<RouteEntry>& routes) {
  Counts c;
  for (const auto& r : routes) {
    ++c.total;
    if (r.done()) ++c.done;
    ++c.by[r.status];
  }
  return c;
}

std::string breakdown(const Counts& c) {
  auto n = [&](RouteStatus s) {
    const auto it = c.by.find(s);
    return it == c.by.end() ? size_t{0} : it->second;
  };
  return fmt::format("{} migrated, {} partial, {} pending, {} manual review, {} parse error{}, {} no backend calls",
                     n(RouteStatus::migrated), n(RouteStatus::partial), n(RouteStatus::pending),
                     n(RouteStatus::manual_review), n(RouteStatus::parse_error),
                     n(RouteStatus::parse_error) == 1 ? "" : "s", n(RouteStatus::no_backend_calls));
}

std::string handlers_text(const RouteEntry& r) {
  if (r.handlers.empty()) return "-";
  std::vector<std::string> methods;
  for (const auto& h : r.handlers) methods.push_back(h.method);
  return fmt::format("{}", fmt::join(methods, ", "));
}

// `line:col` of a parse error (`2:13: unexpected ';'` -> `2:13`).
std::string error_position(const std::string& error) {
  const size_t first = error.find(':');
  const size_t second = first == std::string::npos ? first : error.find(':', first + 1);
  return second == std::string::npos ? error : error.substr(0, second);
}

// The text after a route: what is left to do.
std::string remaining(const RouteEntry& r) {
  switch (r.status) {
    case RouteStatus::migrated: return "";
    case RouteStatus::no_backend_calls: return "no backend calls";
    case RouteStatus::pending: return "pending";
    case RouteStatus::parse_error: return fmt::format("parse error at {}", error_position(r.error));
    case RouteStatus::partial:
    case RouteStatus::manual_review:
      return fmt::format("{}: {}", status_text(r.status), fmt::join(r.missing, ", "));
  }
  return "";
}

}  // namespace

std::string_view status_text(RouteStatus status) {
  switch (status) {
    case RouteStatus::migrated: return "migrated";
    case RouteStatus::partial: return "partial";
    case RouteStatus::pending: return "pending";
    case RouteStatus::manual_review: return "manual review";
    case RouteStatus::parse_error: return "parse error";
    case RouteStatus::no_backend_calls: return "no backend calls";
  }
  return "";
}

std::string_view status_key(RouteStatus status) {
  switch (status) {
    case RouteStatus::migrated: return "migrated";
    case RouteStatus::partial: return "partial";
    case RouteStatus::pending: return "pending";
    case RouteStatus::manual_review: return "manual_review";
    case RouteStatus::parse_error: return "parse_error";
    case RouteStatus::no_backend_calls: return "no_backend_calls";
  }
  return "";
}

RouteEntry classify(const engine::Outcome& outcome, std::string display_path, const BuilderNamer& name_builder) {
  RouteEntry r;
  r.path = std::move(display_path);
  const engine::SourceFile file(r.path, outcome.original);

  std::set<uint32_t> without_session;  // name offsets of handlers with a session-call finding
  std::set<std::string, std::less<>> reported;
  bool unfixable = false;
  for (const auto& f : outcome.findings) {
    reported.insert(f.rule);
    if (f.rule == kSessionCall) without_session.insert(f.offset);
    if (!f.fixable()) unfixable = true;
  }
  for (const auto& rule : engine::rules()) {
    if (reported.contains(rule->id())) r.missing.emplace_back(rule->id());
  }
  for (const auto& id : reported) {  // ids no rule owns (parse-error), after the rules'
    if (!engine::find_rule(id)) r.missing.push_back(id);
  }

  std::set<uint32_t> session_silenced;  // name offsets of handlers whose session-call is silenced
  for (const auto& s : outcome.suppressed) {
    if (s.finding.rule == kSessionCall) session_silenced.insert(s.finding.offset);
    r.suppressed.push_back({s.finding.rule, file.position(s.finding.offset).line, s.reason});
  }

  bool any_backend = false;
  bool any_needing_session = false;  // a backend-calling handler whose session-call is not silenced
  bool all_without_session = true;
  for (const auto& h : outcome.handlers) {
    RouteEntry::Handler handler;
    handler.method = h.method;
    handler.line = file.position(h.offset).line;
    handler.calls_backend = h.calls_backend;
    for (const auto& w : h.wrappers) {
      if (std::find(r.wrappers.begin(), r.wrappers.end(), w) == r.wrappers.end()) r.wrappers.push_back(w);
    }
    for (const auto& b : h.header_builders) {
      std::string name = name_builder ? name_builder(b) : fmt::format("{} ({})", b.name, b.specifier);
      if (std::find(r.header_builders.begin(), r.header_builders.end(), name) == r.header_builders.end()) {
        r.header_builders.push_back(std::move(name));
      }
    }
    const bool silenced = session_silenced.contains(h.offset);
    handler.reads_session = h.calls_backend && !silenced && !without_session.contains(h.offset);
    if (h.calls_backend) any_backend = true;
    if (h.calls_backend && !silenced) {
      any_needing_session = true;
      if (handler.reads_session) all_without_session = false;
    }
    r.handlers.push_back(std::move(handler));
  }

  if (outcome.status == engine::Status::parse_error || outcome.status == engine::Status::internal_error) {
    // internal_error only comes from fixing; report runs in check mode. Either way the file
    // could not be taken through the rules.
    r.status = RouteStatus::parse_error;
    r.error = outcome.error;
    if (r.missing.empty()) r.missing.emplace_back(kParseError);
  } else if (unfixable) {
    r.status = RouteStatus::manual_review;
  } else if (outcome.findings.empty()) {
    r.status = any_backend ? RouteStatus::migrated : RouteStatus::no_backend_calls;
  } else if (any_needing_session && all_without_session) {
    r.status = RouteStatus::pending;
  } else {
    r.status = RouteStatus::partial;
  }
  return r;
}

std::string checklist_path(const RouteEntry& entry) {
  return entry.path.starts_with('/') ? entry.path : fmt::format("/{}", entry.path);
}

std::string group_of(const std::string& path) {
  const Place p = place_of(path);
  return p.group.empty() ? p.root : p.group;
}

namespace {

std::vector<WrapperUse> uses_of(const std::vector<RouteEntry>& routes, std::vector<std::string> RouteEntry::*names) {
  std::map<std::string, size_t> by;
  for (const auto& r : routes) {
    for (const auto& w : r.*names) ++by[w];
  }
  std::vector<WrapperUse> out;
  for (const auto& [w, n] : by) out.push_back({w, n});
  std::stable_sort(out.begin(), out.end(), [](const WrapperUse& a, const WrapperUse& b) { return a.routes > b.routes; });
  return out;
}

std::string wrapper_line(const WrapperUse& u) {
  return fmt::format("{} route{} send{} what {} builds: migrating it there covers {}", u.routes, u.routes == 1 ? "" : "s",
                     u.routes == 1 ? "s" : "", u.wrapper, u.routes == 1 ? "it" : "them all");
}

std::string builder_line(const WrapperUse& u) {
  return fmt::format("{} route{} send{} the headers {} builds: what it sends stays the fallback when there is no "
                     "session, and a credential it adds reaches the backend from {}",
                     u.routes, u.routes == 1 ? "" : "s", u.routes == 1 ? "s" : "", u.wrapper,
                     u.routes == 1 ? "that route" : "all of them");
}

}  // namespace

std::vector<WrapperUse> wrapper_uses(const std::vector<RouteEntry>& routes) { return uses_of(routes, &RouteEntry::wrappers); }

std::vector<WrapperUse> header_builder_uses(const std::vector<RouteEntry>& routes) {
  return uses_of(routes, &RouteEntry::header_builders);
}

std::string render_table(const std::vector<RouteEntry>& routes, const MissingDependencies& dependencies) {
  struct Row {
    std::string route, handlers, status, missing;
  };
  std::vector<Row> rows;
  rows.push_back({"ROUTE", "HANDLERS", "STATUS", "MISSING RULES"});
  for (const auto& r : routes) {
    std::string missing;
    if (r.status == RouteStatus::parse_error) {
      missing = r.error;
    } else if (r.status != RouteStatus::migrated && r.status != RouteStatus::no_backend_calls) {
      missing = fmt::format("{}", fmt::join(r.missing, ", "));
    }
    rows.push_back({r.path, handlers_text(r), std::string(status_text(r.status)), missing});
  }
  size_t w_route = 0, w_handlers = 0, w_status = 0;
  for (const auto& row : rows) {
    w_route = std::max(w_route, row.route.size());
    w_handlers = std::max(w_handlers, row.handlers.size());
    w_status = std::max(w_status, row.status.size());
  }
  std::string out;
  for (const auto& gap : dependencies) out += fmt::format("warning: {}\n", gap.message);
  if (!dependencies.empty()) out += "\n";
  for (const auto& row : rows) {
    std::string line = fmt::format("{:<{}}  {:<{}}  {:<{}}  {}", row.route, w_route, row.handlers, w_handlers,
                                   row.status, w_status, row.missing);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  const Counts c = count(routes);
  out += fmt::format("\n{} route{}: {}\n", c.total, c.total == 1 ? "" : "s", breakdown(c));
  std::string silenced;
  size_t n = 0;
  for (const auto& r : routes) {
    for (const auto& sup : r.suppressed) {
      silenced += fmt::format("  {}:{}  {}  {}\n", r.path, sup.line, sup.rule, sup.reason);
      ++n;
    }
  }
  if (n) out += fmt::format("\n{} finding{} silenced by routeauth-ignore:\n{}", n, n == 1 ? "" : "s", silenced);
  const auto uses = wrapper_uses(routes);
  if (!uses.empty()) {
    out += "\nBackend wrappers:\n";
    for (const auto& u : uses) out += fmt::format("  {}\n", wrapper_line(u));
  }
  if (const auto builders = header_builder_uses(routes); !builders.empty()) {
    out += "\nHeader builders:\n";
    for (const auto& u : builders) out += fmt::format("  {}\n", builder_line(u));
  }
  return out;
}

std::string render_markdown(const std::vector<RouteEntry>& routes, const MissingDependencies& dependencies) {
  // Groups by folder label; with routes of more than one app (a monorepo), the label keeps the
  // app root so that two apps' `brain/x` stay apart.
  std::set<std::string> roots;
  for (const auto& r : routes) roots.insert(place_of(r.path).root);
  std::map<std::string, std::vector<const RouteEntry*>> groups;
  for (const auto& r : routes) {
    const Place p = place_of(r.path);
    const std::string label = roots.size() > 1 && !p.group.empty() ? fmt::format("{}/{}", p.root, p.group)
                              : !p.group.empty()                     ? p.group
                              : !p.root.empty()                      ? p.root
                                                                     : std::string(".");
    groups[label].push_back(&r);
  }

  std::string out = "## Routes to Update\n";
  if (!dependencies.empty()) out += "\n";
  for (const auto& gap : dependencies) out += fmt::format("> **Warning:** {}\n", gap.message);
  for (const auto& [label, members] : groups) {
    size_t done = 0;
    for (const auto* r : members) done += r->done() ? 1 : 0;
    out += fmt::format("\n### {} ({}/{} migrated)\n", label, done, members.size());
    for (const auto* r : members) {
      const std::string rest = remaining(*r);
      out += fmt::format("- [{}] `{}`{}\n", r->done() ? 'x' : ' ', checklist_path(*r),
                         rest.empty() ? std::string() : fmt::format(" — {}", rest));
      for (const auto& sup : r->suppressed) {
        out += fmt::format("  - suppressed `{}` at line {}: {}\n", sup.rule, sup.line, sup.reason);
      }
    }
  }
  const auto uses = wrapper_uses(routes);
  if (!uses.empty()) {
    out += "\n### Backend wrappers\n";
    for (const auto& u : uses) out += fmt::format("- {}\n", wrapper_line(u));
  }
  if (const auto builders = header_builder_uses(routes); !builders.empty()) {
    out += "\n### Header builders\n";
    for (const auto& u : builders) out += fmt::format("- {}\n", builder_line(u));
  }
  const Counts c = count(routes);
  out += fmt::format("\n**Total: {}/{} migrated** ({})\n", c.done, c.total, breakdown(c));
  return out;
}

nlohmann::ordered_json report_json(const std::vector<RouteEntry>& routes, const MissingDependencies& dependencies) {
  nlohmann::ordered_json doc;
  doc["version"] = ROUTEAUTH_VERSION;
  auto gaps = nlohmann::ordered_json::array();
  for (const auto& gap : dependencies) {
    gaps.push_back(nlohmann::ordered_json{
        {"kind", gap.kind == engine::MissingDependency::Kind::package ? "package" : "module"},
        {"app", gap.app},
        {"specifier", gap.specifier},
        {"name", gap.name},
        {"manifest", gap.manifest},
        {"create", gap.create},
        {"setting", gap.setting},
        {"routes", gap.routes},
        {"message", gap.message}});
  }
  doc["missing_dependencies"] = std::move(gaps);
  auto list = nlohmann::ordered_json::array();
  for (const auto& r : routes) {
    nlohmann::ordered_json route;
    route["path"] = r.path;
    route["route"] = checklist_path(r);
    route["group"] = group_of(r.path);
    route["status"] = status_key(r.status);
    auto handlers = nlohmann::ordered_json::array();
    for (const auto& h : r.handlers) {
      handlers.push_back(nlohmann::ordered_json{{"method", h.method},
                                                {"line", h.line},
                                                {"calls_backend", h.calls_backend},
                                                {"reads_session", h.reads_session}});
    }
    route["handlers"] = std::move(handlers);
    route["missing"] = r.missing;
    auto suppressed = nlohmann::ordered_json::array();
    for (const auto& sup : r.suppressed) {
      suppressed.push_back(nlohmann::ordered_json{{"rule", sup.rule}, {"line", sup.line}, {"reason", sup.reason}});
    }
    route["suppressed"] = std::move(suppressed);
    route["wrappers"] = r.wrappers;
    route["header_builders"] = r.header_builders;
    if (!r.error.empty()) route["error"] = r.error;
    list.push_back(std::move(route));
  }
  doc["routes"] = std::move(list);
  auto wrappers = nlohmann::ordered_json::array();
  for (const auto& u : wrapper_uses(routes)) {
    wrappers.push_back(nlohmann::ordered_json{{"wrapper", u.wrapper}, {"routes", u.routes}});
  }
  doc["wrappers"] = std::move(wrappers);
  auto builders = nlohmann::ordered_json::array();
  for (const auto& u : header_builder_uses(routes)) {
    builders.push_back(nlohmann::ordered_json{{"builder", u.wrapper}, {"routes", u.routes}});
  }
  doc["header_builders"] = std::move(builders);
  const Counts c = count(routes);
  auto n = [&](RouteStatus s) {
    const auto it = c.by.find(s);
    return it == c.by.end() ? size_t{0} : it->second;
  };
  nlohmann::ordered_json totals;
  totals["routes"] = c.total;
  totals["done"] = c.done;
  for (RouteStatus s : {RouteStatus::migrated, RouteStatus::partial, RouteStatus::pending, RouteStatus::manual_review,
                        RouteStatus::parse_error, RouteStatus::no_backend_calls}) {
    totals[std::string(status_key(s))] = n(s);
  }
  size_t silenced = 0;
  for (const auto& r : routes) silenced += r.suppressed.size();
  totals["suppressed"] = silenced;
  doc["totals"] = std::move(totals);
  return doc;
}

}  // namespace routeauth::output
