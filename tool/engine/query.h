// Tree-sitter queries from queries/*.scm (embedded at build time), their predicates, and the
// cursor that runs them. The C library does not evaluate text predicates: Query does, in one
// place, and rejects any predicate it does not know when the query is compiled.
#pragma once

#include <tree_sitter/api.h>

#include <memory>
#include <mutex>
#include <regex>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "engine/source.h"
#include "engine/syntax.h"

namespace routeauth::engine {

struct EmbeddedQuery {
  std::string_view name;  // file name in queries/, e.g. "handlers.scm"
  std::string_view source;
};
// Generated from queries/*.scm by cmake/EmbedQueries.cmake.
[[nodiscard]] std::span<const EmbeddedQuery> embedded_queries();

class QueryError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Match {
  uint32_t pattern = 0;
  std::vector<TSQueryCapture> captures;
  // The first node captured under `capture` (an index from Query::capture), or a null node.
  [[nodiscard]] TSNode get(uint32_t capture) const;
};

class Query {
 public:
  // Compiles `source`; `name` only labels errors ("queries/<name>:<line>:<col>: ...").
  Query(Grammar grammar, std::string_view name, std::string_view source);
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  // The index of a capture name; throws QueryError when the query has no such capture, so a
  // rule that asks for a misspelt capture fails on its first use, not silently.
  [[nodiscard]] uint32_t capture(std::string_view name) const;
  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] const TSQuery* raw() const { return query_.get(); }

  // Whether the text predicates of the match's pattern hold.
  [[nodiscard]] bool accepts(const SourceFile& file, const TSQueryMatch& match) const;

 private:
  struct Predicate {
    enum class Kind { eq, match, any_of } kind;
    bool negated = false;
    uint32_t capture = 0;
    bool other_is_capture = false;
    uint32_t other_capture = 0;
    std::vector<std::string> values;
    std::shared_ptr<const std::regex> regex;
  };
  void load_predicates(std::string_view source);

  struct Deleter {
    void operator()(TSQuery* q) const { ts_query_delete(q); }
  };
  std::string name_;
  std::unique_ptr<TSQuery, Deleter> query_;
  std::vector<std::vector<Predicate>> predicates_;  // per pattern
};

// The process-wide compiled queries: each embedded query is compiled on first use for a grammar,
// once per process, and shared by every thread.
[[nodiscard]] const Query& query(std::string_view name, Grammar grammar);

// One per thread. Runs a query over a node and returns the matches whose predicates hold.
class QueryCursor {
 public:
  QueryCursor() : cursor_(ts_query_cursor_new()) {}
  [[nodiscard]] std::vector<Match> run(const Query& query, TSNode node, const SourceFile& file);

 private:
  struct Deleter {
    void operator()(TSQueryCursor* c) const { ts_query_cursor_delete(c); }
  };
  std::unique_ptr<TSQueryCursor, Deleter> cursor_;
};

}  // namespace routeauth::engine
