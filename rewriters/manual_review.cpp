#include "rewriters/manual_review.h"

#include <fmt/format.h>

namespace routeauth::rewriters {

using namespace engine;

void ManualReview::diagnose(const RouteFile& route, const Config& /*config*/,
                            std::vector<Finding>& out) const {
  for (const auto& p : route.problems) {
    out.push_back(Finding{std::string(id()), p.offset, Severity::error, p.message, {}, {}});
  }
  for (const auto& f : route.other_backend_fetches) {
    out.push_back(Finding{
        std::string(id()), ts_node_start_byte(f.call), Severity::error,
        "backend fetch outside a route handler; routeauth cannot tell which session it serves, so "
        "pass the session (or its token and tenant) in from the handler by hand",
        {}, {}});
  }
}

}  // namespace routeauth::rewriters
