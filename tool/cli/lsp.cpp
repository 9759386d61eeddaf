// routeauth lsp: the Language Server over standard input and output. This file gives the server
// (tool/lsp/server.h) each document's settings exactly as the command line makes them for that
// path: the nearest routeauth.json above it, the project's auth modules and inferred backends,
// and whether the CLI's discovery rules (app/**/route.*, include/exclude) take it as a route.
#include <fmt/ostream.h>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>

#include "cli/commands.h"
#include "engine/config_file.h"
#include "engine/discover.h"
#include "engine/git_repo.h"
#include "engine/project.h"
#include "lsp/server.h"

namespace routeauth::cli {

namespace {

// The settings of one project (one config file and project root), made once per server run.
struct ProjectSettings {
  std::shared_ptr<const engine::Config> config;
  engine::Selection selection;
  std::string glob_root;
  std::optional<engine::GitRepo> repo;
  std::string error;
};

class SettingsCache {
 public:
  explicit SettingsCache(Io io) : io_(io) {}

  // A config file changed: every project's settings are made again when next asked.
  void forget() { projects_.clear(); }

  lsp::Settings operator()(const std::string& path) {
    lsp::Settings out;
    const std::optional<std::string> config_file = engine::find_config(path);
    const std::string project = engine::project_root(path);
    const std::string key = config_file.value_or("") + '\n' + project;
    auto it = projects_.find(key);
    if (it == projects_.end()) it = projects_.emplace(key, make(path)).first;
    const ProjectSettings& p = it->second;
    engine::DiscoverOptions discover;
    discover.repo = p.repo ? &*p.repo : nullptr;
    discover.include = p.selection.include;
    discover.exclude = p.selection.exclude;
    std::error_code ec;
    discover.root = !p.glob_root.empty() ? p.glob_root : p.repo ? p.repo->workdir() : std::filesystem::current_path(ec).string();
    out.route = !engine::select_routes({path}, discover).empty();
    out.config = p.config;
    out.error = p.error;
    return out;
  }

 private:
  ProjectSettings make(const std::string& path) {
    ProjectSettings p;
    Options options;
    options.paths = {path};
    p.repo = engine::GitRepo::discover(path);
    auto config = std::make_shared<engine::Config>();
    try {
      *config = make_config(options, p.selection, p.glob_root);
      infer_backends_into(options, io_, *config);
    } catch (const std::exception& e) {
      p.error = e.what();
    }
    p.config = std::move(config);
    return p;
  }

  Io io_;
  std::map<std::string, ProjectSettings> projects_;
};

}  // namespace

int run_lsp(std::istream& in, std::ostream& out, Io io) {
  auto cache = std::make_shared<SettingsCache>(io);
  lsp::Server server([cache](const std::string& path) { return (*cache)(path); }, [cache] { cache->forget(); });
  return server.serve(in, out, io.err);
}

}  // namespace routeauth::cli
