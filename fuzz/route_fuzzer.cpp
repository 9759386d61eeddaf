// libFuzzer target: the whole rewrite of one route file, with the safety invariants of
// SPEC.md ("Never make a file worse", "Idempotent", "Minimal, native-looking edits") as
// assertions. Any violation prints what broke to stderr and aborts, so libFuzzer records the
// input as a crash; ASan and UBSan (-fno-sanitize-recover) turn memory errors and undefined
// behaviour into crashes the same way.
//
// Input format: the first byte picks the file name, and so the grammar and the rendering
// (byte % 3: 0 route.ts, 1 route.tsx (TSX grammar), 2 route.js (no type annotations)); the
// rest of the input is the file's bytes. fuzz/CMakeLists.txt builds the seed corpus from the
// fixtures with the selector bytes '0', '1' and '2' prepended to each; fuzz/regressions/ files
// use the same format.
//
// Invariants checked on every input:
//   I1  no crash, no sanitizer report, no exception out of the engine;
//   I2  the status agrees with an independent parse: parse_error exactly when the input has a
//       syntax error;
//   I3  an output (result != original) only when the input parsed and had findings
//       (parse_error and internal_error leave the original untouched);
//   I4  when the output differs, it parses (first_syntax_error == nullopt);
//   I5  when the output differs, a second process() of it changes nothing, reports neither a
//       parse error nor an internal error, and leaves no fixable finding behind;
//   I6  when the output differs, the bytes outside the edited ranges are unchanged (see
//       check_untouched_lines for how the ranges are derived and why the check is sound);
//   I7  (strict) a run that reports fixable findings and a clean status changes the file: a
//       fix is never silently dropped;
//   I8  every pass's incremental re-parse (Parser::reparse, what apply uses) gives the tree a
//       parse from scratch gives: the same nodes, with the same types and byte ranges.
//   I9  what a manual-review finding of the input freezes (Finding::frozen: the fetch, import,
//       session declaration or handler it asks a person about) is byte-identical in the output:
//       no edit of any pass touches it, and its bytes stand where the composed edits move it.
//
// Not an invariant violation: status internal_error is the engine refusing a rule's broken
// output (the file is left as it was). Such inputs are counted and, when the environment sets
// ROUTEAUTH_FUZZ_REFUSED_DIR, one example per distinct message is saved there; with
// ROUTEAUTH_FUZZ_TRAP_REFUSED=1 they abort like a violation (to minimise one with
// -minimize_crash=1). ROUTEAUTH_FUZZ_LAX=1 turns off I7 and the "no fixable finding" part of I5.

#include <clang/Tooling/Core/Replacement.h>
#include <llvm/Support/Error.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config.h"
#include "engine/edits.h"
#include "engine/pipeline.h"
#include "engine/rule.h"
#include "engine/source.h"
#include "engine/suppressions.h"
#include "engine/syntax.h"

