// manual-review: shapes the route model found but no rule can fix safely (a function serving
// reads and mutations, a backend fetch outside every handler). Each message says what to do.
#pragma once

#include "engine/rule.h"

namespace routeauth::rewriters {

class ManualReview final : public engine::Rule {
 public:
  [[nodiscard]] std::string_view id() const override { return "manual-review"; }
  [[nodiscard]] std::string_view summary() const override {
    return "a shape no rule can fix safely; the message says what to do";
  }
  void diagnose(const engine::RouteFile& route, const engine::Config& config,
                std::vector<engine::Finding>& out) const override;
};

}  // namespace routeauth::rewriters
