#include "engine/suppressions.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "engine/syntax.h"

namespace routeauth::engine {

namespace {

constexpr std::string_view kWord = "routeauth-ignore";

bool blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

std::string_view trim_left(std::string_view s) {
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  return s;
}

std::string_view trim(std::string_view s) {
  s = trim_left(s);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

bool word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// The words of a comment: the `//` or `/* */` markers dropped, and in a block comment each line's
// JSDoc `*` margin, the lines joined by one space.
std::string comment_body(std::string_view comment) {
  if (comment.starts_with("//")) return std::string(trim(comment.substr(2)));
  if (!comment.starts_with("/*")) return std::string(trim(comment));
  std::string_view inner = comment.substr(2);
  if (inner.ends_with("*/")) inner.remove_suffix(2);
  std::string out;
  size_t pos = 0;
  while (pos <= inner.size()) {
    size_t eol = inner.find('\n', pos);
    if (eol == std::string_view::npos) eol = inner.size();
    std::string_view line = trim(inner.substr(pos, eol - pos));
    while (line.starts_with('*')) line.remove_prefix(1);
    line = trim(line);
    if (!line.empty()) {
      if (!out.empty()) out += ' ';
      out += line;
    }
    pos = eol + 1;
  }
  return out;
}

// What may hold statements: a statement is a child of one of these.
bool holds_statements(TSNode node) {
  return is(node, "program") || is(node, "statement_block") || is(node, "switch_case") ||
         is(node, "switch_default");
}

// The innermost statement that holds `offset`, or null.
TSNode statement_at(TSNode root, uint32_t offset) {
  TSNode node = ts_node_descendant_for_byte_range(root, offset, offset + 1);
  while (!ts_node_is_null(node)) {
    TSNode parent = ts_node_parent(node);
    if (ts_node_is_null(parent)) return TSNode{};
    if (holds_statements(parent)) return node;
    node = parent;
  }
  return TSNode{};
}

// Where the statement a comment sits directly above starts: the comment alone on its line(s),
// the statement on the next line, only comments (each alone on its lines) between them.
std::optional<uint32_t> statement_below(const SourceFile& file, TSNode root, TSNode comment) {
  const std::string& text = file.text();
  const uint32_t size = static_cast<uint32_t>(text.size());
  const uint32_t start = ts_node_start_byte(comment);
  for (uint32_t i = std::max(file.line_start(start), file.bom_size()); i < start; ++i) {
    if (!blank(text[i])) return std::nullopt;  // a trailing comment, after code
  }
  uint32_t end = ts_node_end_byte(comment);
  for (;;) {
    for (uint32_t i = end; i < size && text[i] != '\n'; ++i) {
      if (!blank(text[i])) return std::nullopt;  // code after it on its last line
    }
    uint32_t at = file.next_line_start(end);
    while (at < size && (text[at] == ' ' || text[at] == '\t')) ++at;
    if (at >= size || text[at] == '\n' || text[at] == '\r') return std::nullopt;  // a blank line, or the end
    TSNode node = ts_node_descendant_for_byte_range(root, at, at + 1);
    if (is(node, "comment") && ts_node_start_byte(node) == at) {
      end = ts_node_end_byte(node);
      continue;
    }
    TSNode statement = statement_at(root, at);
    if (ts_node_is_null(statement) || ts_node_start_byte(statement) != at) return std::nullopt;  // mid-statement
    return at;
  }
}

// The first of the comments, each alone on its lines, that run without a blank line down to
// `comment` (itself when there are none above it).
TSNode comments_above(const SourceFile& file, TSNode comment) {
  const std::string& text = file.text();
  auto alone = [&](TSNode c) {
    for (uint32_t i = std::max(file.line_start(ts_node_start_byte(c)), file.bom_size()); i < ts_node_start_byte(c); ++i) {
      if (!blank(text[i])) return false;
    }
    for (uint32_t i = ts_node_end_byte(c); i < text.size() && text[i] != '\n'; ++i) {
      if (!blank(text[i])) return false;
    }
    return true;
  };
  TSNode top = comment;
  for (TSNode prev = ts_node_prev_sibling(top); is(prev, "comment") && alone(prev) &&
                                                file.next_line_start(ts_node_end_byte(prev)) ==
                                                    file.line_start(ts_node_start_byte(top));
       prev = ts_node_prev_sibling(top)) {
    top = prev;
  }
  return top;
}

struct Range {
  uint32_t begin = 0;
  uint32_t end = 0;
  [[nodiscard]] bool holds(uint32_t offset) const { return begin <= offset && offset < end; }
  [[nodiscard]] bool holds(TSNode node) const {
    return begin <= ts_node_start_byte(node) && ts_node_end_byte(node) <= end;
  }
};

Range range_of(TSNode node) { return Range{ts_node_start_byte(node), ts_node_end_byte(node)}; }

}  // namespace

bool Suppression::covers(std::string_view rule) const {
  return valid() && (all || std::find(rules.begin(), rules.end(), rule) != rules.end());
}

std::optional<Suppression> parse_suppression(std::string_view comment) {
  const std::string body = comment_body(comment);
  std::string_view rest = body;
  if (!rest.starts_with(kWord)) return std::nullopt;
  rest.remove_prefix(kWord.size());
  if (!rest.empty() && word_char(rest.front())) return std::nullopt;  // routeauth-ignored, ...

  Suppression s;
  rest = trim_left(rest);
  if (!rest.starts_with(':')) {
    s.problems.emplace_back(
        "routeauth-ignore without ':' suppresses nothing; write `routeauth-ignore: <rule-id> <reason>`");
    return s;
  }
  rest = trim_left(rest.substr(1));
  for (;;) {
    size_t n = 0;
    while (n < rest.size() && !blank(rest[n]) && rest[n] != ',') ++n;
    const std::string_view id = rest.substr(0, n);
    rest = trim_left(rest.substr(n));
    if (id.empty()) {
      s.problems.emplace_back(
          s.rules.empty()
              ? "routeauth-ignore names no rule, so it suppresses nothing; name the rule ids (or all) after "
                "':', then the reason"
              : "routeauth-ignore has a ',' with no rule id after it, so it suppresses nothing; name a rule "
                "after each ','");
      break;
    }
    s.rules.emplace_back(id);
    if (!rest.starts_with(',')) break;
    rest = trim_left(rest.substr(1));
  }
  s.reason = std::string(trim(rest));

  for (const std::string& id : s.rules) {
    if (id == kSuppressAll) {
      s.all = true;
    } else if (!find_rule(id)) {
      s.problems.push_back(fmt::format(
          "routeauth-ignore names '{}', which is no rule, so it suppresses nothing; routeauth --list-rules "
          "lists the ids, and all silences every rule",
          id));
    }
  }
  if (s.reason.empty()) {
    s.problems.emplace_back(
        "routeauth-ignore gives no reason, so it suppresses nothing; say after the rule ids why the finding "
        "does not apply here");
  }
  return s;
}

std::string suppression_comment(std::string_view rule, std::string_view indent, std::string_view eol) {
  return fmt::format("{}// {}: {} {}{}", indent, kWord, rule, kPlaceholderReason, eol);
}

std::optional<uint32_t> suppression_line(const SourceFile& file, TSNode root, uint32_t offset) {
  const std::string& text = file.text();
  for (TSNode node = ts_node_descendant_for_byte_range(root, offset, offset + 1); !ts_node_is_null(node);
       node = ts_node_parent(node)) {
    const TSNode parent = ts_node_parent(node);
    if (ts_node_is_null(parent)) break;
    if (!holds_statements(parent)) continue;
    const uint32_t start = ts_node_start_byte(node);
    const uint32_t line = std::max(file.line_start(start), file.bom_size());
    bool first_on_line = true;
    for (uint32_t i = line; i < start; ++i) first_on_line = first_on_line && blank(text[i]);
    if (first_on_line) return line;
  }
  return std::nullopt;
}

bool about_whole_file(std::string_view rule_id) { return rule_id == "session-import"; }

bool Suppressions::may_occur_in(std::string_view text) {
  // Every suppression comment holds the word on one of its lines.
  return text.find(kWord) != std::string_view::npos;
}

Suppressions Suppressions::read(const SourceFile& file, TSNode root) {
  Suppressions out;
  if (!may_occur_in(file.text())) return out;
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  for (bool more = true; more;) {
    const TSNode node = ts_tree_cursor_current_node(&cursor);
    if (is(node, "comment")) {
      if (auto s = parse_suppression(text(file, node))) {
        s->offset = ts_node_start_byte(node);
        Entry e{std::move(*s), statement_below(file, root, node), std::nullopt, false};
        if (e.statement) e.above = file.line_start(ts_node_start_byte(comments_above(file, node)));
        out.entries_.push_back(std::move(e));
      }
    }
    if (ts_tree_cursor_goto_first_child(&cursor)) continue;
    while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
      if (!ts_tree_cursor_goto_parent(&cursor)) {
        more = false;
        break;
      }
    }
  }
  ts_tree_cursor_delete(&cursor);
  return out;
}

std::vector<Suppression> Suppressions::comments() const {
  std::vector<Suppression> out;
  for (const Entry& e : entries_) out.push_back(e.comment);
  return out;
}

void Suppressions::shift(const EditSet& applied) {
  // A position that an edit replaces (the statement removed or rewritten) is lost: the
  // suppression then applies nowhere in the passes that follow.
  auto move = [&](std::optional<uint32_t>& at) {
    if (!at) return;
    for (const auto& r : applied.replacements()) {
      if (r.getOffset() <= *at && *at < r.getOffset() + r.getLength()) at.reset();
    }
    if (at) at = applied.replacements().getShiftedCodePosition(*at);
  };
  for (Entry& e : entries_) {
    move(e.statement);
    move(e.above);
    if (!e.statement) e.above.reset();
  }
}

void Suppressions::keep_above(const SourceFile& current, std::vector<Finding>& pending) const {
  std::map<uint32_t, uint32_t> moves;  // a statement's line start -> the start of the comments above it
  for (const Entry& e : entries_) {
    if (!e.statement || !e.above) continue;
    const auto [it, fresh] = moves.emplace(current.line_start(*e.statement), *e.above);
    if (!fresh) it->second = std::min(it->second, *e.above);
  }
  if (moves.empty()) return;
  for (Finding& f : pending) {
    for (Edit& edit : f.fix) {
      if (edit.length != 0) continue;
      if (const auto it = moves.find(edit.offset); it != moves.end() && it->second < edit.offset) edit.offset = it->second;
    }
  }
}

void Suppressions::apply(const RouteFile& route, std::vector<Finding>& findings, const std::vector<bool>& about_file,
                         std::vector<SuppressedFinding>* suppressed, bool track) {
  if (entries_.empty()) return;

  // Where each valid suppression applies in this text.
  struct Scope {
    Entry* entry;
    Range statement;
    std::vector<Range> ranges;     // the statement, and the handlers it declares or exports
    std::vector<size_t> handlers;  // indexes into route.handlers
  };
  std::vector<Scope> scopes;
  for (Entry& e : entries_) {
    if (!e.comment.valid() || !e.statement) continue;
    const TSNode statement = statement_at(route.root, *e.statement);
    if (ts_node_is_null(statement)) continue;
    Scope scope{&e, range_of(statement), {range_of(statement)}, {}};
    for (size_t i = 0; i < route.handlers.size(); ++i) {
      const Handler& h = route.handlers[i];
      if (!scope.statement.holds(h.name) && !scope.statement.holds(h.function)) continue;
      scope.ranges.push_back(range_of(h.name));
      scope.ranges.push_back(range_of(h.function));
      scope.handlers.push_back(i);
    }
    scopes.push_back(std::move(scope));
  }
  if (scopes.empty()) return;

  // A finding about a place: the innermost suppression whose scope holds it. A finding about the
  // file: silenced when every handler that needs it (every one calling the backend) is.
  std::vector<size_t> needing;
  for (size_t i = 0; i < route.handlers.size(); ++i) {
    if (route.handlers[i].has_backend_fetch()) needing.push_back(i);
  }
  auto in_place = [&](const Finding& f) -> std::vector<Entry*> {
    const Scope* best = nullptr;
    for (const Scope& s : scopes) {
      if (!s.entry->comment.covers(f.rule)) continue;
      if (std::none_of(s.ranges.begin(), s.ranges.end(), [&](const Range& r) { return r.holds(f.offset); })) continue;
      if (!best || s.statement.end - s.statement.begin < best->statement.end - best->statement.begin) best = &s;
    }
    if (!best) return {};
    return {best->entry};
  };
  auto whole_file = [&](const Finding& f) -> std::vector<Entry*> {
    std::vector<Entry*> by;
    for (size_t h : needing) {
      const auto s = std::find_if(scopes.begin(), scopes.end(), [&](const Scope& scope) {
        return scope.entry->comment.covers(f.rule) &&
               std::find(scope.handlers.begin(), scope.handlers.end(), h) != scope.handlers.end();
      });
      if (s == scopes.end()) return {};
      by.push_back(s->entry);
    }
    return by;
  };
  std::vector<SuppressedFinding> silenced;
  std::vector<Finding> kept;
  for (size_t i = 0; i < findings.size(); ++i) {
    Finding& f = findings[i];
    const std::vector<Entry*> by = i < about_file.size() && about_file[i] ? whole_file(f) : in_place(f);
    if (by.empty()) {
      kept.push_back(std::move(f));
      continue;
    }
    if (track) {
      for (Entry* e : by) e->used = true;
    }
    silenced.push_back(SuppressedFinding{std::move(f), by.front()->comment.offset, by.front()->comment.reason});
  }
  findings = std::move(kept);

  // A handler whose session-call finding is silenced reads no session: what would read it
  // cannot be fixed (the rules do the same when session-call is off).
  for (const SuppressedFinding& s : silenced) {
    if (s.finding.rule != "session-call") continue;
    for (const Handler& h : route.handlers) {
      if (ts_node_start_byte(h.name) != s.finding.offset) continue;
      const Range function = range_of(h.function);
      for (Finding& f : findings) {
        if ((f.rule != "tenant-param" && f.rule != "auth-header") || !function.holds(f.offset) || !f.fixable()) {
          continue;
        }
        f.fix.clear();
        f.deferred = false;
        f.notes.push_back(fmt::format(
            "fix not applied: {}'s session-call finding is suppressed, so it reads no session to take the {} "
            "from; read the session by hand, or suppress {} here too",
            h.method, f.rule == "tenant-param" ? "tenant" : "bearer token", f.rule));
      }
    }
  }

  if (suppressed) {
    suppressed->insert(suppressed->end(), std::make_move_iterator(silenced.begin()),
                       std::make_move_iterator(silenced.end()));
  }
}

bool can_be_disabled(std::string_view id) { return find_rule(id) != nullptr || id == kUnusedSuppressionRule; }

std::vector<Finding> Suppressions::findings(const Config& config) const {
  std::vector<Finding> out;
  for (const Entry& e : entries_) {
    const Suppression& s = e.comment;
    for (const std::string& problem : s.problems) {
      out.push_back(report_only(std::string(kSuppressionRule), s.offset, problem));
    }
    if (!s.valid() || e.used || !config.rule_enabled(kUnusedSuppressionRule)) continue;
    if (!s.all && std::none_of(s.rules.begin(), s.rules.end(),
                               [&](const std::string& id) { return config.rule_enabled(id); })) {
      continue;  // every rule it names is off: nothing could tell whether it is needed
    }
    out.push_back(report_only(
        std::string(kUnusedSuppressionRule), s.offset,
        e.statement
            ? fmt::format("routeauth-ignore: {} silences nothing in the statement below; remove it, or move it "
                          "above the handler or fetch it is meant for",
                          fmt::join(s.rules, ", "))
            : std::string("routeauth-ignore is not on the line directly above a statement, so it silences "
                          "nothing; move it right above the handler or the fetch's statement, or remove it")));
  }
  return out;
}

}  // namespace routeauth::engine
