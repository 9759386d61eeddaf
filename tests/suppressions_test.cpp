// routeauth-ignore comments: reading one comment, finding them in the tree (never in strings),
// what they silence in check and apply, and the findings about the comments themselves. The
// golden side is fixtures/migration/suppress-*.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "cli_support.h"
#include "engine/suppressions.h"
#include "engine/syntax.h"
#include "test_support.h"

using namespace routeauth;
namespace rt = routeauth::testing;
using engine::parse_suppression;
using engine::Suppression;

namespace {

// ---- one comment --------------------------------------------------------------------------------

TEST(ParseSuppression, OneRuleAndAReason) {
  const auto s = parse_suppression("// routeauth-ignore: no-store the backend caches it on purpose");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->rules, std::vector<std::string>{"no-store"});
  EXPECT_FALSE(s->all);
  EXPECT_EQ(s->reason, "the backend caches it on purpose");
  EXPECT_TRUE(s->valid());
  EXPECT_TRUE(s->covers("no-store"));
  EXPECT_FALSE(s->covers("tenant-param"));
}

TEST(ParseSuppression, SeveralRulesWithOrWithoutSpaces) {
  const auto s = parse_suppression("//routeauth-ignore:no-store,tenant-param ,  auth-header public, and global");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->rules, (std::vector<std::string>{"no-store", "tenant-param", "auth-header"}));
  EXPECT_EQ(s->reason, "public, and global");
  EXPECT_TRUE(s->valid());
  EXPECT_TRUE(s->covers("auth-header"));
  EXPECT_FALSE(s->covers("session-call"));
}

TEST(ParseSuppression, AllCoversEveryRule) {
  const auto s = parse_suppression("// routeauth-ignore: all health probe, deliberately unauthenticated");
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->all);
  EXPECT_EQ(s->reason, "health probe, deliberately unauthenticated");
  for (const auto& rule : engine::rules()) EXPECT_TRUE(s->covers(rule->id())) << rule->id();
}

TEST(ParseSuppression, MissingReasonIsAProblemAndCoversNothing) {
  const auto s = parse_suppression("// routeauth-ignore: no-store   ");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->rules, std::vector<std::string>{"no-store"});
  EXPECT_EQ(s->reason, "");
  EXPECT_EQ(s->problems, std::vector<std::string>{
                             "routeauth-ignore gives no reason, so it suppresses nothing; say after the rule ids why "
                             "the finding does not apply here"});
  EXPECT_FALSE(s->covers("no-store"));
}

TEST(ParseSuppression, UnknownRuleIsAProblemNamingIt) {
  const auto s = parse_suppression("// routeauth-ignore: no-store, nostore typo");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->problems, std::vector<std::string>{
                             "routeauth-ignore names 'nostore', which is no rule, so it suppresses nothing; routeauth "
                             "--list-rules lists the ids, and all silences every rule"});
  EXPECT_FALSE(s->covers("no-store"));
}

TEST(ParseSuppression, NoRuleNoColonOrADanglingComma) {
  const auto none = parse_suppression("// routeauth-ignore:");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->problems.size(), 2u);  // no rule, no reason
  EXPECT_TRUE(none->problems[0].starts_with("routeauth-ignore names no rule")) << none->problems[0];

  const auto colon = parse_suppression("// routeauth-ignore no-store because");
  ASSERT_TRUE(colon);
  EXPECT_EQ(colon->problems, std::vector<std::string>{
                                 "routeauth-ignore without ':' suppresses nothing; write `routeauth-ignore: "
                                 "<rule-id> <reason>`"});

  const auto comma = parse_suppression("// routeauth-ignore: no-store,");
  ASSERT_TRUE(comma);
  ASSERT_FALSE(comma->problems.empty());
  EXPECT_TRUE(comma->problems[0].starts_with("routeauth-ignore has a ','")) << comma->problems[0];
}

