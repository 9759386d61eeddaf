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
    // Reads get the tenant and no-store, mutations must not: one wrapper serves one kind.
    std::set<std::string> reads, mutations;
    for (const auto* c : calls) {
      (config.is_read(c->caller->method) ? reads : mutations)
          .insert(fmt::format("{} at {}", c->caller->method, where(model, c->call)));
    }
    if (!reads.empty() && !mutations.empty()) {
      reasons.push_back(fmt::format("it serves reads ({}) and mutations ({}), which need different auth code",
                                    fmt::join(reads, ", "), fmt::join(mutations, ", ")));
    }
    if (!is_async(fn)) reasons.push_back("it is not async, so it cannot await the session");
    // The guide's fallback forwards the caller's Authorization header: the wrapper must be handed
    // the handler's request, as its first argument.
    Handler h;
    h.shape = HandlerShape::same_file_wrapper;
    h.name = f.name;
    h.function = fn;
    read_function(file, h);
    // The first parameter is the request when it is a name typed as one (NextRequest, Request) or
    // untyped; every call must then pass the handler's request there.
    const Parameter* first = h.params.empty() ? nullptr : &h.params.front();
    const bool typed_otherwise = first && !ts_node_is_null(first->type) &&
                                 text(file, first->type).find("Request") == std::string_view::npos;
    if (!first || first->name.empty() || typed_otherwise) {
      reasons.push_back("its first parameter is not the request, whose Authorization header the guide forwards "
                        "when there is no session");
    } else {
      for (const auto* c : calls) {
        const TSNode args = field(c->call, "arguments");
        const TSNode arg = is(args, "arguments") ? ts_node_named_child(args, 0) : TSNode{};
        const auto& hp = c->caller->params;
        const bool passes = is(arg, "identifier") && !hp.empty() && !hp.front().name.empty() &&
                            text(file, arg) == hp.front().name;
        if (!passes) {
          reasons.push_back(fmt::format("the call at {} ({}) does not pass the handler's request as its first argument",
                                        where(model, c->call), c->caller->method));
        }
      }
    }
    if (!reasons.empty()) {
      model.wrapper_problems.push_back({fn, name, std::move(reasons)});
      continue;
    }
    h.method = calls.front()->caller->method;
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
