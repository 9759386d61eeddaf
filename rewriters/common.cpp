#include "rewriters/common.h"

#include <fmt/format.h>

#include "rewriters/session_read.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace routeauth::rewriters {

using namespace engine;

namespace {

// Identifiers bound by a pattern (a name, or a destructuring pattern).
void pattern_names(const SourceFile& file, TSNode pattern, std::set<std::string, std::less<>>& out) {
  std::vector<TSNode> stack{pattern};
  while (!stack.empty()) {
    TSNode n = stack.back();
    stack.pop_back();
    if (ts_node_is_null(n)) continue;
    const std::string_view k = type(n);
    if (k == "identifier" || k == "shorthand_property_identifier_pattern") {
      out.emplace(text(file, n));
      continue;
    }
    if (k == "pair_pattern") {
      stack.push_back(field(n, "value"));
      continue;
    }
    if (k == "object_assignment_pattern" || k == "assignment_pattern") {
      stack.push_back(field(n, "left"));
      continue;
    }
    if (k == "type_annotation") continue;
    for_each_named_child(n, [&](TSNode child) { stack.push_back(child); });
  }
}

std::string compact(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '!') continue;
    if (c == '?' && i + 1 < s.size() && s[i + 1] == '.') continue;
    out += c;
  }
  return out;
}

