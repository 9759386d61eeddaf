#include "engine/project.h"

#include "engine/modules.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using nlohmann::json;

namespace routeauth::engine {

namespace {

std::optional<std::string> read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool exports_auth_options(const std::string& text) {
  for (const char* pattern : {"export const authOptions", "export let authOptions", "export var authOptions",
                              "export function authOptions"}) {
    if (text.find(pattern) != std::string::npos) return true;
  }
  // export { authOptions } / export { authOptions, handler as GET }
  for (size_t at = text.find("export {"); at != std::string::npos; at = text.find("export {", at + 1)) {
    const size_t close = text.find('}', at);
    const std::string clause = text.substr(at, close == std::string::npos ? std::string::npos : close - at);
    size_t name = clause.find("authOptions");
    if (name != std::string::npos) return true;
  }
  return false;
}

}  // namespace

std::string project_root(const std::string& path) {
  std::error_code ec;
  fs::path dir = fs::absolute(path, ec);
  if (!fs::is_directory(dir, ec)) dir = dir.parent_path();
  const fs::path start = dir;
  for (; !dir.empty(); dir = dir.parent_path()) {
    for (const char* marker : {"package.json", "tsconfig.json", "jsconfig.json"}) {
      if (fs::exists(dir / marker, ec)) return dir.string();
    }
    if (dir == dir.parent_path()) break;
  }
  return start.string();
}

std::string strip_jsonc(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  const size_t n = text.size();
  for (size_t i = 0; i < n; ++i) {
    const char c = text[i];
    if (c == '"') {  // a string, copied whole with its escapes
      out += c;
      for (++i; i < n; ++i) {
        out += text[i];
        if (text[i] == '\\' && i + 1 < n) {
          out += text[++i];
        } else if (text[i] == '"') {
          break;
        }
      }
      continue;
    }
    if (c == '/' && i + 1 < n && text[i + 1] == '/') {
      while (i < n && text[i] != '\n') ++i;
      out += '\n';
      continue;
    }
    if (c == '/' && i + 1 < n && text[i + 1] == '*') {
      i += 2;
      while (i + 1 < n && !(text[i] == '*' && text[i + 1] == '/')) ++i;
      ++i;
      out += ' ';
      continue;
    }
    if (c == ',') {  // a trailing comma: the next meaningful character closes the object or array
      size_t j = i + 1;
      for (;;) {
        while (j < n && std::isspace(static_cast<unsigned char>(text[j]))) ++j;
        if (j + 1 < n && text[j] == '/' && text[j + 1] == '/') {
          while (j < n && text[j] != '\n') ++j;
          continue;
        }
        if (j + 1 < n && text[j] == '/' && text[j + 1] == '*') {
          j += 2;
          while (j + 1 < n && !(text[j] == '*' && text[j + 1] == '/')) ++j;
          j += 2;
          continue;
        }
        break;
      }
      if (j < n && (text[j] == '}' || text[j] == ']')) continue;
    }
    out += c;
  }
  return out;
}

std::string alias_for(const std::string& project, const std::string& target) {
  return ModuleResolver(project).specifier_for((fs::path(project) / target).string());
}

std::optional<AuthOptionsModule> detect_auth_options(const std::string& project) {
  static const std::array<const char*, 10> bases{
      "lib/auth",          "src/lib/auth",         "auth",           "src/auth",
      "lib/auth/index",    "src/lib/auth/index",   "lib/next-auth",  "src/lib/next-auth",
      "app/api/auth/[...nextauth]/route", "src/app/api/auth/[...nextauth]/route"};
  for (const char* b : bases) {
    for (const char* ext : {".ts", ".tsx", ".js", ".mjs"}) {
      const fs::path file = fs::path(project) / (std::string(b) + ext);
      const auto text = read(file);
      if (!text || !exports_auth_options(*text)) continue;
      return AuthOptionsModule{fs::path(std::string(b) + ext).generic_string(), alias_for(project, file.string())};
    }
  }
  return std::nullopt;
}

bool session_type_augmented(const std::string& project, const Config& config) {
  std::error_code ec;
  const std::string token = config.access_token_field.substr(config.access_token_field.rfind('.') + 1);
  const std::string tenant = config.tenant_field.substr(config.tenant_field.rfind('.') + 1);
  fs::recursive_directory_iterator it(project, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const fs::path& p = it->path();
    if (it->is_directory(ec)) {
      const std::string name = p.filename().string();
      if (name == "node_modules" || name == ".next" || name == ".git") it.disable_recursion_pending();
      continue;
    }
    const std::string name = p.filename().string();
    if (!name.ends_with(".d.ts") && !name.ends_with(".ts")) continue;
    if (it->file_size(ec) > 256 * 1024) continue;
    const auto text = read(p);
    if (!text) continue;
    const size_t module = text->find("declare module");
    if (module == std::string::npos || text->find("next-auth", module) == std::string::npos) continue;
    if (text->find("interface Session") == std::string::npos) continue;
    if (text->find(token) != std::string::npos && text->find(tenant) != std::string::npos) return true;
  }
  return false;
}

std::string session_augmentation(const Config& config) {
  const std::string token = config.access_token_field.substr(config.access_token_field.rfind('.') + 1);
  const std::string tenant = config.tenant_field.substr(config.tenant_field.rfind('.') + 1);
  return fmt::format(
      "// Written by `routeauth init`: the session fields the migrated API routes read.\n"
      "import {{ DefaultSession }} from \"next-auth\";\n"
      "\n"
      "declare module \"next-auth\" {{\n"
      "  interface Session {{\n"
      "    {0}?: string;\n"
      "    user: {{\n"
      "      {1}?: string;\n"
      "    }} & DefaultSession[\"user\"];\n"
      "  }}\n"
      "}}\n",
      token, tenant);
}

}  // namespace routeauth::engine
