// Issue 13 point 4: sessions read another way. engine/session_api.h (which API a project reads the
// session with, which field holds the token), and through the real binary: init writes what it
// detects, apply gives a v5 project `const session = await auth()` imported from the module that
// makes it, and a route that already reads the session with auth() or getToken is not given a
// second read.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "cli_support.h"
#include "engine/project.h"
#include "engine/session_api.h"

namespace {

namespace fs = std::filesystem;
using namespace routeauth::testing::cli;
using routeauth::engine::detect_access_token_field;
using routeauth::engine::detect_session_api;
using routeauth::engine::find_auth_modules;
using routeauth::engine::is_next_auth_5;

const char* kV5Package = R"({ "name": "app", "dependencies": { "next": "15.0.3", "next-auth": "5.0.0-beta.25" } })";
const char* kV4Package = R"({ "name": "app", "dependencies": { "next": "14.2.35", "next-auth": "4.24.15" } })";
const char* kNextAuthV5Module =
    "import NextAuth from 'next-auth'\n"
    "export const { auth, handlers, signIn, signOut } = NextAuth({\n"
    "  providers: [],\n"
    "  callbacks: {\n"
    "    async session({ session, token }) {\n"
    "      session.accessToken = token.accessToken as string\n"
    "      return session\n"
    "    },\n"
    "  },\n"
    "})\n";
const char* kUnmigrated =
    "export async function GET(request: Request) {\n"
    "  const res = await fetch(`${process.env.BRAIN_API_URL}/items`, { cache: 'no-store' })\n"
    "  return Response.json(await res.json())\n"
    "}\n";

class SessionApi : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "routeauth-session-api-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    root_ = fs::path(pattern);
    write("tsconfig.json", R"({ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./*"] } } })");
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  void write(const std::string& rel, const std::string& text) const { spit(root_ / rel, text); }
  [[nodiscard]] std::string path(const std::string& rel) const { return (root_ / rel).string(); }
  [[nodiscard]] std::string api() const {
    const auto choice = detect_session_api(root_.string(), find_auth_modules(root_.string()));
    return choice.api + ": " + choice.why;
  }
  fs::path root_;
};

TEST(NextAuthVersion, FiveInAnyRangeOrTheBetaTag) {
  for (const char* v : {"5.0.0-beta.25", "^5.0.0-beta.19", "~5.0.0", ">=5", "5", "beta", "v5.1.0"}) {
    EXPECT_TRUE(is_next_auth_5(v)) << v;
  }
  for (const char* v : {"4.24.15", "^4.24.7", "", "latest", "50.0.0", "^4 || ^5x"}) EXPECT_FALSE(is_next_auth_5(v)) << v;
}

TEST_F(SessionApi, AModuleMakingAuthWithNextAuthIsV5) {
  write("package.json", kV4Package);  // the module is what the code says, whatever the range
  write("auth.ts", kNextAuthV5Module);
  EXPECT_EQ(api(), "v5: auth.ts exports auth from NextAuth(...)");
}

TEST_F(SessionApi, NextAuthFiveInThePackageIsV5) {
  write("package.json", kV5Package);
  EXPECT_EQ(api(), "v5: next-auth 5.0.0-beta.25 in package.json");
}

TEST_F(SessionApi, AnAuthThatNextAuthDoesNotMakeIsNotV5) {
  // Firebase's `auth` in lib/auth.ts and a v4 authOptions module: v4, and no v5 module.
  write("package.json", kV4Package);
  write("lib/auth.ts", "import { getAuth } from 'firebase/auth'\nexport const auth = getAuth()\n");
  write("lib/auth-options.ts", "export const authOptions = { providers: [] }\n");
  EXPECT_EQ(api(), "v4: next-auth 4.24.15 in package.json");
  EXPECT_FALSE(find_auth_modules(root_.string()).auth.has_value());
}

TEST_F(SessionApi, AnAuthOptionsExporterBesideAuthLeavesItToThePackage) {
  write("package.json", kV4Package);
  write("auth.ts", kNextAuthV5Module);
  write("lib/auth-options.ts", "export const authOptions = { providers: [] }\n");
  EXPECT_EQ(api(), "v4: next-auth 4.24.15 in package.json");
}

