// routeauth init: a commented routeauth.json with what routeauth detects in the project, and with
// --types a next-auth Session augmentation the migrated code needs to type-check.
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <filesystem>
#include <map>
#include <ostream>
#include <regex>

#include "cli/commands.h"
#include "engine/discover.h"
#include "engine/project.h"
#include "output/write.h"

namespace fs = std::filesystem;

namespace routeauth::cli {

namespace {

// The base identifiers the routes build backend URLs from: `const X = process.env.X ...` with a
// name ending in URL, the most common first; the guide's BRAIN_API_URL when there is none.
std::vector<std::string> detect_backends(const std::vector<std::string>& routes) {
  static const std::regex declaration(R"(const\s+([A-Z][A-Z0-9_]*URL)\s*=\s*process\.env\.)");
  std::map<std::string, int> counts;
  for (const auto& route : routes) {
    std::string text;
    try {
      text = output::read_file(route);
    } catch (const std::exception&) {
      continue;
    }
    for (auto it = std::sregex_iterator(text.begin(), text.end(), declaration); it != std::sregex_iterator(); ++it) {
      ++counts[(*it)[1]];
    }
  }
  std::vector<std::pair<int, std::string>> ranked;
  for (const auto& [name, n] : counts) ranked.emplace_back(-n, name);
  std::sort(ranked.begin(), ranked.end());
  std::vector<std::string> out;
  for (const auto& r : ranked) out.push_back(r.second);
  if (out.empty()) out.push_back("BRAIN_API_URL");
  return out;
}

std::string quoted_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += fmt::format("{}\"{}\"", i ? ", " : "", items[i]);
  return out + "]";
}

bool write_new(const fs::path& path, const std::string& text, bool force, Io io) {
  std::error_code ec;
  if (fs::exists(path, ec) && !force) {
    fmt::print(io.err, "routeauth: error: {} exists; run init --force to replace it\n", path.string());
    return false;
  }
  fs::create_directories(path.parent_path(), ec);
  if (!fs::exists(path, ec)) {
    std::FILE* f = std::fopen(path.c_str(), "wb");  // created empty, then replaced atomically
    if (!f) {
      fmt::print(io.err, "routeauth: error: {}: cannot create\n", path.string());
      return false;
    }
    std::fclose(f);
  }
  output::write_atomically(path.string(), text);
  fmt::print(io.out, "routeauth: wrote {}\n", path.string());
  return true;
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
  engine::Config defaults;
  const auto detected = engine::detect_auth_options(project);
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
  text += "  // What backend URLs are built from: identifiers, member expressions (process.env.API_URL), calls (backendUrl()).\n";
  text += fmt::format("  \"backends\": {},\n", quoted_list(detect_backends(routes)));
  text += fmt::format("  // Where authOptions is imported from ({}).\n", module_note);
  if (!module.empty()) {
    text += fmt::format("  \"authOptionsModule\": \"{}\",\n", module);
  } else {
    text += fmt::format("  // \"authOptionsModule\": \"@/{}\",\n", detected->file.substr(0, detected->file.rfind('.')));
  }
  text += "  // The session fields the backend needs, and the query parameter for the tenant.\n";
  text += fmt::format("  \"accessTokenField\": \"{}\",\n", defaults.access_token_field);
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
  if (!write_new(fs::path(project) / "routeauth.json", text, options.force, io)) return kUsage;

  if (options.types) {
    if (engine::session_type_augmented(project, defaults)) {
      fmt::print(io.out, "routeauth: next-auth's Session is already augmented; no types written\n");
    } else if (!write_new(fs::path(project) / "types" / "next-auth.d.ts", engine::session_augmentation(defaults),
                          options.force, io)) {
      return kUsage;
    }
  }
  return kClean;
}

}  // namespace routeauth::cli
