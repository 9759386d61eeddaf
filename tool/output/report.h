// `routeauth report`: the migration status of every route, from check-mode outcomes (nothing is
// fixed or written), as an aligned table, as the migration guide's Markdown checklist ticked, or
// as JSON.
//
// A route's status, decided in this order:
//
//   parse error       the file does not parse (nothing else can be said about it).
//   manual review     some finding is not fixable: a person has to decide (the manual-review
//                     rule, or a fix a rule refuses to make, like a `cache:` it will not override).
//   migrated          no findings, and at least one handler calls the backend.
//   no backend calls  no findings, and no handler calls the backend: nothing to migrate.
//   pending           nothing of the migration is there yet: there are findings, all fixable,
//                     and EVERY handler that calls the backend has a `session-call` finding at
//                     its name, i.e. no backend-calling handler reads the session. The rules
//                     that depend on the session (`tenant-param`, `auth-header`) then cannot be
//                     met by any of them either, so every session rule's finding is present for
//                     every backend-calling handler. `session-import` and `no-store` are not
//                     required: imports and `cache: 'no-store'` can predate the migration
//                     without migrating anything. (With `session-call` disabled nothing tells a
//                     missing session apart, and no route is `pending`.)
//   partial           findings, all fixable, and at least one backend-calling handler reads the
//                     session (or, rarely, findings with no backend-calling handler).
//
// `missing` lists the ids of the rules that report something, in the order the rules run
// (`parse-error` for a parse error): what `apply` would fix, or what needs a person.
//
// A finding a `routeauth-ignore` comment silences counts as met: a handler whose session-call is
// silenced is treated as not needing the session. Every format lists the silenced findings with
// their line and reason (`suppressed`).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/dependencies.h"
#include "engine/pipeline.h"

namespace routeauth::output {

enum class RouteStatus { migrated, partial, pending, manual_review, parse_error, no_backend_calls };

// `migrated`, `partial`, `pending`, `manual review`, `parse error`, `no backend calls`.
[[nodiscard]] std::string_view status_text(RouteStatus status);
// The same for JSON: `manual_review`, `parse_error`, `no_backend_calls`.
[[nodiscard]] std::string_view status_key(RouteStatus status);

struct RouteEntry {
  std::string path;  // as shown (relative to the repository root), forward slashes
  struct Handler {
    std::string method;
    uint32_t line = 0;           // of its name, 1-based
    bool calls_backend = false;
    bool reads_session = false;  // calls the backend and has no session-call finding
  };
  std::vector<Handler> handlers;
  RouteStatus status = RouteStatus::migrated;
  std::vector<std::string> missing;  // rule ids with findings, in rule order
  std::string error;                 // parse error: `line:col: what`
  // The findings routeauth-ignore comments silence (engine/suppressions.h), in source order: a
  // person's decisions, listed so that a reviewer sees them next to the status they shape.
  struct Suppressed {
    std::string rule;
    uint32_t line = 0;  // of the finding, 1-based
    std::string reason;
  };
  std::vector<Suppressed> suppressed;
  // The backend wrappers its handlers call (`fetchApiRoutes (src/utils/api.ts)`), once each.
  std::vector<std::string> wrappers;
  // The imported header builders its backend fetches send (`getBackendHeaders
  // (lib/api/backend-headers.ts)`), once each.
  std::vector<std::string> header_builders;

  // Ticked in the checklist: nothing left to do (migrated, or no backend calls).
  [[nodiscard]] bool done() const {
    return status == RouteStatus::migrated || status == RouteStatus::no_backend_calls;
  }
};

// The wrappers the routes call, each with how many routes call it, most first: one line of the
// report per wrapper ("45 routes send what fetchApiRoutes (src/utils/api.ts) builds: migrating
// it there covers them all"), since migrating the wrapper migrates every one of them.
struct WrapperUse {
  std::string wrapper;
  size_t routes = 0;
};
[[nodiscard]] std::vector<WrapperUse> wrapper_uses(const std::vector<RouteEntry>& routes);
// The same for the header builders: "12 routes send the headers getBackendHeaders
// (lib/api/backend-headers.ts) builds", since a credential it adds reaches the backend from all
// of them (routeauth keeps what it sends as the fallback when there is no session).
[[nodiscard]] std::vector<WrapperUse> header_builder_uses(const std::vector<RouteEntry>& routes);

// How a report names a header builder: `name (module)`; `where` says where its module is (a path
// when the caller resolved the import, else the specifier as written).
using BuilderNamer = std::function<std::string(const engine::HeaderBuilder&)>;
[[nodiscard]] RouteEntry classify(const engine::Outcome& outcome, std::string display_path,
                                  const BuilderNamer& name_builder = {});

// The checklist path of a route: `/` + its repo-relative path (the guide's
// `/app/api/brain/django-crm/contacts/route.ts`).
[[nodiscard]] std::string checklist_path(const RouteEntry& entry);

// The folder a route is grouped under: its parent folders below `app/api` (below `app` when it is
// not under `app/api`), without the route's own folder: `brain/django-crm` for
// `app/api/brain/django-crm/contacts/route.ts`; `app/api` itself when there is nothing between.
[[nodiscard]] std::string group_of(const std::string& path);

// Every format lists routes in the order given (path order, as the run hands them over), after a
// header that says what the project lacks for the migrated routes to build (`dependencies`,
// engine/dependencies.h), when it lacks anything.
using MissingDependencies = std::vector<engine::MissingDependency>;

// `warning: <message>` lines and a blank line, then aligned columns ROUTE, HANDLERS, STATUS,
// MISSING RULES, then a totals line.
[[nodiscard]] std::string render_table(const std::vector<RouteEntry>& routes,
                                       const MissingDependencies& dependencies = {});

// The guide's "Routes to Update" checklist: the title, `> **Warning:** <message>` lines, then
// `### <group> (<done>/<total> migrated)` per group in folder order, `- [x] \`/app/api/.../route.ts\``
// for a route with nothing left to do (a route without backend calls says so after it),
// `- [ ] ... — partial: tenant-param, no-store` for the others, and a totals line.
[[nodiscard]] std::string render_markdown(const std::vector<RouteEntry>& routes,
                                          const MissingDependencies& dependencies = {});

// `missing_dependencies` (after `version`) holds one object per entry of `dependencies`: kind
// (package | module), app, specifier, name, manifest, create, setting, routes, message.
[[nodiscard]] nlohmann::ordered_json report_json(const std::vector<RouteEntry>& routes,
                                                 const MissingDependencies& dependencies = {});

}  // namespace routeauth::output
