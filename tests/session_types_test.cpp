// The project's own next-auth augmentation (engine/session_types.h): which fields it lacks, and
// the golden merges fixtures/types/<case>.input.d.ts -> .output.d.ts (the input as a project's
// types/next-auth.d.ts; the output is what `init --types` makes of it, byte for byte, and it is
// complete: a second run changes nothing). ROUTEAUTH_UPDATE_FIXTURES=1 writes the actual outputs
// instead, for review.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "engine/session_types.h"
#include "engine/source.h"
#include "engine/syntax.h"
#include "test_support.h"

namespace fs = std::filesystem;
using namespace routeauth;
using routeauth::testing::slurp;

namespace {

// A temporary project folder (package.json) that files are written into.
class Project {
 public:
  Project() {
    std::string pattern = (fs::temp_directory_path() / "routeauth-types-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    root_ = pattern;
    write("package.json", "{ \"name\": \"app\" }\n");
  }
  ~Project() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  Project(const Project&) = delete;
  Project& operator=(const Project&) = delete;
  void write(const std::string& rel, const std::string& bytes) const {
    fs::create_directories((root_ / rel).parent_path());
    routeauth::testing::spit(root_ / rel, bytes);
  }
  [[nodiscard]] std::string root() const { return root_.string(); }

 private:
  fs::path root_;
};

constexpr const char* kBrainStyle =
    "import { DefaultSession } from \"next-auth\";\n"
    "\n"
    "declare module \"next-auth\" {\n"
    "  interface Session {\n"
    "    user: {\n"
    "      id: string;\n"
    "    } & DefaultSession[\"user\"];\n"
    "  }\n"
    "}\n";

struct Case {
  std::string name;
  fs::path input, output;
};

std::vector<Case> cases() {
  std::vector<Case> out;
  const fs::path dir = routeauth::testing::source_dir() / "fixtures" / "types";
  if (!fs::exists(dir)) return out;
  const std::string suffix = ".input.d.ts";
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string file = entry.path().filename().string();
    if (!file.ends_with(suffix)) continue;
    const std::string name = file.substr(0, file.size() - suffix.size());
    out.push_back(Case{name, entry.path(), dir / (name + ".output.d.ts")});
  }
  std::sort(out.begin(), out.end(), [](const Case& a, const Case& b) { return a.name < b.name; });
  return out;
}

[[maybe_unused]] void PrintTo(const Case& c, std::ostream* os) { *os << c.input.string(); }

class TypesGolden : public ::testing::TestWithParam<Case> {};

TEST_P(TypesGolden, MergesExactlyTheMissingFields) {
  const Case& c = GetParam();
  const std::string input = slurp(c.input);
  Project project;
  project.write("types/next-auth.d.ts", input);
  const auto changes = engine::complete_session_types(project.root(), engine::Config{});
  ASSERT_LE(changes.size(), 1u);
  std::string actual = input;
  if (!changes.empty()) {
    EXPECT_EQ(changes[0].file, "types/next-auth.d.ts");
    EXPECT_FALSE(changes[0].created);
    EXPECT_EQ(changes[0].before, input);
    actual = changes[0].after;
  }
  if (std::getenv("ROUTEAUTH_UPDATE_FIXTURES")) {
    routeauth::testing::spit(c.output, actual);
    return;
  }
  ASSERT_TRUE(fs::exists(c.output)) << c.output << " is missing";
  EXPECT_EQ(actual, slurp(c.output));

  // The output is complete, parses, and a second run leaves it alone.
  project.write("types/next-auth.d.ts", actual);
  EXPECT_TRUE(engine::find_session_types(project.root(), engine::Config{}).complete());
  EXPECT_TRUE(engine::complete_session_types(project.root(), engine::Config{}).empty());
  engine::Parser parser;
  const engine::SourceFile file("next-auth.d.ts", actual);
  const engine::Tree tree = parser.parse(file);
  ASSERT_TRUE(tree);
  EXPECT_FALSE(engine::first_syntax_error(tree.root()));
}

INSTANTIATE_TEST_SUITE_P(Fixtures, TypesGolden, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case>& param) {
                           std::string name = param.param.name;
                           for (char& ch : name) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return name;
                         });

TEST(SessionTypes, TheFixturesFolderHasCases) { EXPECT_GE(cases().size(), 8u); }

TEST(SessionTypes, SaysWhichFieldIsMissingFromWhichFile) {
  Project project;
  project.write("types/next-auth.d.ts", kBrainStyle);
  const auto types = engine::find_session_types(project.root(), engine::Config{});
  ASSERT_TRUE(types.augmented());
  EXPECT_EQ(types.files, std::vector<std::string>{"types/next-auth.d.ts"});
  EXPECT_TRUE(types.has_session);
  EXPECT_FALSE(types.token.declared);
  EXPECT_FALSE(types.tenant.declared);
  EXPECT_EQ(types.missing(), "access_token and user.tenant_id");
}

