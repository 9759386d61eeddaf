// End to end: `routeauth init --types` on a copy of examples/brain-app whose own
// types/next-auth.d.ts declares fields of the app's (issue 18): the two fields the migrated code
// reads are merged into it (shown as a diff first), the app's own fields stay; routeauth.json and
// the types are written both or neither; an existing routeauth.json is kept; and the warning after
// `apply` names the file and what it lacks.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace fs = std::filesystem;

#include "cli_support.h"

namespace {

using namespace routeauth::testing::cli;

const std::string kTypes = "brain-app/types/next-auth.d.ts";
const std::string kConfig = "brain-app/routeauth.json";

// An app's own augmentation after init --types: its user id, a subscription flag and JWT fields
// kept, the two fields the migrated code reads added (the user's tenant, the session's token).
const std::string kOwnTypesMerged =
    "import { DefaultSession } from \"next-auth\";\n"
    "import \"next-auth/jwt\";\n"
    "\n"
    "declare module \"next-auth\" {\n"
    "  interface Session {\n"
    "    is_subscribed: boolean;\n"
    "    user: {\n"
    "      id: string;\n"
    "      tenant_id?: string;\n"
    "    } & DefaultSession[\"user\"];\n"
    "    access_token?: string;\n"
    "  }\n"
    "\n"
    "  interface User {\n"
    "    access_token?: string;\n"
    "    tenant_id?: string;\n"
    "  }\n"
    "}\n"
    "\n"
    "declare module \"next-auth/jwt\" {\n"
    "  interface JWT {\n"
    "    access_token?: string;\n"
    "    tenant_id?: string;\n"
    "  }\n"
    "}\n";

// `text` without `line` where it first follows `after`.
std::string without_line(std::string text, const std::string& line, const std::string& after) {
  text.erase(text.find(after + line) + after.size(), line.size());
  return text;
}

// The app's own augmentation as it was: without the two fields.
const std::string kOwnTypes = without_line(without_line(kOwnTypesMerged, "      tenant_id?: string;\n", "      id: string;\n"),
                                           "    access_token?: string;\n", "    } & DefaultSession[\"user\"];\n");

TEST(InitTypes, MergesTheMissingFieldsIntoTheAppsOwnAugmentation) {
  Sandbox box;
  spit(box.path(kTypes), kOwnTypes);
  const Result r = box.run("init --types brain-app");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(slurp(box.path(kTypes)), kOwnTypesMerged);
  EXPECT_TRUE(fs::exists(box.path(kConfig)));
  EXPECT_TRUE(has(r.out, "brain-app/types/next-auth.d.ts declares module \"next-auth\" but its Session lacks "
                         "access_token and user.tenant_id; adding access_token and user.tenant_id:"))
      << r.out;
  // The diff comes first, then what was written.
  const size_t diff = r.out.find("+++ b/brain-app/types/next-auth.d.ts\n");
  const size_t wrote = r.out.find("routeauth: wrote brain-app/types/next-auth.d.ts\n");
  ASSERT_NE(diff, std::string::npos) << r.out;
  ASSERT_NE(wrote, std::string::npos) << r.out;
  EXPECT_LT(diff, wrote);
  EXPECT_TRUE(has(r.out, "\n+      tenant_id?: string;\n")) << r.out;
  EXPECT_TRUE(has(r.out, "\n+    access_token?: string;\n")) << r.out;
  EXPECT_TRUE(has(r.out, "routeauth: wrote brain-app/routeauth.json\n")) << r.out;
}

TEST(InitTypes, TheDiffShownIsTheChangeMade) {
  Sandbox box;
  spit(box.path(kTypes), kOwnTypes);
  const Result r = box.run("init --types brain-app");
  ASSERT_EQ(r.status, 0) << r.err;
  const size_t start = r.out.find("diff --git");
  const size_t end = r.out.find("routeauth: wrote");
  ASSERT_NE(start, std::string::npos) << r.out;
  spit(box.path(kTypes), kOwnTypes);
  EXPECT_EQ(box.git_apply(r.out.substr(start, end - start)), 0);
  EXPECT_EQ(slurp(box.path(kTypes)), kOwnTypesMerged);
}

TEST(InitTypes, BothFieldsPresentWritesNoTypes) {
  Sandbox box;
  const std::string before = slurp(box.path(kTypes));
  const Result r = box.run("init --types brain-app");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(has(r.out, "routeauth: next-auth's Session already has access_token and user.tenant_id; no types written"))
      << r.out;
  EXPECT_FALSE(has(r.out, "wrote brain-app/types")) << r.out;
  EXPECT_EQ(slurp(box.path(kTypes)), before);
}

TEST(InitTypes, WithoutAnAugmentationANewFileIsWritten) {
  Sandbox box;
  fs::remove_all(box.path("brain-app/types"));
  const Result r = box.run("init --types brain-app");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(slurp(box.path(kTypes)),
            "// Written by `routeauth init`: the session fields the migrated API routes read.\n"
            "import { DefaultSession } from \"next-auth\";\n"
            "\n"
            "declare module \"next-auth\" {\n"
            "  interface Session {\n"
            "    access_token?: string;\n"
            "    user: {\n"
            "      tenant_id?: string;\n"
            "    } & DefaultSession[\"user\"];\n"
            "  }\n"
            "}\n");
  EXPECT_FALSE(has(r.out, "diff --git")) << r.out;
  EXPECT_TRUE(has(r.out, "routeauth: wrote brain-app/types/next-auth.d.ts\n")) << r.out;
}

TEST(InitTypes, AnExistingConfigIsKeptAndItsFieldNamesFollowed) {
  Sandbox box;
  spit(box.path(kTypes), kOwnTypes);
  const std::string config = "{\n  // the app's own\n  \"accessTokenField\": \"accessToken\"\n}\n";
  spit(box.path(kConfig), config);
  const Result r = box.run("init --types brain-app");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(has(r.out, "routeauth: brain-app/routeauth.json exists and is kept; writing the Session types only"))
      << r.out;
  EXPECT_EQ(slurp(box.path(kConfig)), config);
  const std::string types = slurp(box.path(kTypes));
  EXPECT_TRUE(has(types, "    } & DefaultSession[\"user\"];\n    accessToken?: string;\n  }\n")) << types;
  EXPECT_FALSE(has(r.out, "wrote brain-app/routeauth.json")) << r.out;
  // Without --types an existing config is still refused.
  EXPECT_EQ(box.run("init brain-app").status, 2);
}

TEST(InitTypes, ATypesFileWithoutNextAuthIsRefusedAndNothingWritten) {
  Sandbox box;
  const std::string jwt_only = "declare module \"next-auth/jwt\" {\n  interface JWT {\n    id?: string;\n  }\n}\n";
  spit(box.path(kTypes), jwt_only);
  const Result r = box.run("init --types brain-app");
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(has(r.err, "brain-app/types/next-auth.d.ts: exists but declares no module \"next-auth\"")) << r.err;
  EXPECT_TRUE(has(r.err, "nothing was written")) << r.err;
  EXPECT_EQ(slurp(box.path(kTypes)), jwt_only);
  EXPECT_FALSE(fs::exists(box.path(kConfig)));
}

TEST(InitTypes, ATypesFileThatDoesNotParseIsNamedAndNothingWritten) {
  Sandbox box;
  std::string broken = kOwnTypes;
  broken.replace(broken.find("    is_subscribed: boolean;\n"), 0, "    is_subscribed: ;\n");
  spit(box.path(kTypes), broken);
  const Result r = box.run("init --types brain-app");
  EXPECT_EQ(r.status, 3);
  EXPECT_TRUE(has(r.err, "routeauth: error: brain-app/types/next-auth.d.ts:6:18: does not parse; fix it, then run init --types "
                         "again; nothing was written\n"))
      << r.err;
  EXPECT_EQ(slurp(box.path(kTypes)), broken);
  EXPECT_FALSE(fs::exists(box.path(kConfig)));
}

TEST(InitTypes, AFailedTypesWriteLeavesNoConfigBehind) {
  Sandbox box;
  fs::remove_all(box.path("brain-app/types"));
  spit(box.path("brain-app/types"), "a file where the folder would go\n");  // the types cannot be written
  const Result r = box.run("init --types brain-app");
  EXPECT_EQ(r.status, 3) << r.out;
  EXPECT_TRUE(has(r.err, "nothing was written")) << r.err;
  EXPECT_FALSE(fs::exists(box.path(kConfig))) << "routeauth.json was written without the types";
  EXPECT_FALSE(has(r.out, "wrote")) << r.out;

  // With --force over an existing config: the config is put back as it was.
  const std::string config = "{ \"tenantParam\": \"org\" }\n";
  spit(box.path(kConfig), config);
  const Result forced = box.run("init --types --force brain-app");
  EXPECT_EQ(forced.status, 3) << forced.out;
  EXPECT_EQ(slurp(box.path(kConfig)), config);
}

// ---- the warning after apply --------------------------------------------------------------------

TEST(InitTypes, ApplyNamesTheFileAndTheFieldItsSessionLacks) {
  Sandbox box;
  spit(box.path(kTypes), without_line(kOwnTypesMerged, "    access_token?: string;\n", "    } & DefaultSession[\"user\"];\n"));
  const Result r = box.run("apply brain-app");
  EXPECT_TRUE(has(r.err, "routeauth: warning: brain-app/types/next-auth.d.ts declares module \"next-auth\" but its "
                         "Session lacks access_token, so the migrated routes will not type-check; run routeauth init "
                         "--types\n"))
      << r.err;
  EXPECT_FALSE(has(r.err, "no `declare module")) << r.err;
}

TEST(InitTypes, ApplySaysSoWhenThereIsNoAugmentation) {
  Sandbox box;
  fs::remove_all(box.path("brain-app/types"));
  const Result r = box.run("apply brain-app");
  EXPECT_TRUE(has(r.err, "(no `declare module \"next-auth\"` augmentation)")) << r.err;
}

TEST(InitTypes, ApplyIsQuietWhenTheSessionHasBothFields) {
  Sandbox box;
  spit(box.path(kTypes), kOwnTypesMerged);
  const Result r = box.run("apply brain-app");
  EXPECT_FALSE(has(r.err, "warning: ")) << r.err;
}

}  // namespace
