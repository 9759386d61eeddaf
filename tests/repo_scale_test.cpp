// Repository-scale behaviour of the CLI: .gitignore, include/exclude, route lists (the migration
// guide's Markdown checklist), configuration files, authOptions detection through tsconfig
// paths, init, parallel runs and shards. Each test runs the real binary in a temporary git repo.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "cli_support.h"

namespace {

using namespace routeauth::testing::cli;

const char* kRoute =
    "import { NextRequest, NextResponse } from 'next/server'\n"
    "\n"
    "const BRAIN_API_URL = process.env.BRAIN_API_URL || 'http://localhost:8000'\n"
    "\n"
    "export async function POST(request: NextRequest) {\n"
    "  const response = await fetch(`${BRAIN_API_URL}/api/x/`, { method: 'POST' })\n"
    "  return NextResponse.json(await response.json())\n"
    "}\n";

// A git repository with route files at the given paths (relative to its root).
class Repo {
 public:
  explicit Repo(const std::vector<std::string>& routes) {
    std::string pattern = (fs::temp_directory_path() / "routeauth-scale-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    root_ = pattern;
    std::system(("git -C " + quote(root_.string()) + " init -q").c_str());
    for (const auto& r : routes) write(r, kRoute);
  }
  ~Repo() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  void write(const std::string& rel, const std::string& text) const {
    fs::create_directories((root_ / rel).parent_path());
    spit(root_ / rel, text);
  }
  [[nodiscard]] std::string read(const std::string& rel) const { return slurp(root_ / rel); }
  [[nodiscard]] Result run(const std::string& args, const std::string& in_dir = "") const {
    return Sandbox::run_in(in_dir.empty() ? root_ : root_ / in_dir, args);
  }
  [[nodiscard]] const fs::path& root() const { return root_; }

 private:
  fs::path root_;
};

// The paths `check` reports findings for, in order of first appearance.
std::vector<std::string> reported(const Result& r) {
  std::vector<std::string> out;
  for (const auto& line : lines_of(r.out)) {
    const std::string path = line.substr(0, line.find(':'));
    if (std::find(out.begin(), out.end(), path) == out.end()) out.push_back(path);
  }
  return out;
}

TEST(RepoScale, GitignoredRoutesAreSkipped) {
  Repo repo({"app/api/a/route.ts", "app/api/generated/b/route.ts", "app/api/c/route.ts"});
  repo.write(".gitignore", "app/api/generated/\n");
  repo.write("app/api/.gitignore", "c/\n");  // a nested .gitignore counts too
  const Result r = repo.run("check .");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(reported(r), (std::vector<std::string>{"app/api/a/route.ts"}));
}

TEST(RepoScale, NodeModulesAndNextAreSkippedEvenWithoutGitignore) {
  Repo repo({"app/api/a/route.ts", "node_modules/pkg/app/api/x/route.ts", ".next/server/app/api/y/route.ts"});
  EXPECT_EQ(reported(repo.run("check .")), (std::vector<std::string>{"app/api/a/route.ts"}));
}

TEST(RepoScale, IncludeAndExcludeGlobs) {
  Repo repo({"app/api/brain/a/route.ts", "app/api/brain/legacy/b/route.ts", "app/api/other/c/route.ts"});
  EXPECT_EQ(reported(repo.run("check --include 'app/api/brain/**' --exclude 'app/api/brain/legacy/**' .")),
            (std::vector<std::string>{"app/api/brain/a/route.ts"}));
}

TEST(RepoScale, TheGuidesMarkdownChecklistIsARouteList) {
  Repo repo({"app/api/brain/django-crm/contacts/route.ts", "app/api/brain/wagtail/pages/route.ts",
             "app/api/brain/unlisted/route.ts"});
  repo.write("docs/guide.md",
             "# Guide\n\n## Routes to Update\n\n### CRM Routes (Priority: High)\n"
             "- [ ] `/app/api/brain/django-crm/contacts/route.ts`\n"
             "- [x] `/app/api/brain/wagtail/pages/route.ts`\n\n"
             "## Testing Checklist\n- [ ] Verify imports are correct\n- [ ] Check that `tenant_id` is added\n");
  const Result r = repo.run("check --routes-from docs/guide.md");
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(reported(r), (std::vector<std::string>{"app/api/brain/django-crm/contacts/route.ts",
                                                   "app/api/brain/wagtail/pages/route.ts"}));
}

TEST(RepoScale, AMissingListedRouteIsAnErrorThatNamesIt) {
  Repo repo({"app/api/a/route.ts"});
  repo.write("routes.txt", "app/api/a/route.ts\napp/api/gone/route.ts\n");
  const Result r = repo.run("check --routes-from routes.txt");
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(has(r.err, "app/api/gone/route.ts: no such file or directory")) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(RepoScale, StdinListsRoutes) {
  Repo repo({"app/api/a/route.ts", "app/api/b/route.ts"});
  repo.write("list.txt", "app/api/b/route.ts\n");
  const Result r = repo.run("check --stdin < list.txt");
  EXPECT_EQ(reported(r), (std::vector<std::string>{"app/api/b/route.ts"}));
}

TEST(RepoScale, ConfigFileSettingsApply) {
  Repo repo({"app/api/a/route.ts"});
  repo.write("app/api/a/route.ts",
             "const API_URL = process.env.API_URL!\n"
             "export async function GET() {\n  return fetch(`${API_URL}/x`)\n}\n");
  // Comments are allowed; the default base would not see API_URL.
  repo.write("routeauth.json", "{\n  // our backend\n  \"backends\": [\"API_URL\"],\n  \"rules\": { \"no-store\": false }\n}\n");
  const Result r = repo.run("check .");
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(has(r.out, "[session-call]")) << r.out;
  EXPECT_FALSE(has(r.out, "[no-store]")) << r.out;
  // Flags win over the file.
  EXPECT_TRUE(has(repo.run("check --enable no-store .").out, "[no-store]"));
}

TEST(RepoScale, PackageJsonRouteauthKeyIsAConfig) {
  Repo repo({"app/api/a/route.ts"});
  repo.write("package.json", "{ \"name\": \"x\", \"routeauth\": { \"rules\": { \"session-call\": false } } }\n");
  const Result r = repo.run("check .");
  EXPECT_FALSE(has(r.out, "[session-call]")) << r.out;
  EXPECT_TRUE(has(r.out, "[auth-header]")) << r.out;
}

TEST(RepoScale, UnknownConfigKeyIsAnErrorNamingKeyAndFile) {
  Repo repo({"app/api/a/route.ts"});
  repo.write("routeauth.json", "{ \"backend\": [\"X\"] }\n");
  const Result r = repo.run("check .");
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(has(r.err, "routeauth.json: unknown key \"backend\"")) << r.err;
}

TEST(RepoScale, WrongConfigTypeIsAnErrorNamingKeyAndFile) {
  Repo repo({"app/api/a/route.ts"});
  repo.write("routeauth.json", "{ \"backends\": \"BRAIN_API_URL\" }\n");
  const Result r = repo.run("check .");
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(has(r.err, "routeauth.json: \"backends\" must be an array of strings")) << r.err;
  repo.write("routeauth.json", "{ \"rules\": { \"no-such-rule\": false } }\n");
  EXPECT_TRUE(has(repo.run("check .").err, "unknown rule \"no-such-rule\""));
}

TEST(RepoScale, AuthOptionsDetectedUnderTheTsconfigAlias) {
  Repo repo({"app/api/a/route.ts"});
  repo.write("lib/auth.ts", "import type { NextAuthOptions } from 'next-auth'\nexport const authOptions: NextAuthOptions = { providers: [] }\n");
  // tsconfig.json with comments and trailing commas, as real ones have.
  repo.write("tsconfig.json",
             "{\n  // paths for the app\n  \"compilerOptions\": {\n    \"baseUrl\": \".\",\n"
             "    \"paths\": { \"@/*\": [\"./*\"], },\n  },\n}\n");
  repo.write("package.json", "{ \"name\": \"x\" }\n");
  const Result r = repo.run("diff .");
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_TRUE(has(r.out, "+import { authOptions } from '@/lib/auth'")) << r.out;
}

TEST(RepoScale, AuthOptionsWithoutAnAliasIsImportedRelatively) {
  Repo repo({"app/api/a/route.ts"});
  repo.write("lib/auth.ts", "export const authOptions = { providers: [] }\n");
  repo.write("package.json", "{ \"name\": \"x\" }\n");
  const Result r = repo.run("diff .");
  EXPECT_TRUE(has(r.out, "+import { authOptions } from '../../../lib/auth'")) << r.out;
}

TEST(RepoScale, InitWritesACommentedConfigThatLoads) {
  Repo repo({"app/api/a/route.ts"});
  repo.write("package.json", "{ \"name\": \"x\" }\n");
  repo.write("tsconfig.json", "{ \"compilerOptions\": { \"paths\": { \"@/*\": [\"./*\"] } } }\n");
  const Result r = repo.run("init --types");
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string config = repo.read("routeauth.json");
  EXPECT_TRUE(has(config, "// ")) << config;
  EXPECT_TRUE(has(config, "\"backends\": [\"process.env.BRAIN_API_URL\"]")) << config;  // inferred (issue 13)
  EXPECT_TRUE(has(repo.read("types/next-auth.d.ts"), "access_token?: string"));
  EXPECT_EQ(repo.run("check .").status, 1);  // the written config is valid
  EXPECT_EQ(repo.run("init").status, 2);     // and is not overwritten without --force
}

TEST(RepoScale, JobsDoNotChangeTheOutput) {
  std::vector<std::string> routes;
  for (int i = 0; i < 40; ++i) routes.push_back("app/api/r" + std::to_string(i) + "/route.ts");
  Repo repo(routes);
  const Result one = repo.run("diff --jobs 1 .");
  const Result four = repo.run("diff --jobs 4 .");
  EXPECT_EQ(one.status, 1);
  EXPECT_EQ(one.out, four.out);
  EXPECT_EQ(one.err, four.err);
  EXPECT_EQ(repo.run("check --jobs 1 .").out, repo.run("check --jobs 4 .").out);
}

TEST(RepoScale, ShardsCoverEveryFileExactlyOnce) {
  std::vector<std::string> routes;
  for (int i = 0; i < 30; ++i) routes.push_back("app/api/r" + std::to_string(i) + "/route.ts");
  Repo repo(routes);
  std::multiset<std::string> seen;
  for (int k = 1; k <= 3; ++k) {
    const auto files = reported(repo.run("check --shard " + std::to_string(k) + "/3 ."));
    EXPECT_FALSE(files.empty()) << "shard " << k << " is empty";
    seen.insert(files.begin(), files.end());
  }
  EXPECT_EQ(seen.size(), 30u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 30u);
  EXPECT_EQ(repo.run("check --shard 4/3 .").status, 2);
}

}  // namespace
