#include "engine/edits.h"

#include <fmt/format.h>
#include <llvm/Support/Error.h>

#include <stdexcept>

namespace routeauth::engine {

bool EditSet::take(Finding& finding) {
  if (finding.fix.empty()) return false;
  clang::tooling::Replacements trial = replacements_;
  auto taken = taken_;
  for (const Edit& e : finding.fix) {
    if (!taken.emplace(e.offset, e.length, e.text).second) continue;
    if (llvm::Error err = trial.add(clang::tooling::Replacement(path_, e.offset, e.length, e.text))) {
      const std::string why = llvm::toString(std::move(err));
      finding.notes.push_back(fmt::format(
          "fix not applied in this pass: it overlaps another rule's fix ({}); run again", why));
      return false;
    }
  }
  replacements_ = std::move(trial);
  taken_ = std::move(taken);
  return true;
}

std::string EditSet::apply(const std::string& code) const {
  auto result = clang::tooling::applyAllReplacements(code, replacements_);
  if (!result) {
    throw std::logic_error("applying replacements failed: " + llvm::toString(result.takeError()));
  }
  return std::move(*result);
}

}  // namespace routeauth::engine