TEST(ParseSuppression, BlockAndJsdocComments) {
  const auto block = parse_suppression("/* routeauth-ignore: tenant-param one tenant only */");
  ASSERT_TRUE(block);
  EXPECT_EQ(block->rules, std::vector<std::string>{"tenant-param"});
  EXPECT_EQ(block->reason, "one tenant only");
  EXPECT_TRUE(block->valid());

  const auto doc = parse_suppression("/**\n * routeauth-ignore: all the health probe\n * runs before login\n */");
  ASSERT_TRUE(doc);
  EXPECT_TRUE(doc->all);
  EXPECT_EQ(doc->reason, "the health probe runs before login");

  const auto crlf = parse_suppression("// routeauth-ignore: no-store cached\r");
  ASSERT_TRUE(crlf);
  EXPECT_EQ(crlf->reason, "cached");
}

TEST(ParseSuppression, OtherCommentsAreNotSuppressions) {
  EXPECT_FALSE(parse_suppression("// a plain comment"));
  EXPECT_FALSE(parse_suppression("// see routeauth-ignore: no-store in the README"));
  EXPECT_FALSE(parse_suppression("// routeauth-ignored: no-store because"));
  EXPECT_FALSE(parse_suppression("/* eslint-disable */"));
}

// ---- comments in a file ------------------------------------------------------------------------

std::vector<Suppression> read(const std::string& name, const std::string& text) {
  engine::Parser parser;
  const engine::SourceFile file(name, text);
  const engine::Tree tree = parser.parse(file);
  return engine::Suppressions::read(file, tree.root()).comments();
}

TEST(ReadSuppressions, OnlyCommentNodesNeverStrings) {
  const std::string text =
      "const a = '// routeauth-ignore: all in a string'\n"
      "const b = `\n// routeauth-ignore: all in a template\n`\n"
      "const c = \"/* routeauth-ignore: all */\"\n"
      "// routeauth-ignore: no-store a real one\n"
      "const d = 1 /* routeauth-ignore: all trailing */\n";
  const auto found = read("route.ts", text);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].offset, text.find("// routeauth-ignore: no-store"));
  EXPECT_EQ(found[0].rules, std::vector<std::string>{"no-store"});
  EXPECT_EQ(found[1].offset, text.find("/* routeauth-ignore: all trailing"));
}

TEST(ReadSuppressions, JsxCommentsInTsx) {
  const std::string text = "export const X = () => <div>{/* routeauth-ignore: all jsx */}</div>\n";
  const auto found = read("route.tsx", text);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_TRUE(found[0].all);
}

// ---- what they silence ---------------------------------------------------------------------------

const std::string kHead =
    "import { NextRequest, NextResponse } from 'next/server'\n"
    "import { getServerSession } from 'next-auth'\n"
    "import { authOptions } from '@/app/api/auth/[...nextauth]/route'\n"
    "\n"
    "const BRAIN_API_URL = process.env.BRAIN_API_URL\n"
    "\n";

// A GET migrated but for `cache: 'no-store'`, with `comment` right above its fetch's statement.
std::string get_without_no_store(const std::string& comment) {
  return kHead +
         "export async function GET(request: NextRequest) {\n"
         "  const session = await getServerSession(authOptions)\n"
         "  const url = new URL(`${BRAIN_API_URL}/api/plans/`)\n"
         "  if (session?.user?.tenant_id) {\n"
         "    url.searchParams.set('tenant_id', session.user.tenant_id)\n"
         "  }\n"
         "  const headers: HeadersInit = { 'Content-Type': 'application/json' }\n"
         "  if (session?.access_token) {\n"
         "    headers['Authorization'] = `Bearer ${session.access_token}`\n"
         "  } else if (request.headers.get('authorization')) {\n"
         "    headers['Authorization'] = request.headers.get('authorization')!\n"
         "  }\n" +
         comment +
         "  const response = await fetch(url, { headers })\n"
         "  return NextResponse.json(await response.json())\n"
         "}\n";
}

std::vector<std::string> rules_of(const std::vector<engine::Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(f.rule);
  return out;
}

