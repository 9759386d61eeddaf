#include "engine/frozen.h"

#include <fmt/format.h>

#include <algorithm>

namespace routeauth::engine {

void Frozen::hold(const SourceFile& file, std::vector<Finding>& findings) {
  for (const Finding& f : findings) {
    if (f.frozen.empty()) continue;
    const bool known = std::any_of(ranges_.begin(), ranges_.end(), [&](const Finding::Range& r) {
      return r.begin == f.frozen.begin && r.end == f.frozen.end;
    });
    if (!known) ranges_.push_back(f.frozen);
  }
  if (ranges_.empty()) return;
  for (Finding& f : findings) {
    for (const Finding::Range& r : ranges_) {
      const bool changes = std::any_of(f.fix.begin(), f.fix.end(), [&](const Edit& e) { return r.changed_by(e); });
      if (!changes) continue;
      f.fix.clear();
      f.deferred = false;
      f.notes.push_back(fmt::format("not fixed: the fix would change code that the manual-review finding at line "
                                    "{} leaves for a person to decide; settle that first, then run again",
                                    file.position(r.begin).line));
      break;
    }
  }
}

void Frozen::shift(const EditSet& applied) {
  for (Finding::Range& r : ranges_) {
    const uint32_t length = r.end - r.begin;
    r.begin = applied.replacements().getShiftedCodePosition(r.begin);
    r.end = r.begin + length;
  }
}

}  // namespace routeauth::engine
