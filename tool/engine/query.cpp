#include "engine/query.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>

namespace routeauth::engine {

TSNode Match::get(uint32_t capture) const {
  for (const auto& c : captures) {
    if (c.index == capture) return c.node;
  }
  return TSNode{};
}

namespace {

std::string_view error_kind(TSQueryError error) {
  switch (error) {
    case TSQueryErrorSyntax: return "syntax error";
    case TSQueryErrorNodeType: return "unknown node type";
    case TSQueryErrorField: return "unknown field";
    case TSQueryErrorCapture: return "unknown capture";
    case TSQueryErrorStructure: return "impossible pattern structure";
    case TSQueryErrorLanguage: return "incompatible language";
    case TSQueryErrorNone: break;
  }
  return "error";
}

// "line:col" (1-based) of a byte offset in a query's source.
std::string where(std::string_view source, uint32_t offset) {
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(source.size()));
  uint32_t line = 1, col = 1;
  for (uint32_t i = 0; i < offset; ++i) {
    if (source[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return fmt::format("{}:{}", line, col);
}

}  // namespace

Query::Query(Grammar grammar, std::string_view name, std::string_view source) : name_(name) {
  uint32_t error_offset = 0;
  TSQueryError error = TSQueryErrorNone;
  query_.reset(ts_query_new(language(grammar), source.data(), static_cast<uint32_t>(source.size()),
                            &error_offset, &error));
  if (!query_) {
    throw QueryError(fmt::format("queries/{}:{}: {} (offset {}); fix the query file", name_,
                                 where(source, error_offset), error_kind(error), error_offset));
  }
  load_predicates(source);
}

void Query::load_predicates(std::string_view source) {
  const TSQuery* q = query_.get();
  const uint32_t patterns = ts_query_pattern_count(q);
  predicates_.resize(patterns);
  for (uint32_t p = 0; p < patterns; ++p) {
    uint32_t count = 0;
    const TSQueryPredicateStep* steps = ts_query_predicates_for_pattern(q, p, &count);
    const std::string at = where(source, ts_query_start_byte_for_pattern(q, p));
    for (uint32_t i = 0; i < count;) {
      // One predicate: a name, its arguments, then a Done step.
      std::vector<const TSQueryPredicateStep*> args;
      const TSQueryPredicateStep* head = &steps[i++];
      while (i < count && steps[i].type != TSQueryPredicateStepTypeDone) args.push_back(&steps[i++]);
      ++i;  // Done
      auto string_of = [&](const TSQueryPredicateStep* s) {
        uint32_t len = 0;
        const char* v = ts_query_string_value_for_id(q, s->value_id, &len);
        return std::string(v, len);
      };
      if (head->type != TSQueryPredicateStepTypeString) {
        throw QueryError(fmt::format("queries/{}:{}: a predicate must start with its name", name_, at));
      }
      const std::string op = string_of(head);
      Predicate pred;
      if (op == "eq?" || op == "not-eq?") {
        pred.kind = Predicate::Kind::eq;
      } else if (op == "match?" || op == "not-match?") {
        pred.kind = Predicate::Kind::match;
      } else if (op == "any-of?" || op == "not-any-of?") {
        pred.kind = Predicate::Kind::any_of;
      } else {
        throw QueryError(fmt::format(
            "queries/{}:{}: unknown predicate #{}; use #eq?, #match?, #any-of? (or their not- forms)",
            name_, at, op));
      }
      pred.negated = op.starts_with("not-");
      if (args.empty() || args[0]->type != TSQueryPredicateStepTypeCapture) {
        throw QueryError(fmt::format("queries/{}:{}: #{} needs a capture as its first argument", name_, at, op));
      }
      pred.capture = args[0]->value_id;
      if (pred.kind == Predicate::Kind::eq) {
        if (args.size() != 2) {
          throw QueryError(fmt::format("queries/{}:{}: #{} takes two arguments", name_, at, op));
        }
        if (args[1]->type == TSQueryPredicateStepTypeCapture) {
          pred.other_is_capture = true;
          pred.other_capture = args[1]->value_id;
        } else {
          pred.values.push_back(string_of(args[1]));
        }
      } else {
        if (args.size() < 2) {
          throw QueryError(fmt::format("queries/{}:{}: #{} needs a value", name_, at, op));
        }
        for (size_t a = 1; a < args.size(); ++a) {
          if (args[a]->type != TSQueryPredicateStepTypeString) {
            throw QueryError(fmt::format("queries/{}:{}: #{} takes strings after the capture", name_, at, op));
          }
          pred.values.push_back(string_of(args[a]));
        }
        if (pred.kind == Predicate::Kind::match) {
          if (pred.values.size() != 1) {
            throw QueryError(fmt::format("queries/{}:{}: #{} takes one pattern", name_, at, op));
          }
          try {
            pred.regex = std::make_shared<const std::regex>(pred.values[0], std::regex::ECMAScript);
          } catch (const std::regex_error& e) {
            throw QueryError(fmt::format("queries/{}:{}: bad #{} pattern \"{}\": {}", name_, at, op,
                                         pred.values[0], e.what()));
          }
        }
      }
      predicates_[p].push_back(std::move(pred));
    }
  }
}

uint32_t Query::capture(std::string_view name) const {
  const uint32_t n = ts_query_capture_count(query_.get());
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t len = 0;
    const char* c = ts_query_capture_name_for_id(query_.get(), i, &len);
    if (std::string_view(c, len) == name) return i;
  }
  throw QueryError(fmt::format("queries/{}: no capture @{}", name_, name));
}

bool Query::accepts(const SourceFile& file, const TSQueryMatch& match) const {
  auto node_text = [&](uint32_t capture, std::string_view& out) {
    for (uint16_t i = 0; i < match.capture_count; ++i) {
      if (match.captures[i].index == capture) {
        out = text(file, match.captures[i].node);
        return true;
      }
    }
    return false;
  };
  for (const Predicate& pred : predicates_[match.pattern_index]) {
    std::string_view value;
    // A predicate on a capture that did not take part (an optional one) holds vacuously.
    if (!node_text(pred.capture, value)) continue;
    bool holds = false;
    switch (pred.kind) {
      case Predicate::Kind::eq:
        if (pred.other_is_capture) {
          std::string_view other;
          holds = node_text(pred.other_capture, other) && other == value;
        } else {
          holds = value == pred.values[0];
        }
        break;
      case Predicate::Kind::match:
        holds = std::regex_search(value.begin(), value.end(), *pred.regex);
        break;
      case Predicate::Kind::any_of:
        holds = std::find(pred.values.begin(), pred.values.end(), value) != pred.values.end();
        break;
    }
    if (holds == pred.negated) return false;
  }
  return true;
}

const Query& query(std::string_view name, Grammar grammar) {
  struct Slot {
    std::once_flag once;
    std::unique_ptr<Query> query;
  };
  // One slot per (embedded query, grammar); the table itself is built once.
  static const auto slots = [] {
    std::map<std::string_view, std::array<std::unique_ptr<Slot>, 2>, std::less<>> table;
    for (const auto& q : embedded_queries()) {
      table[q.name] = {std::make_unique<Slot>(), std::make_unique<Slot>()};
    }
    return table;
  }();
  auto it = slots.find(name);
  if (it == slots.end()) throw QueryError(fmt::format("no query named queries/{}", name));
  Slot& slot = *it->second[static_cast<int>(grammar)];
  std::call_once(slot.once, [&] {
    for (const auto& q : embedded_queries()) {
      if (q.name == name) slot.query = std::make_unique<Query>(grammar, q.name, q.source);
    }
  });
  return *slot.query;
}

std::vector<Match> QueryCursor::run(const Query& q, TSNode node, const SourceFile& file) {
  std::vector<Match> out;
  TSQueryCursor* cursor = cursor_.get();
  ts_query_cursor_exec(cursor, q.raw(), node);
  TSQueryMatch m;
  while (ts_query_cursor_next_match(cursor, &m)) {
    if (!q.accepts(file, m)) continue;
    Match match;
    match.pattern = m.pattern_index;
    match.captures.assign(m.captures, m.captures + m.capture_count);
    out.push_back(std::move(match));
  }
  return out;
}

}  // namespace routeauth::engine
