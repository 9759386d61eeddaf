// RAII over the tree-sitter C API: grammars, parsers, trees, and small node helpers.
#pragma once

#include <tree_sitter/api.h>

#include <memory>
#include <optional>
#include <string_view>

#include "engine/source.h"

namespace routeauth::engine {

enum class Grammar { typescript, tsx };

[[nodiscard]] const TSLanguage* language(Grammar grammar);
[[nodiscard]] Grammar grammar_for(const SourceFile& file);

// A syntax tree; owns the TSTree. Nodes borrowed from it live as long as it does.
class Tree {
 public:
  Tree() = default;
  explicit Tree(TSTree* tree) : tree_(tree) {}
  [[nodiscard]] TSNode root() const { return ts_tree_root_node(tree_.get()); }
  [[nodiscard]] explicit operator bool() const { return tree_ != nullptr; }

 private:
  struct Deleter {
    void operator()(TSTree* t) const { ts_tree_delete(t); }
  };
  std::unique_ptr<TSTree, Deleter> tree_;
};

// How long one parse may take: kParseBudgetMicros plus kParseMicrosPerByte for each byte (a
// normal parse runs at 4-5 MB/s, 0.25 us a byte, so this is a wide margin even on a loaded
// machine or under sanitizers). tree-sitter's error recovery can take minutes and gigabytes on a
// few hundred bytes of broken text (fuzzing found such inputs); a parse over budget is given up
// and the file is reported as not parseable instead of hanging a pre-commit hook.
inline constexpr uint64_t kParseBudgetMicros = 10'000'000;
inline constexpr uint64_t kParseMicrosPerByte = 5;
[[nodiscard]] uint64_t parse_budget_micros(size_t bytes);

// One parser per thread: holds a TSParser per grammar, created on first use.
class Parser {
 public:
  Parser() = default;
  // An empty Tree (operator bool false) when the parse went over parse_budget_micros().
  [[nodiscard]] Tree parse(const SourceFile& file);

 private:
  struct Deleter {
    void operator()(TSParser* p) const { ts_parser_delete(p); }
  };
  std::unique_ptr<TSParser, Deleter> parsers_[2];
};

// The first syntax error in document order (an ERROR node or a node the parser had to invent).
struct SyntaxError {
  uint32_t offset;
  bool missing;  // a MISSING node: something expected was absent
  std::string_view expected;  // for a missing node, what was expected
};
[[nodiscard]] std::optional<SyntaxError> first_syntax_error(TSNode root);

// The text of a node.
[[nodiscard]] inline std::string_view text(const SourceFile& file, TSNode node) {
  return file.slice(ts_node_start_byte(node), ts_node_end_byte(node));
}
[[nodiscard]] inline std::string_view type(TSNode node) { return ts_node_type(node); }
[[nodiscard]] inline bool is(TSNode node, std::string_view kind) {
  return !ts_node_is_null(node) && type(node) == kind;
}
[[nodiscard]] TSNode field(TSNode node, std::string_view name);
// The unquoted content of a string literal node (no escapes interpreted).
[[nodiscard]] std::string_view string_content(const SourceFile& file, TSNode string_node);

// Style refined from the tree: quotes from string literals (imports first), semicolons from
// statements that can end with one.
[[nodiscard]] Style detect_style(const SourceFile& file, TSNode root);

}  // namespace routeauth::engine
