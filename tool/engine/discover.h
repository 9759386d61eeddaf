// Which files a run looks at: explicit route files, and route files found under the `app/`
// folders of directory arguments.
#pragma once

#include <string>
#include <vector>

namespace routeauth::engine {

struct Discovery {
  std::vector<std::string> files;   // sorted, without duplicates
  std::vector<std::string> errors;  // "<path>: <what>", one per bad argument
};

// route.{ts,tsx,js,jsx,mjs} below a folder named `app`; the NextAuth route is not one of ours.
[[nodiscard]] bool is_route_file(const std::string& path);
[[nodiscard]] bool is_nextauth_route(const std::string& path);

[[nodiscard]] Discovery discover(const std::vector<std::string>& paths);

// `path` relative to `root`, with forward slashes.
[[nodiscard]] std::string relative_to(const std::string& path, const std::string& root);

}  // namespace routeauth::engine
