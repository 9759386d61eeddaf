// output::unified_diff: the patch is git's own format, and real `git apply` takes it and gives
// back the new text byte for byte (CRLF, no final newline, BOM included).
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "output/diff.h"

namespace fs = std::filesystem;
using routeauth::output::unified_diff;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void spit(const fs::path& p, const std::string& bytes) {
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << bytes;
}

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// Runs a shell command; its exit status (or -1 when it did not exit normally).
int shell(const std::string& command) {
  const int raw = std::system(command.c_str());
  return raw != -1 && WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
}

// A temporary git repository, removed with everything in it.
class TempRepo {
 public:
  TempRepo() {
    std::string pattern = (fs::temp_directory_path() / "routeauth-diff-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    root_ = pattern;
    if (shell("git -C " + quote(root_.string()) + " init -q") != 0) throw std::runtime_error("git init failed");
  }
  ~TempRepo() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  TempRepo(const TempRepo&) = delete;
  TempRepo& operator=(const TempRepo&) = delete;
  [[nodiscard]] const fs::path& root() const { return root_; }

  // `git apply <args> <patch>` at the root; its exit status.
  int git_apply(const std::string& patch, const std::string& args = "") const {
    spit(root_ / "change.patch", patch);
    const int status = shell("cd " + quote(root_.string()) + " && git apply " + args +
                             " change.patch >git-apply.log 2>&1");
    log_ = slurp(root_ / "git-apply.log");
    fs::remove(root_ / "change.patch");
    fs::remove(root_ / "git-apply.log");
    return status;
  }
  [[nodiscard]] const std::string& log() const { return log_; }

 private:
  fs::path root_;
  mutable std::string log_;
};

// Writes `before` to `path` in a fresh repo, applies the diff to `after` with git, and returns what
// git made of the file.
std::string through_git(const std::string& path, const std::string& before, const std::string& after) {
  TempRepo repo;
  spit(repo.root() / path, before);
  const std::string patch = unified_diff(path, before, after);
  EXPECT_FALSE(patch.empty());
  EXPECT_EQ(repo.git_apply(patch, "--check"), 0) << repo.log() << "\n" << patch;
  EXPECT_EQ(repo.git_apply(patch), 0) << repo.log() << "\n" << patch;
  return slurp(repo.root() / path);
}

TEST(UnifiedDiff, EmptyWhenEqual) {
  EXPECT_EQ(unified_diff("app/route.ts", "a\nb\n", "a\nb\n"), "");
  EXPECT_EQ(unified_diff("app/route.ts", "", ""), "");
}

TEST(UnifiedDiff, HeaderLines) {
  const std::string patch = unified_diff("app/api/x/route.ts", "a\n", "b\n");
  std::istringstream lines(patch);
  std::string line;
  ASSERT_TRUE(std::getline(lines, line));
  EXPECT_EQ(line, "diff --git a/app/api/x/route.ts b/app/api/x/route.ts");
  bool minus = false, plus = false;
  while (std::getline(lines, line) && !line.starts_with("@@")) {
    if (line == "--- a/app/api/x/route.ts") minus = true;
    if (line == "+++ b/app/api/x/route.ts") plus = true;
  }
  EXPECT_TRUE(minus) << patch;
  EXPECT_TRUE(plus) << patch;
}

TEST(UnifiedDiff, ExactHunk) {
  const std::string patch = unified_diff("f.ts", "a\nb\nc\n", "a\nB\nc\n");
  const auto hunk = patch.find("@@");
  ASSERT_NE(hunk, std::string::npos) << patch;
  EXPECT_EQ(patch.substr(hunk), "@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
}

TEST(UnifiedDiff, InsertionKeepsThreeLinesOfContext) {
  const std::string before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
  const std::string after = "1\n2\n3\n4\n5\nnew\n6\n7\n8\n9\n";
  const std::string patch = unified_diff("f.ts", before, after);
  EXPECT_EQ(patch.substr(patch.find("@@")), "@@ -3,6 +3,7 @@\n 3\n 4\n 5\n+new\n 6\n 7\n 8\n");
}

TEST(UnifiedDiff, ContextLinesParameter) {
  const std::string before = "1\n2\n3\n4\n5\n";
  const std::string after = "1\n2\nthree\n4\n5\n";
  const std::string patch = unified_diff("f.ts", before, after, 1);
  EXPECT_EQ(patch.substr(patch.find("@@")), "@@ -2,3 +2,3 @@\n 2\n-3\n+three\n 4\n");
}

TEST(UnifiedDiff, NoFinalNewlineIsMarked) {
  const std::string patch = unified_diff("f.ts", "a\nb", "a\nb\nc");
  EXPECT_NE(patch.find("\\ No newline at end of file"), std::string::npos) << patch;
}

TEST(UnifiedDiffGitApply, SimpleChange) {
  const std::string before = "import { NextResponse } from 'next/server'\n\nexport async function GET() {\n  return 1\n}\n";
  const std::string after =
      "import { NextResponse } from 'next/server'\nimport { getServerSession } from 'next-auth'\n\n"
      "export async function GET() {\n  return 1\n}\n";
  EXPECT_EQ(through_git("app/api/x/route.ts", before, after), after);
}

TEST(UnifiedDiffGitApply, SeveralHunks) {
  std::string before, after;
  for (int i = 1; i <= 60; ++i) {
    before += "line " + std::to_string(i) + "\n";
    after += "line " + std::to_string(i) + "\n";
    if (i == 5) after += "inserted near the top\n";
    if (i == 50) after += "inserted near the end\n";
  }
  const std::string patch = unified_diff("f.ts", before, after);
  size_t hunks = 0;
  for (size_t at = patch.find("\n@@ "); at != std::string::npos; at = patch.find("\n@@ ", at + 1)) ++hunks;
  EXPECT_EQ(hunks, 2u) << patch;
  EXPECT_EQ(through_git("f.ts", before, after), after);
}

TEST(UnifiedDiffGitApply, CrlfFile) {
  const std::string before = "import a from 'a'\r\n\r\nexport function GET() {\r\n  return a\r\n}\r\n";
  const std::string after =
      "import a from 'a'\r\nimport b from 'b'\r\n\r\nexport function GET() {\r\n  b()\r\n  return a\r\n}\r\n";
  EXPECT_EQ(through_git("app/route.ts", before, after), after);
}

TEST(UnifiedDiffGitApply, FileWithoutFinalNewline) {
  // The last line is within the hunk's context, so the patch must mark it.
  const std::string before = "import a from 'a'\n\nexport function GET() { return a }";
  const std::string after = "import a from 'a'\nimport b from 'b'\n\nexport function GET() { return a }";
  EXPECT_NE(unified_diff("route.ts", before, after).find("\\ No newline at end of file"), std::string::npos);
  EXPECT_EQ(through_git("route.ts", before, after), after);
}

TEST(UnifiedDiffGitApply, ChangeOnTheLastLineWithoutFinalNewline) {
  const std::string before = "a\nb\nc";
  const std::string after = "a\nb\nC";
  const std::string patch = unified_diff("route.ts", before, after);
  EXPECT_EQ(patch.substr(patch.find("@@")),
            "@@ -1,3 +1,3 @@\n a\n b\n-c\n\\ No newline at end of file\n+C\n\\ No newline at end of file\n");
  EXPECT_EQ(through_git("route.ts", before, after), after);
}

TEST(UnifiedDiffGitApply, AddingTheFinalNewline) {
  EXPECT_EQ(through_git("route.ts", "a\nb", "a\nb\n"), "a\nb\n");
  EXPECT_EQ(through_git("route.ts", "a\nb\n", "a\nb"), "a\nb");
}

TEST(UnifiedDiffGitApply, FileWithBom) {
  const std::string bom = "\xEF\xBB\xBF";
  const std::string before = bom + "import a from 'a'\nexport function GET() {\n  return a\n}\n";
  const std::string after = bom + "import a from 'a'\nimport b from 'b'\nexport function GET() {\n  return a\n}\n";
  EXPECT_EQ(through_git("route.ts", before, after), after);
}

TEST(UnifiedDiffGitApply, ChangeOnTheBomLine) {
  const std::string bom = "\xEF\xBB\xBF";
  const std::string before = bom + "'use server'\nexport function GET() {}\n";
  const std::string after = bom + "'use server'\n\nimport b from 'b'\nexport function GET() {}\n";
  EXPECT_EQ(through_git("route.ts", before, after), after);
  const std::string first = bom + "import a from 'a'\n";
  EXPECT_EQ(through_git("route.ts", first, bom + "import z from 'z'\n"), bom + "import z from 'z'\n");
}

TEST(UnifiedDiffGitApply, PathWithBrackets) {
  const std::string path = "app/api/deals/[id]/route.ts";
  EXPECT_EQ(through_git(path, "a\n", "a\nb\n"), "a\nb\n");
}

}  // namespace
