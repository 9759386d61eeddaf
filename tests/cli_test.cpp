// End to end: the real routeauth binary on a temporary copy of examples/brain-app inside a fresh
// git repository. Exit statuses, output formats, `git apply` on the diff, idempotence, files that
// must never be touched.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine/rule.h"

namespace fs = std::filesystem;

#include "cli_support.h"

namespace {

using namespace routeauth::testing::cli;

const std::string kNextAuth = "brain-app/app/api/auth/[...nextauth]/route.ts";
const std::string kInvoices = "brain-app/app/api/brain/billing/invoices/route.ts";
const std::string kBroken = "brain-app/app/api/brain/broken/route.ts";
const std::string kBrokenText = "export async function GET() {\n  const x = ;\n  return x\n}\n";

std::string q(const Sandbox& box, const std::string& rel) { return quote(box.path(rel)); }

// ---- global flags -------------------------------------------------------------------------------

TEST(Cli, Version) {
  const Result r = Sandbox::run_in(fs::temp_directory_path(), "--version");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, std::string("routeauth ") + ROUTEAUTH_VERSION + "\n");
}

TEST(Cli, HelpMentionsExamplesAndExitStatuses) {
  const Result r = Sandbox::run_in(fs::temp_directory_path(), "--help");
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(has(r.out, "Examples:")) << r.out;
  EXPECT_TRUE(has(r.out, "routeauth diff app/api | git apply")) << r.out;
  EXPECT_TRUE(has(r.out, "routeauth apply app/api/brain")) << r.out;
  EXPECT_TRUE(has(r.out, "Exit status: 0 clean, 1 findings or changes, 2 usage or configuration error,")) << r.out;
  EXPECT_TRUE(has(r.out, "3 some file could not be processed (parse error, I/O error).")) << r.out;
  for (const char* sub : {"apply", "diff", "check"}) EXPECT_TRUE(has(r.out, sub)) << sub;
}

TEST(Cli, NoSubcommandPrintsHelpAndIsAUsageError) {
  const Result r = Sandbox::run_in(fs::temp_directory_path(), "");
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(has(r.out, "Examples:")) << r.out;
}

TEST(Cli, UnknownOptionIsAUsageError) {
  const Result r = Sandbox::run_in(fs::temp_directory_path(), "check --no-such-option .");
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(has(r.err, "--no-such-option")) << r.err;
}

TEST(Cli, UnknownRuleToDisableIsAUsageError) {
  Sandbox box;
  const Result r = box.run("check --disable no-such-rule " + q(box, "brain-app"));
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(has(r.err, "unknown rule 'no-such-rule'")) << r.err;
}

TEST(Rules, IdsAreUniqueKebabCaseAndHaveSummaries) {
  std::set<std::string> ids;
  static const std::regex kebab("^[a-z]+(-[a-z]+)*$");
  for (const auto& rule : routeauth::engine::rules()) {
    const std::string id(rule->id());
    EXPECT_TRUE(ids.insert(id).second) << "duplicate rule id " << id;
    EXPECT_TRUE(std::regex_match(id, kebab)) << id;
    EXPECT_FALSE(rule->summary().empty()) << id;
    EXPECT_EQ(routeauth::engine::find_rule(id), rule.get()) << id;
  }
  EXPECT_FALSE(ids.empty());
  EXPECT_FALSE(ids.contains("parse-error"));  // reported by the pipeline, not a rule
  EXPECT_EQ(routeauth::engine::find_rule("no-such-rule"), nullptr);
}

TEST(Cli, ListRulesPrintsEveryRule) {
  const Result r = Sandbox::run_in(fs::temp_directory_path(), "--list-rules");
  EXPECT_EQ(r.status, 0);
  const auto lines = lines_of(r.out);
  const auto& rules = routeauth::engine::rules();
  ASSERT_EQ(lines.size(), rules.size() + 3) << r.out;  // + parse-error and the two about comments
  for (size_t i = 0; i < rules.size(); ++i) {
    const std::string id(rules[i]->id());
    const std::string summary(rules[i]->summary());
    EXPECT_TRUE(lines[i].starts_with(id + " ")) << lines[i];
    EXPECT_TRUE(lines[i].ends_with(" " + summary)) << lines[i];
  }
  EXPECT_TRUE(lines[rules.size()].starts_with("parse-error ")) << lines.back();
}