std::vector<std::string> split_field(std::string_view field_path) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t i = 0; i <= field_path.size(); ++i) {
    if (i == field_path.size() || field_path[i] == '.') {
      parts.emplace_back(field_path.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

bool is_next_auth(std::string_view source) { return source == "next-auth" || source == "next-auth/next"; }

// What the rules work out from the model alone and ask for more than once in a pass (each rule
// wants the handler's session plan and the names taken in its scope): kept for the model being
// diagnosed on this thread (RouteFile::id tells models apart; 0, a hand-made model, keeps nothing).
template <typename Key, typename Value>
class ModelMemo {
 public:
  template <typename Make>
  Value get(const RouteFile& route, const Key& key, Make&& make) {
    if (route.id == 0) return make();
    if (route.id != model_) {
      entries_.clear();
      model_ = route.id;
    }
    for (const auto& [k, v] : entries_) {
      if (k == key) return v;
    }
    entries_.emplace_back(key, make());
    return entries_.back().second;
  }

 private:
  uint64_t model_ = 0;
  std::vector<std::pair<Key, Value>> entries_;
};

}  // namespace

bool is_function_like(TSNode n) {
  const std::string_view k = type(n);
  return k == "function_declaration" || k == "function_expression" || k == "arrow_function" ||
         k == "method_definition" || k == "function";
}

// ---- names -----------------------------------------------------------------------------------

namespace {

// The names `n` declares in the scope it is part of (a variable, a parameter, a function).
void add_declared_names(const SourceFile& file, TSNode n, std::set<std::string, std::less<>>& out) {
  const std::string_view k = type(n);
  if (k == "variable_declarator") {
    pattern_names(file, field(n, "name"), out);
  } else if (k == "required_parameter" || k == "optional_parameter") {
    pattern_names(file, field(n, "pattern"), out);
  } else if (k == "arrow_function") {
    if (TSNode p = field(n, "parameter"); !ts_node_is_null(p)) pattern_names(file, p, out);
  } else if (k == "catch_clause") {
    if (TSNode p = field(n, "parameter"); !ts_node_is_null(p)) pattern_names(file, p, out);
  } else if (k == "function_declaration" || k == "function_expression" || k == "class_declaration") {
    if (TSNode name = field(n, "name"); !ts_node_is_null(name)) out.emplace(text(file, name));
  }
}

using Names = std::set<std::string, std::less<>>;
thread_local ModelMemo<std::pair<const void*, uint32_t>, Names> declared_names_memo;

std::pair<const void*, uint32_t> scope_key(TSNode scope) { return {scope.id, ts_node_start_byte(scope)}; }

}  // namespace

std::set<std::string, std::less<>> declared_names(const RouteFile& route, TSNode scope) {
  return declared_names_memo.get(route, scope_key(scope), [&] {
    Names out(route.module_names.begin(), route.module_names.end());
    walk_named(route, scope, [&](TSNode n) {
      add_declared_names(route.source(), n, out);
      return true;
    });
    return out;
  });
}

std::string fresh_name(std::string_view base, const std::set<std::string, std::less<>>& taken) {
  if (!taken.contains(base)) return std::string(base);
  for (int i = 2;; ++i) {
    std::string candidate = fmt::format("{}{}", base, i);
    if (!taken.contains(candidate)) return candidate;
  }
}

std::string session_function_name(const RouteFile& route) {
  for (const auto& imp : route.imports) {
    if (!is_next_auth(imp.source)) continue;
    if (const auto* n = imp.find("getServerSession")) return n->local;
  }
  return "getServerSession";
}

std::string auth_options_name(const RouteFile& route) {
  for (const auto& imp : route.imports) {
    if (const auto* n = imp.find("authOptions")) return n->local;
  }
  return "authOptions";
}

// ---- session -----------------------------------------------------------------------------------

namespace {

// Names a statement declares (for `const a = ..., { b } = ...`).
std::set<std::string, std::less<>> statement_declares(const SourceFile& file, TSNode statement) {
  std::set<std::string, std::less<>> out;
  if (!(is(statement, "lexical_declaration") || is(statement, "variable_declaration"))) return out;
  for_each_named_child(statement, [&](TSNode d) {
    if (is(d, "variable_declarator")) pattern_names(file, field(d, "name"), out);
  });
  return out;
}

// The local variables the rules write session code next to: the query objects a backend URL is
// built from (`new URLSearchParams`, `new URL`: tenant-param sets the tenant on them) and the
// headers variables of the fetches (auth-header sets Authorization after their declaration). When
// one is declared before the try, the session must be read before it.
using Values = std::multimap<std::string, TSNode, std::less<>>;

// The value `n` gives a local name, if any: `const url = ...`, and `url += `?${params}``,
// `url = base + path` (later values of the name).
void add_assigned_value(const SourceFile& file, TSNode n, Values& values) {
  if (is(n, "variable_declarator") && is(field(n, "name"), "identifier") && !ts_node_is_null(field(n, "value"))) {
    values.emplace(std::string(text(file, field(n, "name"))), field(n, "value"));
  }
  if ((is(n, "augmented_assignment_expression") || is(n, "assignment_expression")) && is(field(n, "left"), "identifier")) {
    values.emplace(std::string(text(file, field(n, "left"))), field(n, "right"));
  }
}

// `values`: those assigned to each local name in the handler (add_assigned_value).
std::set<std::string, std::less<>> request_dependencies(const RouteFile& route, const Handler& handler,
                                                        const Values& values) {
  const SourceFile& file = route.source();
  auto constructs_query = [&](TSNode value) {
    if (!is(value, "new_expression")) return false;
    const std::string_view cls = text(file, field(value, "constructor"));
    return cls == "URLSearchParams" || cls == "URL";
  };
  std::set<std::string, std::less<>> names;
  std::set<std::string, std::less<>> seen;
  std::vector<TSNode> work;
  for (const auto& f : handler.fetches) {
    if (!f.backend) continue;
    work.push_back(f.url);
    if (is(f.options, "object")) {
      TSNode h = find_property(route, f.options, "headers");
      TSNode value = is(h, "pair") ? field(h, "value") : h;
      if (is(value, "identifier") || is(value, "shorthand_property_identifier")) names.emplace(text(file, value));
    }
  }
  while (!work.empty()) {
    TSNode n = work.back();
    work.pop_back();
    if (is(n, "identifier")) {
      const std::string name(text(file, n));
      if (seen.insert(name).second) {
        auto [lo, hi] = values.equal_range(name);
        for (auto it = lo; it != hi; ++it) {
          if (constructs_query(it->second)) names.insert(name);
          work.push_back(it->second);
        }
      }
      continue;
    }
    if (is_function_like(n)) continue;
    for_each_named_child(n, [&](TSNode child) { work.push_back(child); });
  }
  return names;
}

// plan_session() without the cache.
SessionPlan work_out_session_plan(const RouteFile& route, const Handler& handler, const Config& config) {
  const SourceFile& file = route.source();
  SessionPlan plan;
  const std::vector<SessionReader> readers = session_readers(route, config);
  // One walk of the function for the first `const <name> = await getServerSession(...)` (or
  // auth(), getToken(...); in document order), the names declared in it and the values given to them.
  Names names(route.module_names.begin(), route.module_names.end());
  Values values;
  walk_named(route, handler.function, [&](TSNode n) {
    add_declared_names(file, n, names);
    add_assigned_value(file, n, values);
    if (plan.exists) return true;
    const auto reader = !is(n, "call_expression") ? readers.end()
                                                   : std::find_if(readers.begin(), readers.end(), [&](const auto& r) {
                                                       return text(file, field(n, "function")) == r.local;
                                                     });
    if (reader != readers.end()) {
      TSNode up = ts_node_parent(n);
      while (is(up, "await_expression") || is(up, "parenthesized_expression")) up = ts_node_parent(up);
      if (is(up, "variable_declarator")) {
        TSNode name = field(up, "name");
        plan.declaration = up;
        plan.exists = true;
        plan.api = reader->api;
        plan.function = reader->local;
        if (is(name, "identifier")) {
          plan.name = std::string(text(file, name));
        } else {
          plan.destructured = true;
        }
      }
    }
    return true;
  });
  // The names are declared_names(route, handler.function): kept for the rules that ask next.
  const Names taken = declared_names_memo.get(route, scope_key(handler.function), [&] { return std::move(names); });
  if (plan.exists) return plan;
  plan.name = fresh_name("session", taken);
  if (handler.expression_body()) return plan;
  plan.block = handler.body;
  if (ts_node_is_null(handler.try_block)) return plan;
  // In the try block, unless a backend request is built (or made) before the try.
  TSNode try_statement = ts_node_parent(handler.try_block);
  const auto deps = request_dependencies(route, handler, values);
  for (TSNode s : named_children(handler.body)) {
    if (ts_node_eq(s, try_statement)) break;
    for (const auto& name : statement_declares(file, s)) {
      if (deps.contains(name)) return plan;
    }
  }
  for (const auto& f : handler.fetches) {
    if (f.backend && ts_node_start_byte(f.call) < ts_node_start_byte(handler.try_block)) return plan;
  }
  plan.block = handler.try_block;
  return plan;
}

}  // namespace

SessionPlan plan_session(const RouteFile& route, const Handler& handler, const Config& config) {
  thread_local ModelMemo<const Handler*, SessionPlan> memo;
  return memo.get(route, &handler, [&] { return work_out_session_plan(route, handler, config); });
}

bool reads_session_field(const RouteFile& route, TSNode expr, std::string_view session, std::string_view field_path) {
  const std::string wanted = compact(fmt::format("{}.{}", session, field_path));
  std::vector<TSNode> stack{expr};
  while (!stack.empty()) {
    TSNode n = stack.back();
    stack.pop_back();
    if (is(n, "member_expression") && compact(text(route.source(), n)) == wanted) return true;
    for_each_named_child(n, [&](TSNode child) { stack.push_back(child); });
  }
  return false;
}

std::string optional_chain(std::string_view session, std::string_view field_path) {
  return fmt::format("{}?.{}", session, fmt::join(split_field(field_path), "?."));
}

// ---- imports -------------------------------------------------------------------------------------

std::vector<Edit> merge_into_import(const RouteFile& route, const Import& imp, std::string_view name) {
  if (imp.type_only) return {};
  if (!ts_node_is_null(imp.named_imports)) {
    return append_item(route, imp.named_imports, [&](const std::string&) { return std::string(name); });
  }
  if (imp.default_name && !imp.namespace_name) {
    // import NextAuth from "next-auth"  ->  import NextAuth, { getServerSession } from "next-auth"
    for (uint32_t i = 0; i < ts_node_named_child_count(imp.statement); ++i) {
      TSNode c = ts_node_named_child(imp.statement, i);
      if (is(c, "import_clause")) return {Edit{ts_node_end_byte(c), 0, fmt::format(", {{ {} }}", name)}};
    }
  }
  return {};
}

std::string_view import_semi(const RouteFile& route) {
  size_t with = 0;
  size_t without = 0;
  for (const auto& imp : route.imports) {
    const uint32_t end = ts_node_end_byte(imp.statement);
    (end > 0 && route.source().text()[end - 1] == ';') ? ++with : ++without;
  }
  if (with == without) return route.style.semi();
  return with > without ? ";" : "";
}

bool bound_as_type_only(const RouteFile& route, std::string_view local) {
  const SourceFile& file = route.source();
  for (const auto& imp : route.imports) {
    if (imp.type_only) {
      if (imp.default_name == local) return true;
      for (const auto& n : imp.named) {
        if (n.local == local) return true;
      }
    }
    if (ts_node_is_null(imp.named_imports)) continue;
    for (uint32_t i = 0; i < ts_node_named_child_count(imp.named_imports); ++i) {
      TSNode spec = ts_node_named_child(imp.named_imports, i);
      if (!is(spec, "import_specifier")) continue;
      TSNode name = field(spec, "name");
      TSNode alias = field(spec, "alias");
      bool type_token = false;
      for (uint32_t j = 0; j < ts_node_child_count(spec); ++j) {
        TSNode c = ts_node_child(spec, j);
        if (ts_node_start_byte(c) >= ts_node_start_byte(name)) break;
        if (!ts_node_is_named(c) && type(c) == "type") type_token = true;
      }
      if (type_token && text(file, ts_node_is_null(alias) ? name : alias) == local) return true;
    }
  }
  return false;
}

bool session_imports_blocked(const RouteFile& route, const Config& config) {
  const SessionNeeds needs = session_needs(route, config);
  if (needs.auth && (bound_as_type_only(route, "auth") || !auth_source(route, config).empty())) return true;
  if (!needs.server_session) return false;
  if (bound_as_type_only(route, "getServerSession") || bound_as_type_only(route, "authOptions")) return true;
  for (const auto& imp : route.imports) {
    if (is_next_auth(imp.source) && !imp.type_only && imp.find("getServerSession")) return false;
  }
  return route.declares("getServerSession");
}

Edit insert_import_lines(const RouteFile& route, std::string lines) {
  const SourceFile& file = route.source();
  const Style& style = route.style;
  const std::string& text = file.text();
  struct Site {
    uint32_t offset;
    std::string before, after;
  };
  auto after_line_of = [&](TSNode node) {
    const uint32_t next = file.next_line_start(ts_node_end_byte(node));
    if (next == text.size() && !file.ends_with_newline()) {
      return Site{static_cast<uint32_t>(text.size()), style.eol, ""};
    }
    return Site{next, "", ""};
  };
  auto blank_line_at = [&](uint32_t offset) { return offset < text.size() && file.line_end(offset) == offset; };

  Site site{file.bom_size(), "", ""};
  if (!route.imports.empty()) {
    TSNode last = route.imports.front().statement;
    for (const auto& imp : route.imports) {
      if (ts_node_start_byte(imp.statement) > ts_node_start_byte(last)) last = imp.statement;
    }
    site = after_line_of(last);
  } else if (!route.directives.empty()) {
    // A blank line between the prologue and the imports, and between the imports and the code.
    site = after_line_of(route.directives.back());
    if (blank_line_at(site.offset)) {
      site.offset = file.next_line_start(site.offset);
      if (!blank_line_at(site.offset) && site.offset < text.size()) site.after = style.eol;
    } else {
      site.before += style.eol;
      if (site.offset < text.size()) site.after = style.eol;
    }
  } else {
    // Before the first statement, but after a header comment separated from it by a blank
    // line (a licence, a pragma); a comment attached to the first statement stays attached.
    TSNode first{};
    std::vector<TSNode> comments;
    for (uint32_t i = 0; i < ts_node_named_child_count(route.root); ++i) {
      TSNode c = ts_node_named_child(route.root, i);
      if (is(c, "comment")) {
        comments.push_back(c);
        continue;
      }
      first = c;
      break;
    }
    if (ts_node_is_null(first)) {
      if (!comments.empty()) {
        site = after_line_of(comments.back());
        site.before = style.eol + site.before;
      }
    } else {
      uint32_t at = file.line_start(ts_node_start_byte(first));
      for (auto it = comments.rbegin(); it != comments.rend(); ++it) {
        if (file.next_line_start(ts_node_end_byte(*it)) != at) break;
        at = file.line_start(ts_node_start_byte(*it));
      }
      site = Site{std::max(at, file.bom_size()), "", style.eol};
    }
  }
  std::string insertion = site.before + lines + site.after;
  // At the very end of a file without a final newline, keep it that way.
  if (site.offset == text.size() && !file.ends_with_newline() && insertion.ends_with(style.eol)) {
    insertion.resize(insertion.size() - style.eol.size());
  }
  return Edit{site.offset, 0, std::move(insertion)};
}

// ---- layout ----------------------------------------------------------------------------------------

std::string indentation(const RouteFile& route, uint32_t offset) {
  return std::string(route.source().indentation_at(offset));
}

std::string reindent(std::string_view text, std::string_view from, std::string_view to, std::string_view eol) {
  std::string out;
  size_t start = 0;
  bool first = true;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    std::string_view line = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!first && !line.empty() && line.starts_with(from)) {
      out += to;
      out += line.substr(from.size());
    } else {
      out += line;
    }
    first = false;
    if (nl == std::string_view::npos) break;
    out += eol;
    start = nl + 1;
  }
  return out;
}

