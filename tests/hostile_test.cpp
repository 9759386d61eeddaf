// Hostile and odd input, careful writes and interrupted runs (issue 7), through the real binary:
// every refusal is one line that says what, where and what to do, and leaves the file on disk
// byte for byte as it was; every odd-but-valid file is migrated without disturbing the rest.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "cli_support.h"

extern char** environ;

namespace routeauth::testing::cli {
namespace {

const std::string kRel = "brain-app/app/api/hostile/route.ts";

// A route apply migrates; `extra` goes inside the handler, before the fetch.
std::string route(const std::string& extra = "", const std::string& eol = "\n") {
  std::string text = "import { NextResponse } from 'next/server'\n"
                     "\n"
                     "const BRAIN_API_URL = process.env.BRAIN_API_URL || 'http://localhost:8000'\n"
                     "\n"
                     "export async function GET() {\n" +
                     extra +
                     "  const response = await fetch(`${BRAIN_API_URL}/api/things/`)\n"
                     "  return NextResponse.json(await response.json())\n"
                     "}\n";
  if (eol == "\n") return text;
  std::string out;
  for (char c : text) {
    if (c == '\n') {
      out += eol;
    } else {
      out += c;
    }
  }
  return out;
}

bool migrated(const std::string& text) { return has(text, "getServerSession(authOptions)"); }

// Runs `apply` on the one file and expects it refused with `message`, the file unchanged.
void expect_refused(Sandbox& box, const std::string& bytes, const std::string& message, const std::string& args = "") {
  spit(box.path(kRel), bytes);
  const Result r = box.run("apply --no-progress " + args + (args.empty() ? "" : " ") + quote(kRel));
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_TRUE(has(r.err, message)) << r.err;
  // One line for the refusal, one for the summary.
  EXPECT_EQ(lines_of(r.err).size(), 2u) << r.err;
  EXPECT_EQ(slurp(box.path(kRel)), bytes);
}

// Every line of `before` (with its terminator) is in `after`, in order, but the three that the
// migration of route() edits (the next/server import, the handler's signature, the fetch).
bool keeps_lines(const std::string& before, const std::string& after) {
  size_t at = 0;
  for (size_t b = 0; b < before.size();) {
    const size_t nl = before.find('\n', b);
    const size_t e = nl == std::string::npos ? before.size() : nl + 1;
    const std::string line = before.substr(b, e - b);
    if (has(line, "'next/server'") || has(line, "function GET(") || has(line, "fetch(")) {
      b = e;
      continue;
    }
    const size_t found = after.find(line, at);
    if (found == std::string::npos) return false;
    at = found + (e - b);
    b = e;
  }
  return true;
}

// Applies to the one file and expects it migrated, and a second apply to change nothing.
std::string expect_migrated(Sandbox& box, const std::string& bytes) {
  spit(box.path(kRel), bytes);
  const Result r = box.run("apply --no-progress " + quote(kRel));
  EXPECT_EQ(r.status, 0) << r.err;
  const std::string after = slurp(box.path(kRel));
  EXPECT_TRUE(migrated(after)) << after;
  const Result again = box.run("apply --no-progress " + quote(kRel));
  EXPECT_EQ(again.status, 0) << again.err;
  EXPECT_EQ(slurp(box.path(kRel)), after);
  return after;
}

TEST(Hostile, NulByteIsRefused) {
  Sandbox box;
  expect_refused(box, route(std::string("  // a \0 here\n", 14)),
                 "error: " + kRel + ":6:8: a NUL byte: this is not a text file; nothing was changed: remove the "
                 "byte, or leave the file out with --exclude");
}

TEST(Hostile, InvalidUtf8IsRefused) {
  Sandbox box;
  expect_refused(box, route("  const label = 'caf\xE9'\n"),
                 "error: " + kRel + ":6:21: not valid UTF-8 (byte 0xE9); routeauth reads and writes UTF-8 only and "
                 "changed nothing: convert the file to UTF-8 (iconv -t UTF-8) and run it again");
  // Overlong forms and UTF-16 surrogates are not UTF-8 either.
  expect_refused(box, route("  const a = '\xC0\xAF'\n"), kRel + ":6:14: not valid UTF-8 (byte 0xC0)");
  expect_refused(box, route("  const a = '\xED\xA0\x80'\n"), kRel + ":6:14: not valid UTF-8 (byte 0xED)");
}

// Issue 18 point 4: an empty route.ts is valid Next.js (every method answers 405): nothing to
// migrate, said in a note, never a failure of the run.
TEST(Hostile, EmptyFileIsNoBackendCalls) {
  Sandbox box;
  for (const std::string& bytes : {std::string(""), std::string("\xEF\xBB\xBF"), std::string(" \n\n\t\n"),
                                  std::string("// TODO: the handlers\n/* later */\n")}) {
    spit(box.path(kRel), bytes);
    const Result apply = box.run("apply --no-progress " + quote(kRel));
    EXPECT_EQ(apply.status, 0) << apply.err;
    EXPECT_TRUE(has(apply.err, kRel + ": note: the file is empty (no code, so Next.js answers 405 for every "
                                      "method); nothing to migrate"))
        << apply.err;
    EXPECT_TRUE(has(apply.err, "0 failed")) << apply.err;
    EXPECT_EQ(slurp(box.path(kRel)), bytes);
    const Result check = box.run("check " + quote(kRel));
    EXPECT_EQ(check.status, 0) << check.err;
    EXPECT_TRUE(has(check.out, kRel + ": note: the file is empty")) << check.out;
    const Result report = box.run("report " + quote(kRel));
    EXPECT_EQ(report.status, 0) << report.err;
    EXPECT_TRUE(has(report.out, "no backend calls")) << report.out;
  }
  // Code without handlers is not empty: no note.
  spit(box.path(kRel), "export const dynamic = 'force-dynamic'\n");
  const Result r = box.run("check " + quote(kRel));
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_FALSE(has(r.out + r.err, "the file is empty")) << r.out;
}

TEST(Hostile, FileOverTheSizeLimitIsRefused) {
  Sandbox box;
  std::string big = route("  // " + std::string(2000, 'x') + "\n");
  const std::string message = kRel + ": " + std::to_string(big.size()) +
                              " bytes, over the limit of 1024 bytes; nothing was changed: raise it with "
                              "--max-file-size or \"maxFileSize\" in routeauth.json, or leave the file out with --exclude";
  expect_refused(box, big, message, "--max-file-size 1KB");
  // The config key, and the flag winning over it.
  spit(box.path("routeauth.json"), "{ \"maxFileSize\": \"1K\" }\n");
  expect_refused(box, big, message);
  spit(box.path(kRel), big);
  EXPECT_EQ(box.run("apply --no-progress --max-file-size 8MB " + quote(kRel)).status, 0);
  EXPECT_TRUE(migrated(slurp(box.path(kRel))));
  // Nonsense sizes are usage errors naming the key or the flag.
  spit(box.path("routeauth.json"), "{ \"maxFileSize\": \"lots\" }\n");
  Result r = box.run("check " + quote(kRel));
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(has(r.err, "\"maxFileSize\" must be a size from 1 byte to 1GB")) << r.err;
  fs::remove(box.path("routeauth.json"));
  r = box.run("check --max-file-size 0 " + quote(kRel));
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(has(r.err, "--max-file-size")) << r.err;
}

TEST(Hostile, DirectoryNamedRouteTsIsReported) {
  Sandbox box;
  fs::create_directories(box.path(kRel));
  const auto before = box.snapshot();
  // Named, and found by a folder search; the other routes are still migrated.
  Result r = box.run("apply --no-progress " + quote(kRel));
  EXPECT_EQ(r.status, 3) << r.err;
  const std::string message = "error: " + kRel + ": a directory, not a route file; nothing was read: rename it, or "
                              "leave it out with --exclude";
  EXPECT_TRUE(has(r.err, message)) << r.err;
  EXPECT_EQ(box.snapshot(), before);
  r = box.run("apply --no-progress brain-app");
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_TRUE(has(r.err, message)) << r.err;
  EXPECT_TRUE(fs::is_directory(box.path(kRel)));
  EXPECT_TRUE(migrated(slurp(box.path("brain-app/app/api/brain/billing/invoices/route.ts"))));
}

TEST(Hostile, UnreadableFileIsRefused) {
  Sandbox box;
  const std::string bytes = route();
  spit(box.path(kRel), bytes);
  fs::permissions(box.path(kRel), fs::perms::none);
  std::string runner;
  if (::geteuid() == 0) {
    // Root reads anything: run as nobody, who can walk the sandbox but not read the file.
    if (std::system("command -v setpriv >/dev/null 2>&1") != 0) GTEST_SKIP() << "needs setpriv (util-linux) as root";
    fs::permissions(box.root(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                    fs::perms::others_read | fs::perms::others_exec);
    runner = "setpriv --reuid=65534 --regid=65534 --clear-groups ";
  }
  const fs::path err = box.root() / "stderr.txt";
  const std::string command = "cd " + quote(box.root().string()) + " && " + runner + quote(ROUTEAUTH_BINARY) +
                              " apply --no-progress " + quote(kRel) + " 2>" + quote(err.string());
  EXPECT_EQ(exit_status(std::system(command.c_str())), 3);
  const std::string out = slurp(err);
  EXPECT_TRUE(has(out, "error: " + kRel + ": cannot be read (Permission denied); nothing was changed: make it "
                       "readable (chmod u+r), or leave it out with --exclude"))
      << out;
  fs::permissions(box.path(kRel), fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(slurp(box.path(kRel)), bytes);
}

TEST(Hostile, ReadOnlyFileIsReportedNotChmodded) {
  Sandbox box;
  const std::string bytes = route();
  spit(box.path(kRel), bytes);
  fs::permissions(box.path(kRel), fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  const Result r = box.run("apply --no-progress " + quote(kRel));
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_TRUE(has(r.err, "error: " + kRel + ": read-only; nothing was changed (routeauth never changes "
                         "permissions): make it writable (chmod u+w) and run apply again, or leave it out with --exclude"))
      << r.err;
  EXPECT_EQ(slurp(box.path(kRel)), bytes);
  EXPECT_EQ(fs::status(box.path(kRel)).permissions(),
            fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  // check and diff only read it.
  EXPECT_EQ(box.run("check " + quote(kRel)).status, 1);
}

TEST(Hostile, PermissionBitsAreKept) {
  Sandbox box;
  spit(box.path(kRel), route());
  const auto mode = fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read;
  fs::permissions(box.path(kRel), mode);
  EXPECT_EQ(box.run("apply --no-progress " + quote(kRel)).status, 0);
  EXPECT_TRUE(migrated(slurp(box.path(kRel))));
  EXPECT_EQ(fs::status(box.path(kRel)).permissions(), mode);
}

TEST(Hostile, SymlinkLeavingTheRepositoryIsNotWrittenThrough) {
  Sandbox box;
  Sandbox elsewhere;  // another repository
  const std::string bytes = route();
  const fs::path target = elsewhere.root() / "route.ts";
  spit(target, bytes);
  fs::create_directories(fs::path(box.path(kRel)).parent_path());
  fs::create_symlink(target, box.path(kRel));
  const Result r = box.run("apply --no-progress " + quote(kRel));
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_TRUE(has(r.err, "error: " + kRel + ": resolves to " + fs::canonical(target).string() +
                             ", outside the repository " + fs::canonical(box.root()).string() +
                             "; not written through the link: migrate that file in its own repository"))
      << r.err;
  EXPECT_EQ(lines_of(r.err).size(), 2u) << r.err;
  EXPECT_EQ(slurp(target), bytes);
  EXPECT_TRUE(fs::is_symlink(box.path(kRel)));
}

TEST(Hostile, SymlinkInsideTheRepositoryIsWrittenThroughAndKept) {
  Sandbox box;
  spit(box.path("brain-app/lib/shared-route.ts"), route());
  fs::create_directories(fs::path(box.path(kRel)).parent_path());
  fs::create_symlink("../../../lib/shared-route.ts", box.path(kRel));
  const Result r = box.run("apply --no-progress " + quote(kRel));
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(fs::is_symlink(box.path(kRel)));
  EXPECT_TRUE(migrated(slurp(box.path("brain-app/lib/shared-route.ts"))));
}

TEST(Hostile, RouteWithTensOfThousandsOfLines) {
  Sandbox box;
  std::string helpers;
  for (int i = 0; i < 20000; ++i) helpers += "  const v" + std::to_string(i) + " = " + std::to_string(i) + " * 2\n";
  const std::string bytes = route(helpers);
  const auto start = std::chrono::steady_clock::now();
  const std::string after = expect_migrated(box, bytes);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(240));
  EXPECT_TRUE(keeps_lines(bytes, after));
}

TEST(Hostile, DeeplyNestedCodeDoesNotOverflowTheStack) {
  Sandbox box;
  // 20,000 levels of arrays, of parentheses and of blocks: the parser, the route model and the
  // rules walk the tree without recursion.
  for (const auto& [open, close] : std::vector<std::pair<std::string, std::string>>{
           {"[", "]"}, {"(", ")"}, {"{ ", "}\n"}, {"() => (", ")"}}) {
    std::string nested = "  const deep = ";
    for (int i = 0; i < 20000; ++i) nested += open;
    nested += "1";
    for (int i = 0; i < 20000; ++i) nested += close;
    nested += "\n";
    if (open == "{ ") nested = "  " + std::string(20000, '{') + "\n" + std::string(20000, '}') + "\n";
    const std::string bytes = route(nested);
    spit(box.path(kRel), bytes);
    const Result r = box.run("apply --no-progress " + quote(kRel));
    // Migrated, or (when the grammar gives up) a parse error that leaves the file alone: never a crash.
    ASSERT_TRUE(r.status == 0 || r.status == 3) << open << ": status " << r.status << "\n" << r.err;
    const std::string after = slurp(box.path(kRel));
    if (r.status == 0) {
      EXPECT_TRUE(migrated(after)) << open;
      EXPECT_TRUE(keeps_lines(bytes, after)) << open;
    } else {
      EXPECT_TRUE(has(r.err, "[parse-error]")) << r.err;
      EXPECT_EQ(after, bytes);
    }
  }
}

TEST(Hostile, CrlfLineEndingsAreKept) {
  Sandbox box;
  const std::string bytes = route("", "\r\n");
  const std::string after = expect_migrated(box, bytes);
  for (size_t i = after.find('\n'); i != std::string::npos; i = after.find('\n', i + 1)) {
    ASSERT_TRUE(i > 0 && after[i - 1] == '\r') << "a bare LF at byte " << i;
  }
  EXPECT_TRUE(keeps_lines(bytes, after));
}

TEST(Hostile, MixedLineEndingsAreKeptLineByLine) {
  Sandbox box;
  std::string bytes = route("  const a = 1\r\n  const b = 2\n");
  bytes.replace(0, bytes.find('\n'), bytes.substr(0, bytes.find('\n')) + "\r");  // the import line too
  const std::string after = expect_migrated(box, bytes);
  EXPECT_TRUE(keeps_lines(bytes, after));
}

TEST(Hostile, ByteOrderMarkIsKeptOnce) {
  Sandbox box;
  const std::string bytes = "\xEF\xBB\xBF" + route();
  const std::string after = expect_migrated(box, bytes);
  EXPECT_TRUE(after.starts_with("\xEF\xBB\xBF"));
  EXPECT_EQ(after.find("\xEF\xBB\xBF", 1), std::string::npos);
  EXPECT_TRUE(keeps_lines(bytes, after));
}

TEST(Hostile, TabIndentationIsFollowed) {
  Sandbox box;
  std::string bytes = route("\tconst a = 1\n");
  for (size_t i = 0; (i = bytes.find("\n  ", i)) != std::string::npos;) bytes.replace(i, 3, "\n\t");
  const std::string after = expect_migrated(box, bytes);
  EXPECT_TRUE(keeps_lines(bytes, after));
  for (const auto& line : lines_of(after)) {
    EXPECT_FALSE(line.starts_with("  ")) << line;
  }
}

TEST(Hostile, UnicodeIdentifiersAndStrings) {
  Sandbox box;
  const std::string bytes = route("  const données = { ключ: 'значение', emoji: '🚀 naïve 日本語', é: `ü${1}` }\n"
                                  "  console.log(données, 'ok \\u00e9')\n");
  const std::string after = expect_migrated(box, bytes);
  EXPECT_TRUE(keeps_lines(bytes, after));
}

// ---- interrupted runs ---------------------------------------------------------------------------

// Many routes that differ from one another, so that a file holding a mix of two is told apart.
struct Batch {
  std::vector<std::string> paths;
  std::vector<std::string> original;
  std::vector<std::string> migrated;
};

Batch make_batch(Sandbox& box, int count) {
  Batch b;
  std::string padding;
  for (int i = 0; i < 100; ++i) padding += "  // padding line " + std::to_string(i) + ", so that a torn write shows\n";
  for (int i = 0; i < count; ++i) {
    const std::string rel = "brain-app/app/api/batch/r" + std::to_string(i) + "/route.ts";
    std::string text = route(padding + "  const which = " + std::to_string(i) + "\n");
    b.paths.push_back(box.path(rel));
    b.original.push_back(text);
    spit(box.path(rel), text);
  }
  const Result r = box.run("apply --no-progress brain-app/app/api/batch");
  EXPECT_EQ(r.status, 0) << r.err;
  for (const auto& p : b.paths) b.migrated.push_back(slurp(p));
  return b;
}

void reset(const Batch& b) {
  for (size_t i = 0; i < b.paths.size(); ++i) spit(b.paths[i], b.original[i]);
}

size_t count_migrated(const Batch& b) {
  size_t n = 0;
  for (size_t i = 0; i < b.paths.size(); ++i) n += slurp(b.paths[i]) == b.migrated[i] ? 1 : 0;
  return n;
}

pid_t spawn_apply(const Sandbox& box) {
  const std::string binary = ROUTEAUTH_BINARY;
  const std::string folder = box.path("brain-app/app/api/batch");
  std::vector<std::string> args{binary, "apply", "--no-progress", "-q", "-j", "2", folder};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("posix_spawn failed");
  return pid;
}

// Sends `sig` once `threshold` files are migrated (polling, no fixed sleep), or once apply has
// ended on its own; returns the wait status.
int interrupt_at(const Sandbox& box, const Batch& b, size_t threshold, int sig) {
  const pid_t pid = spawn_apply(box);
  int status = 0;
  for (;;) {
    if (::waitpid(pid, &status, WNOHANG) == pid) return status;
    if (count_migrated(b) >= threshold) break;
    std::this_thread::sleep_for(std::chrono::microseconds(500));  // leave the cores to apply
  }
  ::kill(pid, sig);
  ::waitpid(pid, &status, 0);
  return status;
}

// Every file is wholly old or wholly new; returns how many are new.
size_t expect_old_or_new(const Batch& b, const std::string& when) {
  size_t fresh = 0;
  for (size_t i = 0; i < b.paths.size(); ++i) {
    const std::string now = slurp(b.paths[i]);
    if (now == b.migrated[i]) {
      ++fresh;
    } else {
      EXPECT_EQ(now, b.original[i]) << b.paths[i] << " is neither the original nor the migrated version " << when;
    }
  }
  return fresh;
}

std::vector<std::string> temp_files(const Sandbox& box) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(box.root() / "brain-app")) {
    if (has(e.path().filename().string(), ".routeauth-")) out.push_back(e.path().string());
  }
  return out;
}

TEST(Interrupted, SigkillLeavesEveryFileOldOrNew) {
  Sandbox box;
  const int count = 80;
  const Batch b = make_batch(box, count);
  const int rounds = 10;
  std::vector<size_t> seen;
  for (int round = 0; round < rounds; ++round) {
    reset(b);
    // From "as soon as it starts" to "almost done", spread over the rounds.
    const auto threshold = static_cast<size_t>(count * round / rounds);
    const int status = interrupt_at(box, b, threshold, SIGKILL);
    seen.push_back(expect_old_or_new(b, "after SIGKILL in round " + std::to_string(round)));
    if (WIFSIGNALED(status)) {
      EXPECT_EQ(WTERMSIG(status), SIGKILL);
    }
  }
  // The kills landed at different moments (not all before or after the writes).
  EXPECT_GT(*std::max_element(seen.begin(), seen.end()), *std::min_element(seen.begin(), seen.end()));
  // A temporary file left by SIGKILL is never taken for a route, and a new run finishes the job.
  const Result r = box.run("apply --no-progress brain-app/app/api/batch");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(expect_old_or_new(b, "after the final run"), b.paths.size());
}

TEST(Interrupted, SigtermAndSigintLeaveNoTemporaryFiles) {
  Sandbox box;
  const int count = 80;
  const Batch b = make_batch(box, count);
  int signalled = 0;
  for (int round = 0; round < 6; ++round) {
    reset(b);
    const int sig = round % 2 == 0 ? SIGTERM : SIGINT;
    const auto threshold = static_cast<size_t>(1 + count * round / 6);
    const int status = interrupt_at(box, b, threshold, sig);
    if (WIFSIGNALED(status)) {
      EXPECT_EQ(WTERMSIG(status), sig) << "round " << round;
      ++signalled;
    } else {
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "round " << round;
    }
    expect_old_or_new(b, "after signal " + std::to_string(sig) + " in round " + std::to_string(round));
    EXPECT_EQ(temp_files(box), std::vector<std::string>{}) << "round " << round;
  }
  EXPECT_GT(signalled, 0);
}

}  // namespace
}  // namespace routeauth::testing::cli