// libgit2 (with OpenSSL, Kerberos, libssh2 and mbedTLS behind it) is loaded only by what uses
// it: a check of named files, the pre-commit case, in a project whose routeauth.json names the
// auth module and the session API (as `routeauth init` writes them), never does. Without that setting the auth module
// is searched for over the project's source, which honours the repository's ignore rules
// (libgit2's) and so loads it. glibc's loader says what it loads.
TEST(Cli, LibGit2IsLoadedOnlyWhenUsed) {
  Sandbox box;
  spit(box.root() / "brain-app/routeauth.json",
       R"({ "authOptionsModule": "@/app/api/auth/[...nextauth]/route", "sessionApi": "v4" })");
  struct LoaderLog {
    LoaderLog() { setenv("LD_DEBUG", "files", 1); }
    ~LoaderLog() { unsetenv("LD_DEBUG"); }
  } log;
  const Result check = box.run("check " + q(box, kInvoices));
  EXPECT_EQ(check.status, 1) << check.err;
  EXPECT_TRUE(has(check.err, "libtree-sitter")) << "LD_DEBUG gave no loader log:\n" << check.err;
  EXPECT_FALSE(has(check.err, "libgit2")) << check.err;
  EXPECT_FALSE(has(check.err, "libssl")) << check.err;
  fs::remove(box.root() / "brain-app/routeauth.json");
  const Result searched = box.run("check " + q(box, kInvoices));
  EXPECT_EQ(searched.status, 1) << searched.err;
  EXPECT_TRUE(has(searched.err, "libgit2.so")) << "the auth module search skipped the ignore rules";
  const Result version = box.run("--version");
  EXPECT_FALSE(has(version.err, "libgit2"));
  // The diff is libgit2's: loaded then, and it works.
  const Result diff = box.run("diff " + q(box, kInvoices));
  EXPECT_EQ(diff.status, 1);
  EXPECT_TRUE(has(diff.err, "libgit2.so")) << diff.err;
  EXPECT_TRUE(has(diff.out, "+import { getServerSession } from \"next-auth\"")) << diff.out;
}

// ---- diff -----------------------------------------------------------------------------------------

TEST(CliDiff, PatchIsAcceptedByGitApplyAndWritesNothing) {
  Sandbox box;
  const auto before = box.snapshot();
  const Result r = box.run("diff " + q(box, "brain-app"));
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_TRUE(r.out.starts_with("diff --git a/brain-app/app/api/brain/")) << r.out.substr(0, 200);
  EXPECT_TRUE(has(r.out, "--- a/" + kInvoices + "\n+++ b/" + kInvoices + "\n")) << r.out;
  EXPECT_FALSE(has(r.out, "a/brain-app/app/api/auth/")) << "the NextAuth route is in the diff";
  EXPECT_EQ(box.snapshot(), before) << "diff wrote to the tree";
  EXPECT_EQ(box.git_apply(r.out, "--check"), 0) << r.out;
}

TEST(CliDiff, GitApplyOfTheDiffEqualsApply) {
  Sandbox by_diff, by_apply;
  const Result d = by_diff.run("diff " + q(by_diff, "brain-app"));
  ASSERT_EQ(by_diff.git_apply(d.out), 0) << d.out;
  const Result a = by_apply.run("apply " + q(by_apply, "brain-app"));
  EXPECT_TRUE(a.status == 0 || a.status == 1) << a.status << "\n" << a.err;
  EXPECT_EQ(by_diff.snapshot(), by_apply.snapshot());
}

TEST(CliDiff, RelativePathFromTheRepositoryRoot) {
  Sandbox box;
  const Result r = box.run("diff brain-app/app/api/brain/billing");
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_TRUE(r.out.starts_with("diff --git a/" + kInvoices + " b/" + kInvoices + "\n")) << r.out;
  EXPECT_EQ(box.git_apply(r.out, "--check"), 0) << r.out;
}

