// Collects the fixes of a file's findings as clang::tooling::Replacements: a fix that overlaps
// one already taken is dropped whole (its finding stays, with a note), and the rest are applied.
#pragma once

#include <clang/Tooling/Core/Replacement.h>

#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "engine/rule.h"

namespace routeauth::engine {

class EditSet {
 public:
  explicit EditSet(std::string path) : path_(std::move(path)) {}

  // Takes the finding's fix if none of its edits conflict with those taken so far; otherwise
  // adds a note to the finding and takes nothing. Returns whether the fix was taken. An edit
  // identical to one already taken (two findings that need the same import, say) is taken once:
  // clang would otherwise merge two equal insertions into a doubled one.
  bool take(Finding& finding);

  [[nodiscard]] bool empty() const { return replacements_.empty(); }
  [[nodiscard]] size_t size() const { return replacements_.size(); }
  [[nodiscard]] std::string apply(const std::string& code) const;
  [[nodiscard]] const clang::tooling::Replacements& replacements() const { return replacements_; }

 private:
  std::string path_;
  clang::tooling::Replacements replacements_;
  std::set<std::tuple<uint32_t, uint32_t, std::string>> taken_;
};

}  // namespace routeauth::engine
