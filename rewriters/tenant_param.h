// tenant-param: every read (GET) backend request carries exactly one tenant_id, the session's,
// set after the last write to the query and before it is read into the URL, so a client value
// can never win or be sent twice.
#pragma once

#include "engine/rule.h"

namespace routeauth::rewriters {

class TenantParam final : public engine::Rule {
 public:
  [[nodiscard]] std::string_view id() const override { return "tenant-param"; }
  [[nodiscard]] std::string_view summary() const override {
    return "a GET backend request does not carry the session's tenant, or a client value can override it";
  }
  void diagnose(const engine::RouteFile& route, const engine::Config& config,
                std::vector<engine::Finding>& out) const override;
};

}  // namespace routeauth::rewriters
