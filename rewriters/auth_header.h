// auth-header: every backend fetch sends `Authorization: Bearer <session.access_token>`, falling
// back to the caller's own header. Reads get the guide's headers variable; mutations the inline
// property. A fetch to anyone else is never touched.
#pragma once

#include "engine/rule.h"

namespace routeauth::rewriters {

class AuthHeader final : public engine::Rule {
 public:
  [[nodiscard]] std::string_view id() const override { return "auth-header"; }
  [[nodiscard]] std::string_view summary() const override {
    return "a backend fetch does not send the session's bearer token (with the caller's as fallback)";
  }
  void diagnose(const engine::RouteFile& route, const engine::Config& config,
                std::vector<engine::Finding>& out) const override;
};

}  // namespace routeauth::rewriters
