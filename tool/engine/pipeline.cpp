#include "engine/pipeline.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "engine/dependencies.h"
#include "engine/edits.h"
#include "engine/header_builders.h"
#include "engine/route_model.h"

namespace routeauth::engine {

namespace {

std::string describe(const SourceFile& file, const SyntaxError& error) {
  const Position pos = file.position(error.offset);
  if (error.missing) {
    return fmt::format("{}:{}: missing '{}'", pos.line, pos.column, error.expected);
  }
  // Show what stands at the error, up to the end of its line.
  const uint32_t end = std::min(file.line_end(error.offset), error.offset + 24);
  std::string_view near = file.slice(error.offset, std::max(end, error.offset));
  return near.empty() ? fmt::format("{}:{}: unexpected end of input", pos.line, pos.column)
                      : fmt::format("{}:{}: unexpected '{}'", pos.line, pos.column, near);
}

// Nothing but whitespace and comments.
bool holds_no_code(TSNode root) {
  for (uint32_t i = 0; i < ts_node_named_child_count(root); ++i) {
    if (!is(ts_node_named_child(root, i), "comment")) return false;
  }
  return true;
}

size_t rule_rank(std::string_view id) {
  const auto all = rules();
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i]->id() == id) return i;
  }
  return all.size();
}

}  // namespace

std::vector<Finding> Worker::run_rules(const SourceFile& file, TSNode root, Suppressions& suppressions,
                                      Frozen& frozen, bool original, std::vector<Outcome::HandlerInfo>* handlers,
                                      std::vector<SuppressedFinding>* suppressed) {
  ++rule_runs_;
  const RouteFile model = build_route_model(file, root, config_);
  if (handlers) {
    for (const auto& h : model.handlers) {
      if (h.is_wrapper()) continue;  // its callers are the route's handlers
      Outcome::HandlerInfo info{h.method, ts_node_start_byte(h.name), h.calls_backend(), {}, {}};
      for (const auto& w : h.wrapper_calls) {
        std::string name = w.wrapper->module.empty() ? w.wrapper->name : fmt::format("{} ({})", w.wrapper->name, w.wrapper->module);
        if (std::find(info.wrappers.begin(), info.wrappers.end(), name) == info.wrappers.end()) info.wrappers.push_back(std::move(name));
      }
      info.header_builders = header_builders(model, h);
      handlers->push_back(std::move(info));
    }
    session_imports_ = session_imports(model);
  }
  std::vector<Finding> findings;
  std::vector<bool> about_file;  // findings[i] is about the imports (engine/suppressions.h)
  for (const auto& rule : rules()) {
    if (!config_.rule_enabled(rule->id())) continue;
    rule->diagnose(model, config_, findings);
    about_file.resize(findings.size(), about_whole_file(rule->id()));
  }
  // Rules whose id is disabled may still report under another id (e.g. manual-review).
  size_t n = 0;
  for (size_t i = 0; i < findings.size(); ++i) {
    if (!config_.rule_enabled(findings[i].rule)) continue;
    if (n != i) {
      findings[n] = std::move(findings[i]);
      about_file[n] = about_file[i];
    }
    ++n;
  }
  findings.resize(n);
  about_file.resize(n);
  suppressions.apply(model, findings, about_file, suppressed, original);
  if (original) {
    for (Finding& f : suppressions.findings(config_)) findings.push_back(std::move(f));
  }
  frozen.hold(file, findings);
  std::stable_sort(findings.begin(), findings.end(),
                   [](const Finding& a, const Finding& b) { return a.offset < b.offset; });
  if (suppressed) {
    std::stable_sort(suppressed->begin(), suppressed->end(), [](const SuppressedFinding& a, const SuppressedFinding& b) {
      return a.finding.offset < b.finding.offset;
    });
  }
  return findings;
}

std::vector<Finding> Worker::diagnose(const SourceFile& file, TSNode root,
                                      std::vector<Outcome::HandlerInfo>* handlers,
                                      std::vector<SuppressedFinding>* suppressed) {
  Suppressions suppressions = Suppressions::read(file, root);
  Frozen frozen;
  return run_rules(file, root, suppressions, frozen, true, handlers, suppressed);
}

std::vector<Finding> Worker::diagnose_pass(const SourceFile& file, TSNode root, Suppressions& suppressions,
                                           Frozen& frozen) {
  return run_rules(file, root, suppressions, frozen, false, nullptr, nullptr);
}

Outcome Worker::process(std::string path, std::string bytes, Mode mode) {
  rule_runs_ = 0;
  Outcome out = process_file(std::move(path), std::move(bytes), mode);
  out.rule_runs = rule_runs_;
  return out;
}

