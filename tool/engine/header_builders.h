// Header builders (issue 13 point 3): a function of the project's own, imported by the route,
// whose result a backend fetch sends as its headers (`headers: await getBackendHeaders(request)`,
// `const headers = authHeaderFromCookie(); fetch(url, { headers })`, `{ ...builder(), 'X': 1 }`,
// `new Headers(builder())`). routeauth cannot see inside one, so the rules keep what it sent as
// the no-session fallback; `report` names it, because migrating it there would cover every route
// that uses it.
#pragma once

#include <string>
#include <vector>

namespace routeauth::engine {

struct RouteFile;
struct Handler;

struct HeaderBuilder {
  std::string name;       // the name it is exported under (`getBackendHeaders`)
  std::string specifier;  // the import's module specifier, as written (`@/lib/api/backend-headers`)
};

// The imported builders whose result the handler's backend fetches send as headers, directly or
// through a local declared before the fetch (one hop), once each, in source order. Imports of a
// package (`next/headers`, `@scope/pkg`) are not the project's builders.
[[nodiscard]] std::vector<HeaderBuilder> header_builders(const RouteFile& route, const Handler& handler);

}  // namespace routeauth::engine
