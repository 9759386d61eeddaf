// Review and enforcement (issue 6), end to end with the real tools, in temporary git repositories:
// the pre-commit framework running the hooks of .pre-commit-hooks.yaml, `check --staged` on the
// index, `install-hook` under plain git, `diff --stat` / `--color` / `apply --dry-run`, and
// `apply --interactive` driven through a pseudo-terminal.
//
// Every command runs with a private HOME, no global or system git config, PRE_COMMIT_HOME in the
// temporary folder and proxies that lead nowhere: nothing here reads the user's setup or the
// network.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli_support.h"

namespace fs = std::filesystem;

namespace {

using routeauth::testing::cli::has;
using routeauth::testing::cli::lines_of;
using routeauth::testing::cli::quote;
using routeauth::testing::cli::slurp;
using routeauth::testing::cli::spit;

const fs::path kSource = ROUTEAUTH_SOURCE_DIR;
const fs::path kExampleBrain = kSource / "examples" / "brain-app" / "app" / "api" / "brain";
const std::string kPromptEnd = " [y,n,a,q,?]? ";

// Where the example routes used here live in the sandboxes.
const std::string kBilling = "app/api/billing/route.ts";    // billing/invoices
const std::string kContacts = "app/api/contacts/route.ts";  // django-crm/contacts
const std::string kCampaigns = "app/api/marketing/route.ts";  // marketing/campaigns

std::string binary() { return fs::canonical(ROUTEAUTH_BINARY).string(); }

std::string example(const std::string& rel) { return slurp(kExampleBrain / rel); }
std::string billing_original() { return example("billing/invoices/route.ts"); }
std::string contacts_original() { return example("django-crm/contacts/route.ts"); }
std::string campaigns_original() { return example("marketing/campaigns/route.ts"); }

size_t count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + needle.size())) ++n;
  return n;
}

bool has_line_matching(const std::string& text, const std::string& pattern) {
  const std::regex re(pattern);
  for (const auto& line : lines_of(text)) {
    if (std::regex_match(line, re)) return true;
  }
  return false;
}

std::string strip_ansi(const std::string& s) { return std::regex_replace(s, std::regex("\033\\[[0-9;]*m"), ""); }

struct Result {
  int status = -1;  // the exit status, 128 + signal when killed
  std::string out;
  std::string err;
  [[nodiscard]] std::string both() const { return out + err; }
};

// Runs argv in cwd, stdin from `stdin_fd` (/dev/null when -1), and collects stdout and stderr
// until both are closed. `on_output` sees stdout so far after every read (to answer prompts).
// A child that is still running after two minutes is killed and the test fails.
Result spawn(const fs::path& cwd, const std::vector<std::string>& argv, int stdin_fd = -1,
          const std::function<void(const std::string&)>& on_output = {}) {
  int out_pipe[2];
  int err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const std::string dir = cwd.string();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::setsid();
    const int in = stdin_fd >= 0 ? stdin_fd : ::open("/dev/null", O_RDONLY);
    ::dup2(in, 0);
    ::dup2(out_pipe[1], 1);
    ::dup2(err_pipe[1], 2);
    if (::chdir(dir.c_str()) != 0) ::_exit(126);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  Result r;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (fds[0].fd >= 0 || fds[1].fd >= 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ::kill(pid, SIGKILL);
      ADD_FAILURE() << "timed out: " << argv.back() << "\nstdout so far:\n" << r.out << "\nstderr so far:\n" << r.err;
      break;
    }
    const int ready = ::poll(fds, 2, static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buffer[8192];
      const ssize_t got = ::read(fds[i].fd, buffer, sizeof buffer);
      if (got > 0) {
        (i == 0 ? r.out : r.err).append(buffer, static_cast<size_t>(got));
        if (i == 0 && on_output) on_output(r.out);
      } else if (got == 0 || errno != EINTR) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
      }
    }
  }
  for (auto& f : fds) {
    if (f.fd >= 0) ::close(f.fd);
  }
  int raw = 0;
  while (::waitpid(pid, &raw, 0) < 0 && errno == EINTR) {
  }
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : WIFSIGNALED(raw) ? 128 + WTERMSIG(raw) : -1;
  return r;
}

bool on_path(const std::string& program) {
  return spawn(fs::temp_directory_path(), {"/bin/sh", "-c", "command -v " + program}).status == 0;
}

// A temporary folder, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "routeauth-review-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    root_ = fs::canonical(pattern);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const fs::path& root() const { return root_; }

 private:
  fs::path root_;
};

// A fresh git repository (root()/repo) with a local user, a private HOME and PRE_COMMIT_HOME.
class Repo {
 public:
  Repo() : work_(tmp_.root() / "repo") {
    fs::create_directories(work_);
    fs::create_directories(tmp_.root() / "home");
    expect_ok("git -c init.defaultBranch=main init -q");
    expect_ok("git config user.name 'Route Auth Test'");
    expect_ok("git config user.email routeauth-test@example.com");
    expect_ok("git config commit.gpgsign false");
  }

  [[nodiscard]] const fs::path& work() const { return work_; }
  [[nodiscard]] fs::path pre_commit_home() const { return tmp_.root() / "pre-commit-home"; }
  [[nodiscard]] fs::path scratch() const { return tmp_.root(); }

  // The environment every command runs in: nothing from the user's git or pre-commit setup, no
  // network (local hooks need none; a proxy that refuses would make any attempt fail).
  [[nodiscard]] std::string environment() const {
    const std::string home = (tmp_.root() / "home").string();
    const std::string nowhere = "http://127.0.0.1:9";
    return "unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_COMMON_DIR; "
           "export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_TERMINAL_PROMPT=0 GIT_ALLOW_PROTOCOL=file "
           "HOME=" + quote(home) + " XDG_CONFIG_HOME=" + quote(home + "/.config") +
           " XDG_CACHE_HOME=" + quote(home + "/.cache") + " PRE_COMMIT_HOME=" + quote(pre_commit_home().string()) +
           " PRE_COMMIT_COLOR=never PIP_NO_INDEX=1 http_proxy=" + nowhere + " https_proxy=" + nowhere +
           " HTTP_PROXY=" + nowhere + " HTTPS_PROXY=" + nowhere + " ALL_PROXY=" + nowhere + "; ";
  }

  // A shell command in the work tree (or `dir` below it).
  [[nodiscard]] Result sh(const std::string& command, const std::string& dir = "") const {
    return spawn(dir.empty() ? work_ : work_ / dir, {"/bin/sh", "-c", environment() + command});
  }
  void expect_ok(const std::string& command) const {
    const Result r = sh(command);
    ASSERT_EQ(r.status, 0) << command << "\n" << r.both();
  }
  // routeauth with `args` (already quoted) in the work tree (or `dir`).
  [[nodiscard]] Result routeauth(const std::string& args, const std::string& dir = "") const {
    return sh(quote(binary()) + " " + args, dir);
  }

  void write(const std::string& rel, const std::string& bytes) const { spit(work_ / rel, bytes); }
  [[nodiscard]] std::string read(const std::string& rel) const { return slurp(work_ / rel); }
  // The index's version of a file.
  [[nodiscard]] std::string staged(const std::string& rel) const { return sh("git show :" + quote(rel)).out; }
  [[nodiscard]] std::string head(const std::string& rel) const { return sh("git show HEAD:" + quote(rel)).out; }
  [[nodiscard]] int commits() const {
    const Result r = sh("git rev-list --count HEAD 2>/dev/null || echo 0");
    return std::stoi(r.out);
  }

  // Every file of the work tree but .git, with its bytes.
  [[nodiscard]] std::map<std::string, std::string> snapshot() const {
    std::map<std::string, std::string> files;
    for (auto it = fs::recursive_directory_iterator(work_); it != fs::recursive_directory_iterator(); ++it) {
      if (it->is_directory() && it->path().filename() == ".git") {
        it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file()) files[fs::relative(it->path(), work_).generic_string()] = slurp(it->path());
    }
    return files;
  }

 private:
  TempDir tmp_;
  fs::path work_;
};

// What `routeauth apply` writes for a route holding `original` (run on a scratch copy).
std::string migrated(const std::string& original) {
  TempDir scratch;
  const fs::path file = scratch.root() / "app" / "api" / "x" / "route.ts";
  spit(file, original);
  const Result r = spawn(scratch.root(), {binary(), "apply", "-q", file.string()});
  EXPECT_EQ(r.status, 0) << r.err;
  return slurp(file);
}

