// RAII over the tree-sitter C API: grammars, parsers, trees, and small node helpers.
#pragma once

#include <tree_sitter/api.h>

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

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
  [[nodiscard]] const TSTree* get() const { return tree_.get(); }
  // Tells the tree of a change to its text (ts_tree_edit), before an incremental parse.
  void edit(const TSInputEdit& change) { ts_tree_edit(tree_.get(), &change); }

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
  // The same for a text made by replacing parts of the text `before` that `old` is the tree of:
  // `edits` in ascending order, offsets into `before`. tree-sitter's incremental parse reuses
  // what the edits left alone, and gives the tree a parse from scratch would.
  struct TextEdit {
    uint32_t offset, length;
    std::string_view text;
  };
  [[nodiscard]] Tree reparse(const SourceFile& file, const Tree& old, std::string_view before,
                             const std::vector<TextEdit>& edits);

 private:
  Tree parse(const SourceFile& file, const TSTree* old);
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
// The child in field `name` (ts_node_child_by_field_name, with the name's id looked up in a table
// made once per grammar instead of by comparing it with every field name of the grammar).
[[nodiscard]] TSNode field(TSNode node, std::string_view name);
// ts_node_parent, counted. In tree-sitter 0.20 it searches down from the root (O(depth) steps,
// each over the siblings), so hot paths remember what they asked (the route model's scopes) or
// carry parents on a walk's stack (walk_named_with_ancestors); tests count the lookups.
[[nodiscard]] TSNode parent(TSNode node);
[[nodiscard]] uint64_t parent_lookups();  // this thread's calls of parent() so far
// The unquoted content of a string literal node (no escapes interpreted).
[[nodiscard]] std::string_view string_content(const SourceFile& file, TSNode string_node);

// Calls `f` with each named child of `node` (comments included), in order. It goes through a tree
// cursor: ts_node_named_child(node, i) starts again from the first child on every call, so a loop
// over the index is quadratic in the number of children.
template <typename F>
void for_each_named_child(TSNode node, F&& f) {
  if (ts_node_is_null(node)) return;
  TSTreeCursor cursor = ts_tree_cursor_new(node);
  if (ts_tree_cursor_goto_first_child(&cursor)) {
    do {
      const TSNode child = ts_tree_cursor_current_node(&cursor);
      if (ts_node_is_named(child)) f(child);
    } while (ts_tree_cursor_goto_next_sibling(&cursor));
  }
  ts_tree_cursor_delete(&cursor);
}
// The first non-null node that `f` returns for a named child of `node`, in order, or a null node.
template <typename F>
TSNode find_named_child(TSNode node, F&& f) {
  TSNode found{};
  if (ts_node_is_null(node)) return found;
  TSTreeCursor cursor = ts_tree_cursor_new(node);
  if (ts_tree_cursor_goto_first_child(&cursor)) {
    do {
      const TSNode child = ts_tree_cursor_current_node(&cursor);
      if (ts_node_is_named(child)) found = f(child);
    } while (ts_node_is_null(found) && ts_tree_cursor_goto_next_sibling(&cursor));
  }
  ts_tree_cursor_delete(&cursor);
  return found;
}
// Visits the named nodes of the subtree at `root` in document order (pre-order, `root` first),
// with one tree cursor: much cheaper than asking every node for its children, and than
// ts_node_parent, which searches down from the root. `visit(node, ancestors)` gets the node's
// named ancestors (the root's first; empty for `root`) and returns whether to go into its children.
template <typename F>
void walk_named_with_ancestors(TSNode root, F&& visit) {
  if (ts_node_is_null(root)) return;
  std::vector<TSNode> ancestors;
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  TSNode node = root;
  bool enter = ts_node_is_named(root) && visit(root, static_cast<const std::vector<TSNode>&>(ancestors));
  for (;;) {
    if (enter && ts_tree_cursor_goto_first_child(&cursor)) {
      ancestors.push_back(node);
    } else {
      bool more = true;
      while (more && !ts_tree_cursor_goto_next_sibling(&cursor)) {
        more = ts_tree_cursor_goto_parent(&cursor);
        if (more) ancestors.pop_back();
      }
      if (!more) break;
    }
    node = ts_tree_cursor_current_node(&cursor);
    enter = ts_node_is_named(node) && visit(node, static_cast<const std::vector<TSNode>&>(ancestors));
  }
  ts_tree_cursor_delete(&cursor);
}
// The same, for a visit that needs no ancestors: `visit(node)`.
template <typename F>
void walk_named(TSNode root, F&& visit) {
  walk_named_with_ancestors(root, [&](TSNode node, const std::vector<TSNode>&) { return visit(node); });
}

