// routeauth install-hook: a plain pre-commit hook that checks the staged route files, for teams
// without the pre-commit framework; written where git runs hooks from (`git rev-parse --git-path
// hooks`: core.hooksPath, else .git/hooks of the main repository, also from a linked worktree).
#include <fmt/format.h>
#include <fmt/ostream.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <ostream>

#include "cli/commands.h"
#include "engine/git_repo.h"
#include "output/write.h"

namespace fs = std::filesystem;

namespace routeauth::cli {

namespace {

std::string self_path() {
  std::error_code ec;
  const fs::path p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("routeauth") : p.string();
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

int run_install_hook(const HookOptions& options, Io io) {
  const auto repo = engine::GitRepo::discover(".");
  if (!repo) {
    fmt::print(io.err, "routeauth: error: not inside a git repository; run install-hook from your repository\n");
    return kUsage;
  }
  // Where git looks: core.hooksPath, else the common dir's hooks (a linked worktree has none of
  // its own).
  const fs::path hooks = repo->hooks_dir();
  const fs::path hook = hooks / "pre-commit";
  const std::string binary = options.binary.empty() ? self_path() : options.binary;
  const std::string script = fmt::format(
      "#!/bin/sh\n"
      "# routeauth: refuse a commit whose staged API routes break the session-auth pattern.\n"
      "# Written by `routeauth install-hook`; `git commit --no-verify` skips it.\n"
      "exec {} check --staged\n",
      shell_quote(binary));
  std::error_code ec;
  if (fs::exists(hook, ec)) {
    std::string existing;
    try {
      existing = output::read_file(hook.string());
    } catch (const std::exception& e) {
      fmt::print(io.err, "routeauth: error: {}\n", e.what());
      return kFailed;
    }
    if (existing == script) {
      fmt::print(io.out, "routeauth: {} is already installed\n", hook.string());
      return kClean;
    }
    if (!options.force) {
      fmt::print(io.err,
                 "routeauth: error: {} exists and is not routeauth's; add `{} check --staged` to it by hand, "
                 "or run install-hook --force to replace it\n",
                 hook.string(), binary);
      return kUsage;
    }
  }
  fs::create_directories(hooks, ec);
  const std::string temp = hook.string() + ".routeauth-new";
  try {
    {
      std::FILE* f = std::fopen(temp.c_str(), "wb");
      if (!f) throw std::runtime_error(fmt::format("{}: cannot write", temp));
      std::fwrite(script.data(), 1, script.size(), f);
      std::fclose(f);
    }
    ::chmod(temp.c_str(), 0755);
    fs::rename(temp, hook);
  } catch (const std::exception& e) {
    fs::remove(temp, ec);
    fmt::print(io.err, "routeauth: error: {}\n", e.what());
    return kFailed;
  }
  fmt::print(io.out, "routeauth: installed {}\n", hook.string());
  return kClean;
}

}  // namespace routeauth::cli
