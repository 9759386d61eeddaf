#include "engine/discover.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

namespace fs = std::filesystem;

namespace routeauth::engine {

namespace {

constexpr std::array kRouteNames{"route.ts", "route.tsx", "route.js", "route.jsx", "route.mjs"};

bool skipped_directory(const fs::path& dir) {
  const std::string name = dir.filename().string();
  return name == "node_modules" || name == ".next" || name == ".git";
}

}  // namespace

bool is_nextauth_route(const std::string& path) {
  return path.find("[...nextauth]") != std::string::npos;
}

bool is_route_file(const std::string& path) {
  const fs::path p(path);
  const std::string name = p.filename().string();
  if (std::find(kRouteNames.begin(), kRouteNames.end(), name) == kRouteNames.end()) return false;
  for (fs::path dir = p.parent_path(); !dir.empty() && dir != dir.root_path(); dir = dir.parent_path()) {
    if (dir.filename() == "app") return true;
    if (dir == dir.parent_path()) break;
  }
  return false;
}

Discovery discover(const std::vector<std::string>& paths) {
  Discovery out;
  for (const auto& arg : paths) {
    std::error_code ec;
    const fs::file_status st = fs::status(arg, ec);
    if (ec || !fs::exists(st)) {
      out.errors.push_back(fmt::format("{}: no such file or directory", arg));
      continue;
    }
    if (fs::is_directory(st)) {
      fs::recursive_directory_iterator it(arg, fs::directory_options::skip_permission_denied, ec);
      if (ec) {
        out.errors.push_back(fmt::format("{}: cannot list: {}", arg, ec.message()));
        continue;
      }
      for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) break;
        const fs::path& p = it->path();
        if (it->is_directory(ec)) {
          if (skipped_directory(p)) it.disable_recursion_pending();
          continue;
        }
        const std::string s = p.generic_string();
        if (is_route_file(s) && !is_nextauth_route(s)) out.files.push_back(s);
      }
      continue;
    }
    // An explicit file: route files only, so a loose pre-commit `files:` pattern is harmless.
    if (is_route_file(arg) && !is_nextauth_route(arg)) out.files.push_back(fs::path(arg).generic_string());
  }
  std::sort(out.files.begin(), out.files.end());
  out.files.erase(std::unique(out.files.begin(), out.files.end()), out.files.end());
  return out;
}

std::string relative_to(const std::string& path, const std::string& root) {
  std::error_code ec;
  const fs::path abs = fs::weakly_canonical(fs::absolute(path, ec), ec);
  const fs::path base = fs::weakly_canonical(fs::path(root), ec);
  fs::path rel = abs.lexically_relative(base);
  if (rel.empty() || *rel.begin() == "..") return fs::path(path).generic_string();
  return rel.generic_string();
}

}  // namespace routeauth::engine