TEST(Suppress, AboveTheFetchSilencesItsFindingAndKeepsItForReport) {
  const std::string text = get_without_no_store("  // routeauth-ignore: no-store the plans are cached upstream\n");
  const auto checked = rt::check("route.ts", text);
  EXPECT_TRUE(checked.findings.empty()) << rt::findings_text(checked);
  EXPECT_EQ(checked.status, engine::Status::clean);
  ASSERT_EQ(checked.suppressed.size(), 1u);
  EXPECT_EQ(checked.suppressed[0].finding.rule, "no-store");
  EXPECT_EQ(checked.suppressed[0].finding.offset, text.find("fetch(url"));
  EXPECT_EQ(checked.suppressed[0].comment, text.find("// routeauth-ignore"));
  EXPECT_EQ(checked.suppressed[0].reason, "the plans are cached upstream");

  const auto fixed = rt::fix("route.ts", text);
  EXPECT_EQ(fixed.result, text);
  EXPECT_FALSE(fixed.changed());
}

TEST(Suppress, AnotherRuleOrAnInvalidCommentSilencesNothing) {
  const std::string other = get_without_no_store("  // routeauth-ignore: tenant-param the plans are global\n");
  EXPECT_EQ(rules_of(rt::check("route.ts", other).findings),
            (std::vector<std::string>{"unused-suppression", "no-store"}));

  const std::string no_reason = get_without_no_store("  // routeauth-ignore: no-store\n");
  const auto checked = rt::check("route.ts", no_reason);
  EXPECT_EQ(rules_of(checked.findings), (std::vector<std::string>{"suppression", "no-store"}));
  EXPECT_TRUE(checked.suppressed.empty());
  EXPECT_NE(rt::fix("route.ts", no_reason).result.find("cache: 'no-store'"), std::string::npos);
}

TEST(Suppress, OnlyDirectlyAboveAStatementOnItsOwnLine) {
  // Other comments may sit between; a blank line may not; a comment after code is no suppression
  // of the next line.
  EXPECT_TRUE(rt::check("route.ts", get_without_no_store("  // routeauth-ignore: no-store cached upstream\n"
                                                               "  // (see the CDN config)\n"))
                  .findings.empty());
  const auto blank = rt::check("route.ts", get_without_no_store("  // routeauth-ignore: no-store cached upstream\n\n"));
  EXPECT_EQ(rules_of(blank.findings), (std::vector<std::string>{"unused-suppression", "no-store"}));
  EXPECT_TRUE(blank.findings[0].message.starts_with("routeauth-ignore is not on the line directly above a statement"))
      << blank.findings[0].message;
  const auto trailing =
      rt::check("route.ts", get_without_no_store("  void 0 // routeauth-ignore: no-store cached upstream\n"));
  EXPECT_EQ(rules_of(trailing.findings), (std::vector<std::string>{"unused-suppression", "no-store"}));
}

TEST(Suppress, ANamedRuleTurnedOffIsNotUnused) {
  const std::string text = get_without_no_store("  // routeauth-ignore: no-store cached upstream\n");
  engine::Config config;
  config.disabled_rules.emplace("no-store");
  const auto checked = rt::check("route.ts", text, config);
  EXPECT_TRUE(checked.findings.empty()) << rt::findings_text(checked);
  EXPECT_TRUE(checked.suppressed.empty());
}

const std::string kTwoHandlers =
    "import { NextRequest, NextResponse } from 'next/server'\n"
    "\n"
    "const BRAIN_API_URL = process.env.BRAIN_API_URL\n"
    "\n"
    "COMMENT"
    "export async function GET() {\n"
    "  const response = await fetch(`${BRAIN_API_URL}/health/`)\n"
    "  return NextResponse.json(await response.json())\n"
    "}\n"
    "MUTATION";

const std::string kPost =
    "\n"
    "export async function POST(request: NextRequest) {\n"
    "  const response = await fetch(`${BRAIN_API_URL}/api/events/`, { method: 'POST', body: await request.text() })\n"
    "  return NextResponse.json(await response.json())\n"
    "}\n";

std::string two_handlers(const std::string& comment, bool with_post) {
  std::string text = kTwoHandlers;
  text.replace(text.find("COMMENT"), 7, comment);
  text.replace(text.find("MUTATION"), 8, with_post ? kPost : "");
  return text;
}

