#include "engine/route_model.h"
#include "engine/same_file_wrappers.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <unordered_map>
#include <atomic>
#include <map>

#include "engine/urls.h"

namespace routeauth::engine {

bool Config::is_read(std::string_view method) const {
  return std::find(read_methods.begin(), read_methods.end(), method) != read_methods.end();
}
bool Config::is_mutation(std::string_view method) const {
  return std::find(mutation_methods.begin(), mutation_methods.end(), method) != mutation_methods.end();
}

const ImportedName* Import::find(std::string_view exported) const {
  for (const auto& n : named) {
    if (n.name == exported) return &n;
  }
  return nullptr;
}

bool Handler::has_backend_fetch() const {
  return std::any_of(fetches.begin(), fetches.end(), [](const Fetch& f) { return f.backend; });
}

bool RouteFile::declares(std::string_view name) const {
  return std::find(module_names.begin(), module_names.end(), name) != module_names.end();
}

namespace {

bool contains(TSNode outer, TSNode inner) {
  return ts_node_start_byte(outer) <= ts_node_start_byte(inner) &&
         ts_node_end_byte(inner) <= ts_node_end_byte(outer);
}

bool is_function(TSNode node) {
  const std::string_view k = type(node);
  return k == "function_declaration" || k == "function_expression" || k == "arrow_function" ||
         k == "method_definition" || k == "generator_function_declaration" ||
         k == "generator_function" || k == "function";
}

// The named children of a node but its comments, in order.
std::vector<TSNode> code_children(TSNode node) {
  std::vector<TSNode> out;
  for_each_named_child(node, [&](TSNode c) {
    if (!is(c, "comment")) out.push_back(c);
  });
  return out;
}

bool has_token(TSNode node, std::string_view token, TSNode before) {
  const uint32_t n = ts_node_child_count(node);
  for (uint32_t i = 0; i < n; ++i) {
    TSNode c = ts_node_child(node, i);
    if (!ts_node_is_null(before) && ts_node_start_byte(c) >= ts_node_start_byte(before)) break;
    if (!ts_node_is_named(c) && type(c) == token) return true;
  }
  return false;
}

Import read_import(const SourceFile& file, TSNode statement, TSNode source) {
  Import imp;
  imp.statement = statement;
  imp.source = std::string(string_content(file, source));
  TSNode clause{};
  for (TSNode c : code_children(statement)) {
    if (is(c, "import_clause")) clause = c;
  }
  imp.type_only = has_token(statement, "type", ts_node_is_null(clause) ? source : clause);
  if (ts_node_is_null(clause)) return imp;
  for (TSNode c : code_children(clause)) {
    if (is(c, "identifier")) {
      imp.default_name = std::string(text(file, c));
    } else if (is(c, "namespace_import")) {
      for (TSNode id : code_children(c)) {
        if (is(id, "identifier")) imp.namespace_name = std::string(text(file, id));
      }
    } else if (is(c, "named_imports")) {
      imp.named_imports = c;
      for (TSNode spec : code_children(c)) {
        if (!is(spec, "import_specifier")) continue;
        if (has_token(spec, "type", field(spec, "name"))) continue;  // { type Session }
        TSNode name = field(spec, "name");
        TSNode alias = field(spec, "alias");
        ImportedName n;
        n.name = std::string(string_content(file, name));  // names may be string literals
        n.local = std::string(text(file, ts_node_is_null(alias) ? name : alias));
        n.node = spec;
        imp.named.push_back(std::move(n));
      }
    }
  }
  return imp;
}

// The statement of the nearest enclosing block (or program) that holds `node`, whose ancestors are
// `ancestors` (the root first).
TSNode enclosing_statement(TSNode node, const std::vector<TSNode>& ancestors) {
  TSNode cur = node;
  for (auto it = ancestors.rbegin(); it != ancestors.rend(); ++it) {
    const TSNode parent = *it;
    const std::string_view k = type(parent);
    if (k == "statement_block" || k == "program" || k == "switch_case" || k == "switch_default") {
      return cur;
    }
    // An expression-bodied arrow: the expression is the "statement".
    if (k == "arrow_function" && ts_node_eq(field(parent, "body"), cur)) return cur;
    cur = parent;
  }
  return cur;
}

constexpr std::array<std::string_view, 7> kMethods{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};

bool method_name(const SourceFile& file, TSNode name) {
  return is(name, "identifier") && std::find(kMethods.begin(), kMethods.end(), text(file, name)) != kMethods.end();
}

bool fetch_callee(const SourceFile& file, TSNode function) {
  const std::string_view k = type(function);
  if (k == "identifier") return text(file, function) == "fetch";
  if (k != "member_expression") return false;
  const TSNode object = field(function, "object");
  const TSNode property = field(function, "property");
  if (!is(object, "identifier") || !is(property, "property_identifier") || text(file, property) != "fetch") {
    return false;
  }
  const std::string_view global = text(file, object);
  return global == "globalThis" || global == "global" || global == "window" || global == "self";
}

// handlers.scm's export patterns, on one export_statement.
void scan_export(const SourceFile& file, TSNode statement, std::vector<TreeScan::Export>& out) {
  const TSNode decl = field(statement, "declaration");
  if (is(decl, "function_declaration")) {
    // export async function GET(request: NextRequest) { ... }
    if (TSNode name = field(decl, "name"); method_name(file, name)) out.push_back({name, decl, {}, {}});
  } else if (is(decl, "lexical_declaration")) {
    // export const POST = async (req) => { ... }, export const GET = withErrors(async (req) => ...)
    for_each_named_child(decl, [&](TSNode d) {
      if (!is(d, "variable_declarator")) return;
      const TSNode name = field(d, "name");
      const TSNode value = field(d, "value");
      if (method_name(file, name) && !ts_node_is_null(value) && ts_node_is_named(value)) {
        out.push_back({name, {}, value, {}});
      }
    });
  }
  // export { handler as GET }, export { GET }
  for_each_named_child(statement, [&](TSNode clause) {
    if (!is(clause, "export_clause")) return;
    for_each_named_child(clause, [&](TSNode spec) {
      if (!is(spec, "export_specifier")) return;
      const TSNode local = field(spec, "name");
      const TSNode alias = field(spec, "alias");
      if (!is(local, "identifier")) return;
      if (ts_node_is_null(alias)) {
        if (method_name(file, local)) out.push_back({local, {}, {}, local});
      } else if (method_name(file, alias)) {
        out.push_back({alias, {}, {}, local});
      }
    });
  });
}

struct Binding {
  std::string_view name;
  TSNode node;
  TSNode value;
};

// Tells backend URLs apart: an expression is one when it is built from a configured base,
// directly or through local variables, or when it is a string or template literal whose text
// starts with a configured URL prefix (`https://api.example-shop.com`). A URL whose text starts
// with another absolute host (`https://api.stripe.com/...?key=${process.env.KEY}`) is not one.
class BackendClassifier {
 public:
  BackendClassifier(const SourceFile& file, const Config& config,
                    std::vector<Binding> bindings)
      : file_(file), bindings_(std::move(bindings)) {
    for (const auto& base : config.backend_bases) {
      if (base.find("://") != std::string::npos) {
        prefixes_.push_back(base);
      } else if (base.ends_with("()")) {
        calls_.push_back(base.substr(0, base.size() - 2));
      } else if (base.find('.') != std::string::npos) {
        members_.push_back(base);
      } else {
        identifiers_.push_back(base);
        members_.push_back("process.env." + base);
      }
    }
  }