namespace {

using routeauth::engine::Config;
using routeauth::engine::EditSet;
using routeauth::engine::Finding;
using routeauth::engine::Frozen;
using routeauth::engine::Mode;
using routeauth::engine::Outcome;
using routeauth::engine::SourceFile;
using routeauth::engine::Status;
using routeauth::engine::Suppressions;
using routeauth::engine::Tree;
using routeauth::engine::Worker;

const Config& config() {
  static const Config c;
  return c;
}

Worker& worker() {
  static Worker w(config());
  return w;
}

struct Options {
  bool lax = false;
  bool trap_refused = false;
  std::string refused_dir;
};
Options g_options;
std::set<std::string> g_refused_seen;

// What the inputs did, printed at exit (scripts/fuzz.sh puts it in its summary).
struct Stats {
  unsigned long runs = 0, clean = 0, findings = 0, parse_error = 0, internal_error = 0, changed = 0;
};
Stats g_stats;

void print_stats() {
  std::fprintf(stderr,
               "routeauth-fuzz-stats: runs %lu, parse_error %lu, clean %lu, findings %lu "
               "(rewritten %lu), internal_error %lu\n",
               g_stats.runs, g_stats.parse_error, g_stats.clean, g_stats.findings, g_stats.changed,
               g_stats.internal_error);
}

const char* status_name(Status s) {
  switch (s) {
    case Status::clean: return "clean";
    case Status::findings: return "findings";
    case Status::parse_error: return "parse_error";
    case Status::internal_error: return "internal_error";
  }
  return "?";
}

[[noreturn]] void fail(const char* invariant, const std::string& path, const std::string& what) {
  std::fprintf(stderr, "\n==routeauth-fuzz== INVARIANT VIOLATED %s (%s): %s\n", invariant,
               path.c_str(), what.c_str());
  std::fflush(stderr);
  __builtin_trap();
}

std::string excerpt(std::string_view s, size_t at, size_t radius = 60) {
  const size_t b = at > radius ? at - radius : 0;
  std::string out;
  for (char c : s.substr(b, 2 * radius)) {
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (static_cast<unsigned char>(c) < 0x20) out += '?';
    else out += c;
  }
  return out;
}

bool parses(const std::string& path, const std::string& bytes,
            std::optional<routeauth::engine::SyntaxError>* error = nullptr) {
  SourceFile file(path, bytes);
  Tree tree = worker().parser().parse(file);
  // A parse over the time budget counts as not parsing, as the pipeline reports it.
  auto e = tree ? routeauth::engine::first_syntax_error(tree.root()) : routeauth::engine::SyntaxError{0, false, {}};
  if (error) *error = e;
  return !e.has_value();
}

size_t rule_rank(std::string_view id) {
  const auto all = routeauth::engine::rules();
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i]->id() == id) return i;
  }
  return all.size();
}

// The fix loop of Worker::process, replayed with the same public pieces (Suppressions,
// diagnose_pass, EditSet) so that the edits of every pass are known; `composed` holds them all in
// ORIGINAL coordinates (clang's Replacements::merge composes a later pass, whose offsets refer to
// the text after the earlier ones, onto the earlier passes). This mirrors pipeline.cpp step by
// step; when that loop changes, this must follow (I6a says so when they disagree).
struct Replay {
  bool changed = false;
  std::string text;
  clang::tooling::Replacements composed;
};

// I8. The tree of `next_file` parsed incrementally from `before`'s tree and the pass's edits,
// node for node against a parse from scratch (the fuzzer's own parser: its parse state is fresh).
const char* ts_node_missing_or_type(TSNode n) { return ts_node_is_missing(n) ? "MISSING" : ts_node_type(n); }

void check_reparse(const std::string& path, const SourceFile& next_file, const Tree& before_tree,
                   const std::string& before, const EditSet& edits) {
  Tree fresh = worker().parser().parse(next_file);
  Tree incremental = worker().parser().reparse(next_file, before_tree, before, edits.text_edits());
  if (!fresh || !incremental) return;  // over the parse budget this time: nothing to compare
  TSTreeCursor a = ts_tree_cursor_new(fresh.root());
  TSTreeCursor b = ts_tree_cursor_new(incremental.root());
  std::string problem;
  for (bool more = true; more && problem.empty();) {
    const TSNode x = ts_tree_cursor_current_node(&a);
    const TSNode y = ts_tree_cursor_current_node(&b);
    if (ts_node_symbol(x) != ts_node_symbol(y) || ts_node_start_byte(x) != ts_node_start_byte(y) ||
        ts_node_end_byte(x) != ts_node_end_byte(y) || ts_node_is_missing(x) != ts_node_is_missing(y)) {
      auto describe = [](TSNode n) {
        return std::string(ts_node_missing_or_type(n)) + " [" + std::to_string(ts_node_start_byte(n)) + ", " +
               std::to_string(ts_node_end_byte(n)) + ")";
      };
      problem = "fresh " + describe(x) + ", incremental " + describe(y);
      break;
    }
    const bool down_a = ts_tree_cursor_goto_first_child(&a);
    if (down_a != ts_tree_cursor_goto_first_child(&b)) {
      problem = std::string("children of ") + ts_node_type(x) + " at byte " + std::to_string(ts_node_start_byte(x));
      break;
    }
    if (down_a) continue;
    for (;;) {
      const bool next_a = ts_tree_cursor_goto_next_sibling(&a);
      if (next_a != ts_tree_cursor_goto_next_sibling(&b)) {
        problem = std::string("siblings after ") + ts_node_type(x) + " at byte " + std::to_string(ts_node_start_byte(x));
        break;
      }
      if (next_a) break;
      const bool up_a = ts_tree_cursor_goto_parent(&a);
      (void)ts_tree_cursor_goto_parent(&b);
      if (!up_a) {
        more = false;
        break;
      }
    }
  }
  ts_tree_cursor_delete(&a);
  ts_tree_cursor_delete(&b);
  if (!problem.empty()) fail("I8", path, "incremental re-parse differs from a fresh parse: " + problem);
}