// The named nodes of a tree in the order walk_named visits them, each with the end of its
// subtree, recorded during one cursor walk (the route model's) so that later walks of a subtree
// (every handler, by several rules) go through an array instead of the cursor: a step costs a few
// instructions instead of the ~450 of ts_tree_cursor_goto_next_sibling in tree-sitter 0.20.
// The walk that records it may leave out the insides of some nodes (string literals: their
// fragments and escapes), which no walk over the index then visits.
class NodeIndex {
 public:
  // For the recording walk: `node` entered in pre-order, `depth` named ancestors below the root.
  void record(TSNode node, size_t depth) {
    while (open_.size() > depth) close();
    open_.push_back(static_cast<uint32_t>(entries_.size()));
    entries_.push_back(Entry{node, 0});
  }
  void finish() {
    while (!open_.empty()) close();
  }

  // walk_named(root, visit) over the recorded nodes; false (nothing visited) when `root` was not
  // recorded.
  template <typename F>
  bool walk(TSNode root, F&& visit) const {
    const auto at = find(root);
    if (at == kNone) return false;
    for (uint32_t i = at, end = entries_[at].end; i < end;) {
      i = visit(entries_[i].node) ? i + 1 : entries_[i].end;
    }
    return true;
  }

  // Visits every recorded node of the subtree at `root` in the order of the stack walk
  // `stack{root}; pop n; visit(n); push n's named children in order` (the last child first),
  // which some rules' collections were written in; false when `root` was not recorded.
  template <typename F>
  bool walk_stack_order(TSNode root, F&& visit) const {
    const auto at = find(root);
    if (at == kNone) return false;
    std::vector<uint32_t> stack{at};
    while (!stack.empty()) {
      const uint32_t i = stack.back();
      stack.pop_back();
      visit(entries_[i].node);
      for (uint32_t child = i + 1; child < entries_[i].end; child = entries_[child].end) stack.push_back(child);
    }
    return true;
  }

 private:
  struct Entry {
    TSNode node;
    uint32_t end;  // one past the last entry of its subtree
  };
  static constexpr uint32_t kNone = UINT32_MAX;
  void close() {
    entries_[open_.back()].end = static_cast<uint32_t>(entries_.size());
    open_.pop_back();
  }
  [[nodiscard]] uint32_t find(TSNode node) const;

  std::vector<Entry> entries_;
  std::vector<uint32_t> open_;  // entries whose subtree is still being recorded
};

// The named children of a node (comments included), in order.
[[nodiscard]] std::vector<TSNode> named_children(TSNode node);

// Style refined from the tree: quotes from string literals (imports first), semicolons from
// statements that can end with one.
[[nodiscard]] Style detect_style(const SourceFile& file, TSNode root);

// The counting behind detect_style(), for a walk that visits the tree for other reasons too (the
// route model's): give it every named node with its parent, then ask for the style.
class StyleTally {
 public:
  // Counts `node` (of type `kind`); false when the walk need not enter it (a string literal).
  bool count(const SourceFile& file, TSNode node, std::string_view kind, TSNode parent);
  [[nodiscard]] Style style(const SourceFile& file) const;

 private:
  size_t import_single_ = 0, import_double_ = 0, single_ = 0, double_ = 0, with_semi_ = 0, without_semi_ = 0;
};

}  // namespace routeauth::engine