// A repository holding the three example routes at kBilling, kContacts, kCampaigns.
void add_three_routes(const Repo& repo) {
  repo.write(kBilling, billing_original());
  repo.write(kContacts, contacts_original());
  repo.write(kCampaigns, campaigns_original());
}

// ==== 1. the pre-commit framework =================================================================

// The hooks of the project's .pre-commit-hooks.yaml whose ids are in `ids`, as a `repo: local`
// config (same name, files, language: system, ...) whose entry runs the built binary instead of
// the `routeauth` on PATH.
std::string local_config(const std::set<std::string>& ids) {
  const std::string manifest = slurp(kSource / ".pre-commit-hooks.yaml");
  std::string config = "repos:\n- repo: local\n  hooks:\n";
  std::set<std::string> found;
  bool keep = false;
  for (const auto& line : lines_of(manifest)) {
    if (line.empty() || line.starts_with("#")) continue;
    if (line.starts_with("- id: ")) {
      const std::string id = line.substr(6);
      keep = ids.contains(id);
      if (keep) found.insert(id);
    }
    if (!keep) continue;
    std::string l = line;
    const std::string entry = "  entry: routeauth ";
    if (l.starts_with(entry)) l = "  entry: " + binary() + " " + l.substr(entry.size());
    config += "  " + l + "\n";
  }
  EXPECT_EQ(found, ids) << "hooks missing from .pre-commit-hooks.yaml:\n" << manifest;
  EXPECT_EQ(count(config, "entry: " + binary() + " "), ids.size()) << config;
  return config;
}

// A repository with `config` committed (before hooks are installed) and `pre-commit install` done.
void set_up_pre_commit(const Repo& repo, const std::string& config) {
  repo.write(".pre-commit-config.yaml", config);
  repo.write("README.md", "# app\n");
  repo.expect_ok("git add .pre-commit-config.yaml README.md && git commit -q -m init");
  const Result validate = repo.sh("pre-commit validate-config .pre-commit-config.yaml");
  ASSERT_EQ(validate.status, 0) << validate.both() << config;
  const Result install = repo.sh("pre-commit install");
  ASSERT_EQ(install.status, 0) << install.both();
  EXPECT_EQ(install.out, "pre-commit installed at .git/hooks/pre-commit\n");
}

// pre-commit only ran local system hooks: it cloned and installed nothing.
void expect_nothing_fetched(const Repo& repo) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(repo.pre_commit_home(), ec)) {
    const std::string name = entry.path().filename().string();
    EXPECT_FALSE(name.starts_with("repo")) << "pre-commit cloned a repository: " << entry.path();
  }
}

const char* kSessionCallLine = R"(app/api/billing/route\.ts:[0-9]+:[0-9]+: error: .*\[session-call\])";

TEST(PreCommitFramework, ProjectManifestIsValid) {
  if (!on_path("pre-commit")) GTEST_SKIP() << "pre-commit is not on PATH (scripts/setup.sh installs it)";
  Repo repo;
  const Result r = repo.sh("pre-commit validate-manifest " + quote((kSource / ".pre-commit-hooks.yaml").string()));
  EXPECT_EQ(r.status, 0) << r.both();
}

TEST(PreCommitFramework, CheckHookRefusesAnUnmigratedRouteAndPassesAfterApply) {
  if (!on_path("pre-commit")) GTEST_SKIP() << "pre-commit is not on PATH (scripts/setup.sh installs it)";
  Repo repo;
  ASSERT_NO_FATAL_FAILURE(set_up_pre_commit(repo, local_config({"routeauth-check"})));

  repo.write(kBilling, billing_original());
  repo.expect_ok("git add " + kBilling);
  const Result refused = repo.sh("git commit -m 'add billing'");
  EXPECT_NE(refused.status, 0) << refused.both();
  EXPECT_TRUE(has_line_matching(refused.both(), kSessionCallLine)) << refused.both();
  EXPECT_TRUE(has_line_matching(refused.both(), R"(routeauth check\.+Failed)")) << refused.both();
  EXPECT_EQ(repo.commits(), 1);

  const Result apply = repo.routeauth("apply " + kBilling);
  EXPECT_EQ(apply.status, 0) << apply.err;
  repo.expect_ok("git add " + kBilling);
  const Result passed = repo.sh("git commit -m 'add billing'");
  EXPECT_EQ(passed.status, 0) << passed.both();
  EXPECT_TRUE(has_line_matching(passed.both(), R"(routeauth check\.+Passed)")) << passed.both();
  EXPECT_EQ(repo.commits(), 2);
  EXPECT_EQ(repo.head(kBilling), migrated(billing_original()));

  // A commit that touches no route does not run routeauth at all: routes committed without the
  // hook (one un-migrated, one that does not even parse) would fail it if it looked at them.
  repo.write(kContacts, contacts_original());
  repo.write("app/api/broken/route.ts", "export async function GET( {\n");
  repo.expect_ok("git add -A && git commit -q --no-verify -m 'legacy routes'");
  ASSERT_EQ(repo.commits(), 3);
  repo.write("README.md", "# app\n\nMore.\n");
  repo.expect_ok("git add README.md");
  const Result readme = repo.sh("git commit -m readme");
  EXPECT_EQ(readme.status, 0) << readme.both();
  EXPECT_TRUE(has_line_matching(readme.both(), R"(routeauth check\.+\(no files to check\)Skipped)")) << readme.both();
  EXPECT_EQ(repo.commits(), 4);
  expect_nothing_fetched(repo);
}

TEST(PreCommitFramework, CheckHookJudgesWhatIsStagedNotTheWorkTree) {
  if (!on_path("pre-commit")) GTEST_SKIP() << "pre-commit is not on PATH (scripts/setup.sh installs it)";
  Repo repo;
  ASSERT_NO_FATAL_FAILURE(set_up_pre_commit(repo, local_config({"routeauth-check"})));

  // Staged: un-migrated; work tree: migrated, not staged. The commit would hold the un-migrated one.
  repo.write(kBilling, billing_original());
  repo.expect_ok("git add " + kBilling);
  EXPECT_EQ(repo.routeauth("apply -q " + kBilling).status, 0);
  const Result refused = repo.sh("git commit -m 'add billing'");
  EXPECT_NE(refused.status, 0) << refused.both();
  EXPECT_TRUE(has_line_matching(refused.both(), kSessionCallLine)) << refused.both();
  EXPECT_EQ(repo.read(kBilling), migrated(billing_original())) << "pre-commit lost the unstaged change";

  // Staged: migrated; work tree: un-migrated again. The commit holds the migrated one.
  repo.expect_ok("git add " + kBilling);
  repo.write(kBilling, billing_original());
  const Result passed = repo.sh("git commit -m 'add billing'");
  EXPECT_EQ(passed.status, 0) << passed.both();
  EXPECT_EQ(repo.head(kBilling), migrated(billing_original()));
  EXPECT_EQ(repo.read(kBilling), billing_original()) << "pre-commit lost the unstaged change";
  expect_nothing_fetched(repo);
}

TEST(PreCommitFramework, FixHookMigratesTheWorkTreeAndFailsThenPasses) {
  if (!on_path("pre-commit")) GTEST_SKIP() << "pre-commit is not on PATH (scripts/setup.sh installs it)";
  Repo repo;
  ASSERT_NO_FATAL_FAILURE(set_up_pre_commit(repo, local_config({"routeauth-fix"})));

  repo.write(kBilling, billing_original());
  repo.expect_ok("git add " + kBilling);
  const Result first = repo.sh("git commit -m 'add billing'");
  EXPECT_NE(first.status, 0) << first.both();
  EXPECT_TRUE(has_line_matching(first.both(), R"(routeauth apply\.+Failed)")) << first.both();
  EXPECT_TRUE(has(first.both(), "- files were modified by this hook")) << first.both();
  EXPECT_EQ(repo.commits(), 1);
  EXPECT_EQ(repo.read(kBilling), migrated(billing_original())) << "the work tree was not migrated";
  EXPECT_EQ(repo.staged(kBilling), billing_original()) << "the hook changed the index";

  repo.expect_ok("git add " + kBilling);
  const Result second = repo.sh("git commit -m 'add billing'");
  EXPECT_EQ(second.status, 0) << second.both();
  EXPECT_TRUE(has_line_matching(second.both(), R"(routeauth apply\.+Passed)")) << second.both();
  EXPECT_EQ(repo.commits(), 2);
  EXPECT_EQ(repo.head(kBilling), migrated(billing_original()));

  repo.write("README.md", "# app\n\nMore.\n");
  repo.expect_ok("git add README.md");
  const Result readme = repo.sh("git commit -m readme");
  EXPECT_EQ(readme.status, 0) << readme.both();
  EXPECT_TRUE(has_line_matching(readme.both(), R"(routeauth apply\.+\(no files to check\)Skipped)")) << readme.both();
  expect_nothing_fetched(repo);
}

