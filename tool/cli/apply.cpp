// routeauth apply: rewrite the files in place, each atomically; --dry-run prints the diff
// instead, --interactive asks for each file first.
#include <fmt/ostream.h>

#include <filesystem>
#include <istream>
#include <ostream>

#include "cli/commands.h"
#include "cli/dependency_warnings.h"
#include "engine/git_repo.h"
#include "engine/project.h"
#include "engine/session_types.h"
#include "output/diff.h"
#include "output/write.h"

namespace routeauth::cli {

namespace {

enum class Answer { yes, no, all, quit };

// Asks about one file, as `git add -p` does; re-asks on anything else.
Answer ask(Io io, const std::string& path) {
  for (;;) {
    fmt::print(io.out, "Apply this change to {} [y,n,a,q,?]? ", path);
    io.out.flush();
    std::string line;
    if (!std::getline(*io.in, line)) return Answer::quit;
    if (line == "y") return Answer::yes;
    if (line == "n") return Answer::no;
    if (line == "a") return Answer::all;
    if (line == "q") return Answer::quit;
    fmt::print(io.out,
               "y - apply this change\nn - do not apply this change\na - apply this and every later change\n"
               "q - quit; do not apply this or any later change\n");
  }
}

// The code apply writes reads session.access_token and session.user.tenant_id: without a
// next-auth Session augmentation, TypeScript rejects it. Said once, after the files are written.
void warn_session_type(const Options& options, Io io) {
  const std::string project = engine::project_root(options.paths.front());
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::path(project) / "tsconfig.json", ec)) return;
  engine::Selection selection;
  std::string root;
  engine::Config config;
  try {
    config = make_config(options, selection, root);
  } catch (const std::exception&) {
    return;
  }
  const auto types = engine::find_session_types(project, config);
  if (types.complete()) return;
  if (types.augmented()) {
    fmt::print(io.err, "routeauth: warning: {}, so the migrated routes will not type-check; run routeauth init --types\n",
               types.describe());
    return;
  }
  fmt::print(io.err,
             "routeauth: warning: {}: next-auth's Session type has no {} / {} (no `declare module \"next-auth\"` "
             "augmentation), so the migrated routes will not type-check; `routeauth init --types` writes one\n",
             project, config.access_token_field, config.tenant_field);
}

// The folder a file written by apply must stay inside, symbolic links resolved: its git
// repository (the run's, else its own), or without one its Next.js project.
std::string write_root(const std::optional<engine::GitRepo>& run_repo, const std::string& path) {
  std::error_code ec;
  const std::string file = std::filesystem::absolute(path, ec).lexically_normal().string();
  if (run_repo && file.starts_with(run_repo->workdir())) return run_repo->workdir();
  if (const auto repo = engine::GitRepo::discover(path)) return repo->workdir();
  return engine::project_root(path);
}

}  // namespace

int run_apply(const Options& options, Io io) {
  if (options.dry_run || options.stat) return run_diff(options, io);
  if (options.interactive && !io.in_is_terminal) {
    fmt::print(io.err, "routeauth: error: --interactive asks on a terminal, and standard input is not one; "
                       "use `routeauth diff` to review without one\n");
    return kUsage;
  }
  // Before any worker thread starts, so that all of them leave interrupts to the one thread that
  // removes the temporary files of the writes in flight.
  output::guard_interrupts();
  const auto run_repo = engine::GitRepo::discover(options.paths.empty() ? "." : options.paths.front());
  Totals totals;
  bool left_for_a_person = false;
  bool declined = false;  // a change answered n (or not asked after q): the file keeps its findings
  bool write_failed = false;
  bool accept_all = !options.interactive;
  bool quit = false;
  const bool color = use_color(options, io);
  RouteImportsSeen imports;  // of the files written
  engine::Config config;
  int status = for_each_file(options, engine::Mode::fix, io, totals, [&](const Processed& p) {
    print_findings(io.err, p, /*fixable_too=*/p.outcome.status == engine::Status::parse_error);
    if (has_unfixable(p.outcome) && p.outcome.status == engine::Status::findings) left_for_a_person = true;
    if (!p.outcome.changed()) return;
    if (quit) {
      declined = true;
      return;
    }
    if (!accept_all) {
      const std::string patch = output::unified_diff(p.display_path, p.outcome.original, p.outcome.result);
      io.out << (color ? output::colorize(patch) : patch);
      switch (ask(io, p.display_path)) {
        case Answer::yes: break;
        case Answer::all: accept_all = true; break;
        case Answer::no: declined = true; return;
        case Answer::quit: quit = declined = true; return;
      }
    }
    try {
      output::WriteCheck check;
      check.root = write_root(run_repo, p.outcome.path);
      check.expected = &p.outcome.original;
      check.stamp = p.stamp;
      output::write_carefully(p.outcome.path, p.outcome.result, check);
      ++totals.changed;
      imports.add(p.outcome);
    } catch (const std::exception& e) {
      fmt::print(io.err, "routeauth: error: {}: {}\n", p.display_path, e.what());
      ++totals.failed;
      write_failed = true;
    }
  }, &config);
  if (status != kUsage && !options.quiet) print_summary(io.err, totals, "changed");
  if (status != kUsage) print_missing(io.err, imports.missing(options, config));
  if (totals.changed > 0 && !options.paths.empty()) warn_session_type(options, io);
  if (write_failed && status != kUsage) status = kFailed;
  if (status == kClean && (left_for_a_person || declined)) status = kFindings;
  return status;
}

}  // namespace routeauth::cli