TEST(CliDiff, CrlfAndBomFilesSurviveDiffAndApply) {
  const std::string pages = "brain-app/app/api/brain/wagtail/pages/route.ts";
  Sandbox by_diff, by_apply;
  for (const Sandbox* box : {&by_diff, &by_apply}) {
    std::string crlf;
    for (char c : slurp(box->root() / pages)) {
      if (c == '\n') crlf += '\r';
      crlf += c;
    }
    spit(box->root() / pages, crlf);
    spit(box->root() / kInvoices, "\xEF\xBB\xBF" + slurp(box->root() / kInvoices));
  }
  const Result d = by_diff.run("diff " + q(by_diff, "brain-app"));
  EXPECT_EQ(d.status, 1) << d.err;
  ASSERT_EQ(by_diff.git_apply(d.out), 0) << d.out;
  by_apply.run("apply " + q(by_apply, "brain-app"));
  const auto applied = by_apply.snapshot();
  EXPECT_EQ(by_diff.snapshot(), applied);

  const std::string& migrated_pages = applied.at(pages);
  EXPECT_TRUE(has(migrated_pages, "getServerSession"));
  size_t bare_lf = 0;
  for (size_t i = 0; i < migrated_pages.size(); ++i) {
    if (migrated_pages[i] == '\n' && (i == 0 || migrated_pages[i - 1] != '\r')) ++bare_lf;
  }
  EXPECT_EQ(bare_lf, 0u) << "apply wrote LF line endings into a CRLF file";

  const std::string& migrated_invoices = applied.at(kInvoices);
  EXPECT_TRUE(migrated_invoices.starts_with("\xEF\xBB\xBFimport { NextRequest, NextResponse } from \"next/server\";\n"))
      << migrated_invoices.substr(0, 80);
  EXPECT_EQ(migrated_invoices.find("\xEF\xBB\xBF", 1), std::string::npos) << "a second BOM";
  EXPECT_TRUE(has(migrated_invoices, "getServerSession"));
}

// ---- apply, check ---------------------------------------------------------------------------------

TEST(CliApply, ThenCheckHasNoSessionImportAndApplyIsIdempotent) {
  Sandbox box;
  const auto original = box.snapshot();
  const Result first = box.run("apply " + q(box, "brain-app"));
  EXPECT_TRUE(first.status == 0 || first.status == 1) << first.status << "\n" << first.err;
  const auto applied = box.snapshot();
  EXPECT_NE(applied, original) << "apply changed nothing";
  EXPECT_EQ(applied.at(kNextAuth), original.at(kNextAuth));
  EXPECT_TRUE(has(applied.at(kInvoices), "getServerSession")) << applied.at(kInvoices);

  const Result check = box.run("check " + q(box, "brain-app"));
  EXPECT_FALSE(has(check.out, "[session-import]")) << check.out;
  EXPECT_NE(check.status, 3) << check.err;

  const Result second = box.run("apply " + q(box, "brain-app"));
  EXPECT_EQ(second.status, first.status) << second.err;
  EXPECT_EQ(box.snapshot(), applied) << "a second apply changed bytes";

  const Result diff = box.run("diff " + q(box, "brain-app"));
  EXPECT_EQ(diff.status, 0) << diff.err;
  EXPECT_EQ(diff.out, "");
}

TEST(CliCheck, FindingsAreOneLineEachAndChangeNothing) {
  Sandbox box;
  const auto before = box.snapshot();
  const Result r = box.run("check " + q(box, "brain-app"));
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(box.snapshot(), before);
  static const std::regex line(R"(^[^:]+:[0-9]+:[0-9]+: (error|warning|note): .+ \[[a-z]+(-[a-z]+)*\]$)");
  const auto lines = lines_of(r.out);
  ASSERT_FALSE(lines.empty());
  for (const auto& l : lines) EXPECT_TRUE(std::regex_match(l, line)) << l;
  EXPECT_TRUE(has(r.out, kInvoices + ":5:23: error: ")) << r.out;
  EXPECT_TRUE(has(r.out, "[session-import]")) << r.out;
  EXPECT_FALSE(has(r.out, "brain-app/app/api/auth/")) << r.out;
  EXPECT_TRUE(has(r.err, "routeauth: 7 files seen")) << r.err;
}

TEST(CliCheck, QuietHasNoSummary) {
  Sandbox box;
  const Result r = box.run("check -q " + q(box, "brain-app"));
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "");
}

// ---- files that do not parse ------------------------------------------------------------------------

TEST(CliParseError, CheckReportsPathLineColumnAndExits3) {
  Sandbox box;
  spit(box.root() / kBroken, kBrokenText);
  const Result r = box.run("check " + q(box, kBroken));
  EXPECT_EQ(r.status, 3) << r.err;
  // 2:11 is where tree-sitter's ERROR node starts: the `=` whose right-hand side is missing.
  const auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 1u) << r.out;
  EXPECT_TRUE(lines[0].starts_with(kBroken + ":2:11: error: file does not parse")) << lines[0];
  EXPECT_TRUE(lines[0].ends_with("; nothing was changed [parse-error]")) << lines[0];
  EXPECT_EQ(slurp(box.root() / kBroken), kBrokenText);
}

