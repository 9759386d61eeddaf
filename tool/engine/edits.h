// Collects the fixes of a file's findings as clang::tooling::Replacements: a fix that overlaps
// one already taken is dropped whole (its finding stays, with a note), and the rest are applied.
#pragma once

#include <clang/Tooling/Core/Replacement.h>

#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "engine/rule.h"
#include "engine/syntax.h"

namespace routeauth::engine {

class EditSet {
 public:
  explicit EditSet(std::string path) : path_(std::move(path)) {}

  // Takes the finding's fix if none of its edits conflict with those taken so far; otherwise
  // adds a note to the finding and takes nothing. Returns whether the fix was taken. An edit
  // identical to one already taken (two findings that need the same import, say) is taken once:
  // clang would otherwise merge two equal insertions into a doubled one. Whole lines inserted
  // where another rule's whole lines were taken (Edit::whole_lines) are joined after them: fixes
  // are taken in rule order, the order a later pass would have put them in (the session call,
  // then the tenant, then the headers, all before one statement), so that pass's re-parse and
  // re-run of every rule is saved. Any other insertion at a taken insertion's place, and two of
  // one rule at one place, wait for the next pass, which sees the first in the text (two
  // `, { ... }` options added to one fetch must become one object).
  bool take(Finding& finding);

  [[nodiscard]] bool empty() const { return replacements_.empty(); }
  [[nodiscard]] size_t size() const { return replacements_.size(); }
  [[nodiscard]] std::string apply(const std::string& code) const;
  [[nodiscard]] const clang::tooling::Replacements& replacements() const { return replacements_; }
  // The same, for Parser::reparse (views into this set's texts).
  [[nodiscard]] std::vector<Parser::TextEdit> text_edits() const;

 private:
  std::string path_;
  clang::tooling::Replacements replacements_;
  std::set<std::tuple<uint32_t, uint32_t, std::string>> taken_;
  struct Inserted {
    std::set<std::string> rules;  // whose insertions stand at this offset
    bool whole_lines = true;      // all of them whole lines
  };
  std::map<uint32_t, Inserted> inserted_;  // by offset
};

}  // namespace routeauth::engine
