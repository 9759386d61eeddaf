// session-import: a file whose handlers call the backend imports getServerSession (next-auth)
// and authOptions.
#pragma once

#include "engine/rule.h"

namespace routeauth::rewriters {

class SessionImport final : public engine::Rule {
 public:
  [[nodiscard]] std::string_view id() const override { return "session-import"; }
  [[nodiscard]] std::string_view summary() const override {
    return "a handler needs getServerSession / authOptions and they are not imported";
  }
  void diagnose(const engine::RouteFile& route, const engine::Config& config,
                std::vector<engine::Finding>& out) const override;
};

}  // namespace routeauth::rewriters
