#include "engine/session_api.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using nlohmann::json;

namespace routeauth::engine {

namespace {

bool identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

NextAuthDependency next_auth_dependency(const std::string& project) {
  std::error_code ec;
  const fs::path start = fs::absolute(project, ec).lexically_normal();
  for (fs::path dir = start; !dir.empty(); dir = dir.parent_path()) {
    const fs::path file = dir / "package.json";
    if (fs::is_regular_file(file, ec)) {
      const json doc = json::parse(read(file), nullptr, /*allow_exceptions=*/false);
      if (doc.is_object()) {
        for (const char* section : {"dependencies", "devDependencies", "peerDependencies"}) {
          const auto deps = doc.find(section);
          if (deps == doc.end() || !deps->is_object()) continue;
          const auto version = deps->find("next-auth");
          if (version != deps->end() && version->is_string()) {
            return {version->get<std::string>(), file.lexically_relative(start).generic_string()};
          }
        }
      }
    }
    if (fs::exists(dir / ".git", ec) || dir == dir.parent_path()) break;
  }
  return {};
}

bool is_next_auth_5(std::string_view range) {
  if (range == "beta") return true;
  size_t i = 0;
  while (i < range.size() && (range[i] == '^' || range[i] == '~' || range[i] == '>' || range[i] == '=' ||
                              range[i] == 'v' || range[i] == ' ')) {
    ++i;
  }
  range.remove_prefix(i);
  return range.starts_with("5") && (range.size() == 1 || range[1] == '.' || range[1] == ' ' || range[1] == '-');
}

SessionApiChoice detect_session_api(const std::string& project, const AuthModules& modules) {
  if (modules.auth && !modules.auth_options) {
    return {"v5", fmt::format("{} exports auth from NextAuth(...)", modules.auth->file)};
  }
  const NextAuthDependency dependency = next_auth_dependency(project);
  if (is_next_auth_5(dependency.range)) {
    return {"v5", fmt::format("next-auth {} in {}", dependency.range, dependency.package_json)};
  }
  if (!dependency.range.empty()) {
    return {"v4", fmt::format("next-auth {} in {}", dependency.range, dependency.package_json)};
  }
  return {"v4", "no NextAuth v5 auth module and no next-auth 5 dependency found"};
}

TokenFieldChoice detect_access_token_field(const std::vector<std::string>& files) {
  static constexpr std::string_view kSession = "session";
  TokenFieldChoice choice;
  for (const std::string& path : files) {
    const std::string text = read(path);
    for (size_t at = text.find(kSession); at != std::string::npos; at = text.find(kSession, at + 1)) {
      if (at > 0 && identifier_char(text[at - 1])) continue;
      size_t i = at + kSession.size();
      auto blanks = [&] {
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) ++i;
      };
      blanks();
      if (i < text.size() && (text[i] == '?' || text[i] == '!')) ++i;
      if (i >= text.size() || text[i] != '.') continue;
      ++i;
      blanks();
      size_t end = i;
      while (end < text.size() && identifier_char(text[end])) ++end;
      const std::string_view name(text.data() + i, end - i);
      if (name == "accessToken") ++choice.camel;
      if (name == "access_token") ++choice.snake;
    }
  }
  choice.field = choice.camel > choice.snake ? "accessToken" : "access_token";
  return choice;
}

}  // namespace routeauth::engine
