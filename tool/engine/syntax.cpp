#include "engine/syntax.h"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

extern "C" {
const TSLanguage* tree_sitter_typescript();
const TSLanguage* tree_sitter_tsx();
}

namespace routeauth::engine {

const TSLanguage* language(Grammar grammar) {
  return grammar == Grammar::tsx ? tree_sitter_tsx() : tree_sitter_typescript();
}

Grammar grammar_for(const SourceFile& file) {
  return file.is_tsx() ? Grammar::tsx : Grammar::typescript;
}

Tree Parser::parse(const SourceFile& file) { return parse(file, nullptr); }

Tree Parser::parse(const SourceFile& file, const TSTree* old) {
  const Grammar grammar = grammar_for(file);
  auto& parser = parsers_[static_cast<int>(grammar)];
  if (!parser) {
    parser.reset(ts_parser_new());
    ts_parser_set_language(parser.get(), language(grammar));
  }
  const std::string& text = file.text();
  ts_parser_set_timeout_micros(parser.get(), parse_budget_micros(text.size()));
  TSTree* tree = ts_parser_parse_string(parser.get(), old, text.data(), static_cast<uint32_t>(text.size()));
  // Given up: forget the half-done parse, or the next call would try to resume it.
  if (tree == nullptr) ts_parser_reset(parser.get());
  return Tree(tree);
}

namespace {

// Where `bytes` of text leave a point that starts at `from`.
TSPoint advance(TSPoint from, std::string_view bytes) {
  for (char c : bytes) {
    if (c == '\n') {
      ++from.row;
      from.column = 0;
    } else {
      ++from.column;
    }
  }
  return from;
}

}  // namespace

Tree Parser::reparse(const SourceFile& file, const Tree& old, std::string_view before,
                     const std::vector<TextEdit>& edits) {
  if (!old || edits.empty()) return parse(file);
  // The edits' points in `before`, in one pass over it.
  std::vector<TSInputEdit> in(edits.size());
  TSPoint at{0, 0};
  uint32_t pos = 0;
  for (size_t i = 0; i < edits.size(); ++i) {
    const TextEdit& e = edits[i];
    at = advance(at, before.substr(pos, e.offset - pos));
    pos = e.offset;
    TSInputEdit& t = in[i];
    t.start_byte = e.offset;
    t.old_end_byte = e.offset + e.length;
    t.new_end_byte = e.offset + static_cast<uint32_t>(e.text.size());
    t.start_point = at;
    t.old_end_point = advance(at, before.substr(e.offset, e.length));
    t.new_end_point = advance(at, e.text);
  }
  // Last edit first: each one's offsets are still those of `before` when it is told to the tree.
  Tree edited(ts_tree_copy(old.get()));
  for (auto it = in.rbegin(); it != in.rend(); ++it) edited.edit(*it);
  return parse(file, edited.get());
}

uint64_t parse_budget_micros(size_t bytes) { return kParseBudgetMicros + kParseMicrosPerByte * bytes; }

namespace {

class FieldIds {
 public:
  explicit FieldIds(const TSLanguage* language) : language_(language) {
    const uint32_t n = ts_language_field_count(language);
    for (TSFieldId id = 1; id <= n; ++id) {
      if (const char* name = ts_language_field_name_for_id(language, id)) ids_.emplace(name, id);
    }
  }
  [[nodiscard]] const TSLanguage* language() const { return language_; }
  [[nodiscard]] TSFieldId find(std::string_view name) const {
    auto it = ids_.find(name);
    return it == ids_.end() ? 0 : it->second;
  }

