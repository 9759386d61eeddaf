// What a route file is, in the terms of the migration: its imports, its handlers (method,
// parameters, body, try block) and the fetches each handler makes, told apart into backend and
// other fetches. Built once per parse; every rule reads it, none changes it.
#pragma once

#include <tree_sitter/api.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config.h"
#include "engine/source.h"
#include "engine/syntax.h"

namespace routeauth::engine {

struct ImportedName {
  std::string name;   // exported name
  std::string local;  // local binding (the alias, or the name)
  TSNode node{};        // the import_specifier
};

struct Import {
  TSNode statement{};
  std::string source;  // module specifier, unquoted
  bool type_only = false;              // import type { ... }
  std::optional<std::string> default_name;
  std::optional<std::string> namespace_name;
  std::vector<ImportedName> named;
  TSNode named_imports{};  // the `{ ... }` node, or null

  [[nodiscard]] const ImportedName* find(std::string_view exported) const;
};

enum class HandlerShape {
  function_declaration,  // export async function GET(...) { }
  exported_arrow,        // export const GET = async (...) => { }
  wrapped,               // export const GET = wrapper(async (...) => { })
  export_clause,         // export { handler as GET }
  same_file_wrapper,     // async function brainFetch(req, path) { ... } called by handlers (same_file_wrappers.h)
};

struct Parameter {
  TSNode node{};     // required_parameter / optional_parameter / identifier
  TSNode pattern{};  // identifier or object_pattern
  std::string name;  // empty for a destructuring pattern
  TSNode type{};     // type_annotation, or null
};

struct Fetch {
  TSNode call{};       // the call_expression
  TSNode url{};        // first argument
  TSNode options{};    // second argument, or null
  TSNode statement{};  // the statement of the enclosing block that holds the call
  bool backend = false;
  std::string base;    // the configured backend base its URL is built from, when backend
};

// A call of a backend wrapper (Config::wrappers) in a handler: the request it sends is the
// backend's, but routeauth cannot rewrite it here.
struct WrapperCall {
  TSNode call{};
  const BackendWrapper* wrapper = nullptr;
  std::string base;  // the configured base a backend URL among its arguments is built from, or ""
};

struct Handler {
  std::string method;
  HandlerShape shape;
  TSNode name{};      // where findings about the handler point
  TSNode function{};  // function_declaration, arrow_function or function_expression
  TSNode parameters{};  // formal_parameters, or the lone identifier of `req => ...`
  std::vector<Parameter> params;
  TSNode body{};        // statement_block, or the expression of an expression-bodied arrow
  TSNode try_block{};   // the block of the first try statement directly in the body, or null
  std::vector<Fetch> fetches;  // every fetch inside the function, in source order
  std::vector<WrapperCall> wrapper_calls;  // backend wrapper calls inside it, in source order
  std::vector<TSNode> same_file_wrapper_calls;  // calls of a same-file wrapper handler, in source order
  std::string called_by;  // a same-file wrapper's callers: "GET", "POST and PUT"
  // A same-file wrapper whose first parameter is not the request: the rules give it one, and
  // every call the caller's request (rewriters/common.h plan_request).
  bool needs_request = false;
  // A same-file wrapper that serves reads and mutations: the read methods its request can carry
  // (its read callers', and HEAD with GET, which Next answers with GET); the tenant and no-store
  // apply when request.method is one of them. Empty for a wrapper of one kind, and for handlers.
  std::vector<std::string> read_methods;

