// The interface every rewriter implements: one id, and diagnose() that reports findings, each
// carrying the edits that fix it when a fix is safe.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config.h"
#include "engine/route_model.h"

namespace routeauth::engine {

// Replace [offset, offset + length) of the original text with `text` (length 0: insert).
struct Edit {
  uint32_t offset = 0;
  uint32_t length = 0;
  std::string text;
  // An insertion of whole lines at the start of a line (statements before a statement, at the
  // top of a block): another rule's such insertion at the same place can stand before it in the
  // same pass (engine/edits.h).
  bool whole_lines = false;
};

enum class Severity { error, warning, note };

struct Finding {
  std::string rule;      // the id of the rule that reports it
  uint32_t offset = 0;   // where it points, in the original text
  Severity severity = Severity::error;
  std::string message;   // "<what>; <why>", lowercase, no final period
  std::vector<Edit> fix;  // empty: report only (unless deferred)
  std::vector<std::string> notes;  // e.g. why a fix was dropped
  // The fix needs another rule's fix first (an expression body turned into a block, say): it
  // comes in a later pass of apply, so the finding is fixable though it carries no edits yet.
  bool deferred = false;

  [[nodiscard]] bool fixable() const { return !fix.empty() || deferred; }
};

class Rule {
 public:
  virtual ~Rule() = default;
  [[nodiscard]] virtual std::string_view id() const = 0;
  [[nodiscard]] virtual std::string_view summary() const = 0;  // one line, for --list-rules and docs
  virtual void diagnose(const RouteFile& route, const Config& config,
                        std::vector<Finding>& out) const = 0;
};

// Every rule, in the order they run (the order of rewriters/registry.cpp).
[[nodiscard]] std::span<const std::unique_ptr<Rule>> rules();
[[nodiscard]] const Rule* find_rule(std::string_view id);

}  // namespace routeauth::engine