TEST_F(SessionApi, TheModuleRoutesImportAuthFromWinsOverAnotherMakingIt) {
  write("package.json", kV5Package);
  write("auth.ts", kNextAuthV5Module);
  write("server/auth/index.ts", kNextAuthV5Module);
  write("app/api/a/route.ts", "import { auth } from '@/server/auth'\n");
  write("app/api/b/route.ts", "import { auth } from '../../../server/auth'\n");
  write("app/api/c/route.ts", "import { auth } from '@/lib/firebase'\n");  // not a module making it: no vote
  write("lib/firebase.ts", "export const auth = {}\n");
  const auto found = find_auth_modules(root_.string());
  ASSERT_TRUE(found.auth.has_value());
  EXPECT_EQ(found.auth->file, "server/auth/index.ts");
  EXPECT_EQ(found.auth->specifier, "@/server/auth");
}

TEST_F(SessionApi, TheTokenFieldIsTheOneTheCodeReadsMore) {
  write("app/api/a/route.ts", "const t = session?.accessToken; const u = session!.accessToken\n"
                              "const v = mySession.access_token // another name: not counted\n");
  write("auth.ts", "session.access_token = token.accessToken\n");
  const auto choice = detect_access_token_field({path("app/api/a/route.ts"), path("auth.ts")});
  EXPECT_EQ(choice.field, "accessToken");
  EXPECT_EQ(choice.camel, 2u);
  EXPECT_EQ(choice.snake, 1u);
  EXPECT_EQ(detect_access_token_field({path("auth.ts")}).field, "access_token");
  EXPECT_EQ(detect_access_token_field({}).field, "access_token") << "the guide's when nothing reads either";
}

// ---- through the binary ------------------------------------------------------------------------

// A v5 project: next-auth 5 and a module making `auth` with NextAuth, at `module`.
void make_v5(const ScratchProject& p, const std::string& module = "auth.ts") {
  p.write("package.json", kV5Package);
  p.write(module, kNextAuthV5Module);
}

TEST(SessionApiCli, InitOnAV5ProjectWritesSessionApiAuthModuleAndTheTokenField) {
  ScratchProject p;
  make_v5(p);
  p.write("app/api/items/route.ts", kUnmigrated);
  const Result init = p.run("init .");
  ASSERT_EQ(init.status, 0) << init.out << init.err;
  const std::string config = p.read("routeauth.json");
  EXPECT_TRUE(has(config, "\"sessionApi\": \"v5\",\n")) << config;
  EXPECT_TRUE(has(config, "(auth.ts exports auth from NextAuth(...))")) << config;
  EXPECT_TRUE(has(config, "\"authModule\": \"@/auth\",\n")) << config;
  EXPECT_TRUE(has(config, "\"accessTokenField\": \"accessToken\",\n")) << config;
  EXPECT_TRUE(has(config, "session.accessToken read 1 time, session.access_token 0")) << config;

  // What init wrote is what apply uses.
  ASSERT_EQ(p.run("apply .").status, 0);
  const std::string after = p.read("app/api/items/route.ts");
  EXPECT_TRUE(has(after, "import { auth } from '@/auth'\n")) << after;
  EXPECT_TRUE(has(after, "  const session = await auth()\n")) << after;
  EXPECT_TRUE(has(after, "`Bearer ${session.accessToken}`")) << after;
  EXPECT_FALSE(has(after, "getServerSession")) << after;
  EXPECT_FALSE(has(after, "authOptions")) << after;
}

TEST(SessionApiCli, InitOnAV4ProjectWritesV4AndTheGuidesTokenField) {
  ScratchProject p;
  p.write("app/api/items/route.ts", kUnmigrated);
  ASSERT_EQ(p.run("init .").status, 0);
  const std::string config = p.read("routeauth.json");
  EXPECT_TRUE(has(config, "\"sessionApi\": \"v4\",\n")) << config;
  EXPECT_FALSE(has(config, "\"authModule\"")) << config;
  EXPECT_TRUE(has(config, "\"accessTokenField\": \"access_token\",\n")) << config;
}

