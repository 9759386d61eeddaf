// engine::ModuleResolver: relative imports, tsconfig/jsconfig paths and baseUrl (with `extends`),
// extensions and index files, packages left unresolved; and the alias a file is imported by.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "engine/modules.h"
#include "engine/project.h"

namespace fs = std::filesystem;
using routeauth::engine::ModuleResolver;

namespace {

class Modules : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "routeauth-modules-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    root_ = fs::path(pattern);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  void write(const std::string& rel, const std::string& text = "export {};\n") {
    const fs::path p = root_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
  }
  [[nodiscard]] std::string at(const std::string& rel) const { return (root_ / rel).lexically_normal().string(); }
  [[nodiscard]] std::string resolve(const std::string& from, const std::string& specifier) const {
    return ModuleResolver(root_.string()).resolve(at(from), specifier).value_or("<none>");
  }
  fs::path root_;
};

TEST_F(Modules, RelativeSpecifiersWithEachExtensionAndIndexFiles) {
  write("app/api/a/route.ts");
  write("lib/auth.ts");
  write("lib/ui.tsx");
  write("lib/legacy.js");
  write("lib/view.jsx");
  write("lib/esm.mjs");
  write("lib/esm2.mts");
  write("lib/cjs.cts");
  write("lib/types.d.ts");
  write("lib/session/index.ts");
  write("lib/plain/index.js");
  EXPECT_EQ(resolve("app/api/a/route.ts", "../../../lib/auth"), at("lib/auth.ts"));
  EXPECT_EQ(resolve("app/api/a/route.ts", "../../../lib/ui"), at("lib/ui.tsx"));
  EXPECT_EQ(resolve("app/api/a/route.ts", "../../../lib/legacy"), at("lib/legacy.js"));
  EXPECT_EQ(resolve("app/api/a/route.ts", "../../../lib/view"), at("lib/view.jsx"));
  EXPECT_EQ(resolve("app/api/a/route.ts", "../../../lib/esm"), at("lib/esm.mjs"));
  EXPECT_EQ(resolve("app/api/a/route.ts", "../../../lib/esm2"), at("lib/esm2.mts"));
  EXPECT_EQ(resolve("app/api/a/route.ts", "../../../lib/cjs"), at("lib/cjs.cts"));
  EXPECT_EQ(resolve("app/api/a/route.ts", "../../../lib/types"), at("lib/types.d.ts"));
  EXPECT_EQ(resolve("app/api/a/route.ts", "../../../lib/session"), at("lib/session/index.ts"));
  EXPECT_EQ(resolve("app/api/a/route.ts", "../../../lib/plain"), at("lib/plain/index.js"));
  EXPECT_EQ(resolve("lib/ui.tsx", "./auth"), at("lib/auth.ts"));
  EXPECT_EQ(resolve("lib/ui.tsx", "./auth.ts"), at("lib/auth.ts"));
  EXPECT_EQ(resolve("lib/ui.tsx", "./auth.js"), at("lib/auth.ts")) << "ESM-style .js names the .ts source";
  EXPECT_EQ(resolve("lib/ui.tsx", "./missing"), "<none>");
}

