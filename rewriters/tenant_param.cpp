#include "rewriters/tenant_param.h"

#include <fmt/format.h>

#include <map>

#include "rewriters/common.h"
#include "rewriters/request.h"
#include "rewriters/session_read.h"

namespace routeauth::rewriters {

using namespace engine;

namespace {

// What carries the query of a backend request.
struct Target {
  enum class Kind { none, params, url } kind = Kind::none;
  std::string var;     // the URLSearchParams or URL variable
  TSNode declarator{};
  int candidates = 0;  // URLSearchParams variables the URL is built from
};

bool constructs(const RouteFile& route, TSNode node, std::string_view cls) {
  return is(node, "new_expression") && text(route.source(), field(node, "constructor")) == cls;
}

// Declarators and later assignments of the handler's local variables, by name.
struct Locals {
  std::multimap<std::string, TSNode, std::less<>> declarators;
  std::multimap<std::string, TSNode, std::less<>> values;  // initialisers and assigned values
};

Locals locals_of(const RouteFile& route, const Handler& handler) {
  const SourceFile& file = route.source();
  Locals l;
  // In the order of a stack walk: the multimaps keep that order among equal names.
  walk_stack_order(route, handler.function, [&](TSNode n) {
    const std::string_view k = type(n);
    if (k == "variable_declarator" && is(field(n, "name"), "identifier")) {
      const std::string name(text(file, field(n, "name")));
      l.declarators.emplace(name, n);
      if (!ts_node_is_null(field(n, "value"))) l.values.emplace(name, field(n, "value"));
    }
    if ((k == "augmented_assignment_expression" || k == "assignment_expression") && is(field(n, "left"), "identifier")) {
      l.values.emplace(std::string(text(file, field(n, "left"))), field(n, "right"));
    }
  });
  return l;
}

const std::set<std::string, std::less<>> kExtracts{"get", "getAll", "has"};

Target find_target(const RouteFile& route, const Locals& locals, const Fetch& fetch) {
  const SourceFile& file = route.source();
  Target target;
  Target url_object;
  std::set<std::string, std::less<>> seen;
  std::vector<TSNode> work{fetch.url};
  while (!work.empty()) {
    TSNode n = work.back();
    work.pop_back();
    if (is(n, "identifier")) {
      const std::string name(text(file, n));
      if (!seen.insert(name).second) continue;
      auto [lo, hi] = locals.declarators.equal_range(name);
      for (auto it = lo; it != hi; ++it) {
        TSNode value = field(it->second, "value");
        if (constructs(route, value, "URLSearchParams")) {
          ++target.candidates;
          target.kind = Target::Kind::params;
          target.var = name;
          target.declarator = it->second;
        } else if (constructs(route, value, "URL") && url_object.kind == Target::Kind::none) {
          url_object.kind = Target::Kind::url;
          url_object.var = name;
          url_object.declarator = it->second;
        }
      }
      auto [vlo, vhi] = locals.values.equal_range(name);
      for (auto it = vlo; it != vhi; ++it) work.push_back(it->second);
      continue;
    }
    if (is_function_like(n)) continue;
    // `sp.get('page')`, `url.searchParams.has('q')`: a value read out of a query, not the query.
    if (is(n, "call_expression") && is(field(n, "function"), "member_expression") &&
        kExtracts.contains(text(file, field(field(n, "function"), "property")))) {
      continue;
    }
    for_each_named_child(n, [&](TSNode child) { work.push_back(child); });
  }
  if (target.kind == Target::Kind::params) return target;
  return url_object;
}

// One use of the target variable.
struct Use {
  enum class Kind { neutral, write, read } kind = Kind::neutral;
  bool tenant_set = false;    // .set('<tenant param>', <session tenant>)
  bool pass_through = false;  // a write that can bring the client's tenant (non-literal key, the key itself, .search =)
  TSNode statement{};         // the statement in the declaration's block that holds it
  uint32_t offset = 0;
};

TSNode statement_in(TSNode node, TSNode block) {
  TSNode cur = node;
  for (TSNode p = ts_node_parent(cur); !ts_node_is_null(p); p = ts_node_parent(cur)) {
    if (ts_node_eq(p, block)) return cur;
    cur = p;
  }
  return TSNode{};
}

const std::set<std::string, std::less<>> kWrites{"set", "append", "delete", "sort"};
const std::set<std::string, std::less<>> kNeutral{"get", "getAll", "has", "forEach", "keys", "values", "entries", "size"};

std::vector<Use> uses_of(const RouteFile& route, const Handler& handler, const Target& target, const Config& config,
                         std::string_view session) {
  const SourceFile& file = route.source();
  std::vector<Use> uses;
  TSNode declaration = ts_node_parent(target.declarator);
  TSNode block = ts_node_parent(declaration);
  const uint32_t after = ts_node_end_byte(target.declarator);
  // Every identifier of the handler that names the variable after its declaration (sorted below).
  std::vector<TSNode> found;
  walk_named(route, handler.function, [&](TSNode n) {
    if (is(n, "identifier") && ts_node_start_byte(n) >= after && text(file, n) == target.var) found.push_back(n);
    return true;
  });
  for (TSNode n : found) {
    Use use;
    use.offset = ts_node_start_byte(n);
    use.statement = statement_in(n, block);
    if (ts_node_is_null(use.statement)) continue;  // outside the declaration's block: another variable
    TSNode member = ts_node_parent(n);
    // For a URL, look through `.searchParams`; `.search = ...` and `.href = ...` replace the query.
    if (target.kind == Target::Kind::url) {
      if (is(member, "member_expression") && ts_node_eq(field(member, "object"), n)) {
        const std::string_view prop = text(file, field(member, "property"));
        TSNode up = ts_node_parent(member);
        const bool assigned = is(up, "assignment_expression") && ts_node_eq(field(up, "left"), member);
        if (prop == "search" || prop == "href") {
          use.kind = assigned ? Use::Kind::write : Use::Kind::read;
          use.pass_through = assigned;
          uses.push_back(use);
          continue;
        }
        if (prop == "searchParams") {
          n = member;
          member = up;
        } else {
          use.kind = assigned || prop == "pathname" || prop == "hash" ? Use::Kind::neutral : Use::Kind::read;
          uses.push_back(use);
          continue;
        }
      }
    }
    if (is(member, "member_expression") && ts_node_eq(field(member, "object"), n)) {
      const std::string prop(text(file, field(member, "property")));
      TSNode call = ts_node_parent(member);
      if (is(call, "call_expression") && ts_node_eq(field(call, "function"), member) && kWrites.contains(prop)) {
        use.kind = Use::Kind::write;
        TSNode args = field(call, "arguments");
        TSNode key = ts_node_named_child(args, 0);
        const bool literal_key = is(key, "string");
        const bool tenant_key = literal_key && string_content(file, key) == config.tenant_param;
        TSNode value = ts_node_named_child(args, 1);
        use.tenant_set = prop == "set" && tenant_key && !ts_node_is_null(value) &&
                         reads_session_field(route, value, session, config.tenant_field);
        use.pass_through = !use.tenant_set && (!literal_key || tenant_key);
      } else if (kNeutral.contains(prop)) {
        use.kind = Use::Kind::neutral;
      } else {
        use.kind = Use::Kind::read;
      }
    } else {
      use.kind = Use::Kind::read;
    }
    uses.push_back(use);
  }
  std::sort(uses.begin(), uses.end(), [](const Use& a, const Use& b) { return a.offset < b.offset; });
  return uses;
}

// `if (session?.user?.tenant_id) { params.set('tenant_id', session.user.tenant_id) }`. A token of
// getToken types its fields `unknown`: the guard asks for a string, which TypeScript narrows (and
// only a string tenant is sent). A wrapper serving reads and mutations sets it for reads only:
// `read` is its test of request.method (request.h read_test), or empty.
std::string tenant_block(const RouteFile& route, const Config& config, const SessionPlan& plan, std::string_view object,
                         std::string_view read, const std::string& indent) {
  const Style& s = route.style;
  const std::string_view session = plan.name;
  const std::string chain = optional_chain(session, config.tenant_field);
  const std::string tenant =
      plan.api == SessionApi::token ? fmt::format("typeof {} === {}", chain, s.quoted("string")) : chain;
  const std::string guard = read.empty() ? tenant : fmt::format("{} && {}", read, tenant);
  return fmt::format("{i}if ({guard}) {{{eol}{i}{u}{obj}.set({key}, {session}.{field}){semi}{eol}{i}}}{eol}",
                     fmt::arg("i", indent), fmt::arg("guard", guard),
                     fmt::arg("eol", s.eol), fmt::arg("u", s.indent_unit), fmt::arg("obj", object),
                     fmt::arg("key", s.quoted(config.tenant_param)), fmt::arg("session", session),
                     fmt::arg("field", config.tenant_field), fmt::arg("semi", s.semi()));
}

// The whole lines of a statement, for removing it.
Edit remove_statement(const RouteFile& route, TSNode statement) {
  const SourceFile& file = route.source();
  const uint32_t begin = file.line_start(ts_node_start_byte(statement));
  const uint32_t end = file.next_line_start(ts_node_end_byte(statement));
  return Edit{begin, end - begin, ""};
}

// Whether a statement is nothing but the tenant set (or an `if` guarding only it).
bool only_tenant_set(const RouteFile& route, TSNode statement, uint32_t set_offset) {
  TSNode s = statement;
  if (is(s, "if_statement")) {
    if (!ts_node_is_null(field(s, "alternative"))) return false;
    s = field(s, "consequence");
    if (is(s, "statement_block")) {
      if (ts_node_named_child_count(s) != 1) return false;
      s = ts_node_named_child(s, 0);
    }
  }
  return is(s, "expression_statement") && ts_node_start_byte(s) <= set_offset && set_offset < ts_node_end_byte(s) &&
         !ts_node_is_null(route.root);
}

bool contains(TSNode outer, TSNode inner) {
  return ts_node_start_byte(outer) <= ts_node_start_byte(inner) && ts_node_end_byte(inner) <= ts_node_end_byte(outer);
}

// Whether code inserted before `statement` can read an existing session: declared before it, in
// a block that holds it. A session still to be declared is placed by session-call before its
// first use.
bool session_in_scope(const SessionPlan& session, TSNode statement) {
  if (!session.exists || ts_node_is_null(session.declaration)) return true;
  TSNode declaration = ts_node_parent(session.declaration);
  return contains(ts_node_parent(declaration), statement) &&
         ts_node_end_byte(declaration) <= ts_node_start_byte(statement);
}

void drop_fix(Finding& finding, std::string_view session) {
  finding.fix.clear();
  finding.notes.push_back(fmt::format(
      "no fix: `{}` is declared after this point or in another block; read the session before the query is "
      "built",
      session));
}

// Whether a loop stands between the fetch and the statement its URL would be hoisted before
// (`for (const id of ids) await fetch(`${BASE}/${id}`)`): the URL can depend on the loop.
bool in_loop(const Fetch& fetch) {
  for (TSNode n = ts_node_parent(fetch.call); !ts_node_is_null(n) && !ts_node_eq(n, ts_node_parent(fetch.statement));
       n = ts_node_parent(n)) {
    if (is(n, "for_statement") || is(n, "for_in_statement") || is(n, "while_statement") || is(n, "do_statement")) {
      return true;
    }
  }
  return false;
}

// Whether the query object also reaches a fetch that is not the backend's (a third party).
bool feeds_other_fetch(const RouteFile& route, const Locals& locals, const Handler& handler, const Target& target) {
  for (const Fetch& other : handler.fetches) {
    if (other.backend) continue;
    const Target t = find_target(route, locals, other);
    if (t.kind == target.kind && t.var == target.var) return true;
  }
  return false;
}

}  // namespace

void TenantParam::diagnose(const RouteFile& route, const Config& settings, std::vector<Finding>& out) const {
  if (session_imports_blocked(route, settings)) return;  // session-import asks a person first
  const SourceFile& file = route.source();
  for (const Handler& handler : route.handlers) {
    if (!settings.is_read(handler.method) || !handler.has_backend_fetch()) continue;
    const SessionPlan session = plan_session(route, handler, settings);
    // The fields as this handler's read holds them (getToken's token: flat).
    const Config config = read_settings(settings, session.api);
    if (session.destructured) continue;  // session-call reports it for a person
    const Locals locals = locals_of(route, handler);
    auto taken = declared_names(route, handler.function);  // grows with each name a fix declares
    // A wrapper serving reads and mutations tests the request it is handed (and may first need it).
    const RequestPlan request = handler.read_methods.empty() ? RequestPlan{} : plan_request(route, handler);
    const std::string read = read_test(route, handler, request.name);
    const size_t first_finding = out.size();

    for (const Fetch& fetch : handler.fetches) {
      if (!fetch.backend) continue;
      Finding finding;
      finding.rule = std::string(id());
      finding.offset = ts_node_start_byte(fetch.call);
      finding.message = fmt::format(
          "{} backend request does not carry the session's tenant; add {} from the session so the backend "
          "returns only this tenant's data",
          handler.method, config.tenant_param);
      const bool can_fix = session.exists || config.rule_enabled("session-call");
      const Target target = find_target(route, locals, fetch);

      if (target.kind == Target::Kind::params && target.candidates > 1) {
        finding.rule = "manual-review";
        finding.freeze(fetch.call);
        finding.message = fmt::format(
            "{} backend URL is built from several URLSearchParams; set {} from the session on the one that "
            "reaches the backend, after every other write to it",
            handler.method, config.tenant_param);
        out.push_back(std::move(finding));
        continue;
      }
      if (target.kind != Target::Kind::none && feeds_other_fetch(route, locals, handler, target)) {
        finding.rule = "manual-review";
        finding.freeze(fetch.call);
        finding.message = fmt::format(
            "{} backend query `{}` also builds the URL of a non-backend fetch; setting {} on it would send "
            "the tenant to a third party, so give the backend request its own copy and set it there",
            handler.method, target.var, config.tenant_param);
        out.push_back(std::move(finding));
        continue;
      }
      std::vector<Use> uses;
      if (target.kind != Target::Kind::none) uses = uses_of(route, handler, target, config, session.name);
      const auto first_read = std::find_if(uses.begin(), uses.end(), [](const Use& u) { return u.kind == Use::Kind::read; });
      // A query object that is never read is not what reaches the backend: wrap the URL below.
      if (first_read != uses.end()) {
        const std::string object = target.kind == Target::Kind::url ? target.var + ".searchParams" : target.var;
        const Use* tenant = nullptr;
        bool client_wins = false;
        for (auto it = uses.begin(); it != first_read; ++it) {
          if (it->tenant_set) {
            tenant = &*it;
            client_wins = false;
          } else if (tenant && it->pass_through) {
            client_wins = true;
          }
        }
        if (tenant && !client_wins) continue;
        auto insert = [&] {
          return insert_before_statement(route, first_read->statement, [&](const std::string& indent) {
            return tenant_block(route, config, session, object, read, indent);
          });
        };
        if (tenant) {
          finding.offset = tenant->offset;
          finding.message = fmt::format(
              "the session's {} is set before the client's query parameters are copied, so a client value "
              "can replace it; set it after the last write, just before the query is read",
              config.tenant_param);
          if (only_tenant_set(route, tenant->statement, tenant->offset)) {
            finding.fix.push_back(remove_statement(route, tenant->statement));
            finding.fix.push_back(insert());
          }
        } else if (can_fix) {
          finding.fix.push_back(insert());
        }
        if (!finding.fix.empty() && !session_in_scope(session, first_read->statement)) drop_fix(finding, session.name);
        out.push_back(std::move(finding));
        continue;
      }

      // No query object yet: wrap the URL in one, under a free name, just before the fetch.
      if (!in_block(fetch.statement)) {
        if (ts_node_eq(fetch.statement, handler.body) && can_fix) {
          finding.deferred = true;  // session-call makes the expression body a block first
        } else {
          finding.rule = "manual-review";
        finding.freeze(fetch.call);
          finding.message = fmt::format(
              "{} backend fetch sits in an expression-bodied callback; give the callback a block and run "
              "again, or set {} from the session on its URL by hand",
              handler.method, config.tenant_param);
        }
        out.push_back(std::move(finding));
        continue;
      }
      if (in_loop(fetch)) {
        finding.rule = "manual-review";
        finding.freeze(fetch.call);
        finding.message = fmt::format(
            "{} backend fetch sits in a loop without a block; its URL can depend on the loop, so give the "
            "loop body braces and run again, or set {} from the session on its URL by hand",
            handler.method, config.tenant_param);
        out.push_back(std::move(finding));
        continue;
      }
      if (!can_fix) {
        out.push_back(std::move(finding));
        continue;
      }
      if (!session_in_scope(session, fetch.statement)) {
        drop_fix(finding, session.name);
        out.push_back(std::move(finding));
        continue;
      }
      const std::string name = fresh_name("backendUrl", taken);
      taken.insert(name);  // a second backend fetch in the handler must not declare it again
      const std::string url_text(text(file, fetch.url));
      finding.fix.push_back(insert_before_statement(route, fetch.statement, [&](const std::string& indent) {
        const std::string expr = reindent(url_text, indentation(route, ts_node_start_byte(fetch.url)), indent, route.style.eol);
        const std::string init = constructs(route, fetch.url, "URL") ? expr : fmt::format("new URL({})", expr);
        return fmt::format("{}const {} = {}{}{}", indent, name, init, route.style.semi(), route.style.eol) +
               tenant_block(route, config, session, name + ".searchParams", read, indent) + route.style.eol;
      }));
      finding.fix.push_back(Edit{ts_node_start_byte(fetch.url), ts_node_end_byte(fetch.url) - ts_node_start_byte(fetch.url), name});
      out.push_back(std::move(finding));
    }
    // The read test names the request: the fixes that write it carry the edits that bring it.
    if (read.empty()) continue;
    for (size_t i = first_finding; i < out.size(); ++i) {
      if (!out[i].fix.empty()) add(out[i].fix, request.edits);
    }
  }
}

}  // namespace routeauth::rewriters
