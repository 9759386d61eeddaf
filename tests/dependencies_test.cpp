// What the project must have for the migrated routes to build (issue 14, "dependencies and
// modules"; engine/dependencies.h), through the real binary: apply and diff warn once at the end,
// report shows it in its header, init comments it, check never says a word about it.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "cli_support.h"
#include "engine/dependencies.h"
#include "engine/modules.h"

namespace {

using namespace routeauth::testing::cli;

const char* kAuthRoute =
    "import NextAuth, { type NextAuthOptions } from 'next-auth'\n"
    "export const authOptions: NextAuthOptions = { providers: [] }\n"
    "const handler = NextAuth(authOptions)\n"
    "export { handler as GET, handler as POST }\n";

const char* kWithoutNextAuth = R"({ "name": "app", "dependencies": { "next": "14.2.35" } })";

const std::string kNoNextAuthWarning =
    "routeauth: warning: package.json does not list next-auth, which the migrated routes import; run `npm i next-auth`";
const std::string kNoModuleWarning =
    "routeauth: warning: the migrated routes import authOptions from '@/app/api/auth/[...nextauth]/route', which does "
    "not resolve to a file; create app/api/auth/[...nextauth]/route.ts exporting authOptions, or set "
    "\"authOptionsModule\" in routeauth.json (or --auth-options-module) to the module that exports it";

// A project whose next-auth Session has the fields the migrated code reads, so that apply has no
// other warning to give (tool/engine/session_types.h).
struct Project : ScratchProject {
  Project() {
    write("types/next-auth.d.ts",
          "import { DefaultSession } from 'next-auth'\n"
          "declare module 'next-auth' {\n"
          "  interface Session {\n"
          "    access_token?: string\n"
          "    user: { tenant_id?: string } & DefaultSession['user']\n"
          "  }\n"
          "}\n");
  }
};

std::vector<std::string> warnings(const std::string& err) {
  std::vector<std::string> out;
  for (const auto& line : lines_of(err)) {
    if (line.starts_with("routeauth: warning:")) out.push_back(line);
  }
  return out;
}

// next-auth missing: one warning, after the summary, however many routes gained the import.
TEST(Dependencies, ApplyWarnsOnceWhenPackageJsonDoesNotListNextAuth) {
  Project p;
  p.write("package.json", kWithoutNextAuth);
  p.write("app/api/auth/[...nextauth]/route.ts", kAuthRoute);
  for (const char* name : {"a", "b", "c", "d"}) p.write(std::string("app/api/") + name + "/route.ts", kUnmigratedGet);
  const Result apply = p.run("apply .");
  EXPECT_EQ(apply.status, 0) << apply.err;
  EXPECT_EQ(warnings(apply.err), std::vector<std::string>{kNoNextAuthWarning}) << apply.err;
  const auto lines = lines_of(apply.err);
  ASSERT_GE(lines.size(), 2u);
  EXPECT_TRUE(lines[lines.size() - 2].starts_with("routeauth: 4 files seen, 4 changed")) << apply.err;
  EXPECT_EQ(lines.back(), kNoNextAuthWarning);
  EXPECT_TRUE(has(p.read("app/api/a/route.ts"), "import { getServerSession } from 'next-auth'"));
}

TEST(Dependencies, NextAuthInDevOrPeerDependenciesCounts) {
  for (const char* key : {"dependencies", "devDependencies", "peerDependencies", "optionalDependencies"}) {
    Project p;
    p.write("package.json", std::string(R"({ "name": "app", ")") + key + R"(": { "next-auth": "4.24.15" } })");
    p.write("app/api/auth/[...nextauth]/route.ts", kAuthRoute);
    p.write("app/api/items/route.ts", kUnmigratedGet);
    const Result apply = p.run("apply .");
    EXPECT_EQ(apply.status, 0) << apply.err;
    EXPECT_TRUE(has(p.read("app/api/items/route.ts"), "getServerSession(authOptions)")) << key;
    // An optional dependency may be missing from an install: it does not count.
    const auto expected = std::string(key) == "optionalDependencies" ? std::vector<std::string>{kNoNextAuthWarning}
                                                                      : std::vector<std::string>{};
    EXPECT_EQ(warnings(apply.err), expected) << key << "\n" << apply.err;
  }
}

// Nothing migrated, nothing said: the routes already have their imports, or call no backend.
TEST(Dependencies, NoWarningWhenApplyWritesNoSuchImport) {
  Project p;
  p.write("package.json", kWithoutNextAuth);
  p.write("app/api/health/route.ts", "export async function GET() {\n  return Response.json({ ok: true })\n}\n");
  const Result apply = p.run("apply .");
  EXPECT_EQ(apply.status, 0) << apply.err;
  EXPECT_TRUE(warnings(apply.err).empty()) << apply.err;
  EXPECT_FALSE(has(apply.err, "next-auth")) << apply.err;

  // A route that already imports both (migrated by hand) and gains only its tenant and header:
  // apply writes no import, so it says nothing either; a new route that gains them is said.
  p.write("app/api/auth/[...nextauth]/route.ts", kAuthRoute);
  p.write("app/api/items/route.ts",
          "import { getServerSession } from 'next-auth'\n"
          "import { authOptions } from '@/app/api/auth/[...nextauth]/route'\n"
          "export async function GET(request: Request) {\n"
          "  const session = await getServerSession(authOptions)\n"
          "  const res = await fetch(`${process.env.BRAIN_API_URL}/items`, { cache: 'no-store' })\n"
          "  return Response.json(await res.json())\n"
          "}\n");
  const Result by_hand = p.run("apply .");
  EXPECT_TRUE(has(by_hand.err, "1 changed")) << by_hand.err;
  EXPECT_TRUE(warnings(by_hand.err).empty()) << by_hand.err;
  p.write("app/api/orders/route.ts", kUnmigratedGet);
  EXPECT_EQ(warnings(p.run("apply .").err), std::vector<std::string>{kNoNextAuthWarning});
}

TEST(Dependencies, DiffAndDryRunSayWhatApplyWould) {
  Project p;
  p.write("package.json", kWithoutNextAuth);
  p.write("app/api/auth/[...nextauth]/route.ts", kAuthRoute);
  p.write("app/api/items/route.ts", kUnmigratedGet);
  for (const char* command : {"diff .", "apply --dry-run ."}) {
    const Result r = p.run(command);
    EXPECT_EQ(r.status, 1) << command << "\n" << r.err;
    EXPECT_EQ(warnings(r.err), std::vector<std::string>{kNoNextAuthWarning}) << command << "\n" << r.err;
  }
  EXPECT_EQ(p.read("app/api/items/route.ts"), kUnmigratedGet);
}

// Two apps of one repository, each with its package.json and tsconfig, and one without a
// package.json of its own, under a workspace root that lists next-auth: only the app whose own
// package.json lacks it is named.
TEST(Dependencies, MonorepoNamesOnlyTheAppThatLacksNextAuth) {
  Project p;
  p.write("package.json", R"({ "name": "root", "private": true, "workspaces": ["apps/*", "frontend"],
                                "devDependencies": { "next-auth": "4.24.15" } })");
  p.write("routeauth.json", R"({ "authOptionsModule": "@/app/api/auth/[...nextauth]/route" })");
  const char* tsconfig = R"({ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./*"] } } })";
  for (const char* app : {"apps/web", "frontend", "apps/admin"}) {
    const std::string dir = app;
    p.write(dir + "/tsconfig.json", tsconfig);
    p.write(dir + "/app/api/auth/[...nextauth]/route.ts", kAuthRoute);
    p.write(dir + "/app/api/items/route.ts", kUnmigratedGet);
    p.write(dir + "/app/api/orders/route.ts", kUnmigratedGet);
  }
  p.write("apps/web/package.json", R"({ "name": "web", "dependencies": { "next": "14.2.35" } })");
  p.write("frontend/package.json", R"({ "name": "frontend", "dependencies": { "next-auth": "4.24.15" } })");
  // apps/admin has no package.json: the workspace root's listing counts for it.
  const Result apply = p.run("apply .");
  EXPECT_EQ(apply.status, 0) << apply.err;
  EXPECT_EQ(warnings(apply.err),
            std::vector<std::string>{"routeauth: warning: apps/web/package.json does not list next-auth, which the "
                                     "migrated routes import; run `npm i next-auth` in apps/web"})
      << apply.err;
  EXPECT_TRUE(has(p.read("frontend/app/api/items/route.ts"), "getServerSession(authOptions)"));
}

// Neither next-auth nor the authOptions module: both said, with every remedy (install the
// package, create the module, or name the module that exports authOptions).
TEST(Dependencies, MissingAuthOptionsModuleIsSaidWithTheRemedies) {
  Project p;
  p.write("package.json", kWithoutNextAuth);
  p.write("app/api/items/route.ts", kUnmigratedGet);
  const Result apply = p.run("apply .");
  EXPECT_EQ(apply.status, 0) << apply.err;
  EXPECT_EQ(warnings(apply.err), (std::vector<std::string>{kNoNextAuthWarning, kNoModuleWarning})) << apply.err;
}

TEST(Dependencies, AModuleNoAliasMapsSaysSo) {
  Project p;
  p.write("tsconfig.json", R"({ "compilerOptions": { "strict": true } })");
  p.write("app/api/items/route.ts", kUnmigratedGet);
  const Result apply = p.run("apply .");
  EXPECT_EQ(warnings(apply.err),
            std::vector<std::string>{
                "routeauth: warning: the migrated routes import authOptions from '@/app/api/auth/[...nextauth]/route', "
                "which does not resolve to a file; no `paths` alias or baseUrl in the tsconfig.json or jsconfig.json "
                "maps it: add one (such as \"@/*\": [\"./*\"]) and create the module exporting authOptions, or set "
                "\"authOptionsModule\" in routeauth.json (or --auth-options-module) to the module that exports it"})
      << apply.err;
}

// A configured module that does not resolve: the same warning, naming the setting.
TEST(Dependencies, AnAuthOptionsModuleSettingThatDoesNotResolveIsNamed) {
  Project p;
  p.write("routeauth.json", R"({ "authOptionsModule": "@/lib/auth" })");
  p.write("app/api/items/route.ts", kUnmigratedGet);
  const Result apply = p.run("apply .");
  EXPECT_EQ(apply.status, 0) << apply.err;
  EXPECT_EQ(warnings(apply.err),
            std::vector<std::string>{"routeauth: warning: the migrated routes import authOptions from '@/lib/auth', "
                                     "which \"authOptionsModule\" in routeauth.json names and which does not resolve "
                                     "to a file; create lib/auth.ts exporting authOptions, or set \"authOptionsModule\" "
                                     "in routeauth.json to the module that exports it"})
      << apply.err;
  EXPECT_TRUE(has(p.read("app/api/items/route.ts"), "import { authOptions } from '@/lib/auth'"));
}

TEST(Dependencies, AnAuthOptionsModuleFlagThatDoesNotResolveIsNamed) {
  Project p;
  p.write("app/api/items/route.ts", kUnmigratedGet);
  const Result diff = p.run("diff --auth-options-module '@/server/auth' .");
  EXPECT_EQ(warnings(diff.err),
            std::vector<std::string>{"routeauth: warning: the migrated routes import authOptions from '@/server/auth', "
                                     "which --auth-options-module names and which does not resolve to a file; create "
                                     "server/auth.ts exporting authOptions, or set --auth-options-module to the module "
                                     "that exports it"})
      << diff.err;
}

// Pre-commit must not nag: check prints exactly the same, and exits the same, whether or not the
// project lists next-auth and has the authOptions module.
TEST(Dependencies, CheckSaysNothingAboutThem) {
  Project lacking, complete;
  lacking.write("package.json", kWithoutNextAuth);
  for (const Project* p : {&lacking, &complete}) p->write("app/api/items/route.ts", kUnmigratedGet);
  complete.write("app/api/auth/[...nextauth]/route.ts", kAuthRoute);
  for (const char* command : {"check .", "check --format json ."}) {
    const Result a = lacking.run(command);
    const Result b = complete.run(command);
    EXPECT_EQ(a.status, 1) << a.err;
    EXPECT_EQ(a.status, b.status);
    EXPECT_EQ(a.out, b.out);
    EXPECT_EQ(a.err, b.err);
    EXPECT_FALSE(has(a.out + a.err, "npm i")) << a.out << a.err;
    EXPECT_FALSE(has(a.out + a.err, "does not resolve")) << a.out << a.err;
  }
}

TEST(Dependencies, ReportShowsThemInItsHeader) {
  Project p;
  p.write("package.json", kWithoutNextAuth);
  p.write("app/api/auth/[...nextauth]/route.ts", kAuthRoute);
  p.write("app/api/items/route.ts", kUnmigratedGet);
  const std::string message = kNoNextAuthWarning.substr(std::string("routeauth: warning: ").size());

  const Result table = p.run("report .");
  EXPECT_EQ(table.status, 0) << table.err;
  EXPECT_TRUE(table.out.starts_with("warning: " + message + "\n\nROUTE")) << table.out;

  const Result markdown = p.run("report --format markdown .");
  EXPECT_TRUE(markdown.out.starts_with("## Routes to Update\n\n> **Warning:** " + message + "\n")) << markdown.out;

  const Result json = p.run("report --format json .");
  const auto doc = nlohmann::json::parse(json.out);
  ASSERT_EQ(doc["missing_dependencies"].size(), 1u) << json.out;
  const auto& gap = doc["missing_dependencies"][0];
  EXPECT_EQ(gap["kind"], "package");
  EXPECT_EQ(gap["specifier"], "next-auth");
  EXPECT_EQ(gap["app"], ".");
  EXPECT_EQ(gap["manifest"], "package.json");
  EXPECT_EQ(gap["routes"], 1);
  EXPECT_EQ(gap["message"], message);

  // Once the routes are migrated they import next-auth themselves: the header stays until it is
  // installed.
  ASSERT_EQ(p.run("apply .").status, 0);
  EXPECT_TRUE(p.run("report .").out.starts_with("warning: " + message + "\n")) << p.run("report .").out;
  p.write("package.json", R"({ "name": "app", "dependencies": { "next-auth": "4.24.15" } })");
  const Result fixed = p.run("report --format json .");
  EXPECT_TRUE(nlohmann::json::parse(fixed.out)["missing_dependencies"].empty()) << fixed.out;
  EXPECT_TRUE(p.run("report .").out.starts_with("ROUTE"));
}

TEST(Dependencies, InitCommentsWhatIsMissing) {
  Project p;
  p.write("package.json", kWithoutNextAuth);
  p.write("app/api/items/route.ts", kUnmigratedGet);
  const Result init = p.run("init");
  ASSERT_EQ(init.status, 0) << init.err;
  const std::string npm = kNoNextAuthWarning.substr(std::string("routeauth: warning: ").size());
  const std::string module = kNoModuleWarning.substr(std::string("routeauth: warning: ").size());
  EXPECT_TRUE(has(init.out, "routeauth: note: before the migrated routes can build: " + npm + "\n")) << init.out;
  EXPECT_TRUE(has(init.out, "routeauth: note: before the migrated routes can build: " + module + "\n")) << init.out;
  const std::string config = p.read("routeauth.json");
  EXPECT_TRUE(has(config, "  // Before the migrated routes can build: " + npm + ".\n")) << config;
  EXPECT_TRUE(has(config, "  // Before the migrated routes can build: " + module + ".\n")) << config;
  // Still a config routeauth reads.
  const Result check = p.run("check .");
  EXPECT_EQ(check.status, 1) << check.err;
  EXPECT_FALSE(has(check.err, "error")) << check.err;

  Project complete;
  complete.write("app/api/auth/[...nextauth]/route.ts", kAuthRoute);
  complete.write("app/api/items/route.ts", kUnmigratedGet);
  const Result quiet = complete.run("init");
  ASSERT_EQ(quiet.status, 0) << quiet.err;
  EXPECT_FALSE(has(quiet.out, "note:")) << quiet.out;
  EXPECT_FALSE(has(complete.read("routeauth.json"), "Before the migrated routes")) << complete.read("routeauth.json");
}

// The room itself: package names, and what a package.json lists.
TEST(Dependencies, PackageNames) {
  using routeauth::engine::package_name;
  EXPECT_EQ(package_name("next-auth"), "next-auth");
  EXPECT_EQ(package_name("next-auth/next"), "next-auth");
  EXPECT_EQ(package_name("@auth/core/providers"), "@auth/core");
  EXPECT_EQ(package_name("@/app/api/auth/[...nextauth]/route"), "");
  EXPECT_EQ(package_name("~/lib/auth"), "");
  EXPECT_EQ(package_name("#auth"), "");
  EXPECT_EQ(package_name("./auth"), "");
  EXPECT_EQ(package_name("@scope"), "");
}

TEST(Dependencies, AnUnreadablePackageJsonIsSaid) {
  Project p;
  p.write("package.json", "{ \"name\": \"app\", ");
  p.write("app/api/auth/[...nextauth]/route.ts", kAuthRoute);
  p.write("app/api/items/route.ts", kUnmigratedGet);
  const Result apply = p.run("apply --no-config .");
  const auto w = warnings(apply.err);
  ASSERT_EQ(w.size(), 1u) << apply.err;
  EXPECT_TRUE(w[0].starts_with("routeauth: warning: package.json cannot be read as JSON (not JSON), so whether it "
                               "lists next-auth"))
      << w[0];
}

}  // namespace