// ==== 2. check --staged ===========================================================================

const std::string kSummaryOneToFix = "routeauth: 1 file seen, 1 to fix, 0 already compliant, 0 with no backend calls, 0 need manual review, 0 failed\n";
const std::string kSummaryNothing = "routeauth: 0 files seen, 0 to fix, 0 already compliant, 0 with no backend calls, 0 need manual review, 0 failed\n";

TEST(CheckStaged, WorkTreeMigratedIndexNotReportsTheIndex) {
  Repo repo;
  repo.write(kBilling, billing_original());
  repo.expect_ok("git add " + kBilling);
  const Result expected = repo.routeauth("check -q " + kBilling);  // work tree == index here
  ASSERT_EQ(expected.status, 1);
  ASSERT_TRUE(has_line_matching(expected.out, kSessionCallLine)) << expected.out;

  ASSERT_EQ(repo.routeauth("apply -q app").status, 0);
  const Result worktree = repo.routeauth("check -q app");
  EXPECT_EQ(worktree.status, 0) << worktree.out;

  const Result staged = repo.routeauth("check --staged");
  EXPECT_EQ(staged.status, 1) << staged.err;
  EXPECT_EQ(staged.out, expected.out);
  EXPECT_EQ(staged.err, kSummaryOneToFix);
  EXPECT_EQ(repo.read(kBilling), migrated(billing_original())) << "check changed the work tree";
  EXPECT_EQ(repo.staged(kBilling), billing_original()) << "check changed the index";
}

TEST(CheckStaged, IndexMigratedWorkTreeNotIsClean) {
  Repo repo;
  repo.write(kBilling, migrated(billing_original()));
  repo.expect_ok("git add " + kBilling);
  repo.write(kBilling, billing_original());
  EXPECT_EQ(repo.routeauth("check -q app").status, 1);

  const Result staged = repo.routeauth("check --staged");
  EXPECT_EQ(staged.status, 0) << staged.out;
  EXPECT_EQ(staged.out, "");
  EXPECT_EQ(staged.err, "routeauth: 1 file seen, 0 to fix, 1 already compliant, 0 with no backend calls, 0 need manual review, 0 failed\n");
}

TEST(CheckStaged, StagedFilesThatAreNotRoutesAreIgnored) {
  Repo repo;
  repo.write("lib/route.ts", billing_original());                 // named like a route, not under app/
  repo.write("app/api/billing/helpers.ts", billing_original());   // under app/, not a route file
  repo.write("app/api/auth/[...nextauth]/route.ts", billing_original());  // the NextAuth route
  repo.write("README.md", "# app\n");
  repo.expect_ok("git add -A");
  const Result all = repo.routeauth("check --staged");
  EXPECT_EQ(all.status, 0) << all.out;
  EXPECT_EQ(all.out, "");
  EXPECT_EQ(all.err, kSummaryNothing);
  // The same files passed by name, as the pre-commit framework passes them.
  const Result named = repo.routeauth("check --staged -q lib/route.ts app/api/billing/helpers.ts README.md");
  EXPECT_EQ(named.status, 0) << named.both();
  EXPECT_EQ(named.out, "");
}

TEST(CheckStaged, DeletedAndUnchangedRoutesAreNotChecked) {
  Repo repo;
  repo.write(kBilling, billing_original());
  repo.write(kContacts, contacts_original());
  repo.expect_ok("git add -A && git commit -q -m 'unmigrated routes'");
  const Result nothing_staged = repo.routeauth("check --staged");
  EXPECT_EQ(nothing_staged.status, 0) << nothing_staged.out;
  EXPECT_EQ(nothing_staged.out, "");
  EXPECT_EQ(nothing_staged.err, kSummaryNothing);

  repo.expect_ok("git rm -q " + kBilling);
  repo.write("README.md", "# app\n");
  repo.expect_ok("git add README.md");
  const Result deleted = repo.routeauth("check --staged");
  EXPECT_EQ(deleted.status, 0) << deleted.out;
  EXPECT_EQ(deleted.out, "");
  EXPECT_EQ(deleted.err, kSummaryNothing);
}

// `git diff --cached --name-only | xargs routeauth check --staged` names deleted files too.
TEST(CheckStaged, NamingADeletedRouteIsHarmlessInAnyOrder) {
  Repo repo;
  repo.write(kBilling, billing_original());
  repo.write(kContacts, contacts_original());
  repo.expect_ok("git add -A && git commit -q -m 'unmigrated routes'");
  repo.expect_ok("git rm -q " + kBilling);
  repo.write(kContacts, contacts_original() + "// touched\n");
  repo.expect_ok("git add " + kContacts);
  const Result expected = repo.routeauth("check -q " + kContacts);
  ASSERT_EQ(expected.status, 1);

  const Result contacts_first = repo.routeauth("check --staged -q " + kContacts + " " + kBilling);
  EXPECT_EQ(contacts_first.status, 1) << contacts_first.err;
  EXPECT_EQ(contacts_first.out, expected.out);
  const Result deleted_first = repo.routeauth("check --staged -q " + kBilling + " " + kContacts);
  EXPECT_EQ(deleted_first.status, 1) << deleted_first.err;
  EXPECT_EQ(deleted_first.out, expected.out);
  EXPECT_FALSE(has(deleted_first.err, "needs a git repository")) << deleted_first.err;
}

TEST(CheckStaged, BeforeTheFirstCommitStagedFilesAreChecked) {
  Repo repo;
  ASSERT_NE(repo.sh("git rev-parse --verify -q HEAD").status, 0) << "the repository has a commit";
  repo.write(kBilling, billing_original());
  repo.write(kContacts, migrated(contacts_original()));
  repo.expect_ok("git add -A");
  const Result expected = repo.routeauth("check -q " + kBilling);
  const Result staged = repo.routeauth("check --staged");
  EXPECT_EQ(staged.status, 1) << staged.err;
  EXPECT_EQ(staged.out, expected.out);
  EXPECT_TRUE(has_line_matching(staged.out, kSessionCallLine)) << staged.out;
  EXPECT_EQ(staged.err, "routeauth: 2 files seen, 1 to fix, 1 already compliant, 0 with no backend calls, 0 need manual review, 0 failed\n");
}

TEST(CheckStaged, PathsRestrictTheCheck) {
  Repo repo;
  repo.write(kBilling, billing_original());
  repo.write(kContacts, contacts_original());
  repo.write("app/api/other/notes.md", "no routes here\n");
  repo.expect_ok("git add -A");
  const Result contacts = repo.routeauth("check -q " + kContacts);
  const Result both = repo.routeauth("check -q app");
  ASSERT_EQ(contacts.status, 1);
  ASSERT_FALSE(has(contacts.out, kBilling));

  struct Case {
    std::string dir, args;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"", "app/api/contacts", contacts.out},
      {"", "app/api/contacts/", contacts.out},
      {"", "./app/api/contacts", contacts.out},
      {"", kContacts, contacts.out},
      {"", quote((repo.work() / "app/api/contacts").string()), contacts.out},
      {"app/api", "contacts", contacts.out},
      {"app/api", ".", both.out},
      {"", "app", both.out},
      {"", "app/api/other", ""},
  };
  for (const auto& c : cases) {
    const Result r = repo.routeauth("check --staged -q " + c.args, c.dir);
    EXPECT_EQ(r.out, c.expected) << "in '" << c.dir << "': check --staged " << c.args;
    EXPECT_EQ(r.status, c.expected.empty() ? 0 : 1) << "in '" << c.dir << "': check --staged " << c.args << "\n"
                                                   << r.err;
  }
}