TEST(SessionTypes, AFieldInAnyBlockOfAnyFileCounts) {
  Project project;
  project.write("types/next-auth.d.ts",
                "declare module \"next-auth\" {\n  interface Session {\n    access_token?: string;\n  }\n}\n");
  project.write("lib/session.d.ts",
                "import type { DefaultSession } from \"next-auth\";\n"
                "declare module 'next-auth' {\n  interface Session {\n    user: {\n      tenant_id?: string;\n"
                "    } & DefaultSession[\"user\"];\n  }\n}\n");
  const auto types = engine::find_session_types(project.root(), engine::Config{});
  EXPECT_EQ(types.files, (std::vector<std::string>{"lib/session.d.ts", "types/next-auth.d.ts"}));
  EXPECT_TRUE(types.complete());
  EXPECT_TRUE(engine::complete_session_types(project.root(), engine::Config{}).empty());
}

TEST(SessionTypes, TheFieldsOnUserAndJwtAreNotTheSessions) {
  // What the old text search took for an augmented Session: both names appear, on User and JWT.
  Project project;
  project.write("types/next-auth.d.ts",
                "import \"next-auth/jwt\";\n"
                "declare module \"next-auth\" {\n  interface User {\n    access_token?: string;\n    tenant_id?: string;\n  }\n}\n"
                "declare module \"next-auth/jwt\" {\n  interface JWT {\n    access_token?: string;\n    tenant_id?: string;\n  }\n}\n");
  const auto types = engine::find_session_types(project.root(), engine::Config{});
  EXPECT_TRUE(types.augmented());
  EXPECT_FALSE(types.has_session);
  EXPECT_FALSE(types.token.declared);
  EXPECT_FALSE(types.tenant.declared);
}

TEST(SessionTypes, FollowsTheConfiguredFieldNames) {
  Project project;
  project.write("types/next-auth.d.ts", kBrainStyle);
  engine::Config config;
  config.access_token_field = "accessToken";
  config.tenant_field = "user.orgId";
  const auto changes = engine::complete_session_types(project.root(), config);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].after,
            "import { DefaultSession } from \"next-auth\";\n"
            "\n"
            "declare module \"next-auth\" {\n"
            "  interface Session {\n"
            "    user: {\n"
            "      id: string;\n"
            "      orgId?: string;\n"
            "    } & DefaultSession[\"user\"];\n"
            "    accessToken?: string;\n"
            "  }\n"
            "}\n");
  project.write("types/next-auth.d.ts", changes[0].after);
  EXPECT_TRUE(engine::find_session_types(project.root(), config).complete());
  EXPECT_FALSE(engine::find_session_types(project.root(), engine::Config{}).complete());
}

TEST(SessionTypes, DependenciesAndBuildOutputAreNotTheProjects) {
  Project project;
  const std::string complete =
      "declare module \"next-auth\" {\n  interface Session {\n    access_token?: string;\n"
      "    user: { tenant_id?: string };\n  }\n}\n";
  project.write("node_modules/some-lib/index.d.ts", complete);
  project.write(".next/types/auth.d.ts", complete);
  project.write("dist/types.d.ts", complete);
  const auto types = engine::find_session_types(project.root(), engine::Config{});
  EXPECT_FALSE(types.augmented());
  EXPECT_FALSE(types.complete());
}

TEST(SessionTypes, WithoutAnAugmentationANewFileIsWritten) {
  Project project;
  const auto changes = engine::complete_session_types(project.root(), engine::Config{});
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].file, "types/next-auth.d.ts");
  EXPECT_TRUE(changes[0].created);
  EXPECT_EQ(changes[0].after, engine::session_augmentation(engine::Config{}));
  project.write("types/next-auth.d.ts", changes[0].after);
  EXPECT_TRUE(engine::find_session_types(project.root(), engine::Config{}).complete());
}

TEST(SessionTypes, ADescriptionNamesTheFilesAndTheMissingFields) {
  Project project;
  project.write("types/next-auth.d.ts",
                "declare module \"next-auth\" {\n  interface Session {\n    user: { tenant_id?: string };\n  }\n}\n");
  const auto here = fs::current_path();
  fs::current_path(project.root());
  auto types = engine::find_session_types(".", engine::Config{});
  EXPECT_EQ(types.describe(), "types/next-auth.d.ts declares module \"next-auth\" but its Session lacks access_token");
  project.write("lib/more.d.ts", "declare module \"next-auth\" {\n  interface User {\n    id: string;\n  }\n}\n");
  types = engine::find_session_types(".", engine::Config{});
  EXPECT_EQ(types.describe(),
            "lib/more.d.ts and types/next-auth.d.ts declare module \"next-auth\" but their Session lacks access_token");
  fs::current_path(here);
}

}  // namespace
