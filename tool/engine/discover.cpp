#include "engine/discover.h"

#include <git2.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <memory>
#include <system_error>

#include <fmt/format.h>

#include "engine/folder_walk.h"
#include "engine/git_repo.h"

namespace fs = std::filesystem;

namespace routeauth::engine {

namespace {

constexpr std::array kRouteNames{"route.ts", "route.tsx", "route.js", "route.jsx", "route.mjs"};

bool skipped_directory(const fs::path& dir) {
  const std::string name = dir.has_filename() ? dir.filename().string() : dir.string();
  return name == "node_modules" || name == ".next" || name == ".git";
}

// gitignore-style globs (`app/api/legacy/**`), matched by libgit2's pathspec engine.
class Globs {
 public:
  explicit Globs(const std::vector<std::string>& patterns) {
    if (patterns.empty()) return;
    ensure_libgit2();
    std::vector<char*> raw;
    for (const auto& p : patterns) raw.push_back(const_cast<char*>(p.c_str()));
    git_strarray array{raw.data(), raw.size()};
    git_pathspec* ps = nullptr;
    if (git_pathspec_new(&ps, &array) == 0) spec_.reset(ps);
  }
  [[nodiscard]] bool empty() const { return !spec_; }
  [[nodiscard]] bool matches(const std::string& relative) const {
    return spec_ && git_pathspec_matches_path(spec_.get(), GIT_PATHSPEC_DEFAULT, relative.c_str()) == 1;
  }

 private:
  struct Free {
    void operator()(git_pathspec* p) const { git_pathspec_free(p); }
  };
  std::unique_ptr<git_pathspec, Free> spec_;
};

}  // namespace

bool is_nextauth_route(const std::string& path) {
  return path.find("[...nextauth]") != std::string::npos;
}

bool is_route_file(const std::string& path) {
  const fs::path p(path);
  const std::string name = p.filename().string();
  if (std::find(kRouteNames.begin(), kRouteNames.end(), name) == kRouteNames.end()) return false;
  for (fs::path dir = p.parent_path(); !dir.empty(); dir = dir.parent_path()) {
    if (dir.filename() == "app") return true;
    if (dir == dir.parent_path()) break;
  }
  return false;
}

int shard_of(const std::string& relative_path, int shards) {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a: stable across runs, machines and file sets
  for (unsigned char c : relative_path) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  // FNV's low bits follow the parity of the input bytes: mix before taking the remainder.
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return static_cast<int>(h % static_cast<uint64_t>(shards));
}

namespace {

// What route-ness is judged on: the path relative to the repository when it is inside one (a
// folder named `app` above the repository does not make its files routes), else the absolute
// path; never the path as typed, so `route.ts` typed inside app/api/x is a route.
std::string judged_path(const std::string& path, const GitRepo* repo) {
  if (repo) {
    if (auto rel = repo->inside(path)) return *rel;
  }
  std::error_code ec;
  return fs::absolute(path, ec).lexically_normal().generic_string();
}

bool in_skipped_directory(const std::string& judged) {
  const fs::path p(judged);
  for (auto it = p.begin(); it != p.end() && std::next(it) != p.end(); ++it) {
    if (skipped_directory(*it)) return true;
  }
  return false;
}

}  // namespace

std::vector<std::string> select_routes(std::vector<std::string> files, const DiscoverOptions& options) {
  const GitRepo* repo = options.repo;
  const Globs include(options.include);
  const Globs exclude(options.exclude);
  std::vector<std::string> out;
  for (auto& f : files) {
    const std::string judged = judged_path(f, repo);
    if (!is_route_file(judged) || is_nextauth_route(judged) || in_skipped_directory(judged)) continue;
    if (!include.empty() || !exclude.empty()) {
      const std::string rel = relative_to(f, options.root.empty() ? "." : options.root);
      if (!include.empty() && !include.matches(rel)) continue;
      if (exclude.matches(rel)) continue;
    }
    if (options.shard_count > 1 &&
        shard_of(repo ? repo->relative(f) : fs::path(f).generic_string(), options.shard_count) != options.shard_index) {
      continue;
    }
    out.push_back(std::move(f));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Discovery discover(const std::vector<std::string>& paths, const DiscoverOptions& options) {
  Discovery out;
  const GitRepo* repo = options.repo;
  std::vector<std::string> found;
  for (const auto& arg : paths) {
    std::error_code ec;
    const fs::file_status st = fs::status(arg, ec);
    if (ec || !fs::exists(st)) {
      out.errors.push_back(fmt::format("{}: no such file or directory", arg));
      continue;
    }
    if (fs::is_directory(st)) {
      if (is_route_file(arg) && !is_nextauth_route(arg)) found.push_back(fs::path(arg).generic_string());
      FolderWalk walk;
      walk.repo = repo;
      walk.skip = skipped_directory;  // .gitignore'd folders are pruned whole too (walk_folders)
      walk.entered = [&](const fs::path& p) {
        // A folder named route.ts: reading it reports it.
        if (is_route_file(p.generic_string()) && !is_nextauth_route(p.generic_string())) found.push_back(p.generic_string());
      };
      walk.file = [&](const fs::directory_entry& e) {
        const fs::path& p = e.path();
        if (p.filename().string().starts_with("route.") && !git_ignores(repo, p, false)) found.push_back(p.generic_string());
        return true;
      };
      if (const std::error_code listed = walk_folders(arg, walk)) {
        out.errors.push_back(fmt::format("{}: cannot list: {}", arg, listed.message()));
      }
      continue;
    }
    // An explicit file: route files only (select_routes), so a loose pre-commit `files:` pattern is harmless.
    found.push_back(fs::path(arg).generic_string());
  }
  out.files = select_routes(std::move(found), options);
  return out;
}

std::vector<std::string> parse_route_list(const std::string& text, const std::string& root, bool markdown) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    start = end + 1;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
    const size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos) continue;
    line = line.substr(first);
    std::string path;
    if (line.starts_with("- [") || line.starts_with("* [")) {
      // A checklist item: its first backquoted text, when it is a path.
      const size_t open = line.find('`');
      const size_t close = open == std::string::npos ? open : line.find('`', open + 1);
      if (close == std::string::npos) continue;
      path = line.substr(open + 1, close - open - 1);
      if (path.find('/') == std::string::npos) continue;
    } else if (markdown || line.starts_with("#")) {
      continue;  // prose, headings, comments
    } else {
      path = line;
    }
    if (path.starts_with("/")) path = (fs::path(root) / path.substr(1)).string();
    out.push_back(path);
  }
  return out;
}

std::string relative_to(const std::string& path, const std::string& root) {
  std::error_code ec;
  const fs::path abs = fs::weakly_canonical(fs::absolute(path, ec), ec);
  const fs::path base = fs::weakly_canonical(fs::absolute(root, ec), ec);
  fs::path rel = abs.lexically_relative(base);
  if (rel.empty() || *rel.begin() == "..") return fs::path(path).generic_string();
  return rel.generic_string();
}

}  // namespace routeauth::engine