// A staged symlink's blob is the link's target path, not source: the work tree check follows the
// link and finds the target clean, so the staged check must not call it a file that does not parse.
TEST(CheckStaged, StagedSymlinkIsNotParsedAsSource) {
  Repo repo;
  repo.write(kBilling, migrated(billing_original()));
  fs::create_directories(repo.work() / "app/api/alias");
  fs::create_symlink("../billing/route.ts", repo.work() / "app/api/alias/route.ts");
  repo.expect_ok("git add -A");
  const Result worktree = repo.routeauth("check -q app");
  EXPECT_EQ(worktree.status, 0) << worktree.out;
  const Result staged = repo.routeauth("check -q --staged");
  EXPECT_EQ(staged.status, 0) << staged.out << staged.err;
  EXPECT_FALSE(has(staged.out, "[parse-error]")) << staged.out;
  const Result counted = repo.routeauth("check --staged");
  EXPECT_EQ(counted.err, "routeauth: 1 file seen, 0 to fix, 1 already compliant, 0 with no backend calls, 0 need manual review, 0 failed\n");
}

// A submodule (gitlink, mode 160000) has a commit id where a file has its blob: nothing to read.
TEST(CheckStaged, StagedSubmoduleIsSkipped) {
  Repo repo;
  repo.write(kBilling, migrated(billing_original()));
  repo.expect_ok("git add -A && git update-index --add --cacheinfo 160000,1234567890123456789012345678901234567890,"
                 "app/api/vendored/route.ts");
  ASSERT_TRUE(has(repo.sh("git ls-files -s app/api/vendored").out, "160000 ")) << "no gitlink staged";
  const Result staged = repo.routeauth("check --staged");
  EXPECT_EQ(staged.status, 0) << staged.both();
  EXPECT_EQ(staged.err, "routeauth: 1 file seen, 0 to fix, 1 already compliant, 0 with no backend calls, 0 need manual review, 0 failed\n");
}

// Plain check, named relative to a folder inside app/: the file is still a route file.
TEST(CheckPaths, RelativePathsFromInsideTheAppFolderAreRoutes) {
  Repo repo;
  repo.write(kBilling, billing_original());
  const Result expected = repo.routeauth("check -q " + kBilling);
  ASSERT_EQ(expected.status, 1);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"app", "api"}, {"app/api", "billing/route.ts"}, {"app/api/billing", "route.ts"}, {"app/api/billing", "."}};
  for (const auto& [dir, arg] : cases) {
    const Result r = repo.routeauth("check " + arg, dir);
    EXPECT_EQ(r.status, 1) << "in " << dir << ": check " << arg << "\n" << r.err;
    EXPECT_EQ(r.out, expected.out) << "in " << dir << ": check " << arg;
  }
}

TEST(CheckStaged, OutsideARepositoryIsAUsageError) {
  TempDir dir;
  const Result r = spawn(dir.root(), {binary(), "check", "--staged"});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "routeauth: error: --staged needs a git repository; run it inside one\n");
}

// During a merge the index holds conflict stages, not one staged version.
TEST(CheckStaged, UnmergedIndexIsAnErrorNotACrash) {
  Repo repo;
  repo.write(kBilling, billing_original());
  repo.expect_ok("git add -A && git commit -q -m base && git checkout -q -b other");
  repo.write(kBilling, billing_original() + "// other\n");
  repo.expect_ok("git commit -q -a -m other && git checkout -q main");
  repo.write(kBilling, billing_original() + "// main\n");
  repo.expect_ok("git commit -q -a -m main");
  ASSERT_NE(repo.sh("git merge other").status, 0) << "expected a conflict";
  // What, where and what to do; a file that could not be processed (3), not findings or a crash.
  const Result r = repo.routeauth("check --staged");
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "routeauth: error: " + kBilling +
                       ": unmerged: the index holds the versions of an unresolved merge conflict, not one staged "
                       "version; resolve the conflict, `git add` the file and run again\n"
                       "routeauth: 1 file seen, 0 to fix, 0 already compliant, 0 with no backend calls, 0 need manual review, 1 failed\n");
  // Named, from a subfolder, as JSON: the same error, never an abort.
  const Result named = repo.routeauth("check --staged --format json billing/route.ts", "app/api");
  EXPECT_EQ(named.status, 3) << named.err;
  EXPECT_TRUE(has(named.err, "routeauth: error: " + kBilling + ": unmerged")) << named.err;

  // Resolved and added: checked as usual.
  repo.write(kBilling, migrated(billing_original()));
  repo.expect_ok("git add " + kBilling);
  const Result resolved = repo.routeauth("check --staged");
  EXPECT_EQ(resolved.status, 0) << resolved.both();
}

// A conflict in a file that is not a route does not stop the check of the staged routes.
TEST(CheckStaged, UnmergedFileThatIsNotARouteDoesNotStopTheCheck) {
  Repo repo;
  repo.write("README.md", "# app\n");
  repo.expect_ok("git add -A && git commit -q -m base && git checkout -q -b other");
  repo.write("README.md", "# other\n");
  repo.expect_ok("git commit -q -a -m other && git checkout -q main");
  repo.write("README.md", "# main\n");
  repo.write(kBilling, billing_original());
  repo.expect_ok("git add -A && git commit -q -m main");
  ASSERT_NE(repo.sh("git merge other").status, 0) << "expected a conflict";
  repo.write(kContacts, contacts_original());
  repo.expect_ok("git add " + kContacts);
  const Result expected = repo.routeauth("check -q " + kContacts);
  ASSERT_EQ(expected.status, 1);
  const Result r = repo.routeauth("check --staged");
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(r.out, expected.out);
  EXPECT_EQ(r.err, kSummaryOneToFix);
}

// Git's pathspecs: a path that is nowhere (work tree, index, HEAD) is a mistake, as for the plain
// check; one outside the repository too.
TEST(CheckStaged, PathThatGitDoesNotKnowIsAUsageError) {
  Repo repo;
  repo.write(kBilling, billing_original());
  repo.expect_ok("git add -A");
  const Result nope = repo.routeauth("check --staged nope");
  EXPECT_EQ(nope.status, 2) << nope.both();
  EXPECT_EQ(nope.out, "");
  EXPECT_EQ(nope.err, "routeauth: error: nope: no such file or directory, in the work tree, the index or HEAD\n");
  const Result typo = repo.routeauth("check --staged app/api/biling", "");
  EXPECT_EQ(typo.status, 2) << typo.both();

  const fs::path outside = repo.scratch() / "elsewhere";
  fs::create_directories(outside);
  const Result out_of_repo = repo.routeauth("check --staged " + quote(outside.string()));
  EXPECT_EQ(out_of_repo.status, 2) << out_of_repo.both();
  EXPECT_TRUE(has(out_of_repo.err, outside.string() + ": outside the repository")) << out_of_repo.err;
}

// Staged files under node_modules or .next are not the project's routes, as in the plain check.
TEST(CheckStaged, NodeModulesAndNextAreSkipped) {
  Repo repo;
  repo.write("node_modules/pkg/app/api/x/route.ts", billing_original());
  repo.write(".next/server/app/api/x/route.ts", billing_original());
  repo.write(kBilling, migrated(billing_original()));
  repo.expect_ok("git add -f -A");
  ASSERT_TRUE(has(repo.sh("git diff --cached --name-only").out, "node_modules/pkg/app/api/x/route.ts"));
  const Result r = repo.routeauth("check --staged");
  EXPECT_EQ(r.status, 0) << r.both();
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "routeauth: 1 file seen, 0 to fix, 1 already compliant, 0 with no backend calls, 0 need manual review, 0 failed\n");
  EXPECT_EQ(repo.routeauth("check -q .").status, 0) << "the plain check does not skip them either";
}

