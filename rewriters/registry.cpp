// Every rule routeauth runs, one line each, in the order they run.
#include <algorithm>

#include "engine/rule.h"
#include "rewriters/auth_header.h"
#include "rewriters/manual_review.h"
#include "rewriters/no_store.h"
#include "rewriters/session_call.h"
#include "rewriters/session_import.h"
#include "rewriters/tenant_param.h"

namespace routeauth::engine {

std::span<const std::unique_ptr<Rule>> rules() {
  static const auto all = [] {
    std::vector<std::unique_ptr<Rule>> r;
    r.push_back(std::make_unique<rewriters::SessionImport>());
    r.push_back(std::make_unique<rewriters::SessionCall>());
    r.push_back(std::make_unique<rewriters::TenantParam>());
    r.push_back(std::make_unique<rewriters::AuthHeader>());
    r.push_back(std::make_unique<rewriters::NoStore>());
    r.push_back(std::make_unique<rewriters::ManualReview>());
    return r;
  }();
  return all;
}

const Rule* find_rule(std::string_view id) {
  for (const auto& r : rules()) {
    if (r->id() == id) return r.get();
  }
  return nullptr;
}

}  // namespace routeauth::engine
