// How a route reads the NextAuth session: the functions it may already read it with, and the read
// routeauth writes when a handler has none (the `sessionApi` setting).
//
//   v4     import { getServerSession } from "next-auth";          (or "next-auth/next")
//          import { authOptions } from "@/app/api/auth/[...nextauth]/route";
//          const session = await getServerSession(authOptions);
//   v5     import { auth } from "@/auth";                         (the project's auth module)
//          const session = await auth();
//   token  import { getToken } from "next-auth/jwt";               (recognised, never written)
//          const token = await getToken({ req });
//
// getToken's token plays the session's part: its token field is the bearer and its tenant the
// tenant, both read flat on the token (`token.access_token`, `token.tenant_id` for the session's
// `user.tenant_id`), where NextAuth's jwt callback keeps what the session callback nests.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "rewriters/common.h"

namespace routeauth::rewriters {

// A function this route can read the session with, under its local name.
struct SessionReader {
  SessionApi api;
  std::string local;
};

// getServerSession from next-auth or next-auth/next (under its alias; by its own name when the
// file does not import it, so a hand-written call is found and its imports added), auth from the
// project's auth module, getToken from next-auth/jwt.
[[nodiscard]] std::vector<SessionReader> session_readers(const RouteFile& route, const engine::Config& config);

// Whether `source`, imported by this route, is the project's auth module (v5's auth): the
// configured or detected specifier, a relative path to the detected file, or a path of the
// project's own (relative, `@/`, `~/`, `#`) whose last segment is `auth`.
[[nodiscard]] bool is_auth_module(const RouteFile& route, const engine::Config& config, std::string_view source);

// The local name of `auth` imported from the auth module, or "auth".
[[nodiscard]] std::string auth_name(const RouteFile& route, const engine::Config& config);

// How this route imports a module of the project: `specifier`, or, when `file` (an absolute path:
// a detected module no alias covers) is set, the relative path from the route (`../../lib/auth`).
[[nodiscard]] std::string project_specifier(const RouteFile& route, const std::string& specifier,
                                            const std::string& file);

// Where this route imports v5's auth from.
[[nodiscard]] std::string auth_specifier(const RouteFile& route, const engine::Config& config);

// The call a new session read makes: `auth()` (v5) or `getServerSession(authOptions)`, with the
// file's local names; v4 passes the options the file's other getServerSession calls pass, when
// one passes a single name (`getServerSession(authConfig)`).
[[nodiscard]] std::string new_session_call(const RouteFile& route, const engine::Config& config);

// What the handlers that call the backend need imported: getServerSession (a v4 read to write, or
// a getServerSession call already there), authOptions (a v4 read to write, or a call already there
// that passes it or nothing: one passing options of its own, `getServerSession(authConfig)`, needs
// none), auth (a v5 read to write).
struct SessionNeeds {
  bool server_session = false;
  bool auth_options = false;
  bool auth = false;
};
[[nodiscard]] SessionNeeds session_needs(const RouteFile& route, const engine::Config& config);

// Where the name `auth` comes from when it is bound to something other than the auth module's
// auth (`'firebase/auth'`, "this file"); "" when it is free or is the auth module's.
[[nodiscard]] std::string auth_source(const RouteFile& route, const engine::Config& config);

// The settings as the read `api` holds the session's fields: getToken's token holds each flat
// (the last part of accessTokenField and tenantField); the others as configured.
[[nodiscard]] engine::Config read_settings(const engine::Config& config, SessionApi api);

}  // namespace routeauth::rewriters
