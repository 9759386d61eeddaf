// What manual-review findings freeze (Finding::frozen), carried through the passes of apply: a
// finding that asks a person about a fetch (or an import, a session declaration, a handler) makes
// every fix that would change those bytes wait for that person, in this pass and every later
// one, so that no other rule's fix, and no later pass that sees the code differently, decides
// for them.
#pragma once

#include <vector>

#include "engine/edits.h"
#include "engine/rule.h"
#include "engine/source.h"

namespace routeauth::engine {

class Frozen {
 public:
  // Adds the ranges that `findings` freeze; then takes the fix off every finding whose fix would
  // change a frozen range, which stays reported with a note saying which finding it waits for.
  void hold(const SourceFile& file, std::vector<Finding>& findings);
  // Moves the ranges through the edits of a pass (which, held, changed none of their bytes).
  void shift(const EditSet& applied);

  [[nodiscard]] const std::vector<Finding::Range>& ranges() const { return ranges_; }
  [[nodiscard]] bool empty() const { return ranges_.empty(); }

 private:
  std::vector<Finding::Range> ranges_;  // in the coordinates of the text of the current pass
};

}  // namespace routeauth::engine