std::optional<Replay> replay(const std::string& path, const std::string& original,
                             std::vector<Finding> pending) {
  Replay r;
  r.text = original;
  SourceFile original_file(path, original);
  Tree original_tree = worker().parser().parse(original_file);
  if (!original_tree) return std::nullopt;  // over the parse budget this time: nothing to compare
  Suppressions suppressions = Suppressions::read(original_file, original_tree.root());
  Frozen frozen;
  frozen.hold(original_file, pending);  // the original findings are held already: this adds their ranges
  Tree previous = std::move(original_tree);  // of r.text
  for (int pass = 0; pass < routeauth::engine::kMaxPasses; ++pass) {
    EditSet edits(path);
    if (!suppressions.empty()) suppressions.keep_above(SourceFile(path, r.text), pending);
    std::stable_sort(pending.begin(), pending.end(), [](const Finding& a, const Finding& b) {
      return rule_rank(a.rule) < rule_rank(b.rule);
    });
    for (Finding& f : pending) (void)edits.take(f);
    if (edits.empty()) {
      r.changed = r.text != original;
      return r;
    }
    std::string next = edits.apply(r.text);
    r.composed = r.composed.merge(edits.replacements());
    SourceFile next_file(path, next);
    Tree tree = worker().parser().parse(next_file);
    if (tree) check_reparse(path, next_file, previous, r.text, edits);
    if (!tree || routeauth::engine::first_syntax_error(tree.root())) return std::nullopt;  // refused
    suppressions.shift(edits);
    frozen.shift(edits);
    pending = worker().diagnose_pass(next_file, tree.root(), suppressions, frozen);
    r.text = std::move(next);
    previous = std::move(tree);
  }
  return std::nullopt;  // kept changing: refused
}