  [[nodiscard]] bool backend(TSNode expr) const { return !base_of(expr).empty(); }

  // Whether `expr` holds a literal URL of a host no configured prefix names (a third party's).
  [[nodiscard]] bool names_other_host(TSNode expr) const {
    bool found = false;
    walk_named(expr, [&](TSNode n) {
      if (found || is_function(n)) return false;
      if (!is(n, "string") && !is(n, "template_string")) return true;
      if (const auto head = url_literal_head(file_, n); head && absolute_url(*head)) {
        found = std::none_of(prefixes_.begin(), prefixes_.end(), [&](const auto& p) { return url_has_prefix(*head, p); });
      }
      return false;
    });
    return found;
  }

  // The configured base the URL `expr` is built from, as written in the config, or "".
  [[nodiscard]] std::string base_of(TSNode expr, int depth = 0) const {
    if (depth > 8) return {};
    if (const auto head = url_literal_head(file_, expr)) {
      for (const auto& prefix : prefixes_) {
        if (url_has_prefix(*head, prefix)) return prefix;
      }
      if (absolute_url(*head)) return {};  // another host: whatever follows is its path or query
    }
    std::vector<TSNode> stack{expr};
    while (!stack.empty()) {
      TSNode node = stack.back();
      stack.pop_back();
      const std::string_view k = type(node);
      if (is_function(node)) continue;
      if (k == "identifier") {
        const std::string_view name = text(file_, node);
        if (listed(identifiers_, name)) return std::string(name);
        if (auto bound = bound_base(name, node, depth); !bound.empty()) return bound;
        continue;
      }
      if (k == "member_expression") {
        const std::string member = compact(text(file_, node));
        if (listed(members_, member)) {
          return member.starts_with("process.env.") && listed(identifiers_, member.substr(12)) ? member.substr(12) : member;
        }
      }
      if (k == "call_expression") {
        const std::string callee = compact(text(file_, field(node, "function")));
        if (listed(calls_, callee)) return callee + "()";
      }
      if (k == "string" || k == "template_string") {
        if (const auto head = url_literal_head(file_, node)) {
          for (const auto& prefix : prefixes_) {
            if (url_has_prefix(*head, prefix)) return prefix;
          }
          // Another host's URL (`https://api.example.org/x?key=${process.env.KEY}`), nested in
          // what is looked at (a wrapper's options object): whatever it holds is its path or query.
          if (absolute_url(*head)) continue;
        }
      }
      for_each_named_child(node, [&](TSNode c) { stack.push_back(c); });
    }
    return {};
  }