TEST(Suppress, AllAboveTheOnlyHandlerAddsNoImports) {
  const std::string text = two_handlers("// routeauth-ignore: all the health probe runs before login\n", false);
  const auto checked = rt::check("route.ts", text);
  EXPECT_TRUE(checked.findings.empty()) << rt::findings_text(checked);
  // session-import (pointing at GET, about the file), session-call, tenant-param, auth-header, no-store
  EXPECT_EQ(checked.suppressed.size(), 5u);
  EXPECT_EQ(rt::fix("route.ts", text).result, text);
}

TEST(Suppress, TheImportsStayWhenAnotherHandlerNeedsThem) {
  const std::string text = two_handlers("// routeauth-ignore: all the health probe runs before login\n", true);
  const auto checked = rt::check("route.ts", text);
  EXPECT_EQ(rules_of(checked.findings), (std::vector<std::string>{"session-import", "session-call", "auth-header"}));
  const auto fixed = rt::fix("route.ts", text);
  ASSERT_EQ(fixed.status, engine::Status::findings) << fixed.error;
  EXPECT_NE(fixed.result.find("import { getServerSession } from 'next-auth'"), std::string::npos);
  // GET is as it was.
  const std::string get = "export async function GET() {\n  const response = await fetch(`${BRAIN_API_URL}/health/`)\n";
  EXPECT_NE(fixed.result.find("// routeauth-ignore: all the health probe runs before login\n" + get), std::string::npos)
      << fixed.result;
}

TEST(Suppress, SessionCallSilencedLeavesTheSessionReadersForAPerson) {
  const std::string text =
      two_handlers("// routeauth-ignore: session-call, session-import the token comes from a cookie here\n", false);
  const auto checked = rt::check("route.ts", text);
  EXPECT_EQ(rules_of(checked.findings), (std::vector<std::string>{"tenant-param", "auth-header", "no-store"}));
  EXPECT_FALSE(checked.findings[0].fixable());
  EXPECT_FALSE(checked.findings[1].fixable());
  EXPECT_TRUE(checked.findings[2].fixable());
  ASSERT_EQ(checked.findings[1].notes.size(), 1u);
  EXPECT_EQ(checked.findings[1].notes[0],
            "fix not applied: GET's session-call finding is suppressed, so it reads no session to take the bearer "
            "token from; read the session by hand, or suppress auth-header here too");
  const auto fixed = rt::fix("route.ts", text);
  EXPECT_EQ(fixed.result.find("getServerSession"), std::string::npos) << fixed.result;
  EXPECT_EQ(fixed.result.find("session?."), std::string::npos) << fixed.result;
  EXPECT_NE(fixed.result.find("cache: 'no-store'"), std::string::npos);
}

TEST(Suppress, HoldsInEveryPassWhileCodeLandsBetweenCommentAndFetch) {
  // auth-header inserts the guide's headers block right above the fetch's statement, i.e. between
  // the comment and the statement; no-store must stay silenced in the passes after that.
  const std::string text =
      "import { NextRequest, NextResponse } from 'next/server'\n"
      "\n"
      "const BRAIN_API_URL = process.env.BRAIN_API_URL\n"
      "\n"
      "export async function GET(request: NextRequest) {\n"
      "  // routeauth-ignore: no-store the report is cached for an hour on purpose\n"
      "  const response = await fetch(`${BRAIN_API_URL}/api/report/`, { headers: { Accept: 'text/csv' } })\n"
      "  return new NextResponse(await response.text())\n"
      "}\n";
  const auto fixed = rt::fix("route.ts", text);
  ASSERT_EQ(fixed.status, engine::Status::findings) << fixed.error;
  EXPECT_NE(fixed.result.find("headers['Authorization']"), std::string::npos) << fixed.result;
  EXPECT_EQ(fixed.result.find("no-store'"), std::string::npos) << fixed.result;
  // ... and it went in above the comment, which stays right above its fetch.
  EXPECT_NE(fixed.result.find("  }\n\n  // routeauth-ignore: no-store the report is cached for an hour on purpose\n"
                              "  const response = await fetch("),
            std::string::npos)
      << fixed.result;
  EXPECT_TRUE(rt::check("route.ts", fixed.result).findings.empty())
      << rt::findings_text(rt::check("route.ts", fixed.result));
}

