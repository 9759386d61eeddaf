#include "rewriters/manual_review.h"

#include <fmt/format.h>

namespace routeauth::rewriters {

using namespace engine;

void ManualReview::diagnose(const RouteFile& route, const Config& /*config*/,
                            std::vector<Finding>& out) const {
  for (const auto& p : route.problems) {
    out.push_back(ask_person(p.offset, p.message, p.function));
  }
  for (const auto& f : route.other_backend_fetches) {
    out.push_back(ask_person(ts_node_start_byte(f.call),
                             "backend fetch outside a route handler; routeauth cannot tell which session it "
                             "serves, so pass the session (or its token and tenant) in from the handler by hand",
                             f.call));
  }
}

}  // namespace routeauth::rewriters
