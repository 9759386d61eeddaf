// The auth module found where the project keeps it (issue 18 point 2), through the real binary:
// routes are given the import the project's own routes already use, not the guide's default path.
#include <gtest/gtest.h>

#include "cli_support.h"

namespace {

using namespace routeauth::testing::cli;

TEST(AuthModule, ApplyImportsAuthOptionsFromTheModuleTheProjectAlreadyImports) {
  ScratchProject p;
  p.write("lib/auth-options.ts", "import type { NextAuthOptions } from 'next-auth'\n"
                                 "export const authOptions: NextAuthOptions = { providers: [] }\n");
  p.write("app/api/me/route.ts", "import { getServerSession } from 'next-auth'\n"
                                 "import { authOptions } from '@/lib/auth-options'\n"
                                 "export async function GET() {\n"
                                 "  return Response.json(await getServerSession(authOptions))\n"
                                 "}\n");
  p.write("app/api/items/route.ts", kUnmigratedGet);
  const Result apply = p.run("apply .");
  EXPECT_EQ(apply.status, 0) << apply.out << apply.err;
  const std::string after = p.read("app/api/items/route.ts");
  EXPECT_TRUE(has(after, "import { authOptions } from '@/lib/auth-options'\n")) << after;
  EXPECT_FALSE(has(after, "[...nextauth]")) << after;
}

TEST(AuthModule, AnExportingModuleIsFoundWhenNoRouteImportsItYet) {
  ScratchProject p;
  p.write("server/auth/config.ts", "export const authOptions = { providers: [] }\n");
  p.write("app/api/items/route.ts", kUnmigratedGet);
  ASSERT_EQ(p.run("apply .").status, 0);
  const std::string after = p.read("app/api/items/route.ts");
  EXPECT_TRUE(has(after, "import { authOptions } from '@/server/auth/config'\n")) << after;
}

// Issue 18 point 2, the search gitignore-aware: a generated copy of the options in a folder the
// repository ignores (it sorts first, so an unaware search would take it) is never imported.
TEST(AuthModule, AnExporterInAnIgnoredFolderIsNotChosen) {
  ScratchProject p;
  p.write(".gitignore", "/generated/\n");
  p.write("generated/auth.ts", "export const authOptions = { providers: [] }\n");
  p.write("lib/auth.ts", "export const authOptions = { providers: [] }\n");
  p.write("app/api/items/route.ts", kUnmigratedGet);
  const Result apply = p.run("apply .");
  ASSERT_EQ(apply.status, 0) << apply.out << apply.err;
  const std::string after = p.read("app/api/items/route.ts");
  EXPECT_TRUE(has(after, "import { authOptions } from '@/lib/auth'\n")) << after;
}

// The same for the types: a `declare module "next-auth"` in an ignored file is not the project's
// augmentation, so init --types neither edits it nor counts it; it writes types/next-auth.d.ts.
TEST(AuthModule, InitTypesLeavesAnIgnoredAugmentationAlone) {
  ScratchProject p;
  const std::string generated = "declare module \"next-auth\" {\n  interface Session {\n    user: { id: string }\n  }\n}\n";
  p.write(".gitignore", "next-auth.generated.d.ts\n");
  p.write("types/next-auth.generated.d.ts", generated);
  p.write("app/api/items/route.ts", kUnmigratedGet);
  const Result init = p.run("init --types .");
  EXPECT_EQ(init.status, 0) << init.out << init.err;
  EXPECT_EQ(p.read("types/next-auth.generated.d.ts"), generated);
  EXPECT_TRUE(has(p.read("types/next-auth.d.ts"), "access_token?: string")) << init.out << init.err;
}

}  // namespace