 private:
  static bool listed(const std::vector<std::string>& list, std::string_view s) {
    return std::find(list.begin(), list.end(), s) != list.end();
  }
  static std::string compact(std::string_view s) {
    std::string out;
    for (char c : s) {
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') out += c;
    }
    return out;
  }
  // Whether the variable `name`, as seen at `use`, holds a backend URL: the declaration in scope
  // there (the innermost one, so a shadowing local or parameter wins) was initialised from one, or
  // an earlier assignment to that same variable gave it one.
  std::string bound_base(std::string_view name, TSNode use, int depth) const {
    TSNode declaration = visible_declaration(name, use);
    // `for (const url of candidates)`: each value it takes is an element of what it iterates.
    if (const TSNode loop = ts_node_is_null(declaration) ? TSNode{} : ts_node_parent(declaration);
        is(loop, "for_in_statement") && ts_node_eq(field(loop, "left"), declaration) &&
        text(file_, field(loop, "operator")) == "of") {
      return base_of(field(loop, "right"), depth + 1);
    }
    if (!is(declaration, "variable_declarator")) return {};  // a parameter, a function, a global
    if (TSNode value = field(declaration, "value"); !ts_node_is_null(value)) {
      if (auto base = base_of(value, depth + 1); !base.empty()) return base;
    }
    const uint32_t at = ts_node_start_byte(use);
    for (const auto& b : bindings_) {
      if (b.name != name || ts_node_start_byte(b.node) >= at || contains(b.node, use)) continue;
      if (is(b.node, "variable_declarator")) continue;  // declarations are resolved by scope above
      if (!ts_node_eq(visible_declaration(name, b.node), declaration)) continue;
      if (auto base = base_of(b.value, depth + 1); !base.empty()) return base;
    }
    return {};
  }

