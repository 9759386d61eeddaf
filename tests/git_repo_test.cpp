// engine::GitRepo::discover: an ordinary repository is found without starting libgit2, and the
// work tree it reports is the one libgit2 reports; other layouts are left to libgit2.
#include <gtest/gtest.h>

#include <git2.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "engine/git_repo.h"

namespace fs = std::filesystem;
using routeauth::engine::GitRepo;

namespace {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "routeauth-gitrepo-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = fs::canonical(pattern);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  [[nodiscard]] const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void run(const std::string& command) { ASSERT_EQ(std::system(command.c_str()), 0) << command; }

// What libgit2 itself says the work tree of the repository around `path` is.
std::optional<std::string> libgit2_workdir(const fs::path& path) {
  routeauth::engine::ensure_libgit2();
  git_repository* repo = nullptr;
  if (git_repository_open_ext(&repo, path.c_str(), 0, nullptr) != 0) return std::nullopt;
  std::optional<std::string> out;
  if (const char* wd = git_repository_workdir(repo)) out = wd;
  git_repository_free(repo);
  return out;
}

// A repository at `root` with one route file, app/api/x/route.ts.
void make_repo(const fs::path& root) {
  fs::create_directories(root / "app/api/x");
  run("git -C '" + root.string() + "' init -q");
  std::ofstream(root / "app/api/x/route.ts") << "export async function GET() {}\n";
}

void expect_like_libgit2(const fs::path& path) {
  const auto repo = GitRepo::discover(path.string());
  const auto want = libgit2_workdir(path);
  ASSERT_EQ(repo.has_value(), want.has_value()) << path;
  if (repo) {
    EXPECT_EQ(repo->workdir(), *want) << path;
  }
}

TEST(GitRepoDiscover, FindsTheWorkTreeAsLibgit2Does) {
  TempDir dir;
  const fs::path root = dir.path() / "repo";
  make_repo(root);
  std::ofstream(root / ".gitignore") << "ignored/\n";
  expect_like_libgit2(root);
  expect_like_libgit2(root / "app/api/x");
  expect_like_libgit2(root / "app/api/x/route.ts");
  // Opened on first use: ignore rules work through the lazily started libgit2.
  const auto repo = GitRepo::discover((root / "app").string());
  ASSERT_TRUE(repo);
  EXPECT_TRUE(repo->ignored("ignored/"));
  EXPECT_FALSE(repo->ignored("app/api/x/route.ts"));
  EXPECT_EQ(fs::path(repo->git_dir()), root / ".git/");
}

TEST(GitRepoDiscover, LinkedWorktreesAndSymlinksAndNoRepository) {
  TempDir dir;
  const fs::path root = dir.path() / "repo";
  make_repo(root);
  run("git -C '" + root.string() + "' add -A && git -C '" + root.string() +
      "' -c user.name=t -c user.email=t@t commit -qm x");
  run("git -C '" + root.string() + "' worktree add -q '" + (dir.path() / "linked").string() + "' 2>/dev/null");
  expect_like_libgit2(dir.path() / "linked");
  expect_like_libgit2(dir.path() / "linked/app");
  fs::create_directory_symlink(root / "app", dir.path() / "alias");
  expect_like_libgit2(dir.path() / "alias");
  fs::create_directories(dir.path() / "plain/app");
  expect_like_libgit2(dir.path() / "plain/app");
}

}  // namespace

namespace {

// inside() resolves the folders of a path (each folder worked out once and remembered): asked
// again and again, through links and for paths that do not exist, it answers as
// fs::weakly_canonical would.
TEST(GitRepoInside, FoldersResolvedThroughLinksAndRemembered) {
  TempDir dir;
  const fs::path root = dir.path() / "repo";
  make_repo(root);
  fs::create_directories(root / "app/api/real");
  fs::create_directory_symlink(root / "app/api/real", root / "app/api/alias");  // a link inside
  fs::create_directory_symlink(root / "app", dir.path() / "outside-link");      // a link from outside
  fs::create_directory_symlink(dir.path(), root / "app/api/up");                // out of the repo
  const auto repo = GitRepo::discover(root.string());
  ASSERT_TRUE(repo);
  for (int round = 0; round < 2; ++round) {
    EXPECT_EQ(repo->inside((root / "app/api/real/route.ts").string()), "app/api/real/route.ts");
    EXPECT_EQ(repo->inside((root / "app/api/alias/route.ts").string()), "app/api/real/route.ts");
    EXPECT_EQ(repo->inside((dir.path() / "outside-link/api/x/route.ts").string()), "app/api/x/route.ts");
    EXPECT_EQ(repo->inside((root / "app/api/up/elsewhere.ts").string()), std::nullopt);
    EXPECT_EQ(repo->inside((root / "app/api/alias").string()), "app/api/alias");  // a link at the end stays
    EXPECT_EQ(repo->inside((root / "app/api/gone/deeper/route.ts").string()), "app/api/gone/deeper/route.ts");
    EXPECT_EQ(repo->inside(root.string()), ".");
    EXPECT_EQ(repo->inside((dir.path() / "elsewhere.ts").string()), std::nullopt);
  }
}

}  // namespace
