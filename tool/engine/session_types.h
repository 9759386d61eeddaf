// The project's own next-auth type augmentation: which `declare module "next-auth"` blocks it has,
// whether their Session gives the migrated code the two fields it reads (the access token on
// Session, the tenant on Session["user"]), and the minimal edit that adds what is missing.
#pragma once

#include <string>
#include <vector>

#include "engine/config.h"

namespace routeauth::engine {

// A session field the migrated code reads, as the configuration names it: "access_token" lives on
// Session, "user.tenant_id" on the type of Session's `user` member.
struct SessionField {
  std::string path;    // the configured path below the session: "user.tenant_id"
  std::string member;  // the last part: "tenant_id"
  bool on_user = false;  // on Session["user"] (a two-part path) instead of on Session itself
  bool declared = false;  // some block of the project declares it
};

struct SessionTypes {
  // The project's files (relative to the project root, path order) holding a `declare module
  // "next-auth"` (either quote), and whether one of them declares `interface Session`.
  std::string root;  // the project root, absolute
  std::vector<std::string> files;
  bool has_session = false;
  SessionField token, tenant;

  [[nodiscard]] bool augmented() const { return !files.empty(); }
  [[nodiscard]] bool complete() const { return token.declared && tenant.declared; }
  // The missing fields by configured path, "access_token and user.tenant_id" ("" when complete).
  [[nodiscard]] std::string missing() const;
  // Said after apply and by init: `types/next-auth.d.ts declares module "next-auth" but its Session
  // lacks access_token` (several files: `a.d.ts and b.d.ts declare ...`), the paths relative to
  // the current folder.
  [[nodiscard]] std::string describe() const;
};

// Every `declare module "next-auth"` among the project's own .ts/.d.ts files (ProjectTree's
// walk and bounds), parsed with tree-sitter. A field declared in any block counts. Session's
// `user` member is followed through intersections and parentheses to its object types, and
// through a type name to an `interface` of that name in a next-auth block (`user: User`).
[[nodiscard]] SessionTypes find_session_types(const std::string& project, const Config& config);

// One file the completion changes or creates.
struct TypesChange {
  std::string file;    // relative to the project root
  std::string before;  // its bytes now ("" for a new file)
  std::string after;   // its bytes with the fields added
  bool created = false;
};

// The edit that gives the project's augmentation the missing fields, each where it belongs:
// the token on the first Session interface, the tenant into the object type (or interface) of
// the first Session's `user` member; a `user?: { ... } & DefaultSession["user"]` member when
// Session has none (importing DefaultSession when the file does not); an `interface Session`
// in the first block when there is none. New members follow the indentation and separators of
// their neighbours. Empty when nothing is missing; without an augmentation, a new
// types/next-auth.d.ts (session_augmentation). Throws std::runtime_error when a file to edit does
// not parse (path:line:col), or the edited text would not.
[[nodiscard]] std::vector<TypesChange> complete_session_types(const std::string& project, const Config& config);

// A `types/next-auth.d.ts` that augments Session for the configured fields.
[[nodiscard]] std::string session_augmentation(const Config& config);

}  // namespace routeauth::engine
