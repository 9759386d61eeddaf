// routeauth init: a commented routeauth.json with what routeauth detects in the project, and with
// --types the next-auth Session fields the migrated code needs to type-check: merged into the
// project's own augmentation when it has one, else a new types/next-auth.d.ts. Every file or none.
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <ostream>
#include <set>

#include "cli/commands.h"
#include "cli/dependency_warnings.h"
#include "engine/discover.h"
#include "engine/config_file.h"
#include "engine/dependencies.h"
#include "engine/project.h"
#include "engine/session_api.h"
#include "engine/session_types.h"
#include "engine/backends.h"
#include "output/diff.h"
#include "output/write.h"

namespace fs = std::filesystem;

namespace routeauth::cli {

namespace {

std::string quoted_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += fmt::format("{}\"{}\"", i ? ", " : "", items[i]);
  return out + "]";
}

// How init names a file: relative to the current folder.
std::string shown(const fs::path& path) {
  std::error_code ec;
  const fs::path relative = fs::proximate(path, fs::current_path(ec), ec);
  return (ec ? path.lexically_normal() : relative).generic_string();
}

// A file init writes: all of them are written, or none is (a failed write restores the ones
// written before it).
struct Planned {
  fs::path path;
  std::string bytes;
};

// Writes every planned file atomically, in order. On a failure, puts back what the earlier
// writes replaced (removes what they created), says what failed and returns false.
bool write_all(const std::vector<Planned>& plan, Io io) {
  struct Done {
    fs::path path;
    std::optional<std::string> before;  // nullopt: the file did not exist
  };
  std::vector<Done> done;
  auto undo = [&] {
    for (auto it = done.rbegin(); it != done.rend(); ++it) {
      std::error_code ec;
      try {
        if (it->before) {
          output::write_atomically(it->path.string(), *it->before);
        } else {
          fs::remove(it->path, ec);
        }
      } catch (const std::exception& e) {
        fmt::print(io.err, "routeauth: error: {}: could not be restored: {}\n", shown(it->path), e.what());
      }
    }
  };
  for (const Planned& p : plan) {
    std::error_code ec;
    Done d{p.path, std::nullopt};
    try {
      if (fs::exists(p.path, ec)) d.before = output::read_file(p.path.string());
      fs::create_directories(p.path.parent_path(), ec);
      if (!d.before) {
        std::FILE* f = std::fopen(p.path.c_str(), "wb");  // created empty, then replaced atomically
        if (!f) throw std::runtime_error(fmt::format("{}: cannot create: {}", shown(p.path), std::strerror(errno)));
        std::fclose(f);
        done.push_back(d);  // undone (removed) even when the write below fails
      }
      output::write_atomically(p.path.string(), p.bytes);
      if (d.before) done.push_back(d);
    } catch (const std::exception& e) {
      undo();
      fmt::print(io.err, "routeauth: error: {}; nothing was written\n", e.what());
      return false;
    }
  }
  for (const Planned& p : plan) fmt::print(io.out, "routeauth: wrote {}\n", shown(p.path));
  return true;
}

// The `wrappers` key: the project's functions that send backend requests for the routes
// (proxyToBackend(request), fetchApiRoutes({ url })), one object each with how many calls, where.
std::string wrappers_text(const engine::BackendInference& inference) {
  std::string text =
      "  // Functions of the project that send backend requests for the routes; routeauth reports their calls\n"
      "  // (migrate the wrapper itself). \"url\": \"own\" (it builds the backend URL) or \"argument\" (callers pass it).\n";
  if (inference.wrappers.empty()) return text + "  //   none found\n  \"wrappers\": [],\n";
  text += "  \"wrappers\": [\n";
  for (size_t i = 0; i < inference.wrappers.size(); ++i) {
    const auto& w = inference.wrappers[i];
    text += fmt::format("    // {} call{} in {} file{}, first at {}\n", w.calls, w.calls == 1 ? "" : "s", w.files,
                        w.files == 1 ? "" : "s", w.first);
    text += fmt::format("    {{ \"name\": \"{}\", \"module\": \"{}\", \"url\": \"{}\" }}{}\n", w.wrapper.name, w.wrapper.module,
                        w.wrapper.url, i + 1 < inference.wrappers.size() ? "," : "");
  }
  return text + "  ],\n";
}

// The `backends` key: what the routes build backend URLs from, inferred from the code
// (engine/backends.h), one comment line each saying how many fetches in how many files, the first
// one and the evidence, then what was looked at and not taken, and why. With none found the key
// stays commented out: routeauth then infers on every run (a list here turns inference off).
std::string backends_text(const std::string& project, const std::vector<std::string>& routes,
                          const engine::Config& defaults) {
  const auto inference = engine::infer_backends(project, routes, defaults);
  std::string text =
      "  // What backend URLs are built from: identifiers, member expressions (process.env.API_URL), calls\n"
      "  // (backendUrl()) or URL prefixes (http://localhost:8000). Inferred from the code; a list here turns\n"
      "  // inference off.\n";
  for (const auto& b : inference.accepted) {
    text += fmt::format("  //   {}: {} fetch{} in {} file{}, first at {}; {}{}\n", b.base, b.fetches,
                        b.fetches == 1 ? "" : "es", b.files, b.files == 1 ? "" : "s", b.first, b.evidence,
                        b.weak ? " (weak evidence: its module is not in the tree)" : "");
  }
  for (const auto& r : inference.rejected) {
    text += fmt::format("  //   not taken: {} ({} fetch{}): {}\n", r.base, r.fetches, r.fetches == 1 ? "" : "es", r.why);
  }
  if (inference.accepted.empty()) {
    text += fmt::format(
        "  //   none found among {} fetch{} in {} route file{}; name yours, e.g.:\n"
        "  // \"backends\": [\"process.env.API_URL\"],\n",
        inference.fetches, inference.fetches == 1 ? "" : "es", inference.route_files, inference.route_files == 1 ? "" : "s");
    return text + wrappers_text(inference);
  }
  std::vector<std::string> bases;
  for (const auto& b : inference.accepted) bases.push_back(b.base);
  text += fmt::format("  \"backends\": {},\n", quoted_list(bases));
  return text + wrappers_text(inference);
}


// What the project lacks for the routes apply will migrate to build: next-auth, and the authOptions
// module init names (a detected module no alias covers is imported by a relative path, which
// resolves by construction). Every route found counts: init does not run the rules.
std::vector<engine::MissingDependency> init_missing(const std::string& project, const std::vector<std::string>& routes,
                                                    const std::optional<engine::AuthOptionsModule>& detected) {
  engine::Config config;
  if (detected) config.auth_options_module = detected->specifier;
  std::vector<engine::RouteImports> needs;
  for (const auto& route : routes) {
    engine::RouteImports r{route, {{"next-auth", "getServerSession"}}};
    if (!config.auth_options_module.empty()) r.imports.push_back({config.auth_options_module, "authOptions"});
    needs.push_back(std::move(r));
  }
  return missing_for(needs, config, project);
}

// The config init writes: what routeauth detects in the project, every key commented; what the
// project lacks for the migrated routes to build is said in comments at the top (and printed).
std::string config_text(const std::string& project, const std::vector<std::string>& routes,
                        const engine::AuthModules& modules, const std::vector<engine::MissingDependency>& missing) {
  engine::Config defaults;
  const auto& detected = modules.auth_options;
  std::string module = defaults.auth_options_module;
  std::string module_note = "not found: the migration guide's default";
  if (detected) {
    module = detected->specifier.empty() ? "" : detected->specifier;
    module_note = fmt::format("found in {}{}", detected->file,
                              detected->specifier.empty() ? "; no tsconfig alias covers it, so routes import it by a relative path" : "");
  }
  std::string text = "{\n";
  text += fmt::format("  // routeauth settings for {} ({} route file{} found). Every key is optional; see README.md.\n",
                      project, routes.size(), routes.size() == 1 ? "" : "s");
  for (const auto& gap : missing) text += fmt::format("  // Before the migrated routes can build: {}.\n", gap.message);
  text += backends_text(project, routes, defaults);
  text += fmt::format("  // Where authOptions is imported from ({}).\n", module_note);
  if (!module.empty()) {
    text += fmt::format("  \"authOptionsModule\": \"{}\",\n", module);
  } else {
    text += fmt::format("  // \"authOptionsModule\": \"@/{}\",\n", detected->file.substr(0, detected->file.rfind('.')));
  }
  const engine::SessionApiChoice api = engine::detect_session_api(project, modules);
  text += fmt::format("  // How routes read the session: \"v4\" getServerSession(authOptions), \"v5\" auth() ({}).\n", api.why);
  text += fmt::format("  \"sessionApi\": \"{}\",\n", api.api);
  if (api.api == "v5") {
    if (modules.auth && !modules.auth->specifier.empty()) {
      text += fmt::format("  // Where auth is imported from (found in {}).\n", modules.auth->file);
      text += fmt::format("  \"authModule\": \"{}\",\n", modules.auth->specifier);
    } else if (modules.auth) {
      text += fmt::format("  // Where auth is imported from (found in {}; no tsconfig alias covers it, so routes import it by a "
                          "relative path).\n",
                          modules.auth->file);
    } else {
      text += "  // Where auth is imported from (no module making it with NextAuth(...) found: the default).\n";
      text += fmt::format("  \"authModule\": \"{}\",\n", defaults.auth_module);
    }
  }
  // The token field as the project's code reads it: the routes and the auth modules' callbacks.
  std::set<std::string> token_files;  // once each: the auth module can be a route ([...nextauth]/route.ts)
  for (const auto& route : routes) token_files.insert(fs::absolute(route).lexically_normal().string());
  for (const auto& m : {modules.auth_options, modules.auth}) {
    if (m) token_files.insert(fs::absolute(fs::path(project) / m->file).lexically_normal().string());
  }
  const engine::TokenFieldChoice token =
      engine::detect_access_token_field(std::vector<std::string>(token_files.begin(), token_files.end()));
  text += fmt::format("  // The session fields the backend needs ({}: session.accessToken read {} time{}, session.access_token "
                      "{}), and the query parameter for the tenant.\n",
                      token.field, token.camel, token.camel == 1 ? "" : "s", token.snake);
  text += fmt::format("  \"accessTokenField\": \"{}\",\n", token.field);
  text += fmt::format("  \"tenantField\": \"{}\",\n", defaults.tenant_field);
  text += fmt::format("  \"tenantParam\": \"{}\",\n", defaults.tenant_param);
  text += "  // Which methods get the read pattern (tenant on the query, no-store) and which the mutation one.\n";
  text += fmt::format("  \"readMethods\": {},\n", quoted_list(defaults.read_methods));
  text += fmt::format("  \"mutationMethods\": {},\n", quoted_list(defaults.mutation_methods));
  text += "  // Route files to take or skip (gitignore-style globs from this folder).\n";
  text += "  \"include\": [],\n";
  text += "  \"exclude\": [],\n";
  text += "  // Rules to turn off, e.g. { \"no-store\": false }.\n";
  text += "  \"rules\": {}\n";
  text += "}\n";
  return text;
}

// What --types adds to the plan: the missing Session fields merged into the project's own
// augmentation (the diff shown first), or a new types/next-auth.d.ts when it has none. kClean, or
// (said why) kUsage when init will not write the types, kFailed when a file to edit does not parse.
int plan_types(const std::string& project, const engine::Config& config, bool force, std::vector<Planned>& plan,
                Io io) {
  const auto types = engine::find_session_types(project, config);
  if (types.augmented() && types.complete()) {
    fmt::print(io.out, "routeauth: next-auth's Session already has {} and {}; no types written\n",
               types.token.path, types.tenant.path);
    return kClean;
  }
  std::vector<engine::TypesChange> changes;
  try {
    changes = engine::complete_session_types(project, config);
  } catch (const std::exception& e) {
    fmt::print(io.err, "routeauth: error: {}; nothing was written\n", e.what());
    return kFailed;
  }
  if (!types.augmented()) {
    const auto& change = changes.front();
    if (!change.created && !force) {
      fmt::print(io.err,
                 "routeauth: error: {}: exists but declares no module \"next-auth\"; add the Session augmentation "
                 "to it by hand, or run init --types --force to replace it; nothing was written\n",
                 shown(fs::path(project) / change.file));
      return kUsage;
    }
  } else {
    fmt::print(io.out, "routeauth: {}; adding {}:\n", types.describe(), types.missing());
  }
  for (const auto& change : changes) {
    const fs::path path = fs::path(project) / change.file;
    if (types.augmented()) {
      fmt::print(io.out, "{}", output::unified_diff(shown(path), change.before, change.after));
    }
    plan.push_back(Planned{path, change.after});
  }
  return kClean;
}

}  // namespace

