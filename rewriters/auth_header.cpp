#include "rewriters/auth_header.h"

#include <fmt/format.h>

#include <algorithm>

#include "rewriters/common.h"

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
};

TSNode local_declarator(const RouteFile& route, const Handler& handler, std::string_view name, uint32_t before) {
  TSNode found{};
  walk_named(route, handler.function, [&](TSNode n) {
    if (ts_node_start_byte(n) >= before) return false;
    if (is(n, "variable_declarator") && is(field(n, "name"), "identifier") &&
        text(route.source(), field(n, "name")) == name) {
      if (ts_node_is_null(found) || ts_node_start_byte(n) > ts_node_start_byte(found)) found = n;
    }
    return true;
  });
  return found;
}

bool is_headers_instance(const RouteFile& route, TSNode node) {
  return is(node, "new_expression") && text(route.source(), field(node, "constructor")) == "Headers";
}

Site locate(const RouteFile& route, const Handler& handler, const Fetch& fetch) {
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
    TSNode args = field(site.value, "arguments");
    TSNode first = ts_node_is_null(args) ? TSNode{} : ts_node_named_child(args, 0);
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

bool sends_token(const RouteFile& route, const Handler& handler, const Site& site, std::string_view session,
                 const Config& config) {
  if (TSNode auth = authorization_pair(route, site.object); !ts_node_is_null(auth)) {
    if (reads_session_token(route, field(auth, "value"), session, config)) return true;
  }
  if (site.kind == Kind::local_object || site.kind == Kind::local_instance) {
    return assigns_token(route, handler, text(route.source(), field(site.declarator, "name")), session, config);
  }
  return false;
}

bool multiline(const RouteFile& route, TSNode node) {
  return route.source().position(ts_node_start_byte(node)).line !=
         route.source().position(ts_node_end_byte(node)).line;
}

// The guide's headers statements for a read: an optional declaration, then the if/else that
// sets Authorization from the session or, failing that, from the caller.
struct Block {
  std::string name;
  std::optional<std::string> init;  // declare `name` with this initialiser
  bool annotate = false;            // `: HeadersInit`
  bool use_set = false;             // a Headers instance: .set(...) instead of [...] =
};

std::string render(const RouteFile& route, const Config& config, const Block& b, std::string_view session,
                   std::string_view request, const std::string& indent) {
  const Style& s = route.style;
  const std::string& eol = s.eol;
  const std::string inner = indent + s.indent_unit;
  const std::string key = s.quoted("Authorization");
  const std::string caller = fmt::format("{}.headers.get({})", request, s.quoted("authorization"));
  const std::string parts = optional_chain(session, config.access_token_field);
  const std::string bearer = fmt::format("`Bearer ${{{}.{}}}`", session, config.access_token_field);
  const std::string fallback = caller + (route.source().is_typescript() ? "!" : "");
  auto assign = [&](const std::string& value) {
    return b.use_set ? fmt::format("{}.set({}, {}){}", b.name, key, value, s.semi())
                     : fmt::format("{}[{}] = {}{}", b.name, key, value, s.semi());
  };
  std::string out;
  if (b.init) {
    out += fmt::format("{}const {}{} = {}{}{}", indent, b.name, b.annotate ? ": HeadersInit" : "", *b.init, s.semi(), eol);
  }
  out += fmt::format("{}if ({}) {{{}", indent, parts, eol);
  out += fmt::format("{}{}{}", inner, assign(bearer), eol);
  out += fmt::format("{}}} else if ({}) {{{}", indent, caller, eol);
  out += fmt::format("{}{}{}", inner, assign(fallback), eol);
  out += fmt::format("{}}}{}", indent, eol);
  return out;
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

void AuthHeader::diagnose(const RouteFile& route, const Config& config, std::vector<Finding>& out) const {
  if (session_imports_blocked(route)) return;  // session-import asks a person first
  const SourceFile& file = route.source();
  const Style& style = route.style;
  for (const Handler& handler : route.handlers) {
    if (!handler.has_backend_fetch()) continue;
    const SessionPlan session = plan_session(route, handler);
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
      const Site site = locate(route, handler, fetch);
      if (sends_token(route, handler, site, session.name, config)) continue;
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

      if (!ts_node_is_null(forwarded) && !forwards_caller(route, handler, field(forwarded, "value"))) {
        finding.rule = "manual-review";
        finding.freeze(fetch.call);
        finding.message =
            "backend fetch sends an Authorization header of its own, not the caller's; decide by hand whether "
            "the session's bearer token replaces it (the backend would no longer receive that credential)";
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
      if (guide_variable) {
        Block block;
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
        std::optional<Edit> drop;
        if (!ts_node_is_null(forwarded)) drop = remove_item(route, forwarded);
        const std::string at_indent = indentation(route, ts_node_start_byte(fetch.statement));
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
          case Kind::external:
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
              return render(route, config, block, session.name, request.name, indent);
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
            return render(route, config, block, session.name, request.name, indent) + style.eol;
          });
          taken.insert(block.name);
          if (empty_init) shared.push_back(Shared{block.name, ts_node_parent(fetch.statement), declaration});
          fix.push_back(std::move(declaration));
        }
        out.push_back(std::move(finding));
        continue;
      }

      // A mutation: the guide's inline property.
      auto property = [&](const std::string& indent, bool layout_inline) {
        return key + ": " + bearer_expression(route, config, session.name, request.name, indent, layout_inline);
      };
      if (site.kind == Kind::local_object && authorization_written_later(route, handler, site.declarator, fetch)) {
        // The literal's key would be overridden by that write: the guide's if/else after it.
        Block block;
        block.name = std::string(text(file, field(site.declarator, "name")));
        if (file.is_typescript() && ts_node_is_null(field(site.declarator, "type"))) {
          fix.push_back(Edit{ts_node_end_byte(field(site.declarator, "name")), 0, ": HeadersInit"});
        }
        fix.push_back(insert_before_statement(route, after_writes(route, handler, site.declarator, fetch),
                                              [&](const std::string& indent) {
                                                return render(route, config, block, session.name, request.name, indent);
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
            fix.push_back(Edit{ts_node_start_byte(value), ts_node_end_byte(value) - ts_node_start_byte(value),
                               bearer_expression(route, config, session.name, request.name, indent,
                                                 !multiline(route, site.object))});
          } else {
            const bool ml = multiline(route, site.object);
            add(fix, append_item(route, site.object, [&](const std::string& indent) { return property(indent, !ml); }));
          }
          break;
        case Kind::local_instance: {
          Block block;
          block.name = std::string(text(file, field(site.declarator, "name")));
          block.use_set = true;
          fix.push_back(insert_before_statement(route, after_writes(route, handler, site.declarator, fetch),
                                                [&](const std::string& indent) {
                                                  return render(route, config, block, session.name, request.name, indent);
                                                }));
          break;
        }
        case Kind::external: {
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
