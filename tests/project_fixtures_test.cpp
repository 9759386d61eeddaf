// The golden project fixtures (issue 18 point 2): what a whole project looks like after
// `routeauth apply`, where the file fixtures (fixtures_test.cpp) hold one route each.
//
//   fixtures/projects/<case>/input/         a small project tree: package.json, tsconfig.json
//                                           (with `paths`), app/api/**/route.ts, lib/..., and
//                                           optionally its routeauth.json
//   fixtures/projects/<case>/output/        the whole tree after `routeauth apply .`
//   fixtures/projects/<case>/findings.txt   optional: what `routeauth check .` prints on the
//                                           input (paths relative to the project)
//
// Each run is the real binary on a copy of a tree in a temporary folder made a fresh git
// repository (`git init`), as a real project is one: its ignore rules apply and the config search
// stops at its root. A file named `gitignore` in a tree is the project's `.gitignore` (renamed in
// the copy and back): a real `.gitignore` under fixtures/ would apply to routeauth's own repository.
// For every case:
//   apply(input) == output, every file byte for byte, none added or removed;
//   apply(output) == output;   check(output) exits 0 and prints nothing;
//   every route of the output parses;   check(input) == findings.txt when present.
// ROUTEAUTH_UPDATE_FIXTURES=1 rewrites output/ (and findings.txt, when check finds something or
// the file exists) from the actual run instead, for review.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "cli_support.h"
#include "engine/source.h"
#include "engine/syntax.h"
#include "test_support.h"

namespace fs = std::filesystem;
using namespace routeauth::testing::cli;