TEST_F(Modules, PackagesAreNotResolvedWithoutConfigOrWhenNoFileMatches) {
  write("app/route.ts");
  write("node_modules/next-auth/index.js");
  EXPECT_EQ(resolve("app/route.ts", "next-auth"), "<none>");
  EXPECT_EQ(resolve("app/route.ts", "@/lib/auth"), "<none>");
  write("tsconfig.json", R"({"compilerOptions": {"paths": {"@/*": ["./*"]}}})");
  EXPECT_EQ(resolve("app/route.ts", "next-auth"), "<none>");
  EXPECT_EQ(resolve("app/route.ts", "@scope/pkg"), "<none>");
}

TEST_F(Modules, TsconfigPathsWithJsoncCommentsAndTrailingCommas) {
  write("tsconfig.json", R"({
  // Next.js writes this one
  "compilerOptions": {
    /* aliases */
    "paths": {
      "@/*": ["./src/*"],
      "@auth": ["./src/server/auth.ts"],
      "~lib/*": ["./missing/*", "./src/lib/*",],
    },
  },
})");
  write("src/app/api/x/route.ts");
  write("src/lib/auth-options.ts");
  write("src/server/auth.ts");
  write("src/components/index.tsx");
  EXPECT_EQ(resolve("src/app/api/x/route.ts", "@/lib/auth-options"), at("src/lib/auth-options.ts"));
  EXPECT_EQ(resolve("src/app/api/x/route.ts", "@/components"), at("src/components/index.tsx"));
  EXPECT_EQ(resolve("src/app/api/x/route.ts", "@auth"), at("src/server/auth.ts"));
  EXPECT_EQ(resolve("src/app/api/x/route.ts", "~lib/auth-options"), at("src/lib/auth-options.ts"))
      << "the second target is tried when the first has no such file";
  const ModuleResolver modules(root_.string());
  EXPECT_EQ(modules.specifier_for(at("src/lib/auth-options.ts")), "@/lib/auth-options");
  EXPECT_EQ(modules.specifier_for(at("src/components/index.tsx")), "@/components");
  EXPECT_EQ(modules.specifier_for(at("src/server/auth.ts")), "@/server/auth");
  EXPECT_EQ(modules.specifier_for(at("outside/auth.ts")), "");
}