Outcome Worker::process_file(std::string path, std::string bytes, Mode mode) {
  Outcome out;
  out.path = path;
  out.original = bytes;
  out.result = bytes;

  SourceFile file(std::move(path), std::move(bytes));
  Tree tree = parser_.parse(file);
  if (!tree) {
    out.status = Status::parse_error;
    out.error = fmt::format("1:1: parsing gave up after {} s", parse_budget_micros(file.text().size()) / 1'000'000);
    Finding f;
    f.rule = "parse-error";
    f.offset = 0;
    f.message = fmt::format(
        "file does not parse: the parser gave up after {} s, as it can on some broken syntax; fix the "
        "syntax errors (an editor's TypeScript check shows them) or exclude the file; nothing was changed",
        parse_budget_micros(file.text().size()) / 1'000'000);
    out.findings.push_back(std::move(f));
    return out;
  }
  if (auto error = first_syntax_error(tree.root())) {
    out.status = Status::parse_error;
    out.error = describe(file, *error);
    Finding f;
    f.rule = "parse-error";
    f.offset = error->offset;
    f.message = fmt::format("file does not parse ({}); nothing was changed",
                            out.error.substr(out.error.find(' ') + 1));
    out.findings.push_back(std::move(f));
    return out;
  }
  // The routeauth-ignore comments are read once, from the original text; each pass below moves
  // the statements they sit above through its edits (code lands between a comment and its
  // statement), so every pass silences the same findings and never applies their fixes.
  if (holds_no_code(tree.root())) {
    out.note = "the file is empty (no code, so Next.js answers 405 for every method); nothing to migrate";
  }
  Suppressions suppressions = Suppressions::read(file, tree.root());
  // What the manual-review findings freeze stays byte for byte as it is through every pass below,
  // whatever a later pass makes of it: the person it asks decides (engine/frozen.h).
  Frozen frozen;
  out.findings = run_rules(file, tree.root(), suppressions, frozen, true, &out.handlers, &out.suppressed);
  out.session_imports = std::move(session_imports_);
  out.status = out.findings.empty() ? Status::clean : Status::findings;
  if (mode == Mode::check) {
    std::set<ModuleImport> would_add;
    for (const Finding& f : out.findings) {
      if (!f.fix.empty()) would_add.insert(f.imports.begin(), f.imports.end());
    }
    out.imports_added.assign(would_add.begin(), would_add.end());
    return out;
  }

  // Fix: take every fix that does not overlap one already taken, apply, re-parse and re-run the
  // rules on the result, until they have nothing left to do. The last pass, which changes
  // nothing, is the proof that the output is stable; every pass must parse.
  std::vector<Finding> pending = out.findings;
  std::set<ModuleImport> added;  // by the fixes taken so far
  std::string current = out.original;
  Tree current_tree;  // of `current` once a pass changed it
  for (int pass = 0; pass < kMaxPasses; ++pass) {
    EditSet edits(file.path());
    // Code inserted above a statement goes above its routeauth-ignore comment, not between.
    if (!suppressions.empty()) suppressions.keep_above(SourceFile(file.path(), current), pending);
    std::set<std::string> contributors;
    // In rule order (the registry's), so that a rule whose fix others build on (the session
    // call) lands first when their edits meet at one place.
    std::stable_sort(pending.begin(), pending.end(), [](const Finding& a, const Finding& b) {
      return rule_rank(a.rule) < rule_rank(b.rule);
    });
    for (Finding& f : pending) {
      if (!edits.take(f)) continue;
      contributors.insert(f.rule);
      added.insert(f.imports.begin(), f.imports.end());
    }
    if (edits.empty()) {
      // The output, verified as a second apply would see it: the rules run afresh (its
      // routeauth-ignore comments read from it, not carried through the passes) take no edit.
      // Without such comments, in the original or the output, and without frozen code (carried
      // from earlier passes, which a fresh run does not know), that run is the one just made, on
      // the same text and tree: it is not repeated.
      const bool same_as_last_pass = suppressions.empty() && !Suppressions::may_occur_in(current) && frozen.empty();
      if (current_tree && !same_as_last_pass) {
        SourceFile current_file(file.path(), current);
        // Afresh, too: what a second apply would freeze is what the output's own manual-review
        // findings freeze; a fix that would change code frozen in this run is not idempotent.
        Suppressions fresh = Suppressions::read(current_file, current_tree.root());
        Frozen fresh_frozen;
        std::vector<Finding> again = diagnose_pass(current_file, current_tree.root(), fresh, fresh_frozen);
        EditSet more(file.path());
        std::set<std::string> changers;
        for (Finding& f : again) {
          if (more.take(f)) changers.insert(f.rule);
        }
        if (!more.empty()) {
          out.status = Status::internal_error;
          out.error = fmt::format("{} would change the fixed file again (the fix is not idempotent); nothing was "
                                  "changed",
                                  fmt::join(changers, ", "));
          out.result = out.original;
          return out;
        }
      }
      out.result = std::move(current);
      out.imports_added.assign(added.begin(), added.end());
      return out;
    }
    std::string next = edits.apply(current);
    SourceFile next_file(file.path(), next);
    // Incrementally: what the edits left alone is not parsed again (the fuzzer holds the tree
    // equal to a fresh parse's, and parses every output afresh to check it).
    Tree next_tree = parser_.reparse(next_file, current_tree ? current_tree : tree, current, edits.text_edits());
    if (!next_tree) {
      out.status = Status::internal_error;
      out.error = fmt::format("the fix of {} could not be parsed within the time limit; nothing was changed",
                              fmt::join(contributors, ", "));
      out.result = out.original;
      return out;
    }
    if (auto error = first_syntax_error(next_tree.root())) {
      out.status = Status::internal_error;
      out.error = fmt::format("the fix of {} would not parse ({}); nothing was changed",
                              fmt::join(contributors, ", "), describe(next_file, *error));
      out.result = out.original;
      return out;
    }
    ++out.passes;
    suppressions.shift(edits);
    frozen.shift(edits);
    pending = diagnose_pass(next_file, next_tree.root(), suppressions, frozen);
    current = std::move(next);
    current_tree = std::move(next_tree);
  }
  std::set<std::string> still;
  for (const auto& f : pending) {
    if (f.fixable()) still.insert(f.rule);
  }
  out.status = Status::internal_error;
  out.error = fmt::format("{} kept changing the file after {} passes; nothing was changed",
                          fmt::join(still, ", "), kMaxPasses);
  out.result = out.original;
  return out;
}

}  // namespace routeauth::engine
