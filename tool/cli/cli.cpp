#include "cli/cli.h"

#include <CLI/CLI.hpp>
#include <fmt/ostream.h>

#include <unistd.h>

#include <exception>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "engine/query.h"
#include "engine/rule.h"
#include "engine/suppressions.h"

namespace routeauth::cli {

namespace {

constexpr const char* kExamples = R"(Examples:
  routeauth diff .                      show the migration of every route as a unified diff
  routeauth diff app/api | git apply    the same, applied by git
  routeauth apply app/api/brain         migrate the routes under app/api/brain in place
  routeauth check app/api/brain/contacts/route.ts
                                        report what a route still lacks
  routeauth check --staged              check what the next commit holds (pre-commit)
  routeauth apply --interactive app     review each file's change before it is written

Exit status: 0 clean, 1 findings or changes, 2 usage or configuration error,
3 some file could not be processed (parse error, I/O error).)";

void list_rules(std::ostream& out) {
  for (const auto& rule : engine::rules()) fmt::print(out, "{:<18} {}\n", rule->id(), rule->summary());
  fmt::print(out, "{:<18} {}\n", "parse-error", "the file does not parse; nothing was changed");
  fmt::print(out, "{:<18} {}\n", engine::kSuppressionRule,
             "a routeauth-ignore comment without a reason or naming an unknown id (it silences nothing)");
  fmt::print(out, "{:<18} {}\n", engine::kUnusedSuppressionRule,
             "a routeauth-ignore comment that silences nothing where it stands");
}

}  // namespace

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, std::istream* in,
        bool out_is_terminal, bool in_is_terminal, bool err_is_terminal) {
  CLI::App app{"routeauth: migrate Next.js API routes to NextAuth session auth with tenant isolation, "
               "and keep them that way",
               "routeauth"};
  app.footer(kExamples);
  app.set_version_flag("--version", std::string("routeauth ") + ROUTEAUTH_VERSION);
  app.require_subcommand(0, 1);
  bool show_rules = false;
  app.add_flag("--list-rules", show_rules, "list the rules and what each finds");

  Options apply_options, diff_options, check_options;
  CLI::App* apply = app.add_subcommand("apply", "rewrite route files in place (atomically)");
  add_common_options(*apply, apply_options);
  CLI::Option* dry_run =
      apply->add_flag("-n,--dry-run", apply_options.dry_run, "print the diff instead of writing (same as diff)");
  // As `git apply --stat`: a statistic instead of applying, so it implies --dry-run.
  CLI::Option* stat =
      apply->add_flag("--stat", apply_options.stat, "print a diffstat instead of writing (implies --dry-run; same as diff --stat)");
  apply->add_flag("-i,--interactive", apply_options.interactive, "show each file's change and ask y/n/a/q before writing it")
      ->excludes(dry_run)
      ->excludes(stat);
  add_color_option(*apply, apply_options);

  CLI::App* diff = app.add_subcommand("diff", "print the changes apply would make as a unified diff; write nothing");
  add_common_options(*diff, diff_options);
  diff->add_flag("--stat", diff_options.stat, "a diffstat (files, insertions, deletions) instead of the patch");
  add_color_option(*diff, diff_options);

  CLI::App* check = app.add_subcommand("check", "report findings as path:line:col: error: message [id]; change nothing");
  add_common_options(*check, check_options, /*paths_required=*/false);
  check->add_flag("--staged", check_options.staged,
                  "check the staged (index) version of the staged route files, not the working tree's");
  check->add_option("--format", check_options.format, "text (path:line:col: lines, the default), json, or sarif (SARIF 2.1.0)")
      ->check(CLI::IsMember({"text", "json", "sarif"}))
      ->type_name("FORMAT");

  Options report_options;
  report_options.format = "table";
  CLI::App* report = app.add_subcommand(
      "report", "the migration status of every route (migrated, partial, pending, manual review, ...); change nothing");
  add_common_options(*report, report_options);
  report->add_option("--format", report_options.format,
                     "table (the default), markdown (the migration guide's checklist, ticked) or json")
      ->check(CLI::IsMember({"table", "markdown", "json"}))
      ->type_name("FORMAT");

  InitOptions init_options;
  CLI::App* init = app.add_subcommand("init", "write a commented routeauth.json with what routeauth detects in the project");
  init->add_option("path", init_options.path, "a folder of the Next.js project (default: the current folder)");
  init->add_flag("--types", init_options.types,
                 "also give next-auth's Session the fields the migrated code reads: merged into the project's own "
                 "augmentation (shown as a diff), else a new types/next-auth.d.ts; with an existing routeauth.json, "
                 "the types only");
  init->add_flag("-f,--force", init_options.force, "replace an existing routeauth.json (and a types/next-auth.d.ts "
                 "that declares no module \"next-auth\")");

  HookOptions hook_options;
  CLI::App* hook = app.add_subcommand("install-hook", "write a git pre-commit hook (where git runs hooks from: .git/hooks, or core.hooksPath) running `routeauth check --staged`");
  hook->add_flag("-f,--force", hook_options.force, "replace an existing pre-commit hook that is not routeauth's");
  hook->add_option("--binary", hook_options.binary, "the routeauth the hook runs (default: this one, by absolute path)")
      ->type_name("PATH");

  CLI::App* lsp = app.add_subcommand(
      "lsp", "a Language Server (LSP 3.17) on standard input and output: findings as diagnostics while you type, "
             "apply's fix as a code action (see README, Editors)");
  bool lsp_stdio = true;
  lsp->add_flag("--stdio", lsp_stdio, "talk over standard input and output (the default and only transport)");

  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    std::ostringstream o, e2;
    const int code = app.exit(e, o, e2);
    out << o.str();
    err << e2.str();
    return code == 0 ? kClean : kUsage;
  }
  Io io{out, err, out_is_terminal, in_is_terminal, in, err_is_terminal};
  try {
    if (show_rules) {
      list_rules(out);
      return kClean;
    }
    if (apply->parsed()) return run_apply(apply_options, io);
    if (diff->parsed()) return run_diff(diff_options, io);
    if (check->parsed()) return run_check(check_options, io);
    if (report->parsed()) return run_report(report_options, io);
    if (hook->parsed()) return run_install_hook(hook_options, io);
    if (init->parsed()) return run_init(init_options, io);
    if (lsp->parsed()) {
      if (!in) {
        fmt::print(err, "routeauth: error: lsp needs an input stream\n");
        return kUsage;
      }
      return run_lsp(*in, out, io);
    }
  } catch (const engine::QueryError& e) {
    fmt::print(err, "routeauth: internal error: {}\n", e.what());
    return kFailed;
  } catch (const std::exception& e) {
    // Never an abort: a libgit2 error (engine::GitError: an unreadable index or object store) or
    // anything else not handled where it arose is reported, status 3.
    fmt::print(err, "routeauth: error: {}\n", e.what());
    return kFailed;
  }
  out << app.help();
  return kUsage;
}

int run(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return run(args, std::cout, std::cerr, &std::cin, ::isatty(STDOUT_FILENO) != 0, ::isatty(STDIN_FILENO) != 0,
             ::isatty(STDERR_FILENO) != 0);
}

}  // namespace routeauth::cli
