// What the text of a URL says about where a request goes: the literal a URL expression starts
// with, whether it starts with a configured URL prefix, and whether its host is a server on the
// developer's own machine or network (a backend the Next.js app proxies to, or the app itself).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <tree_sitter/api.h>

#include "engine/source.h"

namespace routeauth::engine {

// The literal text a URL expression starts with: a string's contents, a template's text before
// its first substitution, the left end of a `+` chain (through parentheses); nullopt otherwise.
[[nodiscard]] std::optional<std::string_view> url_literal_head(const SourceFile& file, TSNode node);

// Whether `url` starts with `http://`, `https://` or `//` (case-insensitively).
[[nodiscard]] bool absolute_url(std::string_view url);

// Whether `url` starts with the URL prefix `prefix`: scheme and host compared case-insensitively,
// then the path prefix exactly, ending at a `/`, `?`, `#` or the end of the text.
[[nodiscard]] bool url_has_prefix(std::string_view url, std::string_view prefix);

// The origin (`http://127.0.0.1:8000`, scheme and host lowercased, the port as written) of an
// absolute URL whose host is a server of the project's own: localhost, a loopback or private
// address (127.x, 10.x, 192.168.x, 172.16-31.x, [::1], 0.0.0.0), host.docker.internal, or a
// single-label name (a docker compose service: `http://backend:5000`). nullopt for any other host
// (a public name is a third party or a deployment, which only the user can tell apart) and for
// text that is not a complete origin (`http://localhost:` followed by a substitution).
[[nodiscard]] std::optional<std::string> local_server_origin(std::string_view url);

// The port of an origin from local_server_origin (80/443 when it names none).
[[nodiscard]] int origin_port(std::string_view origin);

}  // namespace routeauth::engine