namespace {

bool starts_its_line(const SourceFile& file, uint32_t offset) {
  const uint32_t ls = std::max(file.line_start(offset), offset == 0 ? 0u : file.line_start(offset));
  for (uint32_t i = (ls == 0 ? file.bom_size() : ls); i < offset; ++i) {
    if (file.text()[i] != ' ' && file.text()[i] != '\t') return false;
  }
  return true;
}

}  // namespace

Edit insert_at_block_start(const RouteFile& route, TSNode block,
                           const std::function<std::string(const std::string& indent)>& make) {
  const SourceFile& file = route.source();
  const Style& style = route.style;
  const std::string base = indentation(route, ts_node_start_byte(block));
  const uint32_t open_end = ts_node_start_byte(block) + 1;  // after '{'
  TSNode first = ts_node_named_child(block, 0);
  if (!ts_node_is_null(first)) {
    const uint32_t at = ts_node_start_byte(first);
    if (starts_its_line(file, at) && file.line_start(at) >= open_end) {
      return Edit{file.line_start(at), 0, make(indentation(route, at)), true};
    }
    // The first statement shares the line of '{' (`{ const body = ...`, a one-line handler): the
    // new lines go on lines of their own before it, and it moves to the next line at the block's
    // indentation (text inserted right after '{' would run into it).
    // The blanks between '{' and it go, so that no line ends in a space.
    const std::string indent = base + style.indent_unit;
    uint32_t from = at;
    while (from > open_end && (file.text()[from - 1] == ' ' || file.text()[from - 1] == '\t')) --from;
    return Edit{from, at - from, style.eol + make(indent) + indent};
  }
  // An empty block.
  const uint32_t close = ts_node_end_byte(block) - 1;
  if (file.line_start(close) >= open_end) return Edit{file.line_start(close), 0, make(base + style.indent_unit), true};
  return Edit{open_end, 0, style.eol + make(base + style.indent_unit) + base};
}

