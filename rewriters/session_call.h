// session-call: every handler that calls the backend reads the session first
// (`const session = await getServerSession(authOptions)`; v5: `const session = await auth()`).
#pragma once

#include "engine/rule.h"

namespace routeauth::rewriters {

class SessionCall final : public engine::Rule {
 public:
  [[nodiscard]] std::string_view id() const override { return "session-call"; }
  [[nodiscard]] std::string_view summary() const override {
    return "a handler calls the backend without reading the session first";
  }
  void diagnose(const engine::RouteFile& route, const engine::Config& config,
                std::vector<engine::Finding>& out) const override;
};

}  // namespace routeauth::rewriters
