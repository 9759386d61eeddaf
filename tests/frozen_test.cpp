// A finding that asks a person freezes what it is about (issue 18 point 1), through the real
// binary: the fetch a manual-review finding points at is byte for byte what it was after apply,
// however many passes the other fixes take, and the fixes that would change it are reported as
// waiting for that decision.
#include <gtest/gtest.h>

#include "cli_support.h"

namespace {

using namespace routeauth::testing::cli;

// The login shape: the first backend call gets the header fix in pass 1; in pass 2 the second
// call, which sends the login answer's token, must still be left to a person.
const char* kLogin =
    "import { NextRequest, NextResponse } from \"next/server\"\n"
    "\n"
    "export async function POST(request: NextRequest) {\n"
    "  const body = await request.json()\n"
    "  const response = await fetch(`${process.env.API_URL}/login/`, {\n"
    "    method: \"POST\",\n"
    "    headers: { \"Content-Type\": \"application/json\" },\n"
    "    body: JSON.stringify(body),\n"
    "  })\n"
    "  const data = await response.json()\n"
    "  const r = await fetch(`${process.env.API_URL}/a/`, {\n"
    "    headers: {\n"
    "      Authorization: `Bearer ${data.access}`,\n"
    "    },\n"
    "  })\n"
    "  return NextResponse.json(await r.json())\n"
    "}\n";

const char* kSecondFetch =
    "  const r = await fetch(`${process.env.API_URL}/a/`, {\n"
    "    headers: {\n"
    "      Authorization: `Bearer ${data.access}`,\n"
    "    },\n"
    "  })\n";

TEST(Frozen, TheFetchAManualReviewFindingPointsAtIsNotRewrittenByALaterPass) {
  ScratchProject p;
  p.write("app/api/login/route.ts", kLogin);
  const Result check = p.run("check .");
  EXPECT_TRUE(has(check.out, "route.ts:11:19: error: backend fetch sends an Authorization header of its own"))
      << check.out;
  const Result diff = p.run("diff .");
  EXPECT_FALSE(has(diff.out, "-      Authorization: `Bearer ${data.access}`,")) << diff.out;
  EXPECT_TRUE(has(diff.out, "+  const session = await getServerSession(authOptions)")) << diff.out;

  const Result apply = p.run("apply .");
  EXPECT_EQ(apply.status, 1) << apply.out << apply.err;  // a person still has to decide
  const std::string after = p.read("app/api/login/route.ts");
  EXPECT_TRUE(has(after, kSecondFetch)) << after;
  EXPECT_TRUE(has(after, "\"Authorization\": session?.access_token")) << after;  // the first call is migrated
  // And a second apply leaves it so: the decision is still the person's.
  EXPECT_EQ(p.run("apply .").status, 1);
  EXPECT_EQ(p.read("app/api/login/route.ts"), after);
  const Result again = p.run("check .");
  EXPECT_TRUE(has(again.out, "route.ts:14:19: error: backend fetch sends an Authorization header of its own"))
      << again.out;
}

// A GET whose fetch sends a service token: the tenant and no-store fixes of that fetch would
// change it, so they wait, and say so; the session is still read.
TEST(Frozen, OtherRulesFixesOfAFrozenFetchWaitAndSayWhy) {
  ScratchProject p;
  const std::string fetch =
      "  const res = await fetch(`${process.env.BRAIN_API_URL}/reports`, {\n"
      "    headers: { Authorization: `Bearer ${process.env.SERVICE_TOKEN}` },\n"
      "  })\n";
  p.write("app/api/r/route.ts",
          "export async function GET(request: Request) {\n" + fetch + "  return Response.json(await res.json())\n}\n");
  const Result check = p.run("check .");
  EXPECT_TRUE(has(check.out, "route.ts:2:21: error: GET backend request does not carry the session's tenant"))
      << check.out;
  EXPECT_TRUE(has(check.out, "route.ts:2:21: note: not fixed: the fix would change code that the manual-review "
                             "finding at line 2 leaves for a person to decide"))
      << check.out;
  const Result apply = p.run("apply .");
  EXPECT_EQ(apply.status, 1) << apply.out << apply.err;
  const std::string after = p.read("app/api/r/route.ts");
  EXPECT_TRUE(has(after, fetch)) << after;
  EXPECT_TRUE(has(after, "const session = await getServerSession(authOptions)")) << after;
}

}  // namespace
