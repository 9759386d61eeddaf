// What routeauth learns about the Next.js project around the routes: where authOptions is
// exported and how to import it (tsconfig `paths` aliases), and whether the next-auth Session
// type is augmented with the fields the migrated code reads.
#pragma once

#include <optional>
#include <string>

#include "engine/config.h"

namespace routeauth::engine {

// The folder of the Next.js app holding `path`: the nearest one above it with a package.json,
// tsconfig.json or jsconfig.json (or the folder of `path` itself when there is none).
[[nodiscard]] std::string project_root(const std::string& path);

// Reads JSON with comments and trailing commas (tsconfig.json, jsconfig.json) as plain JSON.
[[nodiscard]] std::string strip_jsonc(const std::string& text);

struct AuthOptionsModule {
  std::string file;       // the module that exports authOptions, relative to the project root
  std::string specifier;  // how routes import it: a tsconfig alias (`@/lib/auth`), or empty
};
// Looks for the module exporting `authOptions` (`export const authOptions`, `export { authOptions }`)
// in the usual places: lib/auth, auth, src/lib/auth, src/auth, the NextAuth route.
[[nodiscard]] std::optional<AuthOptionsModule> detect_auth_options(const std::string& project);

// The import specifier for `target` (a file of the project) through the tsconfig/jsconfig
// `paths` aliases, or "" when no alias covers it.
[[nodiscard]] std::string alias_for(const std::string& project, const std::string& target);

// Whether some .d.ts / .ts file of the project augments next-auth's Session with the access
// token field and the tenant field's last part (the code the rules write reads both).
[[nodiscard]] bool session_type_augmented(const std::string& project, const Config& config);

// A `types/next-auth.d.ts` that augments Session for the configured fields.
[[nodiscard]] std::string session_augmentation(const Config& config);

}  // namespace routeauth::engine
