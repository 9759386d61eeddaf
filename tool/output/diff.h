// Unified diffs, git-style, made by libgit2 from the old and new text of a file.
#pragma once

#include <string>
#include <string_view>

namespace routeauth::output {

// A `diff --git a/<path> b/<path>` patch from `before` to `after` (empty when they are equal).
// `path` is relative to the repository root, so that `git apply` at the root takes it.
[[nodiscard]] std::string unified_diff(std::string_view path, const std::string& before,
                                       const std::string& after, int context_lines = 3);

}  // namespace routeauth::output
