#include "rewriters/manual_review.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace routeauth::rewriters {

using namespace engine;

void ManualReview::diagnose(const RouteFile& route, const Config& config,
                            std::vector<Finding>& out) const {
  for (const auto& p : route.problems) {
    out.push_back(ask_person(p.offset, p.message, p.function));
  }
  for (const auto& h : route.handlers) {
    for (const auto& w : h.wrapper_calls) {
      const std::string where = w.wrapper->module.empty() ? std::string() : fmt::format(" ({})", w.wrapper->module);
      out.push_back(ask_person(
          ts_node_start_byte(w.call),
          fmt::format("{} calls the backend through {}{}, which routeauth does not rewrite; make the wrapper send the "
                      "session's bearer token{} (or pass them in from here): `routeauth report` lists every route "
                      "that calls it",
                      h.method, w.wrapper->name, where, config.is_read(h.method) ? ", the tenant and no-store" : ""),
          w.call));
    }
  }
  for (const auto& f : route.other_backend_fetches) {
    const RouteFile::WrapperProblem* wrapper = nullptr;
    for (const auto& p : route.wrapper_problems) {
      if (ts_node_start_byte(p.function) <= ts_node_start_byte(f.call) &&
          ts_node_end_byte(f.call) <= ts_node_end_byte(p.function)) {
        wrapper = &p;
      }
    }
    if (wrapper) {
      out.push_back(ask_person(ts_node_start_byte(f.call),
                               fmt::format("backend fetch in {}, which routeauth does not migrate: {}; pass the "
                                           "session (or its token and tenant) in from the handlers by hand",
                                           wrapper->name, fmt::join(wrapper->reasons, "; ")),
                               f.call));
      continue;
    }
    out.push_back(ask_person(ts_node_start_byte(f.call),
                             "backend fetch outside a route handler; routeauth cannot tell which session it "
                             "serves, so pass the session (or its token and tenant) in from the handler by hand",
                             f.call));
  }
}

}  // namespace routeauth::rewriters
