// The request a handler receives: its name, or the parameter to add (a handler without one; a
// same-file wrapper that is not handed it, whose calls then pass their caller's), and the test of
// its method in a wrapper that serves reads and mutations.
#pragma once

#include <string>
#include <vector>

#include "engine/rule.h"

namespace routeauth::rewriters {

struct RequestPlan {
  std::string name;           // the parameter's name (existing, or the one to add)
  bool destructured = false;  // `({ headers }) => ...`: no name to read the header from
  // Adding the parameter (and importing NextRequest) when missing; for a same-file wrapper that
  // needs one, also its callers' (when they lack it) and their request as every call's first
  // argument. Every rule whose fix uses `name` carries these edits (identical edits are taken once).
  std::vector<engine::Edit> edits;
};
[[nodiscard]] RequestPlan plan_request(const engine::RouteFile& route, const engine::Handler& handler);

// For a same-file wrapper serving reads and mutations (Handler::read_methods), whether the request
// it is handed is a read: `request.method === 'GET'`, `['GET', 'HEAD'].includes(request.method)`.
// Empty for any other handler.
[[nodiscard]] std::string read_test(const engine::RouteFile& route, const engine::Handler& handler,
                                    std::string_view request);

}  // namespace routeauth::rewriters
