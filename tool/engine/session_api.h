// Which NextAuth API the project reads the session with, and which session field holds the
// backend token: what `sessionApi: "auto"` resolves to on every run, and what `init` writes.
//
//   v4  `const session = await getServerSession(authOptions)`  (next-auth 4)
//   v5  `const session = await auth()`, `auth` from the project's auth module, which makes it with
//       NextAuth(...) (`export const { auth, handlers } = NextAuth({ ... })`)
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "engine/project.h"

namespace routeauth::engine {

struct SessionApiChoice {
  std::string api;  // "v4" or "v5"
  std::string why;  // "auth.ts exports auth from NextAuth(...)", "next-auth ^5.0.0-beta.19 in package.json"
};

// The version range of next-auth in the nearest package.json at or above `project` that depends on
// it (dependencies, devDependencies or peerDependencies), with that file's path relative to
// `project`; empty strings when none does.
struct NextAuthDependency {
  std::string range;
  std::string package_json;
};
[[nodiscard]] NextAuthDependency next_auth_dependency(const std::string& project);

// Whether a version range names next-auth 5: `5.0.0-beta.25`, `^5.0.0-beta.19`, `~5`, `>=5`, `beta`
// (the tag v5's guide installs).
[[nodiscard]] bool is_next_auth_5(std::string_view range);

// "auto" resolved: v5 when the project's auth module makes `auth` with NextAuth(...) and no module
// exports authOptions, or when next-auth's version is 5; else v4.
[[nodiscard]] SessionApiChoice detect_session_api(const std::string& project, const AuthModules& modules);

// The session field holding the backend token, as the project's code reads it: the more frequent
// of `accessToken` and `access_token` in `session.X` / `session?.X` / `session!.X` reads and
// writes, over `files` (the routes and the auth module with its callbacks). access_token (the
// guide's) when neither appears or they tie.
struct TokenFieldChoice {
  std::string field;
  size_t camel = 0;  // session.accessToken
  size_t snake = 0;  // session.access_token
};
[[nodiscard]] TokenFieldChoice detect_access_token_field(const std::vector<std::string>& files);

}  // namespace routeauth::engine