// Only the staged route files are read from the object store: a staged file that is no route,
// whose blob is missing, is never read (a read would fail). A route whose blob is missing is an
// error that names it, not an abort.
TEST(CheckStaged, OnlyRouteBlobsAreRead) {
  Repo repo;
  repo.write(kBilling, migrated(billing_original()));
  repo.write("docs/big.md", "not a route\n");
  repo.expect_ok("git add -A");
  auto remove_blob = [&](const std::string& rel) {
    const std::string id = repo.sh("git rev-parse :" + quote(rel)).out.substr(0, 40);
    fs::remove(repo.work() / ".git" / "objects" / id.substr(0, 2) / id.substr(2));
    ASSERT_NE(repo.sh("git cat-file -e " + id).status, 0) << "the blob is still there";
  };
  ASSERT_NO_FATAL_FAILURE(remove_blob("docs/big.md"));
  const Result r = repo.routeauth("check --staged");
  EXPECT_EQ(r.status, 0) << r.both();
  EXPECT_EQ(r.err, "routeauth: 1 file seen, 0 to fix, 1 already compliant, 0 with no backend calls, 0 need manual review, 0 failed\n");

  ASSERT_NO_FATAL_FAILURE(remove_blob(kBilling));
  const Result broken = repo.routeauth("check --staged");
  EXPECT_EQ(broken.status, 3) << broken.both();
  EXPECT_TRUE(has(broken.err, "routeauth: error: cannot read the staged " + kBilling)) << broken.err;
  EXPECT_TRUE(has(broken.err, ", 1 failed\n")) << broken.err;
}

// ==== 3. install-hook =============================================================================

std::string hook_path(const Repo& repo) { return (repo.work() / ".git" / "hooks" / "pre-commit").string(); }

void commit_readme(const Repo& repo) {
  repo.write("README.md", "# app\n");
  repo.expect_ok("git add README.md && git commit -q -m init");
}

