// engine::ModuleResolver: relative imports, tsconfig/jsconfig paths and baseUrl (with `extends`),
// extensions and index files, packages left unresolved; and the alias a file is imported by.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "engine/modules.h"

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

}  // namespace