int run_init(const InitOptions& options, Io io) {
  const std::string start = options.path.empty() ? "." : options.path;
  std::error_code ec;
  if (!fs::exists(start, ec)) {
    fmt::print(io.err, "routeauth: error: {}: no such file or directory\n", start);
    return kUsage;
  }
  const std::string project = engine::project_root(start);
  const auto routes = engine::discover({project}).files;
  const fs::path config_path = fs::path(project) / "routeauth.json";
  std::vector<Planned> plan;
  std::vector<engine::MissingDependency> missing;  // for the routes apply will migrate
  engine::Config config;  // the field names the types follow: the existing config's, else the defaults
  if (fs::exists(config_path, ec) && !options.force) {
    if (!options.types) {
      fmt::print(io.err, "routeauth: error: {} exists; run init --force to replace it\n", shown(config_path));
      return kUsage;
    }
    fmt::print(io.out, "routeauth: {} exists and is kept; writing the Session types only\n", shown(config_path));
    try {
      engine::Selection selection;
      (void)engine::load_config(config_path.string(), config, selection);
    } catch (const engine::ConfigError& e) {
      fmt::print(io.err, "routeauth: error: {}\n", e.what());
      return kUsage;
    }
  } else {
    const engine::AuthModules modules = engine::find_auth_modules(project);
    missing = init_missing(project, routes, modules.auth_options);
    plan.push_back(Planned{config_path, config_text(project, routes, modules, missing)});
  }
  if (options.types) {
    if (const int status = plan_types(project, config, options.force, plan, io); status != kClean) return status;
  }
  if (!write_all(plan, io)) return kFailed;
  for (const auto& gap : missing) {
    fmt::print(io.out, "routeauth: note: before the migrated routes can build: {}\n", gap.message);
  }
  return kClean;
}

}  // namespace routeauth::cli