namespace {

const fs::path kProjects = fs::path(ROUTEAUTH_SOURCE_DIR) / "fixtures" / "projects";
const std::string kGitignore = "gitignore";  // the name a project's .gitignore has in a fixture

struct ProjectFixture {
  std::string name;
  fs::path dir;
  [[nodiscard]] fs::path input() const { return dir / "input"; }
  [[nodiscard]] fs::path output() const { return dir / "output"; }
  [[nodiscard]] fs::path findings() const { return dir / "findings.txt"; }
};

[[maybe_unused]] void PrintTo(const ProjectFixture& f, std::ostream* os) { *os << f.dir.string(); }

std::vector<ProjectFixture> discover() {
  std::vector<ProjectFixture> out;
  if (!fs::is_directory(kProjects)) return out;
  for (const auto& entry : fs::directory_iterator(kProjects)) {
    if (entry.is_directory() && fs::is_directory(entry.path() / "input")) {
      out.push_back({entry.path().filename().string(), entry.path()});
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

// Every regular file below `root` (not .git), by path relative to it, `.gitignore` named as in a
// fixture.
using Files = std::map<std::string, std::string>;

Files tree_of(const fs::path& root) {
  Files files;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    if (it->is_directory() && it->path().filename() == ".git") {
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file()) continue;
    fs::path rel = it->path().lexically_relative(root);
    if (rel.filename() == ".gitignore") rel.replace_filename(kGitignore);
    files[rel.generic_string()] = slurp(it->path());
  }
  return files;
}

void write_tree(const Files& files, const fs::path& root, bool as_project) {
  for (const auto& [rel, bytes] : files) {
    fs::path p = root / rel;
    if (as_project && p.filename() == kGitignore) p.replace_filename(".gitignore");
    spit(p, bytes);
  }
}

// A fixture tree copied into a fresh git repository in a temporary folder, removed afterwards.
class ProjectCopy {
 public:
  explicit ProjectCopy(const fs::path& from) {
    std::string pattern = (fs::temp_directory_path() / "routeauth-project-fixture-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    root_ = pattern;
    write_tree(tree_of(from), root_, true);
    if (exit_status(std::system(("git -C " + quote(root_.string()) + " init -q").c_str())) != 0) {
      throw std::runtime_error("git init failed");
    }
  }
  ~ProjectCopy() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  ProjectCopy(const ProjectCopy&) = delete;
  ProjectCopy& operator=(const ProjectCopy&) = delete;

  [[nodiscard]] Result run(const std::string& args) const { return Sandbox::run_in(root_, args); }
  [[nodiscard]] Files tree() const { return tree_of(root_); }

 private:
  fs::path root_;
};

// The differences between two trees, one line each ("" when equal).
std::string differences(const Files& actual, const Files& expected) {
  std::string out;
  for (const auto& [rel, bytes] : expected) {
    const auto it = actual.find(rel);
    if (it == actual.end()) {
      out += rel + ": missing\n";
    } else if (it->second != bytes) {
      out += rel + ": differs; actual:\n" + it->second + "\n";
    }
  }
  for (const auto& [rel, bytes] : actual) {
    if (!expected.contains(rel)) out += rel + ": added\n";
  }
  return out;
}

bool is_route(const std::string& rel) {
  const std::string name = fs::path(rel).filename().string();
  return name.starts_with("route.") && (name.ends_with(".ts") || name.ends_with(".tsx") || name.ends_with(".js") ||
                                        name.ends_with(".jsx") || name.ends_with(".mjs"));
}

class ProjectGolden : public ::testing::TestWithParam<ProjectFixture> {};

TEST_P(ProjectGolden, Holds) {
  const ProjectFixture& f = GetParam();
  const ProjectCopy applied(f.input());
  const Result apply = applied.run("apply --no-progress .");
  ASSERT_EQ(apply.status, 0) << "apply on " << f.input() << ":\n" << apply.out << apply.err;
  const Files actual = applied.tree();

  if (std::getenv("ROUTEAUTH_UPDATE_FIXTURES")) {
    fs::remove_all(f.output());
    write_tree(actual, f.output(), false);
    const Result check = ProjectCopy(f.input()).run("check --no-progress .");
    if (!check.out.empty() || fs::exists(f.findings())) spit(f.findings(), check.out);
    GTEST_SKIP() << "updated " << f.output();
  }

  ASSERT_TRUE(fs::is_directory(f.output())) << f.output() << " is missing";
  const Files expected = tree_of(f.output());
  EXPECT_EQ(differences(actual, expected), "") << "apply(input) differs from " << f.output();

  const ProjectCopy again(f.output());
  const Result reapply = again.run("apply --no-progress .");
  EXPECT_EQ(reapply.status, 0) << reapply.out << reapply.err;
  EXPECT_EQ(differences(again.tree(), expected), "") << "apply(output) changes the output: not idempotent";

  const Result clean = ProjectCopy(f.output()).run("check --no-progress .");
  EXPECT_EQ(clean.status, 0) << "check(output):\n" << clean.out << clean.err;
  EXPECT_EQ(clean.out, "") << "check(output) still finds something";

  routeauth::engine::Parser parser;
  size_t routes = 0;
  for (const auto& [rel, bytes] : expected) {
    if (!is_route(rel)) continue;
    ++routes;
    const routeauth::engine::SourceFile file(rel, bytes);
    const routeauth::engine::Tree tree = parser.parse(file);
    EXPECT_FALSE(routeauth::engine::first_syntax_error(tree.root()).has_value()) << rel << " does not parse";
  }
  EXPECT_GT(routes, 0u) << f.output() << " holds no route";

  if (fs::exists(f.findings())) {
    const Result check = ProjectCopy(f.input()).run("check --no-progress .");
    EXPECT_EQ(check.out, slurp(f.findings())) << "check(input) differs from " << f.findings();
  }
}

std::string name_of(const ::testing::TestParamInfo<ProjectFixture>& info) {
  return routeauth::testing::case_name(info.param.name);
}

INSTANTIATE_TEST_SUITE_P(ProjectFixtures, ProjectGolden, ::testing::ValuesIn(discover()), name_of);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(ProjectGolden);

TEST(ProjectFixtures, EveryCaseHasItsOutput) {
  const auto cases = discover();
  EXPECT_GE(cases.size(), 4u) << "fixtures/projects/ lost its cases";
  for (const auto& f : cases) {
    if (std::getenv("ROUTEAUTH_UPDATE_FIXTURES")) continue;
    EXPECT_TRUE(fs::is_directory(f.output())) << f.input() << " has no output/ beside it";
  }
}

}  // namespace