TEST(SessionApiCli, ApplyImportsAuthFromTheModuleThatMakesIt) {
  ScratchProject p;
  make_v5(p, "lib/next-auth/config.ts");
  p.write("app/api/items/route.ts", kUnmigrated);
  const Result apply = p.run("apply .");
  EXPECT_EQ(apply.status, 0) << apply.out << apply.err;
  const std::string after = p.read("app/api/items/route.ts");
  EXPECT_TRUE(has(after, "import { auth } from '@/lib/next-auth/config'\n")) << after;
  EXPECT_TRUE(has(after, "  const session = await auth()\n")) << after;
  EXPECT_FALSE(has(after, "getServerSession")) << after;
  EXPECT_FALSE(has(after, "authOptions")) << after;
  // Applied output is clean.
  const Result check = p.run("check .");
  EXPECT_EQ(check.status, 0) << check.out << check.err;
}

TEST(SessionApiCli, ARouteAlreadyReadingAuthAndSendingItsTokenIsCompliant) {
  ScratchProject p;
  make_v5(p);
  const std::string route =
      "import { auth } from '@/auth'\n"
      "export async function POST(request: Request) {\n"
      "  const session = await auth()\n"
      "  const res = await fetch(`${process.env.BRAIN_API_URL}/items`, {\n"
      "    method: 'POST',\n"
      "    headers: { Authorization: `Bearer ${session?.accessToken}` },\n"
      "    body: await request.text(),\n"
      "  })\n"
      "  return Response.json(await res.json())\n"
      "}\n";
  p.write("app/api/items/route.ts", route);
  const Result check = p.run("check --access-token-field accessToken .");
  EXPECT_EQ(check.status, 0) << check.out << check.err;
  EXPECT_TRUE(has(check.err, "1 already compliant")) << check.err;
  EXPECT_FALSE(has(check.out, "of its own")) << check.out;
}

TEST(SessionApiCli, ARelativeImportOfTheDetectedModuleIsTheSessionRead) {
  // The module's path ends in `config`, not `auth`: only the search knows it is the auth module.
  ScratchProject p;
  make_v5(p, "lib/auth/config.ts");
  p.write("app/api/items/route.ts",
          "import { auth } from '../../../lib/auth/config'\n"
          "export async function DELETE(request: Request) {\n"
          "  const session = await auth()\n"
          "  const res = await fetch(`${process.env.BRAIN_API_URL}/items`, {\n"
          "    method: 'DELETE',\n"
          "    headers: { Authorization: `Bearer ${session?.accessToken}` },\n"
          "  })\n"
          "  return new Response(null, { status: res.status })\n"
          "}\n");
  const Result check = p.run("check --access-token-field accessToken .");
  EXPECT_EQ(check.status, 0) << check.out << check.err;
  EXPECT_TRUE(has(check.err, "1 already compliant")) << check.err;
}

TEST(SessionApiCli, WithoutAnAliasAuthIsImportedByARelativePath) {
  ScratchProject p;
  make_v5(p, "src/server/auth.ts");
  p.write("tsconfig.json", R"({ "compilerOptions": { "strict": true } })");
  p.write("src/app/api/items/route.ts", kUnmigrated);
  ASSERT_EQ(p.run("apply .").status, 0);
  const std::string after = p.read("src/app/api/items/route.ts");
  EXPECT_TRUE(has(after, "import { auth } from '../../../server/auth'\n")) << after;
  EXPECT_TRUE(has(after, "  const session = await auth()\n")) << after;
}

TEST(SessionApiCli, TheFlagForcesV4OnAV5Project) {
  ScratchProject p;
  make_v5(p);
  p.write("app/api/items/route.ts", kUnmigrated);
  ASSERT_EQ(p.run("apply --session-api v4 .").status, 0);
  const std::string after = p.read("app/api/items/route.ts");
  EXPECT_TRUE(has(after, "await getServerSession(authOptions)")) << after;
  EXPECT_FALSE(has(after, "await auth()")) << after;
}

TEST(SessionApiCli, ABadSessionApiInTheConfigIsAClearError) {
  ScratchProject p;
  p.write("routeauth.json", R"({ "sessionApi": "v6" })");
  p.write("app/api/items/route.ts", kUnmigrated);
  const Result check = p.run("check .");
  EXPECT_EQ(check.status, 2);
  EXPECT_TRUE(has(check.err, "\"sessionApi\" must be \"auto\", \"v4\" or \"v5\"")) << check.err;
}

}  // namespace
