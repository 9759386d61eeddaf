// `routeauth-ignore` comments: a person's decision that a finding does not apply, with the reason,
// as ast-grep's `ast-grep-ignore`.
//
//   // routeauth-ignore: no-store, tenant-param the price list is public and cached on purpose
//   /* routeauth-ignore: all health probe, deliberately unauthenticated */
//
// A suppression sits on its own line(s) directly above a statement (other comments may sit
// between it and the statement, blank lines may not) and silences the findings of the rules it
// names, or of every rule with `all`, located in that statement; when the statement declares or
// exports a handler (the handler's export statement, or the function an `export { f as GET }`
// names), in the whole handler too. So above a handler it covers the handler and everything in
// it; above the statement holding a fetch, the findings at that fetch. A finding about the
// file's imports (the session-import rule's) is needed by every handler that calls the backend,
// so it is silenced only when every such handler's suppression covers it.
//
// A suppression without a reason, or naming an id that is no rule, is itself a finding
// (`suppression`) and silences nothing. One that silenced nothing in the original text is
// reported as `unused-suppression`, without a fix: removing a comment is a person's decision.
//
// Comments are found in the syntax tree, so `routeauth-ignore` inside a string or template is
// text, not a suppression. apply re-runs the rules after each pass on a text with code inserted
// around the comments: each suppression keeps the statement it was found above by moving that
// statement's position through every pass's replacements (never by looking for the comment
// again), and code a fix inserts right above such a statement goes above its comments, so the
// comment is still directly above its statement in the output (a later check agrees).
#pragma once

#include <tree_sitter/api.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config.h"
#include "engine/edits.h"
#include "engine/route_model.h"
#include "engine/rule.h"
#include "engine/source.h"

namespace routeauth::engine {

inline constexpr std::string_view kSuppressionRule = "suppression";               // a malformed comment
inline constexpr std::string_view kUnusedSuppressionRule = "unused-suppression";  // one that silenced nothing
inline constexpr std::string_view kSuppressAll = "all";

// One `routeauth-ignore` comment, as written.
struct Suppression {
  uint32_t offset = 0;             // where the comment starts, in the original text
  std::vector<std::string> rules;  // the ids named, in order (`all` included)
  bool all = false;                // `all` is among them
  std::string reason;              // what follows the ids, trimmed; empty when missing
  std::vector<std::string> problems;  // each one a `suppression` finding's message; empty when valid

  [[nodiscard]] bool valid() const { return problems.empty(); }
  // Whether this suppression silences findings reported under `rule` (it must be valid).
  [[nodiscard]] bool covers(std::string_view rule) const;
};

// Reads the text of one comment node (`// ...` or `/* ... */`, JSDoc `*` margins allowed).
// nullopt when it is not a routeauth-ignore comment (one that does not start with the word).
[[nodiscard]] std::optional<Suppression> parse_suppression(std::string_view comment);

// What the editor's "suppress" action writes: a routeauth-ignore comment naming `rule`, with
// kPlaceholderReason for the person to replace, on its own line indented as `indent`.
inline constexpr std::string_view kPlaceholderReason = "TODO: say why this finding does not apply here";
[[nodiscard]] std::string suppression_comment(std::string_view rule, std::string_view indent, std::string_view eol);

// Where that comment goes for a finding at `offset`: the start of the line of the innermost
// statement that holds `offset` and starts its own line (only blanks before it), so the comment
// sits directly above that statement. nullopt when no statement holds the offset.
[[nodiscard]] std::optional<uint32_t> suppression_line(const SourceFile& file, TSNode root, uint32_t offset);

// A finding a suppression silenced: kept for `report`, never printed by check, diff or apply,
// and its fix never applied.
struct SuppressedFinding {
  Finding finding;       // as check would have reported it (offset in the original text)
  uint32_t comment = 0;  // offset of the routeauth-ignore comment that silenced it
  std::string reason;    // that comment's reason
};

// Whether `id` can be turned off (--disable, routeauth.json "rules"): a rule's id, or
// `unused-suppression` (a malformed comment is always reported: it silences nothing).
[[nodiscard]] bool can_be_disabled(std::string_view id);

// Whether the findings of the rule `id` are about the file as a whole (its imports), needed by
// every handler that calls the backend, rather than about the place they point at.
[[nodiscard]] bool about_whole_file(std::string_view rule_id);

// The suppressions of one file, read from its original text and carried through apply's passes.
class Suppressions {
 public:
  // Every routeauth-ignore comment of the tree (comment nodes only), and the statement each
  // sits directly above.
  [[nodiscard]] static Suppressions read(const SourceFile& file, TSNode root);
  // Whether `text` could hold one: read() finds none in a text without the word.
  [[nodiscard]] static bool may_occur_in(std::string_view text);

  [[nodiscard]] bool empty() const { return entries_.empty(); }
  [[nodiscard]] std::vector<Suppression> comments() const;

  // After apply takes one pass's edits: moves each statement's position through them, so that
  // the next pass (run on the edited text) finds the same statements.
  void shift(const EditSet& applied);

  // Before a pass takes the fixes of `pending` (findings of the text `current`): an insertion at
  // the start of the line of a statement a routeauth-ignore comment sits above is moved above
  // the comments there, so the comment stays directly above its statement in the output (and a
  // check of the output finds what apply kept silenced silenced).
  void keep_above(const SourceFile& current, std::vector<Finding>& pending) const;

  // Takes the findings the suppressions silence out of `findings` (in order), into `suppressed`
  // when given. `about_file[i]`: findings[i] is about the whole file (about_whole_file() of the
  // rule that reported it), not about the place it points at. `route` is the text the findings
  // are of: the original, or a pass's output after shift().
  // A handler whose session-call finding is silenced reads no session, so the fixes of its
  // tenant-param and auth-header findings (which read it) are dropped, as with
  // `--disable session-call`: those findings stay, for a person.
  // `track`: count what is silenced towards unused-suppression (the original text only).
  void apply(const RouteFile& route, std::vector<Finding>& findings, const std::vector<bool>& about_file,
             std::vector<SuppressedFinding>* suppressed, bool track);

  // The `suppression` findings (malformed comments) and the `unused-suppression` findings
  // (comments that silenced nothing in the apply() calls with `track`). A suppression naming
  // only rules `config` turns off is not reported as unused: nothing could tell.
  [[nodiscard]] std::vector<Finding> findings(const Config& config) const;

 private:
  struct Entry {
    Suppression comment;
    std::optional<uint32_t> statement;  // start of the statement below, in the current text
    std::optional<uint32_t> above;      // start of the line of the comments above it (this one first)
    bool used = false;
  };
  std::vector<Entry> entries_;
};

}  // namespace routeauth::engine