  // The node that declares `name` for a use: walk out through the enclosing scopes and take the
  // first that declares it (a variable declarator, a parameter, a function, a catch parameter).
  TSNode visible_declaration(std::string_view name, TSNode use) const {
    for (TSNode scope = parent_of(use); !ts_node_is_null(scope); scope = parent_of(scope)) {
      const std::string_view k = type(scope);
      if (k == "statement_block" || k == "program" || k == "switch_body") {
        const TSNode found = find_named_child(scope, [&](TSNode s) { return declares(s, name); });
        if (!ts_node_is_null(found)) return found;
      } else if (is_function(scope)) {
        TSNode params = field(scope, "parameters");
        if (ts_node_is_null(params)) params = field(scope, "parameter");
        if (!ts_node_is_null(params) && binds(params, name)) return params;
      } else if (k == "for_statement" || k == "for_in_statement") {
        TSNode init = field(scope, k == "for_statement" ? "initializer" : "left");
        if (!ts_node_is_null(init)) {
          TSNode found = declares(init, name);
          if (!ts_node_is_null(found)) return found;
          if (k == "for_in_statement" && binds(init, name)) return init;
        }
      } else if (k == "catch_clause") {
        TSNode param = field(scope, "parameter");
        if (!ts_node_is_null(param) && binds(param, name)) return param;
      }
    }
    return TSNode{};
  }

  // The declarator (or function) of `name` that `statement` introduces into its scope, if any.
  TSNode declares(TSNode statement, std::string_view name) const {
    TSNode decl = is(statement, "export_statement") ? field(statement, "declaration") : statement;
    if (ts_node_is_null(decl)) return TSNode{};
    if (is(decl, "lexical_declaration") || is(decl, "variable_declaration")) {
      return find_named_child(decl, [&](TSNode d) {
        return is(d, "variable_declarator") && binds(field(d, "name"), name) ? d : TSNode{};
      });
    }
    if ((is(decl, "function_declaration") || is(decl, "class_declaration")) && text(file_, field(decl, "name")) == name) {
      return decl;
    }
    return TSNode{};
  }

  // Whether a pattern (a name, a destructuring, a parameter list) binds `name`.
  bool binds(TSNode pattern, std::string_view name) const {
    std::vector<TSNode> stack{pattern};
    while (!stack.empty()) {
      TSNode n = stack.back();
      stack.pop_back();
      if (ts_node_is_null(n)) continue;
      const std::string_view k = type(n);
      if (k == "identifier" || k == "shorthand_property_identifier_pattern") {
        if (text(file_, n) == name) return true;
        continue;
      }
      if (k == "type_annotation") continue;
      if (k == "pair_pattern") {
        stack.push_back(field(n, "value"));
        continue;
      }
      if (k == "object_assignment_pattern" || k == "assignment_pattern") {
        stack.push_back(field(n, "left"));
        continue;
      }
      if (k == "required_parameter" || k == "optional_parameter") {
        stack.push_back(field(n, "pattern"));
        continue;
      }
      for_each_named_child(n, [&](TSNode c) { stack.push_back(c); });
    }
    return false;
  }

  // The parent of a node, looked up once per node: the uses of one function share their scopes,
  // and every declaration lookup walks out through them (ts_node_parent is O(depth)).
  TSNode parent_of(TSNode node) const {
    auto [it, fresh] = parents_.try_emplace(node.id);
    if (fresh) it->second = parent(node);
    return it->second;
  }