TEST(Suppress, AboveAnExportClauseOrItsFunction) {
  const std::string body =
      "async function handler() {\n"
      "  const response = await fetch(`${BRAIN_API_URL}/health/`)\n"
      "  return NextResponse.json(await response.json())\n"
      "}\n";
  const std::string head = "import { NextResponse } from 'next/server'\nconst BRAIN_API_URL = process.env.BRAIN_API_URL\n";
  const std::string comment = "// routeauth-ignore: all the health probe runs before login\n";
  for (const std::string& text : {head + comment + body + "export { handler as GET }\n",
                                  head + body + comment + "export { handler as GET }\n"}) {
    const auto checked = rt::check("route.ts", text);
    EXPECT_TRUE(checked.findings.empty()) << text << rt::findings_text(checked);
    EXPECT_FALSE(checked.suppressed.empty());
  }
}

TEST(Suppress, TheInnermostSuppressionIsTheOneUsed) {
  // The fetch's own suppression takes its no-store finding; the handler's, naming only no-store,
  // then silences nothing and is reported.
  const std::string text = get_without_no_store("  // routeauth-ignore: no-store cached upstream\n");
  const std::string outer = "// routeauth-ignore: no-store the whole handler is cacheable\n";
  std::string both = text;
  both.insert(both.find("export async function GET"), outer);
  const auto checked = rt::check("route.ts", both);
  EXPECT_EQ(rules_of(checked.findings), std::vector<std::string>{"unused-suppression"});
  EXPECT_EQ(checked.findings[0].offset, both.find(outer));
  ASSERT_EQ(checked.suppressed.size(), 1u);
  EXPECT_EQ(checked.suppressed[0].reason, "cached upstream");
}

TEST(Suppress, ABackendFetchOutsideAHandler) {
  const std::string text =
      "const BRAIN_API_URL = process.env.BRAIN_API_URL\n"
      "// routeauth-ignore: manual-review warms the cache at build time, for no user\n"
      "const warm = fetch(`${BRAIN_API_URL}/api/warm/`)\n";
  const auto checked = rt::check("route.ts", text);
  EXPECT_TRUE(checked.findings.empty()) << rt::findings_text(checked);
  ASSERT_EQ(checked.suppressed.size(), 1u);
  EXPECT_EQ(checked.suppressed[0].finding.rule, "manual-review");
}

TEST(Suppress, UnusedSuppressionCanBeTurnedOffTheMalformedOneCannot) {
  EXPECT_TRUE(engine::can_be_disabled("unused-suppression"));
  EXPECT_TRUE(engine::can_be_disabled("no-store"));
  EXPECT_FALSE(engine::can_be_disabled("suppression"));
  EXPECT_FALSE(engine::can_be_disabled("no-such-rule"));

  const std::string text = get_without_no_store("  // routeauth-ignore: tenant-param the plans are global\n");
  engine::Config config;
  config.disabled_rules.emplace("unused-suppression");
  EXPECT_EQ(rules_of(rt::check("route.ts", text, config).findings), std::vector<std::string>{"no-store"});
}

// ---- through the binary: check's switches and report ---------------------------------------------

namespace cli = routeauth::testing::cli;