TEST_F(Modules, BaseUrlResolvesBareSpecifiersAndPathsAreRelativeToIt) {
  write("jsconfig.json", R"({"compilerOptions": {"baseUrl": "src", "paths": {"@lib/*": ["lib/*"]}}})");
  write("src/lib/auth.js");
  write("src/app/api/route.js");
  EXPECT_EQ(resolve("src/app/api/route.js", "lib/auth"), at("src/lib/auth.js")) << "baseUrl alone resolves";
  EXPECT_EQ(resolve("src/app/api/route.js", "@lib/auth"), at("src/lib/auth.js"));
  EXPECT_EQ(resolve("src/app/api/route.js", "react"), "<none>");
  EXPECT_EQ(ModuleResolver(root_.string()).specifier_for(at("src/lib/auth.js")), "@lib/auth");
}

TEST_F(Modules, ExtendsOfLocalFilesOneAndTwoLevelsTheNearerWinning) {
  write("configs/base.json", R"({"compilerOptions": {"baseUrl": "..", "paths": {"#/*": ["shared/*"]}}})");
  write("configs/next.json", R"({"extends": "./base", "compilerOptions": {"strict": true}})");
  write("tsconfig.json", R"({"extends": "./configs/next.json", "compilerOptions": {"jsx": "preserve"}})");
  write("shared/auth.ts");
  write("app/route.ts");
  EXPECT_EQ(resolve("app/route.ts", "#/auth"), at("shared/auth.ts")) << "paths two levels up, baseUrl relative to its file";
  write("tsconfig.json", R"({"extends": "./configs/next.json", "compilerOptions": {"paths": {"@/*": ["./*"]}}})");
  EXPECT_EQ(resolve("app/route.ts", "@/shared/auth"), at("shared/auth.ts"));
  EXPECT_EQ(resolve("app/route.ts", "#/auth"), "<none>") << "the nearer paths replace the extended ones, as tsc does";
  write("tsconfig.json", R"({"extends": "@tsconfig/next/tsconfig.json"})");
  EXPECT_EQ(resolve("app/route.ts", "#/auth"), "<none>") << "a package's config is not followed";
}

// Where a module that does not resolve would be (engine/dependencies.h says "create <that file>").
TEST_F(Modules, IntendedPathOfAModuleThatDoesNotExistYet) {
  write("tsconfig.json", R"({ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./src/*", "./*"], "~auth": ["./lib/auth.ts"] } } })");
  write("app/api/a/route.ts");
  const ModuleResolver modules(root_.string());
  const std::string route = at("app/api/a/route.ts");
  EXPECT_EQ(modules.intended_path(route, "@/app/api/auth/[...nextauth]/route").value_or("<none>"),
            at("src/app/api/auth/[...nextauth]/route"))
      << "the first target of the alias";
  EXPECT_EQ(modules.intended_path(route, "~auth").value_or("<none>"), at("lib/auth.ts"));
  EXPECT_EQ(modules.intended_path(route, "../../../lib/auth").value_or("<none>"), at("lib/auth"));
  EXPECT_EQ(modules.intended_path(route, "next-auth").value_or("<none>"), "<none>") << "a package";
  EXPECT_EQ(modules.intended_path(route, "@auth/core").value_or("<none>"), "<none>") << "a scoped package";
  EXPECT_EQ(modules.intended_path(route, "#lib/auth").value_or("<none>"), at("#lib/auth")) << "under baseUrl";
  EXPECT_FALSE(ModuleResolver(at("app")).intended_path(route, "@/lib/auth")) << "no config: nothing maps it";
}

}  // namespace

// find_auth_modules (engine/project.h): the auth module found where the project keeps it.
namespace {

using routeauth::engine::find_auth_modules;

const char* kTsconfig = R"({ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./*"] } } })";

TEST_F(Modules, AuthOptionsFromTheModuleExistingRoutesImportItFrom) {
  // Issue 18 point 2: authOptions lives in lib/auth-options.ts, one route already imports it from
  // there; the ten usual paths hold nothing.
  write("tsconfig.json", kTsconfig);
  write("lib/auth-options.ts", "import type { NextAuthOptions } from 'next-auth'\n"
                               "export const authOptions: NextAuthOptions = { providers: [] }\n");
  write("app/api/me/route.ts", "import { getServerSession } from 'next-auth'\n"
                               "import { authOptions } from '@/lib/auth-options'\n"
                               "export async function GET() { return getServerSession(authOptions) }\n");
  const auto found = find_auth_modules(root_.string());
  ASSERT_TRUE(found.auth_options.has_value());
  EXPECT_EQ(found.auth_options->file, "lib/auth-options.ts");
  EXPECT_EQ(found.auth_options->specifier, "@/lib/auth-options");
  EXPECT_FALSE(found.auth.has_value());
}

TEST_F(Modules, AuthOptionsFromAnExportingModuleWhenNoRouteImportsIt) {
  write("tsconfig.json", kTsconfig);
  write("server/nextauth/config.ts", "const authOptions = { providers: [] }\nexport { authOptions }\n");
  write("app/api/x/route.ts", "export async function GET() { return new Response('') }\n");
  const auto found = find_auth_modules(root_.string());
  ASSERT_TRUE(found.auth_options.has_value());
  EXPECT_EQ(found.auth_options->file, "server/nextauth/config.ts");
  EXPECT_EQ(found.auth_options->specifier, "@/server/nextauth/config");
}

TEST_F(Modules, MostCommonImportWinsOverAnotherExporter) {
  write("tsconfig.json", kTsconfig);
  write("lib/auth.ts", "export const authOptions = {}\n");
  write("lib/legacy-auth.ts", "export const authOptions = {}\n");
  write("app/api/a/route.ts", "import { authOptions } from '@/lib/legacy-auth'\n");
  write("app/api/b/route.ts", "import { authOptions } from '../../../lib/legacy-auth'\n");
  write("app/api/c/route.ts", "import { authOptions } from '@/lib/auth'\n");
  const auto found = find_auth_modules(root_.string());
  ASSERT_TRUE(found.auth_options.has_value());
  EXPECT_EQ(found.auth_options->file, "lib/legacy-auth.ts");
}

TEST_F(Modules, NextAuthV5AuthExportedFromNextAuthCall) {
  write("tsconfig.json", kTsconfig);
  write("auth.ts", "import NextAuth from 'next-auth'\n"
                   "export const { auth, handlers, signIn, signOut } = NextAuth({ providers: [] })\n");
  const auto found = find_auth_modules(root_.string());
  ASSERT_TRUE(found.auth.has_value());
  EXPECT_EQ(found.auth->file, "auth.ts");
  EXPECT_EQ(found.auth->specifier, "@/auth");
  EXPECT_FALSE(found.auth_options.has_value());
}

TEST_F(Modules, AuthSearchSkipsDependenciesAndBuildOutput) {
  // Counts the work: nothing under node_modules or .next is opened, and a module there that
  // exports authOptions is never taken for the project's own.
  write("node_modules/some-lib/index.ts", "export const authOptions = {}\n");
  write(".next/server/app.js", "export const authOptions = {}\n");
  write("app/api/x/route.ts", "export async function GET() { return new Response('') }\n");
  const auto found = find_auth_modules(root_.string());
  EXPECT_FALSE(found.auth_options.has_value());
  EXPECT_EQ(found.files_read, 1u);
}

TEST_F(Modules, AuthSearchParsesOnlyFilesNamingAuthAsAWord) {
  // Counts the work: a route forwarding an `authorization` header or calling useAuth() names
  // neither auth nor authOptions, so it is read and not parsed; the module exporting auth and
  // the route importing it (`{ auth }`, next to a non-ASCII space) are parsed and found.
  write("tsconfig.json", kTsconfig);
  write("auth.ts", "import NextAuth from 'next-auth'\n"
                   "export const { auth, handlers } = NextAuth({ providers: [] })\n");
  write("app/api/a/route.ts", "import {\u00a0auth\u00a0} from '@/auth'\nexport async function GET() { await auth() }\n");
  write("app/api/b/route.ts", "export async function GET(req: Request) {\n"
                              "  return fetch('http://x', { headers: { authorization: req.headers.get('authorization') ?? '' } })\n}\n");
  write("app/api/c/route.ts", "const useAuth = () => 1; const oauth_token = 2\nexport async function GET() { useAuth() }\n");
  const auto found = find_auth_modules(root_.string());
  EXPECT_EQ(found.files_read, 4u);
  EXPECT_EQ(found.files_parsed, 2u);
  ASSERT_TRUE(found.auth.has_value());
  EXPECT_EQ(found.auth->file, "auth.ts");
}

// Inside a git work tree the search honours its ignore rules, folder by folder: a folder
// .gitignore lists is not entered (none of its files is opened), and an exporter there is never
// chosen. Outside a repository the same .gitignore is only a file: everything is read, as before.
TEST_F(Modules, AuthSearchPrunesTheFoldersGitIgnores) {
  write(".gitignore", "generated/\n");
  for (int i = 0; i < 30; ++i) write("generated/copy" + std::to_string(i) + ".ts", "export const authOptions = {}\n");
  write("lib/auth.ts", "export const authOptions = {}\n");
  write("app/api/x/route.ts", "export async function GET() { return new Response('') }\n");
  const auto outside = find_auth_modules(root_.string());
  EXPECT_EQ(outside.files_read, 32u);
  ASSERT_TRUE(outside.auth_options.has_value());
  EXPECT_EQ(outside.auth_options->file, "generated/copy0.ts");

  ASSERT_EQ(std::system(("git init -q '" + root_.string() + "'").c_str()), 0);
  const auto inside = find_auth_modules(root_.string());
  EXPECT_EQ(inside.files_read, 2u);  // lib/auth.ts and the route: the ignored folder is not entered
  ASSERT_TRUE(inside.auth_options.has_value());
  EXPECT_EQ(inside.auth_options->file, "lib/auth.ts");
}

// A rule that names a file itself (not its folder) is honoured too, asked of the files that
// export or import authOptions only.
TEST_F(Modules, AuthSearchLeavesOutAFileGitIgnores) {
  write(".gitignore", "*.local.ts\n");
  write("lib/auth.local.ts", "export const authOptions = {}\n");
  write("lib/auth.ts", "export const authOptions = {}\n");
  write("app/api/a/route.ts", "import { authOptions } from '../../../lib/auth.local'\n");
  ASSERT_EQ(std::system(("git init -q '" + root_.string() + "'").c_str()), 0);
  const auto found = find_auth_modules(root_.string());
  ASSERT_TRUE(found.auth_options.has_value());
  EXPECT_EQ(found.auth_options->file, "lib/auth.local.ts");  // a tracked route imports it: that counts
  fs::remove(root_ / "app/api/a/route.ts");
  const auto exported = find_auth_modules(root_.string());
  ASSERT_TRUE(exported.auth_options.has_value());
  EXPECT_EQ(exported.auth_options->file, "lib/auth.ts");
}

}  // namespace