// I6. Which bytes may an apply change? Exactly those covered by the edits the rules declared,
// over every pass. replay() re-derives those edits from the same rules and composes them into
// original offsets; the check then holds in three steps, each sound (no false alarm when the
// engine is right):
//   (a) the replayed text equals process()'s result: the pipeline applied the rules' declared
//       edits and did nothing else to the file (no re-encoding, no line-ending or BOM change);
//   (b) the composed edits, applied to the original, give that same text: the composition is a
//       faithful account of the change, so its ranges are the edited ranges;
//   (c) independently of clang's apply: every original line (with its terminator) that no
//       composed edit touches appears, byte for byte, in the output, in the original order.
//       A replacement touches the lines its replaced range overlaps; an insertion touches the
//       line it is inserted into, including an insertion at the very start of a line (its text
//       may not end with a newline) and at the end of an unterminated last line.
void check_untouched_lines(const std::string& path, const Outcome& out, const Replay& r) {
  const std::string& original = out.original;
  if (r.text != out.result) {
    size_t at = 0;
    while (at < r.text.size() && at < out.result.size() && r.text[at] == out.result[at]) ++at;
    fail("I6a", path,
         "process() result differs from the rules' declared edits replayed (first difference at "
         "byte " + std::to_string(at) + ": process '" + excerpt(out.result, at) + "' vs replay '" +
         excerpt(r.text, at) + "'); if pipeline.cpp changed how fixes are applied, update replay()");
  }
  auto applied = clang::tooling::applyAllReplacements(original, r.composed);
  if (!applied) {
    fail("I6b", path, "composed edits do not apply: " + llvm::toString(applied.takeError()));
  }
  if (*applied != out.result) fail("I6b", path, "composed edits do not reproduce the result");

  // Split into lines, each with its terminator.
  struct Line { size_t begin, end; };  // [begin, end)
  std::vector<Line> lines;
  for (size_t b = 0; b < original.size();) {
    size_t nl = original.find('\n', b);
    size_t e = nl == std::string::npos ? original.size() : nl + 1;
    lines.push_back({b, e});
    b = e;
  }
  auto touched = [&](const Line& line) {
    const bool last_unterminated = line.end == original.size() && original.back() != '\n';
    for (const auto& rep : r.composed) {
      const size_t off = rep.getOffset();
      const size_t len = rep.getLength();
      if (len > 0) {
        // A replacement that ends where the line begins took the newline before it: the line's
        // bytes are still there, but no longer a line of their own (`{\n}` -> `{ headers }`).
        if (off < line.end && off + len >= line.begin) return true;
      } else if (off >= line.begin && (off < line.end || (last_unterminated && off == line.end))) {
        return true;
      }
    }
    return false;
  };
  std::vector<std::string_view> out_lines;
  const std::string& result = out.result;
  for (size_t b = 0; b < result.size();) {
    size_t nl = result.find('\n', b);
    size_t e = nl == std::string::npos ? result.size() : nl + 1;
    out_lines.emplace_back(std::string_view(result).substr(b, e - b));
    b = e;
  }
  size_t next = 0;  // greedy in-order match: earliest match is optimal for a subsequence
  for (const Line& line : lines) {
    if (touched(line)) continue;
    const std::string_view want = std::string_view(original).substr(line.begin, line.end - line.begin);
    while (next < out_lines.size() && out_lines[next] != want) ++next;
    if (next == out_lines.size()) {
      fail("I6c", path, "untouched original line at byte " + std::to_string(line.begin) + " ('" +
                            excerpt(want, 0) + "') is missing or out of order in the output");
    }
    ++next;
  }
}

std::string normalise_message(std::string_view message) {
  std::string out;
  for (char c : message) {
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) out += c;
  }
  return out.substr(0, 200);
}

void note_refused(const std::string& path, const Outcome& out, const uint8_t* data, size_t size) {
  if (g_options.trap_refused) fail("refused", path, "internal_error: " + out.error);
  if (g_options.refused_dir.empty()) return;
  const std::string key = normalise_message(out.error);
  if (g_refused_seen.size() >= 200 || !g_refused_seen.insert(key).second) return;
  const std::string file = g_options.refused_dir + "/refused-" + std::to_string(g_refused_seen.size());
  std::ofstream bin(file, std::ios::binary);
  bin.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  std::ofstream txt(file + ".txt");
  txt << path << ": " << out.error << "\n";
}

