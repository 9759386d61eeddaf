#include "engine/config_file.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/rule.h"
#include "engine/suppressions.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace routeauth::engine {

const std::vector<ConfigKey>& config_keys() {
  static const std::vector<ConfigKey> keys{
      {"backends", "array of strings",
       "what backend URLs are built from: identifiers (BRAIN_API_URL), member expressions "
       "(process.env.API_URL), calls (backendUrl()), URL prefixes (https://api.example.com); "
       "inferred from the code when no config or flag names them"},
      {"wrappers", "array of objects",
       "the project's functions that send backend requests for their callers: { \"name\": \"proxyToBackend\", "
       "\"module\": \"lib/proxy.ts\", \"url\": \"own\" | \"argument\" }; inferred when not named"},
      {"authOptionsModule", "string", "the module authOptions is imported from (@/lib/auth)"},
      {"sessionApi", "string",
       "how a route reads the session: \"v4\" (getServerSession(authOptions)), \"v5\" (auth() from the auth "
       "module) or \"auto\" (v5 when the project's auth module exports auth from NextAuth(...) or next-auth is ^5)"},
      {"authModule", "string", "v5: the module auth is imported from (@/auth; found in the project when not set)"},
      {"accessTokenField", "string", "the session field holding the backend token (access_token)"},
      {"tenantField", "string", "the session field holding the tenant (user.tenant_id)"},
      {"tenantParam", "string", "the query parameter the backend reads the tenant from (tenant_id)"},
      {"readMethods", "array of strings", "methods that get the read pattern (GET, HEAD)"},
      {"mutationMethods", "array of strings", "methods that get the mutation pattern (POST, PUT, PATCH, DELETE)"},
      {"include", "array of strings", "only route files matching these globs (gitignore syntax, from the repo root)"},
      {"exclude", "array of strings", "skip route files matching these globs"},
      {"maxFileSize", "number or string",
       "route files larger than this are skipped with an error: bytes, or \"8MB\", \"512KB\" (4MB)"},
      {"emptyAuthorization", "string",
       "what a mutation sends with no session, no credential of its own and no caller header: \"guide\" ('') or \"omit\""},
      {"rules", "object of booleans", "turn rules on or off by id: { \"no-store\": false }"},
  };
  return keys;
}

std::optional<std::string> find_config(const std::string& start) {
  std::error_code ec;
  fs::path dir = fs::absolute(start, ec);
  if (!fs::is_directory(dir, ec)) dir = dir.parent_path();
  for (; !dir.empty(); dir = dir.parent_path()) {
    if (fs::is_regular_file(dir / "routeauth.json", ec)) return (dir / "routeauth.json").string();
    const fs::path pkg = dir / "package.json";
    if (fs::is_regular_file(pkg, ec)) {
      std::ifstream in(pkg);
      std::stringstream s;
      s << in.rdbuf();
      const json j = json::parse(s.str(), nullptr, /*allow_exceptions=*/false, /*ignore_comments=*/true);
      if (j.is_object() && j.contains("routeauth")) return pkg.string();
    }
    if (fs::exists(dir / ".git", ec)) break;  // the repository root: look no further
    if (dir == dir.parent_path()) break;
  }
  return std::nullopt;
}

std::optional<uint64_t> parse_size(std::string_view text) {
  size_t i = 0;
  uint64_t n = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    if (n > Config::kMaxFileBytesCeiling) return std::nullopt;
    n = n * 10 + static_cast<uint64_t>(text[i] - '0');
    ++i;
  }
  if (i == 0) return std::nullopt;
  std::string unit;
  for (char c : text.substr(i)) {
    if (c != ' ') unit += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  }
  uint64_t scale = 0;
  if (unit.empty() || unit == "B") scale = 1;
  if (unit == "K" || unit == "KB" || unit == "KIB") scale = 1u << 10;
  if (unit == "M" || unit == "MB" || unit == "MIB") scale = 1u << 20;
  if (unit == "G" || unit == "GB" || unit == "GIB") scale = 1u << 30;
  if (scale == 0 || n == 0 || n > Config::kMaxFileBytesCeiling / scale) return std::nullopt;
  return n * scale;
}

namespace {

std::vector<std::string> strings(const json& value, const std::string& file, const std::string& key) {
  if (!value.is_array()) throw ConfigError(fmt::format("{}: \"{}\" must be an array of strings", file, key));
  std::vector<std::string> out;
  for (const auto& v : value) {
    if (!v.is_string()) throw ConfigError(fmt::format("{}: \"{}\" must be an array of strings", file, key));
    out.push_back(v.get<std::string>());
  }
  return out;
}

// "wrappers": [{ "name": "proxyToBackend", "module": "lib/proxy.ts", "url": "own" }, ...]
std::vector<BackendWrapper> wrappers(const json& value, const std::string& file) {
  const auto bad = [&](const std::string& what) {
    return ConfigError(fmt::format("{}: \"wrappers\" {}; e.g. [{{ \"name\": \"proxyToBackend\", \"module\": "
                                   "\"lib/proxy.ts\", \"url\": \"own\" }}]",
                                   file, what));
  };
  if (!value.is_array()) throw bad("must be an array of objects");
  std::vector<BackendWrapper> out;
  for (const auto& v : value) {
    if (!v.is_object() || !v.contains("name") || !v["name"].is_string() || v["name"].get<std::string>().empty()) {
      throw bad("entries must be objects with a \"name\"");
    }
    BackendWrapper w;
    w.name = v["name"].get<std::string>();
    for (const auto& [k, field] : v.items()) {
      if (k == "name") continue;
      if ((k != "module" && k != "url") || !field.is_string()) throw bad(fmt::format("entry {}: unknown or non-string key \"{}\"", w.name, k));
    }
    if (v.contains("module")) w.module = v["module"].get<std::string>();
    if (v.contains("url")) w.url = v["url"].get<std::string>();
    if (w.url != "own" && w.url != "argument") throw bad(fmt::format("entry {}: \"url\" must be \"own\" or \"argument\"", w.name));
    out.push_back(std::move(w));
  }
  return out;
}

std::string string(const json& value, const std::string& file, const std::string& key) {
  if (!value.is_string() || value.get<std::string>().empty()) {
    throw ConfigError(fmt::format("{}: \"{}\" must be a non-empty string", file, key));
  }
  return value.get<std::string>();
}

}  // namespace

