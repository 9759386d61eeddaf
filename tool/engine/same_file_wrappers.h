// Same-file wrappers (issue 13 point 3): a module-level function of the route file that makes the
// backend fetch and that the handlers call (`async function brainFetch(path, init) { return
// fetch(`${BRAIN_API_URL}${path}`, init) }`). When every use of it is a direct call from a handler
// that has a request to hand over, the wrapper is modelled as a handler: the rules migrate its
// fetch as if it stood inline (it reads the session itself and forwards the caller's header from
// the request it is handed). One that does not take the request first gets it (needs_request: a
// new first parameter, the callers' request at every call); one serving reads and mutations is a
// read whose tenant and no-store apply when request.method is a read (read_methods). Otherwise its
// fetches stay RouteFile::other_backend_fetches, with the reasons (which uses, where) manual-review
// reports.
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
