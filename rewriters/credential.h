// The credential a migrated backend fetch sends: exactly one Authorization value. With a session,
// the session's bearer token; without one, what the route sent before (its own value, or what a
// spread, helper or Headers object already holds), and the caller's `authorization` header only
// where the route sent none of its own. The code that writes it is built here, through the file's
// Style, for the auth-header rule.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "rewriters/common.h"

namespace routeauth::rewriters {

// `session?.access_token ? `Bearer ${session.access_token}` : <fallback>`, laid out over three
// lines below `indent` (or on one line when `inline_layout`). The fallback is `previous` (the
// route's own previous value, an operand as fallback_operand writes it) or the guide's
// `(req.headers.get('authorization') || '')`.
[[nodiscard]] std::string bearer_expression(const RouteFile& route, const engine::Config& config,
                                            std::string_view session, std::string_view request,
                                            const std::string& indent, bool inline_layout,
                                            std::optional<std::string> previous = std::nullopt);

// emptyAuthorization "omit": a spread that adds Authorization only when there is something to
// send, `...(session?.access_token || req.headers.get('authorization') ? { 'Authorization': ... } : {})`.
[[nodiscard]] std::string omitted_when_empty(const RouteFile& route, const engine::Config& config,
                                             std::string_view session, std::string_view request,
                                             const std::string& indent, bool inline_layout);

// `value`'s text as the operand of `?:` : parenthesised unless it is a primary expression.
[[nodiscard]] std::string fallback_operand(const RouteFile& route, TSNode value);

// Whether `value` is the caller's header and nothing else: `<request>.headers.get('authorization')`,
// alone or with `!`, `|| ''` or `?? ''`. The guide's else-if sends exactly that.
[[nodiscard]] bool plain_caller_read(const RouteFile& route, TSNode value, std::string_view request);

// The guide's headers statements for a read (and for a mutation whose headers come from
// somewhere routeauth cannot see): an optional declaration, then the if/else that sets
// Authorization from the session or, failing that, from what was there before.
struct GuideBlock {
  std::string name;
  std::optional<std::string> init;      // declare `name` with this initialiser
  bool annotate = false;                // `: HeadersInit`
  bool use_set = false;                 // a Headers instance: .set(...) instead of [...] =
  bool keep_existing = false;           // opaque source: the caller's header only when it holds none
  std::optional<std::string> previous;  // the route's own previous value: the else branch sends it
  std::string key = "Authorization";    // the key written (an object keeps the case it already has)
};
[[nodiscard]] std::string render_guide_block(const RouteFile& route, const engine::Config& config,
                                             const GuideBlock& block, std::string_view session,
                                             std::string_view request, const std::string& indent);

}  // namespace routeauth::rewriters