 private:
  const TSLanguage* language_;
  std::unordered_map<std::string_view, TSFieldId> ids_;
};

}  // namespace

TSNode field(TSNode node, std::string_view name) {
  static const FieldIds typescript(language(Grammar::typescript)), tsx(language(Grammar::tsx));
  if (ts_node_is_null(node)) return TSNode{};
  const TSLanguage* lang = ts_tree_language(node.tree);
  const FieldIds* ids = lang == typescript.language() ? &typescript : lang == tsx.language() ? &tsx : nullptr;
  if (!ids) return ts_node_child_by_field_name(node, name.data(), static_cast<uint32_t>(name.size()));
  const TSFieldId id = ids->find(name);
  return id == 0 ? TSNode{} : ts_node_child_by_field_id(node, id);
}

std::string_view string_content(const SourceFile& file, TSNode string_node) {
  std::string_view t = text(file, string_node);
  if (t.size() >= 2 && (t.front() == '\'' || t.front() == '"' || t.front() == '`')) {
    return t.substr(1, t.size() - 2);
  }
  return t;
}

std::optional<SyntaxError> first_syntax_error(TSNode root) {
  // Iterative pre-order walk into the subtrees that carry an error: no recursion, so deeply
  // nested input cannot overflow the stack.
  std::vector<TSNode> stack{root};
  while (!stack.empty()) {
    TSNode node = stack.back();
    stack.pop_back();
    if (ts_node_is_missing(node)) return SyntaxError{ts_node_start_byte(node), true, type(node)};
    if (type(node) == "ERROR") return SyntaxError{ts_node_start_byte(node), false, {}};
    if (!ts_node_has_error(node)) continue;
    for (uint32_t i = ts_node_child_count(node); i > 0; --i) stack.push_back(ts_node_child(node, i - 1));
  }
  return std::nullopt;
}

namespace {

// Statement kinds that end with a semicolon when the file uses them.
bool semicolon_candidate(std::string_view kind) {
  return kind == "import_statement" || kind == "expression_statement" ||
         kind == "lexical_declaration" || kind == "variable_declaration" ||
         kind == "return_statement" || kind == "throw_statement";
}

}  // namespace

std::vector<TSNode> named_children(TSNode node) {
  std::vector<TSNode> out;
  for_each_named_child(node, [&](TSNode child) { out.push_back(child); });
  return out;
}

bool StyleTally::count(const SourceFile& file, TSNode node, std::string_view kind, TSNode parent) {
  if (kind == "string") {
    const char q = file.text()[ts_node_start_byte(node)];
    const bool in_import = is(parent, "import_statement") || is(parent, "export_statement");
    if (q == '\'') (in_import ? import_single_ : single_)++;
    if (q == '"') (in_import ? import_double_ : double_)++;
    return false;
  }
  if (semicolon_candidate(kind)) {
    const uint32_t end = ts_node_end_byte(node);
    // The grammar's automatic semicolon insertion leaves no ';' token: look at the last byte.
    (end > 0 && file.text()[end - 1] == ';') ? ++with_semi_ : ++without_semi_;
  }
  return true;
}

Style StyleTally::style(const SourceFile& file) const {
  Style style = file.raw_style();
  if (import_single_ + import_double_ > 0) {
    style.quote = import_double_ > import_single_ ? '"' : '\'';
  } else if (single_ + double_ > 0) {
    style.quote = double_ > single_ ? '"' : '\'';
  }
  if (with_semi_ + without_semi_ > 0) style.semicolons = with_semi_ >= without_semi_;
  return style;
}

uint32_t NodeIndex::find(TSNode node) const {
  if (ts_node_is_null(node) || !open_.empty()) return kNone;
  // Pre-order: start bytes never decrease; a node shares its start with its first descendants.
  const uint32_t start = ts_node_start_byte(node);
  auto it = std::lower_bound(entries_.begin(), entries_.end(), start,
                             [](const Entry& e, uint32_t s) { return ts_node_start_byte(e.node) < s; });
  for (; it != entries_.end() && ts_node_start_byte(it->node) == start; ++it) {
    if (ts_node_eq(it->node, node)) return static_cast<uint32_t>(it - entries_.begin());
  }
  return kNone;
}

Style detect_style(const SourceFile& file, TSNode root) {
  StyleTally tally;
  walk_named_with_ancestors(root, [&](TSNode node, const std::vector<TSNode>& ancestors) {
    return tally.count(file, node, type(node), ancestors.empty() ? TSNode{} : ancestors.back());
  });
  return tally.style(file);
}

namespace {
thread_local uint64_t parent_calls = 0;
}  // namespace

TSNode parent(TSNode node) {
  ++parent_calls;
  return ts_node_parent(node);
}

uint64_t parent_lookups() { return parent_calls; }

}  // namespace routeauth::engine