TEST(SuppressCli, DisableUnusedSuppressionByFlagAndByConfig) {
  const cli::Sandbox box;
  cli::spit(box.root() / "app/api/plans/route.ts",
            get_without_no_store("  // routeauth-ignore: no-store, tenant-param cached upstream\n"));
  // no-store is silenced, so the comment is used; naming tenant-param as well is harmless.
  EXPECT_EQ(box.run("check app").status, 0);

  cli::spit(box.root() / "app/api/plans/route.ts",
            get_without_no_store("  // routeauth-ignore: tenant-param the plans are global\n"));
  const cli::Result reported = box.run("check app");
  EXPECT_EQ(reported.status, 1);
  EXPECT_TRUE(cli::has(reported.out, "unused-suppression")) << reported.out;

  const cli::Result flag = box.run("check --disable unused-suppression app");
  EXPECT_EQ(flag.status, 1);  // no-store is still there
  EXPECT_FALSE(cli::has(flag.out, "unused-suppression")) << flag.out;
  EXPECT_TRUE(cli::has(flag.out, "no-store")) << flag.out;

  cli::spit(box.root() / "routeauth.json", R"({ "rules": { "unused-suppression": false } })");
  const cli::Result config = box.run("check app");
  EXPECT_FALSE(cli::has(config.out, "unused-suppression")) << config.out << config.err;
  EXPECT_TRUE(cli::has(config.out, "no-store")) << config.out;

  const cli::Result malformed = box.run("check --disable suppression app");
  EXPECT_EQ(malformed.status, 2);
  EXPECT_TRUE(cli::has(malformed.err, "unknown rule 'suppression'")) << malformed.err;
}

TEST(SuppressCli, ListRulesNamesTheCommentIds) {
  const cli::Result r = cli::Sandbox::run_in(std::filesystem::temp_directory_path(), "--list-rules");
  EXPECT_TRUE(cli::has(r.out, "\nsuppression ")) << r.out;
  EXPECT_TRUE(cli::has(r.out, "\nunused-suppression ")) << r.out;
}

TEST(SuppressCli, ReportListsWhatIsSilencedWithLineAndReason) {
  const cli::Sandbox box;
  const std::string probe = two_handlers("// routeauth-ignore: all the health probe runs before login\n", false);
  cli::spit(box.root() / "app/api/health/route.ts", probe);
  cli::spit(box.root() / "app/api/plans/route.ts",
            get_without_no_store("  // routeauth-ignore: no-store the plans are cached upstream\n"));
  const std::string plans = cli::slurp(box.root() / "app/api/plans/route.ts");
  const auto line_of = [](const std::string& text, const std::string& what) {
    return std::to_string(1 + std::count(text.begin(), text.begin() + static_cast<long>(text.find(what)), '\n'));
  };
  const std::string fetch_line = line_of(plans, "fetch(url");
  const std::string get_line = line_of(probe, "GET");

  const cli::Result table = box.run("report app");
  EXPECT_EQ(table.status, 0) << table.out << table.err;
  EXPECT_TRUE(cli::has(table.out, "app/api/plans/route.ts:" + fetch_line + "  no-store  the plans are cached upstream\n"))
      << table.out;
  EXPECT_TRUE(cli::has(table.out, "app/api/health/route.ts:" + get_line + "  session-call  the health probe runs before login\n"))
      << table.out;

  const cli::Result markdown = box.run("report --format markdown app");
  EXPECT_TRUE(cli::has(markdown.out, "- [x] `/app/api/plans/route.ts`\n"
                                     "  - suppressed `no-store` at line " + fetch_line + ": the plans are cached upstream\n"))
      << markdown.out;

  const cli::Result json = box.run("report --format json app");
  const auto doc = nlohmann::json::parse(json.out);
  ASSERT_EQ(doc["routes"].size(), 2u);
  const auto& health = doc["routes"][0];
  EXPECT_EQ(health["path"], "app/api/health/route.ts");
  EXPECT_EQ(health["status"], "migrated");
  EXPECT_EQ(health["handlers"][0]["reads_session"], false);  // its session-call is silenced
  std::vector<std::string> rules;
  for (const auto& s : health["suppressed"]) {
    rules.push_back(s["rule"]);
    EXPECT_EQ(s["reason"], "the health probe runs before login");
  }
  EXPECT_EQ(rules, (std::vector<std::string>{"session-import", "session-call", "tenant-param", "auth-header", "no-store"}))
      << json.out;
  const auto& plan = doc["routes"][1];
  EXPECT_EQ(plan["status"], "migrated");
  ASSERT_EQ(plan["suppressed"].size(), 1u);
  EXPECT_EQ(plan["suppressed"][0]["line"], std::stoi(fetch_line));
  EXPECT_EQ(doc["totals"]["suppressed"], 6);
}

}  // namespace
