// What the rules need to know about a repository. Defaults follow the team's migration guide.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace routeauth::engine {

// A function of the project that sends the backend request for its callers (issue 13 point 3):
// `proxyToBackend(request, '/x')`, `fetchApiRoutes({ req, url })`. routeauth does not rewrite
// its calls; it reports each one, and `report` groups the routes by wrapper.
struct BackendWrapper {
  std::string name;    // the name it is exported under, as routes import it
  std::string module;  // the file that defines it, relative to the project root ("" when unknown)
  // "own": it builds the backend URL itself, so every call is a backend call; "argument": a call
  // is a backend call when one of its arguments holds a backend URL.
  std::string url = "own";
};

struct Config {
  // What a backend URL is built from: identifiers (`BRAIN_API_URL`, which also matches
  // `process.env.BRAIN_API_URL`), member expressions (`process.env.API_URL`) and helper calls
  // (`backendUrl()`).
  std::vector<std::string> backend_bases{"BRAIN_API_URL"};
  std::string auth_options_module = "@/app/api/auth/[...nextauth]/route";
  // When set, authOptions is imported from this file (absolute path) by a relative specifier
  // computed per route file: the module was detected and no tsconfig alias covers it.
  std::string auth_options_file;
  // Who named auth_options_module, for messages: "" (the guide's default, or detected in the
  // project), `"authOptionsModule" in <config file>`, or `--auth-options-module`.
  std::string auth_options_setting;
  // Which NextAuth API a new session read uses: "v4" (`getServerSession(authOptions)`), "v5"
  // (`auth()` from the project's auth module), or "auto", which a run resolves from the project
  // (engine/project.h detect_session_api) before the rules see it; the rules take "auto" as v4.
  std::string session_api = "auto";
  // v5: the module `auth` is imported from, and the detected file (absolute). An empty auth_module
  // with a detected file: no alias covers it, so routes import it by a relative path. Relative
  // imports of the detected file name the auth module too.
  std::string auth_module = "@/auth";
  std::string auth_file;
  std::string access_token_field = "access_token";
  // What a mutation sends as Authorization when there is neither a session, a credential of the
  // route's own nor a caller header: "guide" (`''`, the migration guide's form) or "omit" (no header).
  std::string empty_authorization = "guide";
  std::string tenant_field = "user.tenant_id";
  std::string tenant_param = "tenant_id";
  std::vector<std::string> read_methods{"GET", "HEAD"};
  std::vector<std::string> mutation_methods{"POST", "PUT", "PATCH", "DELETE"};
  std::set<std::string, std::less<>> disabled_rules;
  // Whether backend_bases were named by a flag or a config file; when not, they are inferred from
  // the project's code (the Project room), and the default above is only a last resort.
  bool backends_configured = false;
  // The project's backend wrappers; inferred with the backends unless the config names them
  // (`"wrappers": [...]`, which init writes).
  std::vector<BackendWrapper> wrappers;
  bool wrappers_configured = false;
  // A larger route file is skipped with an error, unread: generated or vendored code, not a
  // route someone wrote. Offsets are 32-bit, so kMaxFileBytesCeiling is the most it can be.
  uint64_t max_file_bytes = kDefaultMaxFileBytes;
  static constexpr uint64_t kDefaultMaxFileBytes = 4u << 20;
  static constexpr uint64_t kMaxFileBytesCeiling = 1u << 30;

  [[nodiscard]] bool is_read(std::string_view method) const;
  [[nodiscard]] bool is_mutation(std::string_view method) const;
  [[nodiscard]] bool uses_auth() const { return session_api == "v5"; }
  [[nodiscard]] bool rule_enabled(std::string_view id) const { return !disabled_rules.contains(id); }
};

}  // namespace routeauth::engine