TEST(InstallHook, WritesAnExecutableHookThatPlainGitRuns) {
  Repo repo;
  commit_readme(repo);
  const Result install = repo.routeauth("install-hook");
  ASSERT_EQ(install.status, 0) << install.err;
  EXPECT_EQ(install.out, "routeauth: installed " + hook_path(repo) + "\n");
  const std::string script = slurp(hook_path(repo));
  EXPECT_TRUE(script.starts_with("#!/bin/sh\n")) << script;
  EXPECT_TRUE(has(script, "\nexec " + quote(binary()) + " check --staged\n")) << script;
  struct stat st {};
  ASSERT_EQ(::stat(hook_path(repo).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0755u);

  repo.write(kBilling, billing_original());
  repo.expect_ok("git add " + kBilling);
  const Result refused = repo.sh("git commit -m 'add billing'");
  EXPECT_NE(refused.status, 0) << refused.both();
  EXPECT_TRUE(has_line_matching(refused.both(), kSessionCallLine)) << refused.both();
  EXPECT_EQ(repo.commits(), 1);

  // The hook judges the index: a migrated but unstaged work tree does not get the commit through.
  ASSERT_EQ(repo.routeauth("apply -q " + kBilling).status, 0);
  const Result still_refused = repo.sh("git commit -m 'add billing'");
  EXPECT_NE(still_refused.status, 0) << still_refused.both();
  EXPECT_EQ(repo.commits(), 1);

  repo.expect_ok("git add " + kBilling);
  const Result passed = repo.sh("git commit -m 'add billing'");
  EXPECT_EQ(passed.status, 0) << passed.both();
  EXPECT_EQ(repo.commits(), 2);
}

TEST(InstallHook, SecondInstallSaysAlreadyInstalled) {
  Repo repo;
  ASSERT_EQ(repo.routeauth("install-hook").status, 0);
  const std::string first = slurp(hook_path(repo));
  for (const std::string dir : {"", "app"}) {
    if (!dir.empty()) fs::create_directories(repo.work() / dir);
    const Result again = repo.routeauth("install-hook", dir);
    EXPECT_EQ(again.status, 0) << again.err;
    EXPECT_EQ(again.out, "routeauth: " + hook_path(repo) + " is already installed\n") << "from '" << dir << "'";
    EXPECT_EQ(again.err, "");
    EXPECT_EQ(slurp(hook_path(repo)), first);
  }
}

TEST(InstallHook, ADifferentHookIsRefusedAndReplacedWithForce) {
  Repo repo;
  const std::string theirs = "#!/bin/sh\necho 'their hook'\n";
  spit(hook_path(repo), theirs);
  ::chmod(hook_path(repo).c_str(), 0755);
  const Result refused = repo.routeauth("install-hook");
  EXPECT_EQ(refused.status, 2);
  EXPECT_EQ(refused.out, "");
  EXPECT_TRUE(has(refused.err, hook_path(repo) + " exists and is not routeauth's")) << refused.err;
  EXPECT_TRUE(has(refused.err, "--force")) << refused.err;
  EXPECT_EQ(slurp(hook_path(repo)), theirs);

  const Result forced = repo.routeauth("install-hook --force");
  EXPECT_EQ(forced.status, 0) << forced.err;
  EXPECT_EQ(forced.out, "routeauth: installed " + hook_path(repo) + "\n");
  EXPECT_TRUE(has(slurp(hook_path(repo)), "\nexec " + quote(binary()) + " check --staged\n"));
}

TEST(InstallHook, BinaryOptionNamesWhatTheHookRuns) {
  Repo repo;
  const Result r = repo.routeauth("install-hook --binary /opt/route auth/routeauth");
  EXPECT_EQ(r.status, 2) << "two paths for one --binary";
  const Result ok = repo.routeauth("install-hook --binary " + quote("/opt/it's here/routeauth"));
  EXPECT_EQ(ok.status, 0) << ok.err;
  EXPECT_TRUE(has(slurp(hook_path(repo)), "\nexec '/opt/it'\\''s here/routeauth' check --staged\n"))
      << slurp(hook_path(repo));
}

TEST(InstallHook, OutsideARepositoryIsAUsageError) {
  TempDir dir;
  const Result r = spawn(dir.root(), {"/bin/sh", "-c", "GIT_CEILING_DIRECTORIES=" + quote(dir.root().parent_path().string()) +
                                                         " exec " + quote(binary()) + " install-hook"});
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(has(r.err, "not inside a git repository")) << r.err;
}

// In a linked worktree (`git worktree add`), git runs the hooks of the main repository's
// hooks folder (`git rev-parse --git-path hooks`), not .git/worktrees/<name>/hooks.
TEST(InstallHook, HookInstalledFromALinkedWorktreeRuns) {
  Repo repo;
  commit_readme(repo);
  repo.expect_ok("git worktree add -q ../linked");
  const fs::path linked = repo.work().parent_path() / "linked";
  const Result install = repo.sh("cd ../linked && " + quote(binary()) + " install-hook");
  EXPECT_EQ(install.status, 0) << install.err;
  EXPECT_EQ(install.out, "routeauth: installed " + hook_path(repo) + "\n");
  EXPECT_FALSE(fs::exists(repo.work() / ".git" / "worktrees" / "linked" / "hooks")) << "written where git never looks";
  spit(linked / kBilling, billing_original());
  const Result commit = repo.sh("cd ../linked && git add " + kBilling + " && git commit -m 'add billing'");
  EXPECT_NE(commit.status, 0) << "the hook did not run: " << install.out << commit.both();
  EXPECT_TRUE(has_line_matching(commit.both(), kSessionCallLine)) << commit.both();
  // The main work tree runs the same hook, and install-hook there finds it installed.
  const Result again = repo.routeauth("install-hook");
  EXPECT_EQ(again.out, "routeauth: " + hook_path(repo) + " is already installed\n") << again.err;
}

// With core.hooksPath set git ignores .git/hooks: install-hook must write where git looks, and
// never report a hook that will not run as installed.
TEST(InstallHook, CoreHooksPathIsHonoured) {
  Repo repo;
  commit_readme(repo);
  repo.expect_ok("git config core.hooksPath .githooks");
  // From a subfolder too: a relative hooksPath is relative to the work tree's root, as git takes it.
  fs::create_directories(repo.work() / "app");
  const Result install = repo.routeauth("install-hook", "app");
  ASSERT_EQ(install.status, 0) << install.both();
  const fs::path hook = repo.work() / ".githooks" / "pre-commit";
  EXPECT_EQ(install.out, "routeauth: installed " + hook.string() + "\n");
  EXPECT_FALSE(fs::exists(hook_path(repo))) << "written where git does not look";
  EXPECT_EQ(repo.sh("git rev-parse --git-path hooks").out, ".githooks\n");
  repo.write(kBilling, billing_original());
  const Result commit = repo.sh("git add " + kBilling + " && git commit -m 'add billing'");
  EXPECT_NE(commit.status, 0) << "install-hook said \"" << install.out << "\" but the hook did not run:\n"
                              << commit.both();
  EXPECT_TRUE(has_line_matching(commit.both(), kSessionCallLine)) << commit.both();

  // An absolute hooksPath.
  const fs::path shared = repo.scratch() / "shared-hooks";
  repo.expect_ok("git config core.hooksPath " + quote(shared.string()));
  const Result absolute = repo.routeauth("install-hook");
  EXPECT_EQ(absolute.out, "routeauth: installed " + (shared / "pre-commit").string() + "\n") << absolute.err;
}

// `git commit -a` (and `git commit <path>`) stages into a temporary index and tells its hooks by
// GIT_INDEX_FILE: the hook must judge that index, not .git/index.
TEST(InstallHook, CommitAllIsJudgedOnWhatItStages) {
  Repo repo;
  repo.write(kBilling, migrated(billing_original()));
  repo.expect_ok("git add -A && git commit -q -m migrated");
  ASSERT_EQ(repo.routeauth("install-hook").status, 0);
  repo.write(kBilling, billing_original());  // un-migrated again, not staged
  const Result all = repo.sh("git commit -a -m 'undo the migration'");
  EXPECT_NE(all.status, 0) << all.both();
  EXPECT_TRUE(has_line_matching(all.both(), kSessionCallLine)) << all.both();
  const Result named = repo.sh("git commit -m 'undo the migration' -- " + kBilling);
  EXPECT_NE(named.status, 0) << named.both();
  EXPECT_EQ(repo.commits(), 1);
  EXPECT_EQ(repo.head(kBilling), migrated(billing_original()));
}

// A commit that touches no route is not slowed by the repository's routes: the hook reads none of
// them. Routes committed earlier without the hook (one does not even parse) would fail any check.
TEST(InstallHook, CommitWithoutRoutesReadsNoRoute) {
  Repo repo;
  add_three_routes(repo);
  repo.write("app/api/broken/route.ts", "export async function GET( {\n");
  repo.expect_ok("git add -A && git commit -q -m 'legacy routes'");
  ASSERT_EQ(repo.routeauth("check -q app").status, 3) << "the repository's routes would fail a check";
  ASSERT_EQ(repo.routeauth("install-hook").status, 0);
  repo.write("README.md", "# app\n");
  repo.expect_ok("git add README.md");
  const Result commit = repo.sh("git commit -m readme");
  EXPECT_EQ(commit.status, 0) << commit.both();
  EXPECT_EQ(commit.err, kSummaryNothing) << commit.both();
  EXPECT_EQ(repo.commits(), 2);
}

// ==== 4. diff: --stat, --color, apply --dry-run ===================================================

// A route whose fetch is on its last lines, so the hunk reaches the end of the file.
const std::string kShortRoute =
    "const BRAIN_API_URL = process.env.BRAIN_API_URL;\n"
    "\n"
    "export async function GET() {\n"
    "  const response = await fetch(`${BRAIN_API_URL}/api/short/`);\n"
    "  return Response.json(await response.json());\n"
    "}";

std::string with_crlf(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

// `routeauth diff | git apply` writes byte for byte what `routeauth apply` writes: plain, CRLF,
// without a final newline, with a byte order mark.
TEST(ReviewDiff, GitApplyOfTheDiffIsByteIdenticalToApply) {
  Repo by_git;
  Repo by_apply;
  for (const Repo* repo : {&by_git, &by_apply}) {
    repo->write(kBilling, billing_original());
    repo->write(kContacts, with_crlf(contacts_original()));
    repo->write("app/api/short/route.ts", kShortRoute);
    repo->write(kCampaigns, "\xEF\xBB\xBF" + campaigns_original());
    repo->expect_ok("git add -A && git commit -q -m routes");
  }
  const Result diff = by_git.routeauth("diff app");
  ASSERT_EQ(diff.status, 1) << diff.err;
  EXPECT_TRUE(has(diff.out, "\\ No newline at end of file\n")) << diff.out;
  EXPECT_TRUE(has(diff.out, "\r\n")) << "the CRLF file's lines";
  EXPECT_TRUE(has(diff.out, "\n \xEF\xBB\xBF") || has(diff.out, "\n-\xEF\xBB\xBF")) << "the BOM line";
  const fs::path patch = by_git.scratch() / "migration.patch";
  spit(patch, diff.out);
  by_git.expect_ok("git apply --check " + quote(patch.string()));
  by_git.expect_ok("git apply " + quote(patch.string()));

  const Result apply = by_apply.routeauth("apply app");
  ASSERT_EQ(apply.status, 0) << apply.err;
  EXPECT_EQ(by_git.snapshot(), by_apply.snapshot());
  const std::string short_route = by_apply.read("app/api/short/route.ts");
  EXPECT_NE(short_route, kShortRoute) << "the short route was not migrated";
  EXPECT_FALSE(short_route.ends_with("\n")) << "apply added a final newline";
  EXPECT_TRUE(by_apply.read(kCampaigns).starts_with("\xEF\xBB\xBF"));
  EXPECT_EQ(count(by_apply.read(kContacts), "\n"), count(by_apply.read(kContacts), "\r\n"));
  // And git sees the same change as a diff of the two trees: nothing left over.
  EXPECT_EQ(by_git.sh("git diff --stat").out, by_apply.sh("git diff --stat").out);
}

// A repository holding a copy of examples/brain-app at its root, committed.
class AppRepo : public Repo {
 public:
  AppRepo() {
    fs::copy(kSource / "examples" / "brain-app", work(), fs::copy_options::recursive);
    expect_ok("git add -A && git commit -q -m app");
  }
};

std::map<std::string, std::pair<int, int>> numstat(const Repo& repo) {
  std::map<std::string, std::pair<int, int>> out;
  for (const auto& line : lines_of(repo.sh("git diff --numstat").out)) {
    std::istringstream in(line);
    int added = 0;
    int deleted = 0;
    std::string path;
    in >> added >> deleted >> path;
    out[path] = {added, deleted};
  }
  return out;
}

const std::string kInvoicesPath = "app/api/brain/billing/invoices/route.ts";
const std::string kContactsPath = "app/api/brain/django-crm/contacts/route.ts";

TEST(ReviewDiff, StatOfTwoKnownFilesIsExact) {
  AppRepo repo;
  const Result stat = repo.routeauth("diff --stat app/api/brain/billing app/api/brain/django-crm/contacts");
  EXPECT_EQ(stat.status, 1) << stat.err;
  ASSERT_EQ(repo.routeauth("apply -q app").status, 0);
  const auto counts = numstat(repo);
  const auto [ia, id] = counts.at(kInvoicesPath);
  const auto [ca, cd] = counts.at(kContactsPath);
  // ` path | N +++--`: names padded to the longest, counts right-aligned, one + or - per line.
  const size_t width = kContactsPath.size();
  auto line = [&](const std::string& path, int added, int deleted) {
    std::string l = " " + path + std::string(width - path.size(), ' ') + " | ";
    const std::string n = std::to_string(added + deleted);
    l += std::string(2 - n.size(), ' ') + n + " " + std::string(static_cast<size_t>(added), '+') +
         std::string(static_cast<size_t>(deleted), '-') + "\n";
    return l;
  };
  ASSERT_LE(std::max(ia + id, ca + cd), 30) << "too many lines for an unscaled bar; pick other files";
  const std::string expected = line(kInvoicesPath, ia, id) + line(kContactsPath, ca, cd) + " 2 files changed, " +
                               std::to_string(ia + ca) + " insertions(+), " + std::to_string(id + cd) +
                               " deletions(-)\n";
  EXPECT_EQ(stat.out, expected);
  // What git itself prints for the same change.
  EXPECT_EQ(stat.out, repo.sh("git diff --stat -- app/api/brain/billing app/api/brain/django-crm/contacts").out);
}

TEST(ReviewDiff, StatOfTheExampleAppCountsEveryFile) {
  AppRepo repo;
  const Result stat = repo.routeauth("diff --stat .");
  EXPECT_EQ(stat.status, 1) << stat.err;
  EXPECT_EQ(stat.err, "routeauth: 7 files seen, 7 would change, 0 already compliant, 0 with no backend calls, 0 need manual review, 0 failed\n");
  const Result apply_stat = repo.routeauth("apply --dry-run --stat .");
  EXPECT_EQ(apply_stat.out, stat.out);
  EXPECT_EQ(apply_stat.status, 1);

  ASSERT_EQ(repo.routeauth("apply -q .").status, 0);
  const auto counts = numstat(repo);
  ASSERT_EQ(counts.size(), 7u);
  const auto lines = lines_of(stat.out);
  ASSERT_EQ(lines.size(), 8u) << stat.out;
  int added = 0;
  int deleted = 0;
  const std::regex file_line(R"( (\S+) +\| +([0-9]+) (\+*)(-*))");
  size_t i = 0;
  for (const auto& [path, c] : counts) {  // both sorted by path
    std::smatch m;
    ASSERT_TRUE(std::regex_match(lines[i], m, file_line)) << lines[i];
    EXPECT_EQ(m[1].str(), path);
    EXPECT_EQ(std::stoi(m[2].str()), c.first + c.second) << lines[i];
    EXPECT_EQ(m[3].length() > 0, c.first > 0) << lines[i];
    EXPECT_EQ(m[4].length() > 0, c.second > 0) << lines[i];
    EXPECT_EQ(lines[i].find(" | "), lines[0].find(" | ")) << "columns are not aligned";
    added += c.first;
    deleted += c.second;
    ++i;
  }
  EXPECT_EQ(lines.back(), " 7 files changed, " + std::to_string(added) + " insertions(+), " +
                              std::to_string(deleted) + " deletions(-)");
  EXPECT_EQ(lines.back(), lines_of(repo.sh("git diff --stat").out).back());
}

// git scales every bar by one factor (the largest change fills the graph), so the bars compare
// the files; lines that fit are shown one for one.
TEST(ReviewDiff, StatBarsAreScaledLikeGit) {
  AppRepo repo;
  // Terminal widths (git reads $COLUMNS): the default 80, wide, narrow enough to shorten the
  // names, and narrower than git's minimum.
  const std::vector<std::string> widths = {"", "200", "60", "30", "10"};
  std::map<std::string, std::string> ours;
  auto columns = [](const std::string& w) { return w.empty() ? std::string("unset COLUMNS; ") : "COLUMNS=" + w + " "; };
  for (const auto& w : widths) ours[w] = repo.sh(columns(w) + quote(binary()) + " diff --stat .").out;
  ASSERT_EQ(repo.routeauth("apply -q .").status, 0);
  for (const auto& w : widths) {
    const Result git = repo.sh(columns(w) + "git diff --stat");
    EXPECT_EQ(ours[w], git.out) << "COLUMNS=" << w;
  }
  EXPECT_TRUE(has(ours["30"], "...")) << "no name was shortened:\n" << ours["30"];
  // The bars are scaled: the longest fills the graph, at 80 columns.
  size_t longest = 0;
  for (const auto& line : lines_of(ours[""])) longest = std::max(longest, line.size());
  EXPECT_LE(longest, 79u) << ours[""];
}

TEST(ReviewDiff, ColourOnlyWhenAskedOrOnATerminal) {
  AppRepo repo;
  const Result never = repo.routeauth("diff --color never app");
  const Result piped = repo.routeauth("diff app");
  const Result auto_piped = repo.routeauth("diff --color=auto app");
  const Result always = repo.routeauth("diff --color always app");
  for (const Result* r : {&never, &piped, &auto_piped, &always}) EXPECT_EQ(r->status, 1) << r->err;
  EXPECT_FALSE(has(never.out, "\033")) << never.out.substr(0, 300);
  EXPECT_EQ(piped.out, never.out);
  EXPECT_EQ(auto_piped.out, never.out);
  EXPECT_TRUE(has(always.out, "\033[1mdiff --git a/" + kInvoicesPath + " b/" + kInvoicesPath + "\033[m\n"))
      << always.out.substr(0, 300);
  EXPECT_TRUE(has(always.out, "\033[36m@@ ")) << always.out.substr(0, 600);
  EXPECT_TRUE(has(always.out, "\033[32m+")) << always.out.substr(0, 600);
  EXPECT_TRUE(has(always.out, "\033[31m-")) << always.out.substr(0, 600);
  EXPECT_EQ(strip_ansi(always.out), never.out) << "colour changed the text";

  const Result stat_always = repo.routeauth("diff --stat --color always app");
  EXPECT_TRUE(has(stat_always.out, "\033[32m+")) << stat_always.out;
  EXPECT_EQ(strip_ansi(stat_always.out), repo.routeauth("diff --stat app").out);

  const Result bad = repo.routeauth("diff --color sometimes app");
  EXPECT_EQ(bad.status, 2);
  EXPECT_EQ(bad.out, "");

  // The uncoloured diff is a patch git takes, and gives what apply writes.
  const fs::path patch = repo.scratch() / "migration.patch";
  spit(patch, never.out);
  repo.expect_ok("git apply --check " + quote(patch.string()));
  repo.expect_ok("git apply " + quote(patch.string()));
  const auto by_git = repo.snapshot();
  repo.expect_ok("git checkout -q -- .");
  ASSERT_EQ(repo.routeauth("apply -q app").status, 0);
  EXPECT_EQ(repo.snapshot(), by_git);
}

TEST(ReviewDiff, AutoColoursOnATerminal) {
  if (!on_path("script")) GTEST_SKIP() << "script (util-linux) is not on PATH";
  AppRepo repo;
  const Result on_tty = repo.sh("script -qec " + quote(quote(binary()) + " diff -q app/api/brain/billing") + " /dev/null");
  EXPECT_TRUE(has(on_tty.out, "\033[1mdiff --git a/" + kInvoicesPath)) << on_tty.out.substr(0, 300);
  const Result forced_off =
      repo.sh("script -qec " + quote(quote(binary()) + " diff -q --color never app/api/brain/billing") + " /dev/null");
  EXPECT_FALSE(has(forced_off.out, "\033")) << forced_off.out.substr(0, 300);
  EXPECT_TRUE(has(forced_off.out, "diff --git a/" + kInvoicesPath)) << forced_off.out.substr(0, 300);
}

TEST(ReviewDiff, ApplyDryRunIsDiffAndWritesNothing) {
  AppRepo repo;
  const auto before = repo.snapshot();
  const Result diff = repo.routeauth("diff app");
  for (const std::string flag : {"--dry-run", "-n"}) {
    const Result dry = repo.routeauth("apply " + flag + " app");
    EXPECT_EQ(dry.status, diff.status) << flag;
    EXPECT_EQ(dry.status, 1) << flag;
    EXPECT_EQ(dry.out, diff.out) << flag;
    EXPECT_EQ(dry.err, diff.err) << flag;
    EXPECT_EQ(repo.snapshot(), before) << flag << " wrote to the tree";
  }
  const Result dry_colour = repo.routeauth("apply --dry-run --color always app");
  EXPECT_EQ(dry_colour.out, repo.routeauth("diff --color always app").out);
  EXPECT_EQ(repo.snapshot(), before);

  ASSERT_EQ(repo.routeauth("apply -q app").status, 0);
  const auto after = repo.snapshot();
  const Result clean = repo.routeauth("apply --dry-run app");
  EXPECT_EQ(clean.status, 0);
  EXPECT_EQ(clean.out, "");
  EXPECT_EQ(repo.snapshot(), after);
}

// `--stat` is documented for `apply` as "with --dry-run": alone it must not rewrite the files
// while the user asked for a statistic.
// As `git apply --stat`, `apply --stat` prints the statistic instead of applying: it implies
// --dry-run. With --interactive, which writes, --stat and --dry-run are usage errors.
TEST(ReviewDiff, ApplyStatIsADryRun) {
  AppRepo repo;
  const auto before = repo.snapshot();
  const Result diff_stat = repo.routeauth("diff --stat app");
  const Result r = repo.routeauth("apply --stat app");
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(r.out, diff_stat.out);
  EXPECT_EQ(r.err, diff_stat.err);
  EXPECT_EQ(repo.snapshot(), before) << "apply --stat wrote to the tree";
  for (const std::string flags : {"-i --stat", "--interactive --dry-run", "-i -n"}) {
    const Result bad = repo.routeauth("apply " + flags + " app");
    EXPECT_EQ(bad.status, 2) << flags;
    EXPECT_TRUE(has(bad.err, "excludes")) << flags << ": " << bad.err;
    EXPECT_EQ(repo.snapshot(), before) << flags;
  }
}

// ==== 5. apply --interactive ======================================================================

// Runs routeauth `args` in `cwd` with stdin on a pseudo-terminal (stdout and stderr are pipes).
// Each time stdout shows one more prompt, types the next answer and Enter; once the answers run
// out, types ^D (end of input).
Result run_on_terminal(const fs::path& cwd, const std::vector<std::string>& args, const std::vector<std::string>& answers) {
  const int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0) throw std::runtime_error("no pseudo-terminal");
  const char* name = ::ptsname(master);
  if (name == nullptr) throw std::runtime_error("ptsname failed");
  const int slave = ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave < 0) throw std::runtime_error("cannot open the terminal");
  termios mode{};
  ::tcgetattr(slave, &mode);
  mode.c_lflag &= ~static_cast<tcflag_t>(ECHO | ECHONL);
  ::tcsetattr(slave, TCSANOW, &mode);
  std::vector<std::string> argv{binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  size_t answered = 0;
  Result r = spawn(cwd, argv, slave, [&](const std::string& out) {
    for (const size_t asked = count(out, kPromptEnd); answered < asked; ++answered) {
      const std::string keys = answered < answers.size() ? answers[answered] + "\n" : std::string("\x04");
      if (::write(master, keys.data(), keys.size()) != static_cast<ssize_t>(keys.size())) {
        ADD_FAILURE() << "cannot type on the terminal";
      }
    }
  });
  ::close(slave);
  ::close(master);
  return r;
}

std::string prompt(const std::string& path) { return "Apply this change to " + path + kPromptEnd; }

const std::string kHelp =
    "y - apply this change\nn - do not apply this change\na - apply this and every later change\n"
    "q - quit; do not apply this or any later change\n";

TEST(Interactive, YesToTheFirstNoToTheSecond) {
  Repo repo;
  repo.write(kBilling, billing_original());
  repo.write(kContacts, contacts_original());
  const std::string billing_diff = repo.routeauth("diff -q --color never " + kBilling).out;
  const std::string contacts_diff = repo.routeauth("diff -q --color never " + kContacts).out;
  ASSERT_FALSE(billing_diff.empty());
  ASSERT_FALSE(contacts_diff.empty());

  const Result r = run_on_terminal(repo.work(), {"apply", "--interactive", "app"}, {"y", "n"});
  EXPECT_EQ(r.status, 1) << "a declined change is left: " << r.err;
  EXPECT_EQ(r.out, billing_diff + prompt(kBilling) + contacts_diff + prompt(kContacts));
  EXPECT_EQ(r.err, "routeauth: 2 files seen, 1 changed, 0 already compliant, 0 with no backend calls, 0 need manual review, 0 failed\n");
  EXPECT_EQ(repo.read(kBilling), migrated(billing_original()));
  EXPECT_EQ(repo.read(kContacts), contacts_original());
}

TEST(Interactive, NoToEverythingWritesNothingAndExits1) {
  Repo repo;
  add_three_routes(repo);
  const auto before = repo.snapshot();
  const Result r = run_on_terminal(repo.work(), {"apply", "-i", "app"}, {"n", "n", "n"});
  EXPECT_EQ(r.status, 1) << "the changes remain: " << r.err;
  EXPECT_EQ(count(r.out, kPromptEnd), 3u) << r.out;
  EXPECT_EQ(r.err, "routeauth: 3 files seen, 0 changed, 0 already compliant, 0 with no backend calls, 0 need manual review, 0 failed\n");
  EXPECT_EQ(repo.snapshot(), before);
}

TEST(Interactive, QuitWritesNothingMore) {
  Repo repo;
  add_three_routes(repo);
  const Result r = run_on_terminal(repo.work(), {"apply", "-i", "--color", "never", "app"}, {"y", "q"});
  EXPECT_EQ(r.status, 1) << "changes are left: " << r.err;
  // Files go in path order: billing, contacts, marketing. After q nothing more is shown or asked.
  EXPECT_EQ(count(r.out, kPromptEnd), 2u) << r.out;
  EXPECT_TRUE(has(r.out, prompt(kContacts))) << r.out;
  EXPECT_FALSE(has(r.out, kCampaigns)) << r.out;
  EXPECT_EQ(repo.read(kBilling), migrated(billing_original()));
  EXPECT_EQ(repo.read(kContacts), contacts_original());
  EXPECT_EQ(repo.read(kCampaigns), campaigns_original());
}

TEST(Interactive, AllAppliesTheRestWithoutAsking) {
  Repo repo;
  add_three_routes(repo);
  const Result r = run_on_terminal(repo.work(), {"apply", "--interactive", "app"}, {"n", "a"});
  EXPECT_EQ(r.status, 1) << "billing was declined: " << r.err;
  EXPECT_EQ(count(r.out, kPromptEnd), 2u) << r.out;
  EXPECT_FALSE(has(r.out, kCampaigns)) << "the file after `a` was shown";
  EXPECT_EQ(repo.read(kBilling), billing_original());
  EXPECT_EQ(repo.read(kContacts), migrated(contacts_original()));
  EXPECT_EQ(repo.read(kCampaigns), migrated(campaigns_original()));
  EXPECT_EQ(r.err, "routeauth: 3 files seen, 2 changed, 0 already compliant, 0 with no backend calls, 0 need manual review, 0 failed\n");
}

TEST(Interactive, HelpAndUnknownAnswersAskAgain) {
  Repo repo;
  repo.write(kBilling, billing_original());
  const std::string billing_diff = repo.routeauth("diff -q --color never " + kBilling).out;
  const Result r = run_on_terminal(repo.work(), {"apply", "--interactive", "app"}, {"?", "yes", "y"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, billing_diff + prompt(kBilling) + kHelp + prompt(kBilling) + kHelp + prompt(kBilling));
  EXPECT_EQ(repo.read(kBilling), migrated(billing_original()));
}

TEST(Interactive, EndOfInputIsQuit) {
  Repo repo;
  add_three_routes(repo);
  const Result r = run_on_terminal(repo.work(), {"apply", "--interactive", "app"}, {"y"});  // then ^D
  EXPECT_EQ(r.status, 1) << "changes are left: " << r.err;
  EXPECT_EQ(count(r.out, kPromptEnd), 2u) << r.out;
  EXPECT_EQ(repo.read(kBilling), migrated(billing_original()));
  EXPECT_EQ(repo.read(kContacts), contacts_original());
  EXPECT_EQ(repo.read(kCampaigns), campaigns_original());
}

TEST(Interactive, OnATerminalTheDiffIsColoured) {
  Repo repo;
  repo.write(kBilling, billing_original());
  // stdout a terminal too: `script` gives the whole session one; answers come through its stdin.
  if (!on_path("script")) GTEST_SKIP() << "script (util-linux) is not on PATH";
  const Result r = repo.sh("printf 'n\\n' | script -qec " + quote(quote(binary()) + " apply -i -q app") + " /dev/null");
  EXPECT_TRUE(has(r.out, "\033[1mdiff --git a/" + kBilling)) << r.out.substr(0, 300);
  EXPECT_TRUE(has(r.out, prompt(kBilling))) << r.out;
  EXPECT_EQ(repo.read(kBilling), billing_original());
}

TEST(Interactive, RefusesWithoutATerminalAndWritesNothing) {
  Repo repo;
  add_three_routes(repo);
  const auto before = repo.snapshot();
  const std::string message =
      "routeauth: error: --interactive asks on a terminal, and standard input is not one; use `routeauth diff` to "
      "review without one\n";
  const Result devnull = repo.routeauth("apply --interactive app </dev/null");
  EXPECT_EQ(devnull.status, 2);
  EXPECT_EQ(devnull.out, "");
  EXPECT_EQ(devnull.err, message);
  const Result piped = repo.routeauth("apply --interactive app <<'EOF'\ny\ny\ny\nEOF");
  EXPECT_EQ(piped.status, 2);
  EXPECT_EQ(piped.out, "");
  EXPECT_EQ(piped.err, message);
  EXPECT_EQ(repo.snapshot(), before);
}

}  // namespace