bool in_block(TSNode statement) {
  TSNode parent = ts_node_parent(statement);
  return is(parent, "statement_block") || is(parent, "program") || is(parent, "switch_case") ||
         is(parent, "switch_default");
}

Edit insert_before_statement(const RouteFile& route, TSNode statement,
                             const std::function<std::string(const std::string& indent)>& make) {
  const SourceFile& file = route.source();
  const uint32_t at = ts_node_start_byte(statement);
  const std::string indent = indentation(route, at);
  if (starts_its_line(file, at)) return Edit{file.line_start(at), 0, make(indent), true};
  std::string lines = make(indent);
  return Edit{at, 0, lines.substr(indent.size()) + indent};
}

std::vector<Edit> append_item(const RouteFile& route, TSNode container,
                              const std::function<std::string(const std::string& indent)>& make) {
  const SourceFile& file = route.source();
  const Style& style = route.style;
  TSNode last{};
  TSNode trailing_comma{};
  const uint32_t n = ts_node_child_count(container);
  for (uint32_t i = 1; i + 1 < n; ++i) {  // between the brackets
    TSNode c = ts_node_child(container, i);
    if (is(c, "comment")) continue;
    if (ts_node_is_named(c)) {
      last = c;
      trailing_comma = TSNode{};
    } else if (type(c) == "," && !ts_node_is_null(last)) {
      trailing_comma = c;
    }
  }
  const uint32_t open_end = ts_node_start_byte(container) + 1;
  const uint32_t close = ts_node_end_byte(container) - 1;
  if (ts_node_is_null(last)) {
    const bool spaced = !is(container, "arguments") && !is(container, "formal_parameters");
    const std::string item = make(indentation(route, open_end));
    return {Edit{open_end, close - open_end, spaced ? " " + item + " " : item}};
  }
  const bool multiline = file.position(ts_node_start_byte(last)).line != file.position(open_end).line;
  const std::string indent = indentation(route, ts_node_start_byte(last));
  if (multiline) {
    // After a comment that ends the anchor's line (`Session, // why`): it stays with its item.
    const TSNode anchor = ts_node_is_null(trailing_comma) ? last : trailing_comma;
    uint32_t line_end_at = ts_node_end_byte(anchor);
    const uint32_t anchor_line = file.position(line_end_at).line;
    for (uint32_t i = 0; i < n; ++i) {
      TSNode c = ts_node_child(container, i);
      if (is(c, "comment") && ts_node_start_byte(c) >= line_end_at &&
          file.position(ts_node_start_byte(c)).line == anchor_line) {
        line_end_at = ts_node_end_byte(c);
      }
    }
    const std::string line = style.eol + indent + make(indent);
    if (!ts_node_is_null(trailing_comma)) return {Edit{line_end_at, 0, line + ","}};
    if (line_end_at == ts_node_end_byte(last)) return {Edit{line_end_at, 0, "," + line}};
    return {Edit{ts_node_end_byte(last), 0, ","}, Edit{line_end_at, 0, line}};
  }
  if (!ts_node_is_null(trailing_comma)) return {Edit{ts_node_end_byte(trailing_comma), 0, " " + make(indent) + ","}};
  return {Edit{ts_node_end_byte(last), 0, ", " + make(indent)}};
}

