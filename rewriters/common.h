// What several rewriters share: names in scope, the session a handler reads, the request it
// receives, imports, and layout-aware insertion into blocks, lists and objects. Every piece of
// inserted code is laid out here through the file's Style, never ad hoc in a rule.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/rule.h"

namespace routeauth::rewriters {

using engine::Edit;
using engine::Handler;
using engine::RouteFile;

// A function, arrow or method node: its body is another scope.
[[nodiscard]] bool is_function_like(TSNode node);

// ---- names ---------------------------------------------------------------------------------
// Every name declared in `scope` (and below it: nested functions too, so a new name never
// shadows and is never shadowed), plus the module's top-level names.
[[nodiscard]] std::set<std::string, std::less<>> declared_names(const RouteFile& route, TSNode scope);
// `base`, or `base2`, `base3`, ... : the first not in `taken`.
[[nodiscard]] std::string fresh_name(std::string_view base, const std::set<std::string, std::less<>>& taken);

// The local names of getServerSession and authOptions (their aliases when imported under one).
[[nodiscard]] std::string session_function_name(const RouteFile& route);
[[nodiscard]] std::string auth_options_name(const RouteFile& route);

// ---- the session a handler reads -------------------------------------------------------------
// What reads the session (rewriters/session_read.h): v4's getServerSession (next-auth,
// next-auth/next), v5's auth() from the project's auth module, or getToken (next-auth/jwt), whose
// token plays the session's part.
enum class SessionApi { server_session, auth, token };

struct SessionPlan {
  std::string name;      // the variable holding the session (existing or to be declared)
  bool exists = false;   // a `const <name> = await getServerSession(...)` (or auth(), getToken()) is there already
  bool destructured = false;  // `const { user } = await getServerSession(...)`: no name to use
  SessionApi api = SessionApi::server_session;  // what the existing read calls
  std::string function;  // its callee as the file names it (`getServerSession`, `auth`), when it exists
  TSNode declaration{};    // the existing declarator, or null
  TSNode block{};          // where a new declaration goes (try block or body), null for an
                         // expression-bodied arrow
};
[[nodiscard]] SessionPlan plan_session(const RouteFile& route, const Handler& handler, const engine::Config& config);

// Whether `expr` reads `<session>.<field>` (with or without `?.` and `!`).
[[nodiscard]] bool reads_session_field(const RouteFile& route, TSNode expr, std::string_view session,
                                       std::string_view field_path);
[[nodiscard]] inline bool reads_session_token(const RouteFile& route, TSNode expr, std::string_view session,
                                              const engine::Config& config) {
  return reads_session_field(route, expr, session, config.access_token_field);
}
// `session?.user?.tenant_id` for the guard, `session.user.tenant_id` for the value.
[[nodiscard]] std::string optional_chain(std::string_view session, std::string_view field_path);

// ---- imports ---------------------------------------------------------------------------------
// The edits adding `name` to an existing value import (its braces, or after its default
// import), or none when it cannot take one (a namespace import, `import type`).
[[nodiscard]] std::vector<Edit> merge_into_import(const RouteFile& route, const engine::Import& imp,
                                                  std::string_view name);
// The semicolon of a new import line: as the file's imports end when they agree more often than
// not (the new lines sit next to them), else the file's.
[[nodiscard]] std::string_view import_semi(const RouteFile& route);
// Whether an import binds `local` for types only (`import type { x }`, `import { type x }`): it
// cannot be used as a value, and a value import of the same name would be a duplicate.
[[nodiscard]] bool bound_as_type_only(const RouteFile& route, std::string_view local);
// Whether the session imports need a person first (session-import reports why): getServerSession
// from another module, or a name the session call needs bound as a type (v5: `auth` bound to
// something other than the auth module's, when a handler needs a new read). The rules that build
// on the session leave such a file alone rather than write code against the wrong names.
[[nodiscard]] bool session_imports_blocked(const RouteFile& route, const engine::Config& config);
// An edit inserting whole import lines (each ending with the file's EOL) where new imports go:
// after the last import, after a directive prologue, or at the top.
[[nodiscard]] Edit insert_import_lines(const RouteFile& route, std::string lines);

// ---- layout ----------------------------------------------------------------------------------
// The indentation of the line holding `offset`.
[[nodiscard]] std::string indentation(const RouteFile& route, uint32_t offset);
// Re-indents the lines after the first of `text` from `from` to `to` (a moved block).
[[nodiscard]] std::string reindent(std::string_view text, std::string_view from, std::string_view to,
                                   std::string_view eol);
// Inserts statements (already indented for the block, each line ending with EOL) as the first
// statements of `block` (a statement_block).
[[nodiscard]] Edit insert_at_block_start(const RouteFile& route, TSNode block,
                                         const std::function<std::string(const std::string& indent)>& make);
// Whether `statement` stands in a block, where statements can be inserted before it (not the
// expression body of an arrow function).
[[nodiscard]] bool in_block(TSNode statement);
// Inserts statements before `statement`, at its indentation.
[[nodiscard]] Edit insert_before_statement(const RouteFile& route, TSNode statement,
                                           const std::function<std::string(const std::string& indent)>& make);
// Appends an item to a comma-separated container (object, named imports, arguments), following
// its layout: one per line (indented like the last item, trailing comma kept) or inline.
// `make` gets the item's indentation (for multi-line items).
// A comment after the last item (`a, // why`) stays with it: the new line goes after the comment.
[[nodiscard]] std::vector<Edit> append_item(const RouteFile& route, TSNode container,
                                            const std::function<std::string(const std::string& indent)>& make);
inline void add(std::vector<Edit>& fix, std::vector<Edit> edits) {
  fix.insert(fix.end(), std::make_move_iterator(edits.begin()), std::make_move_iterator(edits.end()));
}
inline void add(std::vector<Edit>& fix, Edit edit) { fix.push_back(std::move(edit)); }
// Removes an item of a comma-separated container with its separator (and its line, when alone).
[[nodiscard]] Edit remove_item(const RouteFile& route, TSNode item);

// ---- objects ---------------------------------------------------------------------------------
// The property of an object literal whose key is `key` (case-insensitive; quoted or not).
[[nodiscard]] TSNode find_property(const RouteFile& route, TSNode object, std::string_view key);
// The key text of a pair, unquoted.
[[nodiscard]] std::string property_key(const RouteFile& route, TSNode pair);

}  // namespace routeauth::rewriters