  [[nodiscard]] bool expression_body() const { return !is(body, "statement_block"); }
  [[nodiscard]] bool has_backend_fetch() const;
  // A backend fetch, or a backend wrapper call: the handler talks to the backend.
  [[nodiscard]] bool calls_backend() const {
    return has_backend_fetch() || !wrapper_calls.empty() || !same_file_wrapper_calls.empty();
  }
  // A same-file wrapper the model treats as a handler of its callers' kind (not a route method).
  [[nodiscard]] bool is_wrapper() const { return shape == HandlerShape::same_file_wrapper; }
  // Who a finding about the handler names: its method, or `proxy (called by GET)` for a wrapper.
  [[nodiscard]] std::string who(std::string_view wrapper_name) const {
    return is_wrapper() ? std::string(wrapper_name) + " (called by " + called_by + ")" : method;
  }
};

// A handler shape the model cannot follow safely; reported by the manual-review rule.
struct ShapeProblem {
  uint32_t offset;
  std::string message;
  TSNode function{};  // what a person must change first (manual-review freezes it)
};

struct RouteFile {
  // Tells the models of one process apart (1, 2, ...), for what rules work out once per model;
  // 0 for a model not made by build_route_model.
  uint64_t id = 0;
  const SourceFile* file = nullptr;
  TSNode root{};
  Style style;
  std::vector<Import> imports;
  std::vector<TSNode> directives;  // 'use server' and friends, in order
  std::vector<Handler> handlers;   // in source order of their functions
  std::vector<Fetch> other_backend_fetches;  // backend fetches outside every handler
  // Why the module-level function holding a fetch of other_backend_fetches was not adopted as a
  // same-file wrapper: its name and the reasons (which uses, where); keyed by the function node.
  struct WrapperProblem {
    TSNode function{};
    std::string name;
    std::vector<std::string> reasons;
  };
  std::vector<WrapperProblem> wrapper_problems;
  std::vector<ShapeProblem> problems;
  std::vector<std::string> module_names;  // names declared at the top level
  NodeIndex nodes;  // the tree's named nodes (TreeScan::nodes): walk_named(route, node, visit) uses it

  [[nodiscard]] const SourceFile& source() const { return *file; }
  [[nodiscard]] bool declares(std::string_view name) const;
};

// What the route model reads off the tree, found in one walk: the nodes that the patterns of
// queries/*.scm capture, one entry per match, in document order. The .scm files stay the
// specification (tests/route_model_test.cpp checks this walk against them on every fixture); the
// walk replaces running them because each query run is a walk of the whole tree, and compiling
// them cost more than a whole check of one file.
struct TreeScan {
  // imports.scm
  std::vector<TSNode> imports;     // @import (its @import.source is the statement's source field)
  std::vector<TSNode> directives;  // @directive
  // handlers.scm: an exported method (@handler.name, with one of @handler.function,
  // @handler.value, @handler.local) and a module-level function (@function.name, @function).
  struct Export {
    TSNode name{}, function{}, value{}, local{};
  };
  std::vector<Export> exports;
  struct Function {
    TSNode name{}, function{};
  };
  std::vector<Function> functions;
  // url.scm
  struct Binding {
    TSNode binding{}, name{}, value{};
  };
  std::vector<Binding> bindings;
  // fetch.scm, and the statement of the nearest enclosing block that holds each call.
  struct FetchCall {
    TSNode call{}, arguments{}, statement{};
  };
  std::vector<FetchCall> fetches;
  Style style;  // detect_style(), counted on the same walk
  NodeIndex nodes;  // every named node the walk visited (not inside string literals)
};
[[nodiscard]] TreeScan scan_tree(const SourceFile& file, TSNode root);

// Fills in a handler's parameters, body and try block from its function.
void read_function(const SourceFile& file, Handler& h);

[[nodiscard]] RouteFile build_route_model(const SourceFile& file, TSNode root, const Config& config);

// walk_named(root, visit) for a node of the model's tree, through its node index.
template <typename F>
void walk_named(const RouteFile& route, TSNode root, F&& visit) {
  if (!route.nodes.walk(root, visit)) walk_named(root, visit);
}

// The `variable_declarator` of the local `name` in the handler's function that starts last before
// `before` (the declaration a use at `before` most likely reads), or null.
[[nodiscard]] TSNode local_declarator(const RouteFile& route, const Handler& handler, std::string_view name,
                                      uint32_t before);

// `visit(n)` for every named node of the subtree at `root`, in the order of the stack walk
// `stack{root}; pop n; visit(n); push n's named children in order` (NodeIndex::walk_stack_order).
template <typename F>
void walk_stack_order(const RouteFile& route, TSNode root, F&& visit) {
  if (route.nodes.walk_stack_order(root, visit)) return;
  std::vector<TSNode> stack{root};
  while (!stack.empty()) {
    const TSNode n = stack.back();
    stack.pop_back();
    visit(n);
    for_each_named_child(n, [&](TSNode child) { stack.push_back(child); });
  }
}

}  // namespace routeauth::engine
