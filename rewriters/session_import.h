// session-import: a file whose handlers call the backend imports getServerSession (next-auth)
// and authOptions; with sessionApi v5, auth from the project's auth module.
#pragma once

#include "engine/rule.h"

namespace routeauth::rewriters {

class SessionImport final : public engine::Rule {
 public:
  [[nodiscard]] std::string_view id() const override { return "session-import"; }
  [[nodiscard]] std::string_view summary() const override {
    return "a handler needs getServerSession / authOptions (v5: auth) and they are not imported";
  }
  void diagnose(const engine::RouteFile& route, const engine::Config& config,
                std::vector<engine::Finding>& out) const override;
};

}  // namespace routeauth::rewriters