  const SourceFile& file_;
  std::vector<Binding> bindings_;
  mutable std::unordered_map<const void*, TSNode> parents_;
  std::vector<std::string> identifiers_, members_, calls_, prefixes_;
};

// The function a wrapped handler runs: the first function among the call's arguments, looking
// through nested calls (`withA(withB(async (req) => ...))`).
TSNode wrapped_function(TSNode call, const std::map<std::string, TSNode, std::less<>>& functions,
                        const SourceFile& file) {
  std::vector<TSNode> stack{call};
  for (int guard = 0; !stack.empty() && guard < 64; ++guard) {
    TSNode node = stack.back();
    stack.pop_back();
    if (is(node, "arrow_function") || is(node, "function_expression") || is(node, "function")) {
      return node;
    }
    if (is(node, "identifier")) {
      auto it = functions.find(text(file, node));
      if (it != functions.end() && !is(it->second, "call_expression")) return it->second;
      continue;
    }
    if (is(node, "call_expression")) {
      auto args = code_children(field(node, "arguments"));
      for (auto it = args.rbegin(); it != args.rend(); ++it) stack.push_back(*it);
    }
  }
  return TSNode{};
}

}  // namespace

void read_function(const SourceFile& file, Handler& h) {
  TSNode fn = h.function;
  h.parameters = field(fn, "parameters");
  if (ts_node_is_null(h.parameters)) h.parameters = field(fn, "parameter");  // req => ...
  h.body = field(fn, "body");
  if (is(h.parameters, "identifier")) {
    h.params.push_back(Parameter{h.parameters, h.parameters, std::string(text(file, h.parameters)), TSNode{}});
  } else if (!ts_node_is_null(h.parameters)) {
    for (TSNode p : code_children(h.parameters)) {
      Parameter param{p, field(p, "pattern"), {}, field(p, "type")};
      if (ts_node_is_null(param.pattern)) param.pattern = p;
      if (is(param.pattern, "identifier")) param.name = std::string(text(file, param.pattern));
      h.params.push_back(param);
    }
  }
  if (is(h.body, "statement_block")) {
    for (TSNode s : code_children(h.body)) {
      if (is(s, "try_statement")) {
        h.try_block = field(s, "body");
        break;
      }
    }
  }
}
namespace {

// Everything scan_tree() collects, in one walk of the tree (which also knows the ancestors that the
// enclosing statements and the strings' parents need).
class Scanner {
 public:
  Scanner(const SourceFile& file, TreeScan& out) : file_(file), out_(out) {}

  void run(TSNode root) {
    walk_named_with_ancestors(root, [&](TSNode node, const std::vector<TSNode>& ancestors) {
      out_.nodes.record(node, ancestors.size());
      return visit(node, ancestors);
    });
    out_.nodes.finish();
    out_.style = style_.style(file_);
  }

 private:
  // One named node; false when its subtree holds nothing of interest.
  bool visit(TSNode node, const std::vector<TSNode>& ancestors) {
    const std::string_view k = type(node);
    const TSNode parent = ancestors.empty() ? TSNode{} : ancestors.back();
    if (!style_.count(file_, node, k, parent)) return false;
    if (k == "call_expression") {
      // fetch.scm: fetch(url, init), globalThis.fetch(url)
      const TSNode arguments = field(node, "arguments");
      if (is(arguments, "arguments") && fetch_callee(file_, field(node, "function"))) {
        out_.fetches.push_back({node, arguments, enclosing_statement(node, ancestors)});
      }
    } else if (k == "variable_declarator") {
      // url.scm: const url = `${BRAIN_API_URL}/api/x`
      binding(node, field(node, "name"), field(node, "value"));
    } else if (k == "augmented_assignment_expression" || k == "assignment_expression") {
      // url.scm: url += `?${params}`, url = `${BRAIN_API_URL}/api/x`
      binding(node, field(node, "left"), field(node, "right"));
    } else if (k == "export_statement") {
      scan_export(file_, node, out_.exports);
    } else if (k == "program") {
      top_level(node);
    }
    return true;
  }

  void binding(TSNode node, TSNode name, TSNode value) {
    if (is(name, "identifier") && !ts_node_is_null(value) && ts_node_is_named(value)) {
      out_.bindings.push_back({node, name, value});
    }
  }

  // imports.scm, and handlers.scm's module-level functions: the program's own statements.
  void top_level(TSNode program) {
    for_each_named_child(program, [&](TSNode s) {
      const std::string_view k = type(s);
      if (k == "import_statement") {
        if (is(field(s, "source"), "string")) out_.imports.push_back(s);
      } else if (k == "expression_statement") {
        // 'use server'
        if (!ts_node_is_null(find_named_child(s, [](TSNode c) { return is(c, "string") ? c : TSNode{}; }))) {
          out_.directives.push_back(s);
        }
      } else if (k == "function_declaration") {
        // async function handler(req) { ... }
        if (TSNode name = field(s, "name"); is(name, "identifier")) out_.functions.push_back({name, s});
      } else if (k == "lexical_declaration") {
        // const handler = async (req) => { ... }
        for_each_named_child(s, [&](TSNode d) {
          if (!is(d, "variable_declarator")) return;
          const TSNode name = field(d, "name");
          const TSNode value = field(d, "value");
          if (is(name, "identifier") && (is(value, "arrow_function") || is(value, "function_expression") ||
                                         is(value, "call_expression"))) {
            out_.functions.push_back({name, value});
          }
        });
      }
    });
  }