void run(const uint8_t* data, size_t size) {
  if (size == 0) return;
  static const char* const kNames[] = {"app/api/fuzz/route.ts", "app/api/fuzz/route.tsx",
                                       "app/api/fuzz/route.js"};
  const std::string path = kNames[data[0] % 3];
  const std::string original(reinterpret_cast<const char*>(data + 1), size - 1);

  Outcome out = worker().process(path, original, Mode::fix);
  ++g_stats.runs;
  switch (out.status) {
    case Status::clean: ++g_stats.clean; break;
    case Status::findings: ++g_stats.findings; break;
    case Status::parse_error: ++g_stats.parse_error; break;
    case Status::internal_error: ++g_stats.internal_error; break;
  }
  if (out.changed()) ++g_stats.changed;

  if (out.original != original) fail("I3", path, "Outcome::original is not the input");

  // I2
  std::optional<routeauth::engine::SyntaxError> syntax;
  const bool input_parses = parses(path, original, &syntax);
  if (input_parses == (out.status == Status::parse_error)) {
    fail("I2", path, std::string("status ") + status_name(out.status) + " but an independent parse " +
                         (input_parses ? "finds no error" : "finds an error at byte " +
                                                               std::to_string(syntax->offset)));
  }

  // I3
  if (out.changed() && out.status != Status::findings) {
    fail("I3", path, std::string("output produced with status ") + status_name(out.status));
  }
  if (out.status == Status::internal_error) note_refused(path, out, data, size);

  if (!out.changed()) {
    // I7: a clean apply that reports a fixable finding but changes nothing dropped a fix.
    if (!g_options.lax && out.status == Status::findings) {
      for (const Finding& f : out.findings) {
        if (f.fixable()) {
          fail("I7", path, "finding [" + f.rule + "] at byte " + std::to_string(f.offset) + " ('" +
                               f.message + "') is fixable but apply changed nothing");
        }
      }
    }
    return;
  }

  // I4
  std::optional<routeauth::engine::SyntaxError> out_error;
  if (!parses(path, out.result, &out_error)) {
    fail("I4", path, "output does not parse (error at byte " + std::to_string(out_error->offset) +
                         ": '" + excerpt(out.result, out_error->offset) + "')");
  }

  // I6 (before I5: a replay mismatch explains an I5 failure better than the other way round)
  std::optional<Replay> r = replay(path, original, out.findings);
  if (!r) fail("I6a", path, "process() produced an output, but replaying its fix loop refuses one");
  check_untouched_lines(path, out, *r);

  // I9
  for (const Finding& f : out.findings) {
    if (f.frozen.empty()) continue;
    for (const clang::tooling::Replacement& e : r->composed) {
      if (f.frozen.changed_by(routeauth::engine::Edit{e.getOffset(), e.getLength(), e.getReplacementText().str()})) {
        fail("I9", path, "an edit at byte " + std::to_string(e.getOffset()) + " changes what the [" + f.rule +
                             "] finding at byte " + std::to_string(f.offset) + " freezes ('" + f.message + "')");
      }
    }
    const uint32_t at = r->composed.getShiftedCodePosition(f.frozen.begin);
    const size_t length = f.frozen.end - f.frozen.begin;
    if (out.result.compare(at, length, original, f.frozen.begin, length) != 0) {
      fail("I9", path, "what the [" + f.rule + "] finding at byte " + std::to_string(f.offset) +
                           " freezes is not byte-identical in the output: '" + excerpt(out.result, at) + "'");
    }
  }

  // I5
  Outcome again = worker().process(path, out.result, Mode::fix);
  if (again.status == Status::parse_error || again.status == Status::internal_error) {
    fail("I5", path, std::string("second pass status ") + status_name(again.status) + ": " + again.error);
  }
  if (again.changed()) {
    size_t at = 0;
    while (at < again.result.size() && at < out.result.size() && again.result[at] == out.result[at]) ++at;
    fail("I5", path, "second pass changed the output at byte " + std::to_string(at) + ": '" +
                         excerpt(out.result, at) + "' -> '" + excerpt(again.result, at) + "'");
  }
  if (!g_options.lax) {
    for (const Finding& f : again.findings) {
      if (f.fixable()) {
        fail("I5", path, "second pass still finds fixable [" + f.rule + "] at byte " +
                             std::to_string(f.offset) + ": " + f.message);
      }
    }
  }
}

bool env_flag(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' && std::string_view(v) != "0";
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  g_options.lax = env_flag("ROUTEAUTH_FUZZ_LAX");
  g_options.trap_refused = env_flag("ROUTEAUTH_FUZZ_TRAP_REFUSED");
  if (const char* dir = std::getenv("ROUTEAUTH_FUZZ_REFUSED_DIR")) g_options.refused_dir = dir;
  (void)worker();
  std::atexit(print_stats);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    run(data, size);
  } catch (const std::exception& e) {
    fail("I1", size ? "selector " + std::to_string(data[0] % 3) : "", std::string("exception: ") + e.what());
  } catch (...) {
    fail("I1", "", "unknown exception");
  }
  return 0;
}
