#include "engine/same_file_wrappers.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>

namespace routeauth::engine {

namespace {

bool within(TSNode outer, TSNode inner) {
  return ts_node_start_byte(outer) <= ts_node_start_byte(inner) && ts_node_end_byte(inner) <= ts_node_end_byte(outer);
}

bool is_async(TSNode function) {
  for (uint32_t i = 0; i < ts_node_child_count(function); ++i) {
    TSNode c = ts_node_child(function, i);
    if (!ts_node_is_named(c) && type(c) == "async") return true;
  }
  return false;
}

// A function declared at the top level of the module: `async function f`, `const f = async () =>`,
// either exported or not.
struct ModuleFunction {
  TSNode name{}, function{};
  bool exported = false;
};

std::vector<ModuleFunction> module_functions(TSNode root) {
  std::vector<ModuleFunction> out;
  for_each_named_child(root, [&](TSNode s) {
    const bool exported = is(s, "export_statement");
    const TSNode decl = exported ? field(s, "declaration") : s;
    if (is(decl, "function_declaration")) {
      if (TSNode name = field(decl, "name"); is(name, "identifier")) out.push_back({name, decl, exported});
    } else if (is(decl, "lexical_declaration") || is(decl, "variable_declaration")) {
      for_each_named_child(decl, [&](TSNode d) {
        const TSNode name = field(d, "name");
        const TSNode value = field(d, "value");
        if (is(d, "variable_declarator") && is(name, "identifier") &&
            (is(value, "arrow_function") || is(value, "function_expression"))) {
          out.push_back({name, value, exported});
        }
      });
    }
  });
  return out;
}

struct Use {
  TSNode node;
  std::string what;  // "" for a direct call from a handler
  const Handler* caller = nullptr;
  TSNode call{};
};

std::string where(const RouteFile& model, TSNode node) {
  const Position p = model.source().position(ts_node_start_byte(node));
  return fmt::format("line {}", p.line);
}

// Whether `n` declares `name` (a variable, a parameter, a destructured binding, a function).
bool declares(const SourceFile& file, TSNode n, std::string_view name) {
  if (text(file, n) != name) return false;
  if (is(n, "shorthand_property_identifier_pattern")) return true;
  if (!is(n, "identifier")) return false;
  const TSNode parent = ts_node_parent(n);
  if (is(parent, "variable_declarator") || is(parent, "function_declaration") ||
      is(parent, "function_expression") || is(parent, "class_declaration")) {
    return ts_node_eq(field(parent, "name"), n);
  }
  if (is(parent, "required_parameter") || is(parent, "optional_parameter")) return ts_node_eq(field(parent, "pattern"), n);
  if (is(parent, "arrow_function")) return ts_node_eq(field(parent, "parameter"), n);
  if (is(parent, "catch_clause")) return ts_node_eq(field(parent, "parameter"), n);
  if (is(parent, "pair_pattern")) return ts_node_eq(field(parent, "value"), n);
  return is(parent, "array_pattern") || is(parent, "formal_parameters") || is(parent, "rest_pattern") ||
         is(parent, "assignment_pattern") || is(parent, "object_assignment_pattern");
}

// Whether the call hands the wrapper its caller's request (the caller's first parameter, by name)
// as its first argument.
bool passes_request(const RouteFile& model, const Use& call) {
  const SourceFile& file = model.source();
  const TSNode args = field(call.call, "arguments");
  const TSNode arg = is(args, "arguments") ? ts_node_named_child(args, 0) : TSNode{};
  const auto& hp = call.caller->params;
  return is(arg, "identifier") && !hp.empty() && !hp.front().name.empty() && text(file, arg) == hp.front().name;
}

// Why the caller's request cannot be handed over at the call, or "": a destructured request
// parameter, or its name declared again inside the handler (the call could reach another value).
std::string request_unavailable(const RouteFile& model, const Use& call) {
  const SourceFile& file = model.source();
  const Handler& caller = *call.caller;
  if (caller.params.empty()) return {};  // the rules give it one, under a fresh name
  const Parameter& request = caller.params.front();
  if (request.name.empty()) {
    return fmt::format("{} destructures its request parameter at {}, so the call at {} cannot hand it over",
                       caller.method, where(model, request.node), where(model, call.call));
  }
  TSNode again{};
  walk_named(model, caller.function, [&](TSNode n) {
    if (ts_node_is_null(again) && !ts_node_eq(n, request.pattern) && declares(file, n, request.name)) again = n;
    return ts_node_is_null(again);
  });
  if (ts_node_is_null(again)) return {};
  return fmt::format("{} declares `{}` again at {}, so the call at {} may not hand over the handler's request",
                     caller.method, request.name, where(model, again), where(model, call.call));
}

}  // namespace

void adopt_same_file_wrappers(RouteFile& model, const std::vector<Fetch>& outside, const Config& config) {
  const SourceFile& file = model.source();
  std::vector<bool> taken(outside.size(), false);
  std::vector<Handler> adopted;
  for (const ModuleFunction& f : module_functions(model.root)) {
    const TSNode fn = f.function;
    if (std::any_of(model.handlers.begin(), model.handlers.end(),
                    [&](const Handler& h) { return ts_node_eq(h.function, fn); })) {
      continue;
    }
    std::vector<size_t> mine;
    bool backend = false;
    for (size_t i = 0; i < outside.size(); ++i) {
      if (!taken[i] && within(fn, outside[i].call)) {
        mine.push_back(i);
        backend = backend || outside[i].backend;
      }
    }
    if (!backend) continue;
    const std::string name(text(file, f.name));

    // Every use of the name, and whether it is a direct call from a handler.
    std::vector<Use> uses;
    walk_named_with_ancestors(model.root, [&](TSNode n, const std::vector<TSNode>& ancestors) {
      if (!is(n, "identifier") || ts_node_eq(n, f.name) || text(file, n) != name) return true;
      const TSNode parent = ancestors.empty() ? TSNode{} : ancestors.back();
      Use use{n, {}};
      if (is(parent, "export_specifier")) {
        use.what = fmt::format("exported at {}", where(model, n));
      } else if (is(parent, "call_expression") && ts_node_eq(field(parent, "function"), n)) {
        use.call = parent;
        if (within(fn, n)) {
          use.what = fmt::format("it calls itself at {}", where(model, n));
        } else {
          for (const auto& h : model.handlers) {
            if (within(h.function, n)) use.caller = &h;
          }
          if (!use.caller) use.what = fmt::format("called outside the route handlers at {}", where(model, n));
        }
      } else {
        use.what = fmt::format("used as a value at {} (routeauth cannot follow where it is called from)", where(model, n));
      }
      uses.push_back(std::move(use));
      return true;
    });

    std::vector<std::string> reasons;
    if (f.exported) {
      reasons.push_back("it is exported, so other modules may call it without a session");
    }
    for (const auto& u : uses) {
      if (!u.what.empty()) reasons.push_back(u.what);
    }
    std::vector<const Use*> calls;
    for (const auto& u : uses) {
      if (u.caller) calls.push_back(&u);
    }
    if (calls.empty() && reasons.empty()) reasons.push_back("no route handler calls it");
    // Reads get the tenant and no-store, mutations must not: a wrapper serving both asks the
    // request it is handed which one it serves (Handler::read_methods).
    std::vector<std::string> read_methods;
    bool serves_mutations = false;
    for (const auto* c : calls) {
      const std::string& m = c->caller->method;
      if (!config.is_read(m)) {
        serves_mutations = true;
      } else if (std::find(read_methods.begin(), read_methods.end(), m) == read_methods.end()) {
        read_methods.push_back(m);
      }
    }
    if (!is_async(fn)) reasons.push_back("it is not async, so it cannot await the session");
    // The guide's fallback forwards the caller's Authorization header: the wrapper must be handed
    // the handler's request, as its first argument.
    Handler h;
    h.shape = HandlerShape::same_file_wrapper;
    h.name = f.name;
    h.function = fn;
    read_function(file, h);
    // The first parameter is the request when it is a name typed as one (NextRequest, Request), or
    // an untyped name that every call fills with the handler's request; every call must then pass
    // the handler's request there. A wrapper whose first parameter is something else (a path) is
    // handed the request by the rules: a new first parameter, and the callers' request at every call.
    const Parameter* first = h.params.empty() ? nullptr : &h.params.front();
    const bool typed_request = first && !ts_node_is_null(first->type) &&
                               text(file, first->type).find("Request") != std::string_view::npos;
    std::vector<const Use*> passing;
    for (const auto* c : calls) {
      if (passes_request(model, *c)) passing.push_back(c);
    }
    const bool untyped_name = first && !first->name.empty() && ts_node_is_null(first->type);
    if (typed_request || (untyped_name && !passing.empty())) {
      if (first->name.empty()) {
        reasons.push_back("its first parameter destructures the request, whose Authorization header the guide "
                          "forwards when there is no session");
      }
      for (const auto* c : calls) {
        if (std::find(passing.begin(), passing.end(), c) == passing.end()) {
          reasons.push_back(fmt::format("the call at {} ({}) does not pass the handler's request as its first argument",
                                        where(model, c->call), c->caller->method));
        }
      }
    } else if (!is(h.parameters, "formal_parameters")) {
      reasons.push_back("its parameter is not in parentheses, so the request cannot be added before it");
    } else {
      h.needs_request = true;
    }
    for (const auto* c : calls) {
      if (const std::string why = request_unavailable(model, *c); !why.empty()) reasons.push_back(why);
    }
    if (!reasons.empty()) {
      model.wrapper_problems.push_back({fn, name, std::move(reasons)});
      continue;
    }
    if (serves_mutations && !read_methods.empty()) {
      // Next answers HEAD with the GET handler when the route exports no HEAD.
      if (std::find(read_methods.begin(), read_methods.end(), "GET") != read_methods.end() &&
          std::find(read_methods.begin(), read_methods.end(), "HEAD") == read_methods.end() && config.is_read("HEAD")) {
        read_methods.push_back("HEAD");
      }
      h.read_methods = read_methods;
    }
    // A wrapper serving both kinds counts as a read (its first read caller's method): the rules
    // give it the tenant and no-store under a test of request.method.
    h.method = read_methods.empty() ? calls.front()->caller->method : read_methods.front();
    std::vector<std::string> methods;
    for (const auto* c : calls) {
      if (std::find(methods.begin(), methods.end(), c->caller->method) == methods.end()) {
        methods.push_back(c->caller->method);
      }
    }
    h.called_by = fmt::format("{}", fmt::join(methods, " and "));
    for (size_t i : mine) {
      taken[i] = true;
      h.fetches.push_back(outside[i]);
    }
    for (const auto* c : calls) {
      for (auto& caller : model.handlers) {
        if (&caller == c->caller) caller.same_file_wrapper_calls.push_back(c->call);
      }
    }
    adopted.push_back(std::move(h));
  }
  for (size_t i = 0; i < outside.size(); ++i) {
    if (!taken[i] && outside[i].backend) model.other_backend_fetches.push_back(outside[i]);
  }
  for (auto& h : adopted) model.handlers.push_back(std::move(h));
  std::sort(model.handlers.begin(), model.handlers.end(), [](const Handler& a, const Handler& b) {
    return ts_node_start_byte(a.function) < ts_node_start_byte(b.function);
  });
}

}  // namespace routeauth::engine