Edit remove_item(const RouteFile& route, TSNode item) {
  const SourceFile& file = route.source();
  const std::string& text = file.text();
  uint32_t begin = ts_node_start_byte(item);
  uint32_t end = ts_node_end_byte(item);
  TSNode next = ts_node_next_sibling(item);
  const bool comma_after = is(next, ",");
  if (comma_after) end = ts_node_end_byte(next);
  // Alone on its line(s): take the whole lines.
  uint32_t after = end;
  while (after < text.size() && (text[after] == ' ' || text[after] == '\t')) ++after;
  const bool line_ends = after >= text.size() || text[after] == '\n' || text[after] == '\r';
  if (starts_its_line(file, begin) && line_ends) {
    return Edit{file.line_start(begin), file.next_line_start(end) - file.line_start(begin), ""};
  }
  if (comma_after) {
    while (end < text.size() && text[end] == ' ') ++end;
    return Edit{begin, end - begin, ""};
  }
  TSNode prev = ts_node_prev_sibling(item);
  if (is(prev, ",")) begin = ts_node_start_byte(prev);
  return Edit{begin, end - begin, ""};
}

// ---- objects ---------------------------------------------------------------------------------------

std::string property_key(const RouteFile& route, TSNode pair) {
  TSNode key = field(pair, "key");
  if (ts_node_is_null(key)) return {};
  return std::string(is(key, "string") ? string_content(route.source(), key) : text(route.source(), key));
}

TSNode find_property(const RouteFile& route, TSNode object, std::string_view key) {
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  const std::string wanted = lower(key);
  for (uint32_t i = 0; i < ts_node_named_child_count(object); ++i) {
    TSNode c = ts_node_named_child(object, i);
    if (is(c, "pair") && lower(property_key(route, c)) == wanted) return c;
    if (is(c, "shorthand_property_identifier") && lower(text(route.source(), c)) == wanted) return c;
  }
  return TSNode{};
}

}  // namespace routeauth::rewriters
