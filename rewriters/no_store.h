// no-store: GET backend fetches are never served from Next's fetch cache to another user.
#pragma once

#include "engine/rule.h"

namespace routeauth::rewriters {

class NoStore final : public engine::Rule {
 public:
  [[nodiscard]] std::string_view id() const override { return "no-store"; }
  [[nodiscard]] std::string_view summary() const override { return "a GET backend fetch can be cached"; }
  void diagnose(const engine::RouteFile& route, const engine::Config& config,
                std::vector<engine::Finding>& out) const override;
};

}  // namespace routeauth::rewriters
