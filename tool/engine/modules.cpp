#include "engine/modules.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/project.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace routeauth::engine {

namespace {

constexpr int kMaxExtends = 3;

std::optional<json> read_jsonc(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream s;
  s << in.rdbuf();
  json doc = json::parse(strip_jsonc(s.str()), nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return std::nullopt;
  return doc;
}

bool is_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

// The config file an `extends` names, when it is a file of the project (a package's shared
// config, `@tsconfig/next`, is not followed: it holds no paths of the app's own).
std::optional<fs::path> extended(const fs::path& config, const json& doc) {
  if (!doc.contains("extends") || !doc["extends"].is_string()) return std::nullopt;
  const std::string name = doc["extends"].get<std::string>();
  if (!is_relative_specifier(name)) return std::nullopt;
  fs::path p = (config.parent_path() / name).lexically_normal();
  if (is_file(p)) return p;
  p += ".json";
  if (is_file(p)) return p;
  return std::nullopt;
}

}  // namespace

bool is_relative_specifier(std::string_view specifier) {
  return specifier == "." || specifier == ".." || specifier.starts_with("./") || specifier.starts_with("../") ||
         specifier.starts_with("/");
}

std::string package_name(std::string_view specifier) {
  if (specifier.empty() || is_relative_specifier(specifier)) return {};
  const size_t slash = specifier.find('/');
  if (specifier.front() == '@') {  // `@scope/name`: a scope of its own, and a name after it
    if (slash == std::string_view::npos || slash == 1 || slash + 1 == specifier.size()) return {};
    return std::string(specifier.substr(0, specifier.find('/', slash + 1)));
  }
  // `~/x` and `#x` are aliases (tsconfig paths, package.json imports), never packages.
  if (!std::isalnum(static_cast<unsigned char>(specifier.front()))) return {};
  return std::string(specifier.substr(0, slash));
}

ModuleResolver::ModuleResolver(std::string root) : root_(std::move(root)) {
  fs::path config;
  for (const char* name : {"tsconfig.json", "jsconfig.json"}) {
    if (is_file(fs::path(root_) / name)) {
      config = fs::path(root_) / name;
      break;
    }
  }
  bool have_base = false, have_paths = false;
  for (int level = 0; !config.empty() && level <= kMaxExtends; ++level) {
    const auto doc = read_jsonc(config);
    if (!doc) break;
    const json* options = doc->contains("compilerOptions") && (*doc)["compilerOptions"].is_object()
                              ? &(*doc)["compilerOptions"]
                              : nullptr;
    const fs::path dir = config.parent_path();
    if (options && !have_base && options->contains("baseUrl") && (*options)["baseUrl"].is_string()) {
      base_url_ = (dir / (*options)["baseUrl"].get<std::string>()).lexically_normal().string();
      while (base_url_.size() > 1 && base_url_.ends_with('/')) base_url_.pop_back();
      have_base = true;
    }
    if (options && !have_paths && options->contains("paths") && (*options)["paths"].is_object()) {
      // paths are relative to baseUrl when the config that declares them (or a nearer one) has
      // one, else to the folder of the config that declares them.
      const fs::path from = have_base ? fs::path(base_url_)
                            : options->contains("baseUrl") && (*options)["baseUrl"].is_string()
                                ? (dir / (*options)["baseUrl"].get<std::string>())
                                : dir;
      for (const auto& [pattern, targets] : (*options)["paths"].items()) {
        if (!targets.is_array()) continue;
        Alias alias{pattern, {}};
        for (const auto& t : targets) {
          if (t.is_string()) alias.targets.push_back((from / t.get<std::string>()).lexically_normal().string());
        }
        if (!alias.targets.empty()) paths_.push_back(std::move(alias));
      }
      have_paths = true;
    }
    const auto parent = extended(config, *doc);
    if (!parent) break;
    config = *parent;
  }
}

std::optional<std::string> ModuleResolver::file_or_folder(const std::string& base) const {
  const fs::path p(base);
  if (is_file(p)) return p.lexically_normal().string();
  for (const char* ext : kModuleExtensions) {
    fs::path with = p;
    with += ext;
    if (is_file(with)) return with.lexically_normal().string();
  }
  // `./x.js` written for ESM names the TypeScript source `./x.ts`.
  const std::string ext = p.extension().string();
  if (ext == ".js" || ext == ".jsx" || ext == ".mjs" || ext == ".cjs") {
    fs::path stem = p;
    stem.replace_extension();
    const char* const ts[] = {ext == ".mjs" ? ".mts" : ext == ".cjs" ? ".cts" : ".ts", ".tsx", ".d.ts"};
    for (const char* e : ts) {
      fs::path with = stem;
      with += e;
      if (is_file(with)) return with.lexically_normal().string();
    }
  }
  std::error_code ec;
  if (fs::is_directory(p, ec)) {
    for (const char* e : kModuleExtensions) {
      const fs::path index = p / (std::string("index") + e);
      if (is_file(index)) return index.lexically_normal().string();
    }
  }
  return std::nullopt;
}

const ModuleResolver::Alias* ModuleResolver::matching_alias(std::string_view specifier, std::string& star_text) const {
  // paths: an exact pattern first, then the wildcard pattern with the longest prefix.
  const Alias* best = nullptr;
  size_t best_prefix = 0;
  for (const Alias& alias : paths_) {
    const size_t star = alias.pattern.find('*');
    if (star == std::string::npos) {
      if (alias.pattern == specifier) {
        star_text.clear();
        return &alias;
      }
      continue;
    }
    const std::string_view prefix = std::string_view(alias.pattern).substr(0, star);
    const std::string_view suffix = std::string_view(alias.pattern).substr(star + 1);
    if (specifier.size() < prefix.size() + suffix.size() || !specifier.starts_with(prefix) ||
        !specifier.ends_with(suffix))
      continue;
    if (best && prefix.size() <= best_prefix) continue;
    best = &alias;
    best_prefix = prefix.size();
    star_text = std::string(specifier.substr(prefix.size(), specifier.size() - prefix.size() - suffix.size()));
  }
  return best;
}

namespace {

// The path a relative specifier names from `from_file`.
std::string relative_path(const std::string& from_file, std::string_view specifier) {
  const fs::path base = specifier.starts_with("/") ? fs::path(specifier)
                                                   : fs::absolute(from_file).parent_path() / fs::path(specifier);
  return base.lexically_normal().string();
}

// An alias target with its `*` replaced.
std::string substituted(std::string target, const std::string& star_text) {
  if (const size_t star = target.find('*'); star != std::string::npos) target.replace(star, 1, star_text);
  return target;
}

}  // namespace

std::optional<std::string> ModuleResolver::resolve(const std::string& from_file, std::string_view specifier) const {
  if (specifier.empty()) return std::nullopt;
  if (is_relative_specifier(specifier)) return file_or_folder(relative_path(from_file, specifier));
  std::string star_text;
  if (const Alias* alias = matching_alias(specifier, star_text)) {
    for (const std::string& target : alias->targets) {
      if (auto found = file_or_folder(substituted(target, star_text))) return found;
    }
  }
  if (!base_url_.empty()) return file_or_folder((fs::path(base_url_) / fs::path(specifier)).lexically_normal().string());
  return std::nullopt;
}

std::optional<std::string> ModuleResolver::intended_path(const std::string& from_file, std::string_view specifier) const {
  if (specifier.empty()) return std::nullopt;
  if (is_relative_specifier(specifier)) return relative_path(from_file, specifier);
  std::string star_text;
  if (const Alias* alias = matching_alias(specifier, star_text)) {
    return fs::path(substituted(alias->targets.front(), star_text)).lexically_normal().string();
  }
  if (!package_name(specifier).empty() || base_url_.empty()) return std::nullopt;
  return (fs::path(base_url_) / fs::path(specifier)).lexically_normal().string();
}

std::string ModuleResolver::specifier_for(const std::string& file) const {
  // The module without its extension (and without a trailing /index).
  fs::path module = fs::absolute(file).lexically_normal();
  std::string name = module.filename().string();
  if (name.ends_with(".d.ts")) {
    module.replace_filename(name.substr(0, name.size() - 5));
  } else {
    module.replace_extension();
  }
  std::string stem = module.string();
  for (const Alias& alias : paths_) {
    const size_t alias_star = alias.pattern.find('*');
    for (const std::string& target : alias.targets) {
      fs::path to_path(target);
      if (target.find('*') == std::string::npos) {
        // `"~auth": ["./lib/auth.ts"]`: an exact alias for one module.
        if (alias_star != std::string::npos) continue;
        std::string to = to_path.string();
        std::string to_stem = fs::path(to).replace_extension().string();
        if (to == module.string() || to_stem == stem || to == fs::absolute(file).lexically_normal().string())
          return alias.pattern;
        continue;
      }
      if (alias_star == std::string::npos) continue;
      const size_t star = target.find('*');
      const std::string prefix = target.substr(0, star);
      std::string suffix = target.substr(star + 1);
      for (const char* ext : kModuleExtensions) {  // `./src/*.ts`: the extension is the target's
        if (suffix.ends_with(ext)) {
          suffix.resize(suffix.size() - std::string_view(ext).size());
          break;
        }
      }
      std::string candidate = stem;
      if (!candidate.starts_with(prefix) || candidate.size() < prefix.size() + suffix.size() ||
          !candidate.ends_with(suffix))
        continue;
      std::string middle = candidate.substr(prefix.size(), candidate.size() - prefix.size() - suffix.size());
      if (middle.ends_with("/index")) middle.resize(middle.size() - 6);
      if (middle == "index") continue;  // `@/index` reads worse than a relative import
      return alias.pattern.substr(0, alias_star) + middle + alias.pattern.substr(alias_star + 1);
    }
  }
  return {};
}

}  // namespace routeauth::engine
