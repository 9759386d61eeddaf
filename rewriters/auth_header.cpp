#include "rewriters/auth_header.h"

#include <fmt/format.h>

#include <cctype>

#include <algorithm>

#include "rewriters/common.h"
#include "rewriters/request.h"
#include "rewriters/session_read.h"
#include "rewriters/credential.h"

namespace routeauth::rewriters {

using namespace engine;

namespace {

// Where a backend fetch's headers come from.
enum class Kind {
  no_options,       // fetch(url)
  no_headers,       // fetch(url, { method })
  inline_object,    // fetch(url, { headers: { ... } })
  local_object,     // const h = { ... }  ...  fetch(url, { headers: h })
  local_instance,   // const h = new Headers(...)  ...  fetch(url, { headers: h })
  inline_instance,  // fetch(url, { headers: new Headers({ ... }) })
  external,         // a module-level variable, a parameter, a helper call: spread, don't mutate
  opaque_options,   // fetch(url, options): built elsewhere
};

struct Site {
  Kind kind = Kind::no_options;
  TSNode options{};      // the options object
  TSNode property{};     // the `headers` pair or shorthand property
  TSNode value{};        // the headers expression (an identifier for shorthand)
  TSNode declarator{};   // local_*: the variable's declarator
  TSNode object{};       // the object literal holding the headers' keys (inline or local), or null
  // The headers may already hold an Authorization routeauth cannot see, in any case (a spread of
  // a helper's result, a parameter, a Headers built from one): the session's token goes through a
  // Headers instance, whose `.set` and `.has` ignore case, and what they held is the fallback.
  bool opaque = false;
};

bool is_headers_instance(const RouteFile& route, TSNode node) {
  return is(node, "new_expression") && text(route.source(), field(node, "constructor")) == "Headers";
}

TSNode first_argument(TSNode call) {
  TSNode args = field(call, "arguments");
  return ts_node_is_null(args) ? TSNode{} : ts_node_named_child(args, 0);
}

// A module-level `const name = ...` declarator, or null.
TSNode module_constant(const RouteFile& route, std::string_view name) {
  TSNode found{};
  for_each_named_child(route.root, [&](TSNode statement) {
    if (is(statement, "export_statement")) statement = field(statement, "declaration");
    if (!is(statement, "lexical_declaration") || text(route.source(), statement).rfind("const", 0) != 0) return;
    for_each_named_child(statement, [&](TSNode d) {
      if (is(d, "variable_declarator") && text(route.source(), field(d, "name")) == name) found = d;
    });
  });
  return found;
}

// Whether headers built from `expr` may hold an Authorization routeauth cannot see: a spread, a
// variable or a `new Headers(...)` argument that is not (through local or module-level constants)
// an object literal of visible keys. `top`: the keys of this literal are the fetch's own, seen
// and handled; below it, an Authorization key is a credential to keep.
// The session a handler reads, for telling the token routeauth wrote from any other value.
struct Token {
  std::string_view session;
  const Config& config;
};

bool may_hold_authorization(const RouteFile& route, const Handler& handler, const Token& token, TSNode expr,
                            uint32_t before, bool top = false, int depth = 0) {
  if (ts_node_is_null(expr)) return false;
  if (depth > 4) return true;
  if (is(expr, "parenthesized_expression")) expr = ts_node_named_child(expr, 0);
  if (is(expr, "object")) {
    if (!top && !ts_node_is_null(find_property(route, expr, "authorization"))) return true;
    bool found = false;
    for_each_named_child(expr, [&](TSNode c) {
      // A spread of the session's token (emptyAuthorization "omit") is routeauth's own.
      found = found || (is(c, "spread_element") && !reads_session_token(route, c, token.session, token.config) &&
                        may_hold_authorization(route, handler, token, ts_node_named_child(c, 0), before, false,
                                               depth + 1));
    });
    return found;
  }
  if (is_headers_instance(route, expr)) {
    return may_hold_authorization(route, handler, token, first_argument(expr), before, top, depth + 1);
  }
  if (is(expr, "identifier") || is(expr, "shorthand_property_identifier")) {
    const std::string_view name = text(route.source(), expr);
    TSNode d = local_declarator(route, handler, name, before);
    if (ts_node_is_null(d)) d = module_constant(route, name);
    if (ts_node_is_null(d) || ts_node_is_null(field(d, "value"))) return true;  // a parameter, an import
    return may_hold_authorization(route, handler, token, field(d, "value"), ts_node_start_byte(d), false, depth + 1);
  }
  return true;  // a call, an await, a member: any shape
}

Site locate(const RouteFile& route, const Handler& handler, const Fetch& fetch, const Token& token) {
  Site site;
  if (ts_node_is_null(fetch.options)) return site;
  if (!is(fetch.options, "object")) {
    site.kind = Kind::opaque_options;
    return site;
  }
  site.options = fetch.options;
  site.property = find_property(route, fetch.options, "headers");
  if (ts_node_is_null(site.property)) {
    site.kind = Kind::no_headers;
    return site;
  }
  site.value = is(site.property, "pair") ? field(site.property, "value") : site.property;
  if (is(site.value, "object")) {
    site.kind = Kind::inline_object;
    site.object = site.value;
  } else if (is_headers_instance(route, site.value)) {
    site.kind = Kind::inline_instance;
    TSNode first = first_argument(site.value);
    if (is(first, "object")) site.object = first;
  } else if (is(site.value, "identifier") || is(site.value, "shorthand_property_identifier")) {
    site.declarator = local_declarator(route, handler, text(route.source(), site.value), ts_node_start_byte(fetch.call));
    TSNode init = ts_node_is_null(site.declarator) ? TSNode{} : field(site.declarator, "value");
    if (is(init, "object")) {
      site.kind = Kind::local_object;
      site.object = init;
    } else if (is_headers_instance(route, init)) {
      site.kind = Kind::local_instance;
    } else {
      site.kind = Kind::external;
    }
  } else {
    site.kind = Kind::external;
  }
  const uint32_t at = ts_node_start_byte(fetch.call);
  switch (site.kind) {
    case Kind::inline_object:
    case Kind::inline_instance:
    case Kind::local_object:  // the literal's own keys are seen (a forwarded Authorization is replaced)
      site.opaque = may_hold_authorization(route, handler, token,
                                           ts_node_is_null(site.object) ? site.value : site.object, at, true);
      break;
    case Kind::local_instance:  // `.set` on it: any Authorization it was built with is kept as the fallback
      site.opaque = may_hold_authorization(route, handler, token, first_argument(field(site.declarator, "value")), at);
      break;
    case Kind::external:
      site.opaque = may_hold_authorization(route, handler, token, site.value, at);
      break;
    default:
      break;
  }
  return site;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Whether a statement of the handler sets the Authorization header of `var` from the session.
bool assigns_token(const RouteFile& route, const Handler& handler, std::string_view var, std::string_view session,
                   const Config& config) {
  bool found = false;
  walk_named(route, handler.function, [&](TSNode n) {
    if (found) return false;
    if (is(n, "expression_statement")) {
      const std::string t = lower(text(route.source(), n));
      found = t.find("authorization") != std::string::npos && t.find(lower(var)) != std::string::npos &&
              reads_session_token(route, n, session, config);
      return false;
    }
    return true;
  });
  return found;
}

TSNode authorization_pair(const RouteFile& route, TSNode object) {
  if (ts_node_is_null(object)) return TSNode{};
  TSNode p = find_property(route, object, "authorization");
  return is(p, "pair") ? p : TSNode{};
}

// Whether `value` passes on the caller's Authorization header (`request.headers.get('authorization')`,
// with `|| ''`, `?? ''` or `!`, or the token cut out of it), directly or through local variables.
// Anything else (a service token, say) is a credential of its own that only a person may replace.
// A call is followed into what it is called on (`auth.split(' ')[1]`), never into its arguments:
// `data.access`, where `data = await (await fetch(url, { headers: { Authorization: auth } })).json()`,
// is what a backend answered, not the caller's header.
bool forwards_caller(const RouteFile& route, const Handler& handler, TSNode value, int depth = 0) {
  std::vector<TSNode> stack{value};
  while (!stack.empty() && depth < 4) {
    TSNode n = stack.back();
    stack.pop_back();
    if (is(n, "call_expression")) {
      TSNode fn = field(n, "function");
      TSNode arg = ts_node_named_child(field(n, "arguments"), 0);
      if (is(fn, "member_expression") && text(route.source(), field(fn, "property")) == "get" && is(arg, "string") &&
          lower(string_content(route.source(), arg)) == "authorization") {
        return true;
      }
      stack.push_back(fn);
      continue;
    }
    if (is(n, "new_expression")) continue;
    if (is(n, "identifier")) {
      TSNode d = local_declarator(route, handler, text(route.source(), n), ts_node_start_byte(n));
      if (!ts_node_is_null(d) && !ts_node_is_null(field(d, "value")) &&
          forwards_caller(route, handler, field(d, "value"), depth + 1)) {
        return true;
      }
      continue;
    }
    for_each_named_child(n, [&](TSNode child) { stack.push_back(child); });
  }
  return false;
}

bool mentions(const RouteFile& route, TSNode node, std::string_view name) {
  std::vector<TSNode> stack{node};
  while (!stack.empty()) {
    TSNode n = stack.back();
    stack.pop_back();
    if ((is(n, "identifier") || is(n, "shorthand_property_identifier")) && text(route.source(), n) == name) return true;
    for_each_named_child(n, [&](TSNode child) { stack.push_back(child); });
  }
  return false;
}

// Where the if/else for a local headers variable goes: after its declaration and after every
// later statement of its block that touches it before the handler's first fetch from there (so
// that `h['Authorization'] = auth` or `h.set(...)` written there cannot override the session's
// token), or before the fetch's statement when the block ends first.
TSNode after_writes(const RouteFile& route, const Handler& handler, TSNode declarator, const Fetch& fetch) {
  const std::string_view name = text(route.source(), field(declarator, "name"));
  TSNode anchor = ts_node_next_named_sibling(ts_node_parent(declarator));
  for (TSNode s = anchor; !ts_node_is_null(s); s = ts_node_next_named_sibling(s)) {
    const bool holds_fetch = std::any_of(handler.fetches.begin(), handler.fetches.end(), [&](const Fetch& f) {
      return ts_node_start_byte(s) <= ts_node_start_byte(f.call) && ts_node_end_byte(f.call) <= ts_node_end_byte(s);
    });
    if (holds_fetch || ts_node_start_byte(s) >= ts_node_start_byte(fetch.call)) break;
    if (mentions(route, s, name)) anchor = ts_node_next_named_sibling(s);
  }
  return ts_node_is_null(anchor) ? fetch.statement : anchor;
}

// Whether a statement between a local headers variable's declaration and its if/else's place
// (after_writes) sets Authorization (`h.Authorization = auth`): a key added to the literal would
// be overridden there.
bool authorization_written_later(const RouteFile& route, const Handler& handler, TSNode declarator,
                                 const Fetch& fetch) {
  const TSNode anchor = after_writes(route, handler, declarator, fetch);
  for (TSNode s = ts_node_next_named_sibling(ts_node_parent(declarator));
       !ts_node_is_null(s) && ts_node_start_byte(s) < ts_node_start_byte(anchor); s = ts_node_next_named_sibling(s)) {
    if (lower(text(route.source(), s)).find("authorization") != std::string::npos) return true;
  }
  return false;
}

// Whether a fetch already sends the session's token: once, or in a way that can send two
// Authorization values or lose the route's own (an older routeauth's `{ ...helper(), 'Authorization':
// session ? ... : (caller || '') }`, or `h['Authorization'] = ...` on an object spread from one).
enum class Sends { no, once, twice };

// Whether `value` reads the session's token: itself (`Bearer ${session?.accessToken}`), or through a
// local declared from it before (`const accessToken = session?.accessToken`). `bearer` says whether
// the token goes with the Bearer scheme, in the value or in the local's initialiser.
struct TokenUse {
  bool reads = false, bearer = false;
};

TokenUse session_token_use(const RouteFile& route, const Handler& handler, TSNode value, const Token& token) {
  const auto bearer = [&](TSNode n) { return lower(text(route.source(), n)).find("bearer ") != std::string::npos; };
  if (reads_session_token(route, value, token.session, token.config)) return {true, bearer(value)};
  TokenUse use;
  walk_named(route, value, [&](TSNode n) {
    if (use.reads) return false;
    if (is(n, "identifier")) {
      const TSNode d = local_declarator(route, handler, text(route.source(), n), ts_node_start_byte(value));
      if (!ts_node_is_null(d) && !ts_node_is_null(field(d, "value")) &&
          reads_session_token(route, field(d, "value"), token.session, token.config)) {
        use = {true, bearer(value) || bearer(field(d, "value"))};
      }
    }
    return !use.reads;
  });
  return use;
}

// The token must go with the Bearer scheme, as the guide sends it: `Authorization: accessToken`
// (the bare token) sends the session's token in a form of the route's own, which is a person's
// decision, not the pattern.
bool bears_session_token(const RouteFile& route, const Handler& handler, TSNode value, const Token& token) {
  const TokenUse use = session_token_use(route, handler, value, token);
  return use.reads && use.bearer;
}

Sends sends_token(const RouteFile& route, const Handler& handler, const Site& site, const Token& token) {
  const Sends yes = site.opaque ? Sends::twice : Sends::once;
  if (TSNode auth = authorization_pair(route, site.object); !ts_node_is_null(auth)) {
    if (bears_session_token(route, handler, field(auth, "value"), token)) return yes;
  }
  bool spread = false;  // emptyAuthorization "omit": `...(session?.access_token || ... ? { Authorization } : {})`
  if (!ts_node_is_null(site.object)) {
    for_each_named_child(site.object, [&](TSNode c) {
      spread = spread || (is(c, "spread_element") && reads_session_token(route, c, token.session, token.config) &&
                          lower(text(route.source(), c)).find("authorization") != std::string::npos);
    });
  }
  if (spread) return yes;
  if (!ts_node_is_null(site.declarator) &&
      assigns_token(route, handler, text(route.source(), field(site.declarator, "name")), token.session, token.config)) {
    // A Headers instance's `.set` replaces whatever case it held; an object's `[...] =` adds a key.
    return site.kind == Kind::local_instance ? Sends::once : yes;
  }
  return Sends::no;
}

bool multiline(const RouteFile& route, TSNode node) {
  return route.source().position(ts_node_start_byte(node)).line !=
         route.source().position(ts_node_end_byte(node)).line;
}

// `text` of `node` with `edit` (inside it) applied.
std::string with_edit(const RouteFile& route, TSNode node, const std::optional<Edit>& edit) {
  const uint32_t begin = ts_node_start_byte(node);
  std::string t(text(route.source(), node));
  if (edit) t.replace(edit->offset - begin, edit->length, edit->text);
  // An object left with nothing but blanks (its only key removed) is written `{}`.
  if (t.size() >= 2 && t.front() == '{' && t.back() == '}' &&
      t.find_first_not_of(" \t\r\n", 1) == t.size() - 1) {
    return "{}";
  }
  return t;
}

std::string headers_property(std::string_view name) {
  return name == "headers" ? std::string("headers") : fmt::format("headers: {}", name);
}

}  // namespace

void AuthHeader::diagnose(const RouteFile& route, const Config& settings, std::vector<Finding>& out) const {
  if (session_imports_blocked(route, settings)) return;  // session-import asks a person first
  const SourceFile& file = route.source();
  const Style& style = route.style;
  for (const Handler& handler : route.handlers) {
    if (!handler.has_backend_fetch()) continue;
    const SessionPlan session = plan_session(route, handler, settings);
    // The fields as this handler's read holds them (getToken's token: flat).
    const Config config = read_settings(settings, session.api);
    if (session.destructured) continue;  // session-call reports it for a person
    const bool read = config.is_read(handler.method);
    const RequestPlan request = plan_request(route, handler);
    auto taken = declared_names(route, handler.function);
    // A `headers` variable declared for an earlier fetch, which later fetches in its block share
    // (declaring a second `const headers` in one scope would not run).
    struct Shared {
      std::string name;
      TSNode block;
      Edit declaration;
    };
    std::vector<Shared> shared;

    for (const Fetch& fetch : handler.fetches) {
      if (!fetch.backend) continue;
      const Token token{session.name, config};
      const Site site = locate(route, handler, fetch, token);
      const Sends sends = sends_token(route, handler, site, token);
      if (sends == Sends::once) continue;
      // The pair that sends the caller's header (or, from an older migration, the session's token
      // beside a spread): replaced or removed.
      const TSNode forwarded = authorization_pair(route, site.object);

      Finding finding;
      finding.rule = std::string(id());
      finding.offset = ts_node_start_byte(fetch.call);
      finding.message =
          ts_node_is_null(forwarded)
              ? "backend fetch does not send the session's bearer token; the backend cannot tell which "
                "user is calling"
              : "backend fetch forwards only the caller's Authorization header; send the session's bearer "
                "token, with the caller's header as the fallback";

      if (sends == Sends::twice) {
        // Name what may hold it: the spread in the literal, else the variable.
        TSNode source = site.value;
        if (!ts_node_is_null(site.object)) {
          for_each_named_child(site.object, [&](TSNode c) {
            if (ts_node_eq(source, site.value) && is(c, "spread_element")) source = ts_node_named_child(c, 0);
          });
        }
        finding.message = fmt::format(
            "backend fetch can send two Authorization values, or lose the one its headers had: `{}` may hold "
            "one in any case, and the session's token is added beside it with a fallback that replaces it; "
            "build the headers with `new Headers(...)`, whose `.set` replaces it whatever its case",
            text(file, source));
        if (ts_node_is_null(site.object) || site.kind == Kind::local_object) {
          out.push_back(std::move(finding));  // the if/else of an older migration: a person rewrites it
          continue;
        }
      } else if (!ts_node_is_null(forwarded) && !forwards_caller(route, handler, field(forwarded, "value"))) {
        finding.rule = "manual-review";
        finding.freeze(fetch.call);
        finding.message =
            session_token_use(route, handler, field(forwarded, "value"), token).reads
                ? fmt::format("backend fetch sends the session's token without the Bearer scheme the guide uses "
                              "(`{}`); decide by hand which form the backend takes: `Bearer <{}.{}>`, or the bare "
                              "token as now (then suppress this finding with the reason)",
                              text(file, forwarded), session.name, config.access_token_field)
                : "backend fetch sends an Authorization header of its own, not the caller's; decide by hand "
                  "whether the session's bearer token replaces it (the backend would no longer receive that "
                  "credential)";
        out.push_back(std::move(finding));
        continue;
      }
      if (site.kind == Kind::opaque_options) {
        finding.rule = "manual-review";
        finding.freeze(fetch.call);
        finding.message = fmt::format(
            "backend fetch takes its options from `{}`; add the session's bearer token "
            "(Authorization: Bearer <{}.{}>) where they are built",
            text(file, fetch.options), session.name, config.access_token_field);
        out.push_back(std::move(finding));
        continue;
      }
      if (request.destructured) {
        finding.rule = "manual-review";
        finding.freeze(fetch.call);
        finding.message = fmt::format(
            "{}'s request parameter is destructured, so the caller's Authorization header cannot be "
            "read as the fallback; name the parameter (request) and run again",
            handler.method);
        out.push_back(std::move(finding));
        continue;
      }
      if (!session.exists && !config.rule_enabled("session-call")) {
        out.push_back(std::move(finding));  // nothing to read the token from: report only
        continue;
      }
      std::vector<Edit>& fix = finding.fix;
      fix.insert(fix.end(), request.edits.begin(), request.edits.end());
      const std::string key = style.quoted("Authorization");
      TSNode arguments = ts_node_parent(fetch.url);

      bool guide_variable = read;
      if (read && !in_block(fetch.statement)) {
        if (ts_node_eq(fetch.statement, handler.body)) {
          // session-call turns the expression body into a block first; then there is room.
          finding.fix.clear();
          finding.deferred = true;
          out.push_back(std::move(finding));
          continue;
        }
        guide_variable = false;  // in an expression-bodied callback: the inline property
      }
      // The pair removed from the headers: the caller's header the guide's if/else sends instead,
      // or the session's token an older migration wrote beside a spread. Kept (inside the Headers)
      // when the headers are opaque and it is the route's own value: it overrides what they held.
      std::optional<Edit> drop;
      if (!ts_node_is_null(forwarded) && (!site.opaque || sends == Sends::twice)) drop = remove_item(route, forwarded);
      // The route's own previous value, when it is more than the caller's header: the fallback.
      std::optional<std::string> previous;
      if (!ts_node_is_null(forwarded) && sends == Sends::no && !site.opaque &&
          !plain_caller_read(route, field(forwarded, "value"), request.name)) {
        previous = std::string(text(file, field(forwarded, "value")));
      }
      // Opaque headers: a Headers instance built from them (`new Headers(x)` for `{ ...x }`).
      auto instance_init = [&]() -> std::string {
        if (site.kind == Kind::inline_instance) return std::string(text(file, site.value));
        if (site.kind != Kind::inline_object) return fmt::format("new Headers({})", text(file, site.value));
        const std::string rest = with_edit(route, site.object, drop);
        TSNode only = ts_node_named_child_count(site.object) == (drop ? 2U : 1U) ? ts_node_named_child(site.object, 0)
                                                                                 : TSNode{};
        if (is(only, "spread_element")) return fmt::format("new Headers({})", text(file, ts_node_named_child(only, 0)));
        return fmt::format("new Headers({})", rest);
      };
      const std::string at_indent = indentation(route, ts_node_start_byte(fetch.statement));
      // A new Headers variable for the fetch, declared just before it.
      auto declare_instance = [&]() {
        GuideBlock block;
        block.name = fresh_name("headers", taken);
        taken.insert(block.name);
        block.init = reindent(instance_init(), indentation(route, ts_node_start_byte(site.value)), at_indent, style.eol);
        block.use_set = true;
        block.keep_existing = true;
        fix.push_back(Edit{ts_node_start_byte(site.property),
                           ts_node_end_byte(site.property) - ts_node_start_byte(site.property),
                           headers_property(block.name)});
        fix.push_back(insert_before_statement(route, fetch.statement, [&](const std::string& indent) {
          return render_guide_block(route, config, block, session.name, request.name, indent) + style.eol;
        }));
      };
      const bool new_instance =
          site.opaque && (site.kind == Kind::inline_object || site.kind == Kind::inline_instance ||
                          site.kind == Kind::local_object || site.kind == Kind::external);
      if (new_instance) {
        if (!in_block(fetch.statement)) {
          finding.fix.clear();
          finding.rule = "manual-review";
          finding.message = fmt::format(
              "backend fetch takes its headers from `{}`, which may already hold an Authorization header; "
              "set the session's bearer token on them with `new Headers(...)` and `.set` by hand",
              text(file, site.value));
        } else {
          declare_instance();
        }
        out.push_back(std::move(finding));
        continue;
      }
      if (guide_variable) {
        GuideBlock block;
        const bool empty_init = site.kind == Kind::no_options || site.kind == Kind::no_headers;
        const Shared* reuse = nullptr;
        for (const Shared& s : shared) {
          if (empty_init && ts_node_start_byte(s.block) <= ts_node_start_byte(fetch.call) &&
              ts_node_end_byte(fetch.call) <= ts_node_end_byte(s.block)) {
            reuse = &s;
          }
        }
        block.name = reuse ? reuse->name : fresh_name("headers", taken);
        block.annotate = file.is_typescript();
        block.previous = previous;
        block.keep_existing = site.opaque;
        switch (site.kind) {
          case Kind::no_options:
            block.init = "{}";
            add(fix, append_item(route, arguments,
                                      [&](const std::string&) { return "{ " + headers_property(block.name) + " }"; }));
            break;
          case Kind::no_headers:
            block.init = "{}";
            add(fix, append_item(route, site.options, [&](const std::string&) { return headers_property(block.name); }));
            break;
          case Kind::inline_object:
          case Kind::inline_instance:
            block.init = reindent(with_edit(route, site.value, drop), indentation(route, ts_node_start_byte(site.value)),
                                  at_indent, style.eol);
            if (site.kind == Kind::inline_instance) {
              block.annotate = false;
              block.use_set = true;
            }
            fix.push_back(Edit{ts_node_start_byte(site.property),
                               ts_node_end_byte(site.property) - ts_node_start_byte(site.property),
                               headers_property(block.name)});
            break;
          case Kind::external:  // an object literal of visible keys, none of them Authorization
            block.init = fmt::format("{{ ...{} }}", text(file, site.value));
            fix.push_back(Edit{ts_node_start_byte(site.property),
                               ts_node_end_byte(site.property) - ts_node_start_byte(site.property),
                               headers_property(block.name)});
            break;
          case Kind::local_object:
          case Kind::local_instance: {
            block.name = std::string(text(file, field(site.declarator, "name")));
            block.use_set = site.kind == Kind::local_instance;
            if (drop) fix.push_back(*drop);
            if (site.kind == Kind::local_object && file.is_typescript() && ts_node_is_null(field(site.declarator, "type"))) {
              fix.push_back(Edit{ts_node_end_byte(field(site.declarator, "name")), 0, ": HeadersInit"});
            }
            // After the declaration and the writes that follow it, once for every fetch that
            // uses the variable.
            TSNode anchor = after_writes(route, handler, site.declarator, fetch);
            fix.push_back(insert_before_statement(route, anchor, [&](const std::string& indent) {
              return render_guide_block(route, config, block, session.name, request.name, indent);
            }));
            out.push_back(std::move(finding));
            continue;
          }
          case Kind::opaque_options:
            break;
        }
        if (reuse) {
          fix.push_back(reuse->declaration);  // the same edit: taken once
        } else {
          Edit declaration = insert_before_statement(route, fetch.statement, [&](const std::string& indent) {
            return render_guide_block(route, config, block, session.name, request.name, indent) + style.eol;
          });
          taken.insert(block.name);
          if (empty_init) shared.push_back(Shared{block.name, ts_node_parent(fetch.statement), declaration});
          fix.push_back(std::move(declaration));
        }
        out.push_back(std::move(finding));
        continue;
      }

      // A mutation: the guide's inline property (emptyAuthorization "omit": only when there is a
      // value to send).
      auto property = [&](const std::string& indent, bool layout_inline) {
        if (config.empty_authorization == "omit") {
          return omitted_when_empty(route, config, session.name, request.name, indent, layout_inline);
        }
        return key + ": " + bearer_expression(route, config, session.name, request.name, indent, layout_inline);
      };
      if (site.kind == Kind::local_object && authorization_written_later(route, handler, site.declarator, fetch)) {
        // The literal's key would be overridden by that write: the guide's if/else after it.
        GuideBlock block;
        block.name = std::string(text(file, field(site.declarator, "name")));
        if (file.is_typescript() && ts_node_is_null(field(site.declarator, "type"))) {
          fix.push_back(Edit{ts_node_end_byte(field(site.declarator, "name")), 0, ": HeadersInit"});
        }
        fix.push_back(insert_before_statement(route, after_writes(route, handler, site.declarator, fetch),
                                              [&](const std::string& indent) {
                                                return render_guide_block(route, config, block, session.name,
                                                                          request.name, indent);
                                              }));
        out.push_back(std::move(finding));
        continue;
      }
      switch (site.kind) {
        case Kind::no_options:
          add(fix, append_item(route, arguments, [&](const std::string& indent) {
            return "{ headers: { " + property(indent, true) + " } }";
          }));
          break;
        case Kind::no_headers: {
          const bool ml = multiline(route, site.options);
          add(fix, append_item(route, site.options, [&](const std::string& indent) {
            if (!ml) return "headers: { " + property(indent, true) + " }";
            const std::string inner = indent + style.indent_unit;
            return fmt::format("headers: {{{}{}{},{}{}}}", style.eol, inner, property(inner, false), style.eol, indent);
          }));
          break;
        }
        case Kind::inline_object:
        case Kind::local_object:
        case Kind::inline_instance:
          if (ts_node_is_null(site.object)) {
            finding.fix.clear();
            finding.rule = "manual-review";
        finding.freeze(fetch.call);
            finding.message = "backend fetch builds its headers with `new Headers(...)` from something other than "
                              "an object; add the session's bearer token to them by hand";
            break;
          }
          if (!ts_node_is_null(forwarded)) {
            TSNode value = field(forwarded, "value");
            const std::string indent = indentation(route, ts_node_start_byte(forwarded));
            // Without a session the route sends what it sent before.
            fix.push_back(Edit{ts_node_start_byte(value), ts_node_end_byte(value) - ts_node_start_byte(value),
                               bearer_expression(route, config, session.name, request.name, indent,
                                                 !multiline(route, site.object),
                                                 previous ? std::optional(fallback_operand(route, value))
                                                          : std::nullopt)});
          } else {
            const bool ml = multiline(route, site.object);
            add(fix, append_item(route, site.object, [&](const std::string& indent) { return property(indent, !ml); }));
          }
          break;
        case Kind::local_instance: {
          GuideBlock block;
          block.name = std::string(text(file, field(site.declarator, "name")));
          block.use_set = true;
          block.keep_existing = site.opaque;
          fix.push_back(insert_before_statement(route, after_writes(route, handler, site.declarator, fetch),
                                                [&](const std::string& indent) {
                                                  return render_guide_block(route, config, block, session.name,
                                                                            request.name, indent);
                                                }));
          break;
        }
        case Kind::external: {  // an object literal of visible keys, none of them Authorization
          const std::string spread = fmt::format("{{ ...{}, {} }}", text(file, site.value), property("", true));
          if (is(site.property, "shorthand_property_identifier")) {
            fix.push_back(Edit{ts_node_start_byte(site.property),
                               ts_node_end_byte(site.property) - ts_node_start_byte(site.property),
                               "headers: " + spread});
          } else {
            fix.push_back(Edit{ts_node_start_byte(site.value),
                               ts_node_end_byte(site.value) - ts_node_start_byte(site.value), spread});
          }
          break;
        }
        case Kind::opaque_options:
          break;
      }
      out.push_back(std::move(finding));
    }
  }
}

}  // namespace routeauth::rewriters
