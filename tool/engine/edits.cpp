#include "engine/edits.h"

#include <fmt/format.h>
#include <llvm/Support/Error.h>

#include <stdexcept>

namespace routeauth::engine {

namespace {

namespace tooling = clang::tooling;

// `set` with its insertion at `offset` followed by `text`.
tooling::Replacements joined(const tooling::Replacements& set, uint32_t offset, const std::string& text) {
  tooling::Replacements out;
  for (const tooling::Replacement& r : set) {
    const bool here = r.getOffset() == offset && r.getLength() == 0;
    const tooling::Replacement next =
        here ? tooling::Replacement(r.getFilePath(), offset, 0, (r.getReplacementText() + text).str()) : r;
    // In offset order and non-overlapping, as they were: adding cannot fail.
    if (llvm::Error err = out.add(next)) throw std::logic_error("joining insertions failed: " + llvm::toString(std::move(err)));
  }
  return out;
}

}  // namespace

bool EditSet::take(Finding& finding) {
  if (finding.fix.empty()) return false;
  tooling::Replacements trial = replacements_;
  auto taken = taken_;
  auto inserted = inserted_;
  for (const Edit& e : finding.fix) {
    if (!taken.emplace(e.offset, e.length, e.text).second) continue;
    llvm::Error err = trial.add(tooling::Replacement(path_, e.offset, e.length, e.text));
    if (!err) {
      if (e.length == 0) {
        Inserted& at = inserted[e.offset];
        at.rules.insert(finding.rule);
        at.whole_lines = at.whole_lines && e.whole_lines;
      }
      continue;
    }
    // Whole lines where another rule's whole lines were taken: these go after them.
    bool join = false;
    std::string why;
    llvm::handleAllErrors(std::move(err), [&](const tooling::ReplacementError& re) {
      why = re.message();
      if (re.get() != tooling::replacement_error::insert_conflict || e.length != 0 || !e.whole_lines) return;
      const auto at = inserted.find(e.offset);
      join = at != inserted.end() && at->second.whole_lines && !at->second.rules.contains(finding.rule);
    });
    if (!join) {
      finding.notes.push_back(
          fmt::format("fix not applied in this pass: it overlaps another rule's fix ({}); run again", why));
      return false;
    }
    trial = joined(trial, e.offset, e.text);
    inserted[e.offset].rules.insert(finding.rule);
  }
  replacements_ = std::move(trial);
  taken_ = std::move(taken);
  inserted_ = std::move(inserted);
  return true;
}

std::vector<Parser::TextEdit> EditSet::text_edits() const {
  std::vector<Parser::TextEdit> out;
  out.reserve(replacements_.size());
  for (const tooling::Replacement& r : replacements_) {
    out.push_back({r.getOffset(), r.getLength(), std::string_view(r.getReplacementText())});
  }
  return out;
}

std::string EditSet::apply(const std::string& code) const {
  auto result = tooling::applyAllReplacements(code, replacements_);
  if (!result) {
    throw std::logic_error("applying replacements failed: " + llvm::toString(result.takeError()));
  }
  return std::move(*result);
}

}  // namespace routeauth::engine
