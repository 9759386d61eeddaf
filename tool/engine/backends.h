// Backend inference: when neither a flag nor the config names `backends`, what the project's
// routes build their backend URLs from, read off the code. Every fetch's URL is classified by
// where its base comes from, following the file's own data flow (the route model's classifier)
// and the project's imports a few hops (tsconfig/jsconfig `paths`, relative specifiers, `index`
// files, re-exports); nothing is executed. A base derived from a server-side env var, or from a
// constant or URL-building function of the project's own that derives from one, is a backend
// candidate; a known third-party or own-origin source is not, nor is a literal absolute URL.
#pragma once

#include <string>
#include <vector>

#include "engine/config.h"

namespace routeauth::engine {

struct InferredBackend {
  std::string base;      // a `backends` entry: process.env.X, X, env.X, x()
  size_t fetches = 0;    // fetches whose URL is built from it
  size_t files = 0;      // route files holding them
  std::string first;     // path:line of the first one (path relative to the project)
  std::string evidence;  // where it comes from ("process.env.API_URL in lib/api.ts")
  bool weak = false;     // its module is not in the tree: judged by the call's shape only
};

struct RejectedBackend {
  std::string base;
  std::string why;
  size_t fetches = 0;
};

// A backend wrapper the routes call (Config::wrappers), and how often.
struct InferredWrapper {
  BackendWrapper wrapper;
  size_t calls = 0;   // backend calls through it in handlers
  size_t files = 0;   // route files holding them
  std::string first;  // path:line of the first one
};

struct BackendInference {
  std::vector<InferredBackend> accepted;  // most fetches first
  std::vector<RejectedBackend> rejected;
  std::vector<InferredWrapper> wrappers;  // most calls first
  size_t route_files = 0;
  size_t fetches = 0;  // every fetch call seen in the route files
  size_t modules_parsed = 0;  // files parsed besides the routes (what they import), for tests
};

// The env var names (case-insensitive substrings) that are third-party services or the app's own
// origin, never its backend: NEXTAUTH_URL, VERCEL_URL, SUPABASE, STRIPE, ...
[[nodiscard]] const std::vector<std::string>& default_not_backends();

// Why the env var `name` is not a backend base ("" when it may be one).
[[nodiscard]] std::string not_backend_reason(std::string_view name);

// Infers the bases over `route_files` (paths) of the project at `project`. `config` gives the rest
// of the settings the route model needs; its backend_bases are ignored.
[[nodiscard]] BackendInference infer_backends(const std::string& project, const std::vector<std::string>& route_files,
                                              const Config& config);

// `process.env.SERVER_URL (43 fetches in 29 files), backendUrl() (89 in 74)`.
[[nodiscard]] std::string describe_inferred(const BackendInference& inference);

// `proxyToBackend (app/api/_lib/proxy.ts: 33 calls in 20 files), fetchApiRoutes (...)`.
[[nodiscard]] std::string describe_wrappers(const BackendInference& inference);

}  // namespace routeauth::engine