  const SourceFile& file_;
  TreeScan& out_;
  StyleTally style_;
};

}  // namespace

TreeScan scan_tree(const SourceFile& file, TSNode root) {
  TreeScan out;
  Scanner(file, out).run(root);
  return out;
}

namespace {

// The exported name a call's callee names when an import binds it (`import { proxyToBackend as
// proxy } from '@/lib/proxy'` -> proxyToBackend; a default import answers to its local name), or
// "" when no import does (a name of the file's own is not an imported wrapper).
std::string imported_name(const RouteFile& model, std::string_view local) {
  for (const auto& import : model.imports) {
    if (import.type_only) continue;
    for (const auto& named : import.named) {
      if (named.local == local) return named.name;
    }
    if (import.default_name && *import.default_name == local) return std::string(local);
  }
  return {};
}

void find_wrapper_calls(RouteFile& model, const Config& config, const BackendClassifier& classifier) {
  const SourceFile& file = *model.file;
  for (auto& h : model.handlers) {
    walk_named(model, h.function, [&](TSNode n) {
      if (!is(n, "call_expression")) return true;
      const TSNode callee = field(n, "function");
      if (!is(callee, "identifier")) return true;
      const std::string name = imported_name(model, text(file, callee));
      if (name.empty()) return true;
      for (const auto& w : config.wrappers) {
        if (w.name != name) continue;
        const TSNode arguments = field(n, "arguments");
        std::string base = classifier.base_of(arguments);
        // A wrapper handed another host's URL sends that host's request (fetchJson('https://...')).
        if (base.empty() && classifier.names_other_host(arguments)) break;
        if (w.url == "own" || !base.empty()) h.wrapper_calls.push_back(WrapperCall{n, &w, std::move(base)});
        break;
      }
      return true;
    });
  }
}

}  // namespace

RouteFile build_route_model(const SourceFile& file, TSNode root, const Config& config) {
  static std::atomic<uint64_t> models{0};
  RouteFile model;
  model.id = ++models;
  model.file = &file;
  model.root = root;
  TreeScan scan = scan_tree(file, root);
  model.style = scan.style;
  model.nodes = std::move(scan.nodes);

  // Imports and directives (the directive prologue only).
  {
    uint32_t first_statement = UINT32_MAX;
    for (TSNode s : code_children(root)) {
      if (!(is(s, "expression_statement") && is(ts_node_named_child(s, 0), "string"))) {
        first_statement = ts_node_start_byte(s);
        break;
      }
    }
    for (TSNode d : scan.directives) {
      if (ts_node_start_byte(d) < first_statement) model.directives.push_back(d);
    }
    for (TSNode statement : scan.imports) {
      model.imports.push_back(read_import(file, statement, field(statement, "source")));
    }
  }

  // Names declared at the top level.
  for (const auto& imp : model.imports) {
    if (imp.default_name) model.module_names.push_back(*imp.default_name);
    if (imp.namespace_name) model.module_names.push_back(*imp.namespace_name);
    for (const auto& n : imp.named) model.module_names.push_back(n.local);
  }
  for (TSNode s : code_children(root)) {
    TSNode decl = is(s, "export_statement") ? field(s, "declaration") : s;
    if (ts_node_is_null(decl)) continue;
    if (TSNode name = field(decl, "name"); !ts_node_is_null(name)) {
      model.module_names.emplace_back(text(file, name));
    }
    if (is(decl, "lexical_declaration") || is(decl, "variable_declaration")) {
      for (TSNode d : code_children(decl)) {
        TSNode name = field(d, "name");
        if (is(name, "identifier")) model.module_names.emplace_back(text(file, name));
      }
    }
  }

  // Handlers.
  {
    std::map<std::string, TSNode, std::less<>> functions;
    for (const auto& f : scan.functions) functions.emplace(text(file, f.name), f.function);
    struct Exported {
      std::string method;
      TSNode name;
      TSNode function;
      HandlerShape shape;
    };
    std::vector<Exported> exported;
    for (const TreeScan::Export& m : scan.exports) {
      Exported e{std::string(text(file, m.name)), m.name, TSNode{}, HandlerShape::function_declaration};
      if (TSNode fn = m.function; !ts_node_is_null(fn)) {
        e.function = fn;
      } else if (TSNode value = m.value; !ts_node_is_null(value)) {
        if (is(value, "arrow_function") || is(value, "function_expression") || is(value, "function")) {
          e.function = value;
          e.shape = HandlerShape::exported_arrow;
        } else if (is(value, "call_expression")) {
          e.function = wrapped_function(value, functions, file);
          e.shape = HandlerShape::wrapped;
        } else if (is(value, "identifier")) {
          auto it = functions.find(text(file, value));
          if (it != functions.end()) {
            e.function = is(it->second, "call_expression") ? wrapped_function(it->second, functions, file)
                                                          : it->second;
          }
          e.shape = HandlerShape::export_clause;
        }
      } else if (TSNode local = m.local; !ts_node_is_null(local)) {
        e.shape = HandlerShape::export_clause;
        auto it = functions.find(text(file, local));
        if (it != functions.end()) {
          e.function = is(it->second, "call_expression") ? wrapped_function(it->second, functions, file)
                                                        : it->second;
        }
      }
      exported.push_back(std::move(e));
    }
    // One function exported under several methods is one handler when the methods are of one
    // kind; a function serving both reads and mutations needs both patterns: a person decides.
    std::vector<const Exported*> kept;
    for (const auto& e : exported) {
      if (ts_node_is_null(e.function)) continue;
      const Exported* same = nullptr;
      for (const auto* k : kept) {
        if (ts_node_eq(k->function, e.function)) same = k;
      }
      if (!same) {
        kept.push_back(&e);
        continue;
      }
      if (config.is_read(same->method) != config.is_read(e.method)) {
        model.problems.push_back(ShapeProblem{
            ts_node_start_byte(e.name),
            fmt::format("one function serves {} and {}; reads and mutations need different auth "
                        "code, so split it into one function per method",
                        same->method, e.method),
            e.function});
      }
    }
    for (const auto* e : kept) {
      Handler h;
      h.method = e->method;
      h.shape = e->shape;
      h.name = e->name;
      h.function = e->function;
      read_function(file, h);
      model.handlers.push_back(std::move(h));
    }
    std::sort(model.handlers.begin(), model.handlers.end(), [](const Handler& a, const Handler& b) {
      return ts_node_start_byte(a.function) < ts_node_start_byte(b.function);
    });
  }

  // Fetches, and which of them reach the backend.
  {
    std::vector<Binding> bindings;
    bindings.reserve(scan.bindings.size());
    for (const auto& b : scan.bindings) bindings.push_back(Binding{text(file, b.name), b.binding, b.value});
    BackendClassifier classifier(file, config, std::move(bindings));
    std::vector<Fetch> outside;  // fetches no handler holds
    for (const TreeScan::FetchCall& call : scan.fetches) {
      Fetch f;
      f.call = call.call;
      auto args = code_children(call.arguments);
      if (args.empty()) continue;
      f.url = args[0];
      if (args.size() > 1) f.options = args[1];
      f.statement = call.statement;
      f.base = classifier.base_of(f.url);
      f.backend = !f.base.empty();
      Handler* owner = nullptr;
      for (auto& h : model.handlers) {
        if (contains(h.function, f.call)) owner = &h;
      }
      if (owner) {
        owner->fetches.push_back(f);
      } else {
        outside.push_back(f);
      }
    }
    adopt_same_file_wrappers(model, outside, config);
    if (!config.wrappers.empty()) find_wrapper_calls(model, config, classifier);
  }
  return model;
}

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

}  // namespace routeauth::engine