TEST(CliParseError, ApplyAndDiffLeaveTheFileAlone) {
  Sandbox box;
  spit(box.root() / kBroken, kBrokenText);
  const Result apply = box.run("apply " + q(box, kBroken));
  EXPECT_EQ(apply.status, 3);
  EXPECT_TRUE(has(apply.err, kBroken + ":2:11: error: file does not parse")) << apply.err;
  EXPECT_EQ(slurp(box.root() / kBroken), kBrokenText);
  const Result diff = box.run("diff " + q(box, kBroken));
  EXPECT_EQ(diff.status, 3);
  EXPECT_EQ(diff.out, "");
  EXPECT_EQ(slurp(box.root() / kBroken), kBrokenText);
}

TEST(CliParseError, DoesNotHideOtherFilesFindings) {
  Sandbox box;
  spit(box.root() / kBroken, kBrokenText);
  const Result check = box.run("check " + q(box, "brain-app"));
  EXPECT_EQ(check.status, 3);
  EXPECT_TRUE(has(check.out, "[parse-error]")) << check.out;
  EXPECT_TRUE(has(check.out, kInvoices + ":5:23: error: ")) << check.out;
  EXPECT_TRUE(has(check.out, "[session-import]")) << check.out;

  const auto before = box.snapshot();
  const Result apply = box.run("apply " + q(box, "brain-app"));
  EXPECT_EQ(apply.status, 3);
  const auto after = box.snapshot();
  EXPECT_EQ(after.at(kBroken), kBrokenText);
  EXPECT_NE(after.at(kInvoices), before.at(kInvoices)) << "the good files were not migrated";
}

// ---- what is looked at -------------------------------------------------------------------------------

TEST(CliPaths, MissingPathExits2AndNamesIt) {
  Sandbox box;
  const std::string missing = box.path("brain-app/app/api/nope");
  const Result r = box.run("check " + quote(missing));
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(has(r.err, missing + ": no such file or directory")) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(CliPaths, MissingPathStopsApplyBeforeAnyWrite) {
  Sandbox box;
  const auto before = box.snapshot();
  const Result r = box.run("apply " + q(box, "brain-app") + " " + q(box, "nope"));
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(has(r.err, box.path("nope") + ": no such file or directory")) << r.err;
  EXPECT_EQ(box.snapshot(), before);
}

TEST(CliPaths, ExplicitNonRouteFileIsIgnored) {
  Sandbox box;
  const std::string helper = "brain-app/lib/route.ts";  // named like a route, but not under app/
  spit(box.root() / helper, slurp(box.root() / kInvoices));
  const auto before = box.snapshot();
  for (const std::string& file : {std::string("brain-app/next.config.js"), helper}) {
    const Result check = box.run("check " + q(box, file));
    EXPECT_EQ(check.status, 0) << file << "\n" << check.err;
    EXPECT_EQ(check.out, "") << file;
    const Result apply = box.run("apply " + q(box, file));
    EXPECT_EQ(apply.status, 0) << file << "\n" << apply.err;
  }
  EXPECT_EQ(box.snapshot(), before);
}

TEST(CliPaths, NodeModulesAndNextAreSkipped) {
  Sandbox box;
  const std::string unmigrated = slurp(box.root() / kInvoices);
  const std::string in_modules = "brain-app/node_modules/some-pkg/app/api/x/route.ts";
  const std::string in_next = "brain-app/.next/server/app/api/y/route.ts";
  spit(box.root() / in_modules, unmigrated);
  spit(box.root() / in_next, unmigrated);
  const Result check = box.run("check " + q(box, "brain-app"));
  EXPECT_FALSE(has(check.out, "node_modules")) << check.out;
  EXPECT_FALSE(has(check.out, ".next/")) << check.out;
  EXPECT_TRUE(has(check.err, "routeauth: 7 files seen")) << check.err;
  box.run("apply " + q(box, "brain-app"));
  EXPECT_EQ(slurp(box.root() / in_modules), unmigrated);
  EXPECT_EQ(slurp(box.root() / in_next), unmigrated);
  EXPECT_NE(slurp(box.root() / kInvoices), unmigrated);
}

TEST(CliPaths, NextAuthRouteIsNeverTouched) {
  Sandbox box;
  const std::string original = slurp(box.root() / kNextAuth);
  const Result check = box.run("check " + q(box, kNextAuth));
  EXPECT_EQ(check.status, 0) << check.err;
  EXPECT_EQ(check.out, "");
  const Result diff = box.run("diff " + q(box, kNextAuth));
  EXPECT_EQ(diff.status, 0);
  EXPECT_EQ(diff.out, "");
  box.run("apply " + q(box, kNextAuth));
  box.run("apply " + q(box, "brain-app"));
  box.run("apply " + q(box, "brain-app/app/api/auth"));
  EXPECT_EQ(slurp(box.root() / kNextAuth), original);
}

}  // namespace
