// Same-file wrappers (issue 13 point 3): a module-level function of the route file that makes the
// backend fetch and that the handlers call (`async function brainFetch(req, path) { return
// fetch(`${BRAIN_API_URL}${path}`) }`). When every use of it is a direct call from handlers of
// one kind (all reads or all mutations) that hand it their request first, the wrapper is modelled
// as a handler of that kind: the rules migrate its fetch as if it stood inline (it reads the
// session itself, forwards the caller's header from the request it is handed, and a read's
// wrapper gets the tenant and no-store), and no call changes. Otherwise its fetches stay
// RouteFile::other_backend_fetches, with the reasons (which uses, where) manual-review reports.
#pragma once

#include <vector>

#include "engine/route_model.h"

namespace routeauth::engine {

// Turns the eligible module-level functions of the file into handlers
// of the shape same_file_wrapper, moving their fetches out of `outside` (the fetches no handler
// holds, in source order); the backend ones of the others go to model.other_backend_fetches, with
// the reasons their wrapper was not adopted in model.wrapper_problems.
void adopt_same_file_wrappers(RouteFile& model, const std::vector<Fetch>& outside, const Config& config);

}  // namespace routeauth::engine
