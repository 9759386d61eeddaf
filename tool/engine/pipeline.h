// One file through the whole engine: parse, model, rules, edits, verification. A Worker owns
// the per-thread state (parsers) and turns a file's bytes into an Outcome; it
// never touches the file system.
#pragma once

#include <string>
#include <vector>

#include "engine/config.h"
#include "engine/frozen.h"
#include "engine/header_builders.h"
#include "engine/rule.h"
#include "engine/source.h"
#include "engine/suppressions.h"
#include "engine/syntax.h"

namespace routeauth::engine {

enum class Mode {
  check,  // findings only
  fix,    // findings, and the fixed text
};

enum class Status {
  clean,           // no findings, nothing to change
  findings,        // findings (and, in fix mode, maybe a new text)
  parse_error,     // the input does not parse; nothing changed
  internal_error,  // a rule produced an output that failed verification; nothing changed
};

struct Outcome {
  std::string path;
  std::string original;
  std::string result;  // the fixed text in fix mode (== original when nothing changes)
  std::vector<Finding> findings;  // of the original text, sorted by position
  // The findings of the original text that routeauth-ignore comments silence, sorted by position
  // (engine/suppressions.h): for `report`; check, diff and apply never print them, nor fix them.
  std::vector<SuppressedFinding> suppressed;
  struct HandlerInfo {
    std::string method;
    uint32_t offset = 0;        // of its name
    bool calls_backend = false;
    // The backend wrappers it calls (Config::wrappers): `name` or `name (module)`, once each.
    std::vector<std::string> wrappers;
    // The imported header builders its backend fetches send (engine/header_builders.h), once each.
    std::vector<HeaderBuilder> header_builders;
  };
  std::vector<HandlerInfo> handlers;  // of the original text, in source order
  // What the project must provide for the migrated file to build (engine/dependencies.h): the
  // imports the fixes add (fix mode: those the result holds; check mode: those apply would add),
  // and the getServerSession / authOptions imports a file with backend calls already has.
  std::vector<ModuleImport> imports_added;
  std::vector<ModuleImport> session_imports;
  // Said once about the whole file, not a finding: an empty route.ts (nothing but whitespace and
  // comments) is a valid route without handlers, which Next.js answers with 405 for every method.
  std::string note;
  Status status = Status::clean;
  std::string error;  // what went wrong, for parse_error and internal_error
  // What the work cost, for tests and benchmarks: the passes of fix mode that applied edits (each
  // a re-parse), and how often the rules ran over a text (1 in check mode).
  int passes = 0;
  int rule_runs = 0;

  [[nodiscard]] bool changed() const { return result != original; }
};

class Worker {
 public:
  explicit Worker(const Config& config) : config_(config) {}

  [[nodiscard]] Outcome process(std::string path, std::string bytes, Mode mode);

  // The findings of one text, as check reports them (no fixing); exposed for tests. The findings
  // its routeauth-ignore comments silence go to `suppressed` when given.
  [[nodiscard]] std::vector<Finding> diagnose(const SourceFile& file, TSNode root,
                                              std::vector<Outcome::HandlerInfo>* handlers = nullptr,
                                              std::vector<SuppressedFinding>* suppressed = nullptr);

  // The findings of one pass of apply: those of a text that `suppressions` (read from the original
  // text, then shifted through every pass so far) do not silence; without the suppression and
  // unused-suppression findings, which are the original text's. `frozen` holds what the
  // manual-review findings of the passes so far freeze (shifted likewise) and gains this pass's:
  // no finding returned carries a fix that changes any of it.
  [[nodiscard]] std::vector<Finding> diagnose_pass(const SourceFile& file, TSNode root, Suppressions& suppressions,
                                                   Frozen& frozen);

  [[nodiscard]] Parser& parser() { return parser_; }

 private:
  std::vector<Finding> run_rules(const SourceFile& file, TSNode root, Suppressions& suppressions, Frozen& frozen,
                                 bool original,
                                 std::vector<Outcome::HandlerInfo>* handlers,
                                 std::vector<SuppressedFinding>* suppressed);
  Outcome process_file(std::string path, std::string bytes, Mode mode);

  const Config& config_;
  Parser parser_;
  int rule_runs_ = 0;  // of the file in process()
  std::vector<ModuleImport> session_imports_;  // of the original text, from run_rules
};

// How many times apply re-runs the rules on their own output to let fixes that touched the same
// place land one after another. A file still changing after that is an internal error.
inline constexpr int kMaxPasses = 6;

}  // namespace routeauth::engine
