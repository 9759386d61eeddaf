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

// A name a file imports from a module that the project must provide for the file to build: a
// package its package.json lists, or a file the specifier resolves to (engine/dependencies.h).
struct ModuleImport {
  std::string specifier;  // as written: `next-auth`, `@/app/api/auth/[...nextauth]/route`
  std::string name;       // what is imported from it: getServerSession, authOptions
  auto operator<=>(const ModuleImport&) const = default;
};

struct Finding {
  std::string rule;      // the id of the rule that reports it
  uint32_t offset = 0;   // where it points, in the original text
  Severity severity = Severity::error;
  std::string message;   // "<what>; <why>", lowercase, no final period
  std::vector<Edit> fix;  // empty: report only (unless deferred)
  std::vector<std::string> notes;  // e.g. why a fix was dropped
  // What the fix makes the file import (session-import): what the project must then provide.
  std::vector<ModuleImport> imports;
  // The fix needs another rule's fix first (an expression body turned into a block, say): it
  // comes in a later pass of apply, so the finding is fixable though it carries no edits yet.
  bool deferred = false;
  // A finding that asks a person (manual-review) freezes what it is about: no fix may change
  // those bytes ([begin, end) of the text diagnosed), in this pass or any later one, until the
  // person has decided (engine/pipeline.cpp). Empty: it freezes nothing.
  struct Range {
    uint32_t begin = 0;
    uint32_t end = 0;
    [[nodiscard]] bool empty() const { return end <= begin; }
    // Whether the edit would change a byte of the range: it replaces one, or inserts strictly
    // inside (text inserted at either end stands outside).
    [[nodiscard]] bool changed_by(const Edit& e) const {
      if (empty()) return false;
      return e.length == 0 ? begin < e.offset && e.offset < end : e.offset < end && begin < e.offset + e.length;
    }
  };
  Range frozen;

  [[nodiscard]] bool fixable() const { return !fix.empty() || deferred; }
  // Asks a person to decide about `node`, which no fix may change meanwhile.
  void freeze(TSNode node) { frozen = Range{ts_node_start_byte(node), ts_node_end_byte(node)}; }
};

// A finding with no fix: `rule` reports `message` at `offset`.
[[nodiscard]] inline Finding report_only(std::string rule, uint32_t offset, std::string message) {
  Finding f;
  f.rule = std::move(rule);
  f.offset = offset;
  f.message = std::move(message);
  return f;
}
// A manual-review finding about `about` (null: nothing in particular), which it freezes.
[[nodiscard]] inline Finding ask_person(uint32_t offset, std::string message, TSNode about) {
  Finding f = report_only("manual-review", offset, std::move(message));
  if (!ts_node_is_null(about)) f.freeze(about);
  return f;
}

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
