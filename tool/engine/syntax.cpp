#include "engine/syntax.h"

#include <string>
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

Tree Parser::parse(const SourceFile& file) {
  const Grammar grammar = grammar_for(file);
  auto& parser = parsers_[static_cast<int>(grammar)];
  if (!parser) {
    parser.reset(ts_parser_new());
    ts_parser_set_language(parser.get(), language(grammar));
  }
  const std::string& text = file.text();
  ts_parser_set_timeout_micros(parser.get(), parse_budget_micros(text.size()));
  TSTree* tree = ts_parser_parse_string(parser.get(), nullptr, text.data(), static_cast<uint32_t>(text.size()));
  // Given up: forget the half-done parse, or the next call would try to resume it.
  if (tree == nullptr) ts_parser_reset(parser.get());
  return Tree(tree);
}

uint64_t parse_budget_micros(size_t bytes) { return kParseBudgetMicros + kParseMicrosPerByte * bytes; }

TSNode field(TSNode node, std::string_view name) {
  return ts_node_child_by_field_name(node, name.data(), static_cast<uint32_t>(name.size()));
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

Style detect_style(const SourceFile& file, TSNode root) {
  Style style = file.raw_style();
  size_t import_single = 0, import_double = 0, single = 0, dbl = 0, with_semi = 0, without_semi = 0;

  std::vector<TSNode> stack{root};
  while (!stack.empty()) {
    TSNode node = stack.back();
    stack.pop_back();
    const std::string_view kind = type(node);
    if (kind == "string") {
      const char q = file.text()[ts_node_start_byte(node)];
      TSNode parent = ts_node_parent(node);
      const bool in_import = is(parent, "import_statement") || is(parent, "export_statement");
      if (q == '\'') (in_import ? import_single : single)++;
      if (q == '"') (in_import ? import_double : dbl)++;
      continue;
    }
    if (semicolon_candidate(kind)) {
      const uint32_t end = ts_node_end_byte(node);
      // The grammar's automatic semicolon insertion leaves no ';' token: look at the last byte.
      (end > 0 && file.text()[end - 1] == ';') ? ++with_semi : ++without_semi;
    }
    const uint32_t n = ts_node_named_child_count(node);
    for (uint32_t i = n; i > 0; --i) stack.push_back(ts_node_named_child(node, i - 1));
  }
  if (import_single + import_double > 0) {
    style.quote = import_double > import_single ? '"' : '\'';
  } else if (single + dbl > 0) {
    style.quote = dbl > single ? '"' : '\'';
  }
  if (with_semi + without_semi > 0) style.semicolons = with_semi >= without_semi;
  return style;
}

}  // namespace routeauth::engine
