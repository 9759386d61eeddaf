// EditSet: which fixes one pass of apply takes together, and what the pipeline pays for a file.
#include <gtest/gtest.h>

#include "engine/edits.h"
#include "test_support.h"

namespace routeauth {
namespace {

using engine::Edit;
using engine::EditSet;
using engine::Finding;

Finding finding(std::string rule, std::vector<Edit> fix) {
  Finding f;
  f.rule = std::move(rule);
  f.fix = std::move(fix);
  return f;
}

Edit lines(uint32_t offset, std::string text) { return Edit{offset, 0, std::move(text), true}; }

const std::string kText = "function GET() {\n  const r = fetch(url)\n  return r\n}\n";
constexpr uint32_t kFetchLine = 17;  // start of "  const r = ..."

TEST(EditSet, JoinsWholeLinesOfRulesInTheOrderTaken) {
  EditSet edits("route.ts");
  Finding session = finding("session-call", {lines(kFetchLine, "  const session = s()\n")});
  Finding tenant = finding("tenant-param", {lines(kFetchLine, "  params.set(t)\n")});
  Finding header = finding("auth-header", {lines(kFetchLine, "  const headers = {}\n")});
  ASSERT_TRUE(edits.take(session));
  ASSERT_TRUE(edits.take(tenant));
  ASSERT_TRUE(edits.take(header));
  EXPECT_EQ(edits.size(), 1u);
  EXPECT_EQ(edits.apply(kText),
            "function GET() {\n  const session = s()\n  params.set(t)\n  const headers = {}\n  const r = fetch(url)\n"
            "  return r\n}\n");
  EXPECT_TRUE(header.notes.empty());
}

TEST(EditSet, TwoInsertionsOfOneRuleAtOnePlaceWaitForTheNextPass) {
  EditSet edits("route.ts");
  Finding first = finding("auth-header", {lines(kFetchLine, "  const headers = {}\n")});
  Finding second = finding("auth-header", {lines(kFetchLine, "  const headers2 = {}\n")});
  ASSERT_TRUE(edits.take(first));
  EXPECT_FALSE(edits.take(second));
  ASSERT_EQ(second.notes.size(), 1u);
  EXPECT_NE(second.notes[0].find("run again"), std::string::npos);
  EXPECT_EQ(edits.apply(kText).find("headers2"), std::string::npos);
}

TEST(EditSet, InsertionsInsideALineAreNotJoined) {
  // Two rules each adding an options object after the URL must become one object: the second
  // waits for the next pass, which sees the first.
  EditSet edits("route.ts");
  const uint32_t after_url = static_cast<uint32_t>(kText.find("url)") + 3);
  Finding header = finding("auth-header", {Edit{after_url, 0, ", { headers }"}});
  Finding store = finding("no-store", {Edit{after_url, 0, ", { cache: 'no-store' }"}});
  ASSERT_TRUE(edits.take(header));
  EXPECT_FALSE(edits.take(store));
  EXPECT_EQ(edits.apply(kText).find("no-store"), std::string::npos);
  // Whole lines are not joined to an insertion inside a line either.
  Finding lines_there = finding("session-call", {lines(after_url, "x\n")});
  EXPECT_FALSE(edits.take(lines_there));
}

TEST(EditSet, AFixIsTakenWholeOrNotAtAll) {
  EditSet edits("route.ts");
  const auto url = static_cast<uint32_t>(kText.find("url"));
  Finding rename = finding("tenant-param", {Edit{url, 3, "u2"}});
  ASSERT_TRUE(edits.take(rename));
  Finding both = finding("auth-header", {lines(kFetchLine, "  const headers = {}\n"), Edit{url + 1, 1, "x"}});
  EXPECT_FALSE(edits.take(both));
  EXPECT_EQ(edits.size(), 1u);
  EXPECT_EQ(edits.apply(kText), "function GET() {\n  const r = fetch(u2)\n  return r\n}\n");
}

TEST(EditSet, AnEditTwoFindingsNeedIsTakenOnce) {
  EditSet edits("route.ts");
  Finding a = finding("session-import", {lines(0, "import x from 'y'\n")});
  Finding b = finding("session-import", {lines(0, "import x from 'y'\n")});
  ASSERT_TRUE(edits.take(a));
  ASSERT_TRUE(edits.take(b));
  EXPECT_EQ(edits.apply(kText), "import x from 'y'\n" + kText);
}

// The guide's GET before the migration: every rule's fix lands in one pass, and the rules run
// twice (the original and the output; no third run to verify without routeauth-ignore comments).
const std::string kGuideGet = R"(import { NextRequest, NextResponse } from 'next/server'

const BRAIN_API_URL = process.env.BRAIN_API_URL || 'http://localhost:8000'

export async function GET(request: NextRequest) {
  try {
    const { searchParams } = new URL(request.url)
    const params = new URLSearchParams()
    const period = searchParams.get('period')
    if (period) params.set('period', period)
    let url = `${BRAIN_API_URL}/api/analytics/summary/`
    url += `?${params.toString()}`
    const response = await fetch(url, {
      headers: { 'Content-Type': 'application/json' },
    })
    return NextResponse.json(await response.json())
  } catch (error) {
    return NextResponse.json({ error: 'failed' }, { status: 500 })
  }
}
)";

TEST(Pipeline, TheGuidesGetIsFixedInOnePass) {
  const engine::Outcome out = testing::fix("route.ts", kGuideGet);
  ASSERT_EQ(out.status, engine::Status::findings) << out.error;
  ASSERT_TRUE(out.changed());
  EXPECT_NE(out.result.find("getServerSession(authOptions)"), std::string::npos);
  EXPECT_NE(out.result.find("params.set('tenant_id'"), std::string::npos);
  EXPECT_NE(out.result.find("Bearer ${session.access_token}"), std::string::npos);
  EXPECT_EQ(out.passes, 1);
  EXPECT_EQ(out.rule_runs, 2);
  EXPECT_EQ(testing::check("route.ts", kGuideGet).rule_runs, 1);
}

TEST(Pipeline, OutputWithRouteauthIgnoreIsVerifiedByAFreshRun) {
  std::string text = kGuideGet;
  text.insert(text.find("export async"), "// routeauth-ignore: no-store the backend sets its own cache headers\n");
  const engine::Outcome out = testing::fix("route.ts", text);
  ASSERT_TRUE(out.changed()) << out.error;
  EXPECT_NE(out.result.find("Bearer ${session.access_token}"), std::string::npos);
  EXPECT_EQ(out.result.find("cache: 'no-store'"), std::string::npos);
  EXPECT_EQ(out.rule_runs, out.passes + 2);
}

}  // namespace
}  // namespace routeauth
