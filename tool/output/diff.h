// Unified diffs, git-style, made by libgit2 from the old and new text of a file.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace routeauth::output {

// A `diff --git a/<path> b/<path>` patch from `before` to `after` (empty when they are equal).
// `path` is relative to the repository root, so that `git apply` at the root takes it.
[[nodiscard]] std::string unified_diff(std::string_view path, const std::string& before,
                                       const std::string& after, int context_lines = 3);

// Colours a patch as git does on a terminal: headers bold, hunk lines cyan, - red, + green.
[[nodiscard]] std::string colorize(const std::string& patch);

struct DiffStat {
  std::string path;
  size_t added = 0;
  size_t deleted = 0;
};
[[nodiscard]] DiffStat diff_stat(std::string_view path, const std::string& before, const std::string& after);
// git's `--stat` layout for a terminal `width` columns wide: ` path | N ++--` per file (long names
// shortened to ".../end"), then the totals line. As git does, every bar is scaled by one factor
// (the largest change fills the graph) when the largest change does not fit.
[[nodiscard]] std::string format_stat(const std::vector<DiffStat>& stats, bool color, size_t width = 80);

}  // namespace routeauth::output