LoadedConfig load_config(const std::string& path, Config& config, Selection& selection) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(fmt::format("{}: cannot read the configuration file", path));
  std::stringstream text;
  text << in.rdbuf();
  json doc;
  try {
    doc = json::parse(text.str(), nullptr, /*allow_exceptions=*/true, /*ignore_comments=*/true);
  } catch (const json::parse_error& e) {
    throw ConfigError(fmt::format("{}: not valid JSON: {}", path, e.what()));
  }
  const bool package = fs::path(path).filename() == "package.json";
  const json& settings = package ? doc["routeauth"] : doc;
  const std::string where = package ? path + " (\"routeauth\")" : path;
  if (!settings.is_object()) throw ConfigError(fmt::format("{}: the settings must be a JSON object", where));

  LoadedConfig loaded{path, fs::path(path).parent_path().string(), false, false};
  for (const auto& [key, value] : settings.items()) {
    if (key == "$schema") continue;
    if (key == "backends") {
      config.backend_bases = strings(value, where, key);
      if (config.backend_bases.empty()) throw ConfigError(fmt::format("{}: \"backends\" must not be empty", where));
      config.backends_configured = true;
    } else if (key == "wrappers") {
      config.wrappers = wrappers(value, where);
      config.wrappers_configured = true;
    } else if (key == "authOptionsModule") {
      config.auth_options_module = string(value, where, key);
      loaded.sets_auth_options_module = true;
    } else if (key == "emptyAuthorization") {
      config.empty_authorization = string(value, where, key);
      if (config.empty_authorization != "guide" && config.empty_authorization != "omit") {
        throw ConfigError(fmt::format("{}: \"emptyAuthorization\" must be \"guide\" or \"omit\"", where));
      }
    } else if (key == "sessionApi") {
      config.session_api = string(value, where, key);
      if (config.session_api != "auto" && config.session_api != "v4" && config.session_api != "v5") {
        throw ConfigError(fmt::format("{}: \"sessionApi\" must be \"auto\", \"v4\" or \"v5\"", where));
      }
    } else if (key == "authModule") {
      config.auth_module = string(value, where, key);
      loaded.sets_auth_module = true;
    } else if (key == "accessTokenField") {
      config.access_token_field = string(value, where, key);
    } else if (key == "tenantField") {
      config.tenant_field = string(value, where, key);
    } else if (key == "tenantParam") {
      config.tenant_param = string(value, where, key);
    } else if (key == "readMethods") {
      config.read_methods = strings(value, where, key);
    } else if (key == "mutationMethods") {
      config.mutation_methods = strings(value, where, key);
    } else if (key == "include") {
      selection.include = strings(value, where, key);
    } else if (key == "exclude") {
      selection.exclude = strings(value, where, key);
    } else if (key == "maxFileSize") {
      std::optional<uint64_t> size;
      if (value.is_number_unsigned()) {
        const uint64_t n = value.get<uint64_t>();
        if (n >= 1 && n <= Config::kMaxFileBytesCeiling) size = n;
      } else if (value.is_string()) {
        size = parse_size(value.get<std::string>());
      }
      if (!size) {
        throw ConfigError(fmt::format("{}: \"maxFileSize\" must be a size from 1 byte to 1GB: a number of bytes, or a "
                                      "string like \"8MB\" or \"512KB\"",
                                      where));
      }
      config.max_file_bytes = *size;
    } else if (key == "rules") {
      if (!value.is_object()) throw ConfigError(fmt::format("{}: \"rules\" must be an object of booleans", where));
      for (const auto& [id, on] : value.items()) {
        if (!can_be_disabled(id)) {
          throw ConfigError(fmt::format("{}: \"rules\": unknown rule \"{}\"; see routeauth --list-rules", where, id));
        }
        if (!on.is_boolean()) throw ConfigError(fmt::format("{}: \"rules\".\"{}\" must be true or false", where, id));
        if (on.get<bool>()) {
          config.disabled_rules.erase(id);
        } else {
          config.disabled_rules.insert(id);
        }
      }
    } else {
      std::string known;
      for (const auto& k : config_keys()) known += fmt::format("{}{}", known.empty() ? "" : ", ", k.name);
      throw ConfigError(fmt::format("{}: unknown key \"{}\"; the keys are {}", where, key, known));
    }
  }
  return loaded;
}

}  // namespace routeauth::engine
