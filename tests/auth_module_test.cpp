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

}  // namespace
