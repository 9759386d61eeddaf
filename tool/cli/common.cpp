#include "cli/common.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <ostream>

#include "engine/discover.h"
#include "engine/git_repo.h"
#include "engine/rule.h"
#include "output/write.h"

namespace routeauth::cli {

using engine::Outcome;
using engine::Status;

void add_common_options(CLI::App& command, Options& options, bool paths_required) {
  auto* paths = command.add_option("paths", options.paths, "route files, or folders to search for app/**/route.ts");
  if (paths_required) paths->required();
  command.add_option("--backend", options.backends,
                     "what backend URLs are built from: an identifier (BRAIN_API_URL), a member "
                     "expression (process.env.API_URL) or a call (backendUrl()); repeatable")
      ->type_name("EXPR")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  command.add_option("--auth-options-module", options.auth_options_module,
                     "module to import authOptions from (default: @/app/api/auth/[...nextauth]/route)")
      ->type_name("SPEC");
  command.add_option("--disable", options.disabled_rules, "turn a rule off by id; repeatable")
      ->type_name("RULE")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->check([](const std::string& id) {
        return engine::find_rule(id) || id == "manual-review"
                   ? std::string()
                   : fmt::format("unknown rule '{}'; see routeauth --list-rules", id);
      });
  command.add_flag("-q,--quiet", options.quiet, "no summary line");
}

void add_color_option(CLI::App& command, Options& options) {
  command.add_option("--color", options.color, "colour the diff: auto (on a terminal), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->type_name("WHEN");
}

bool use_color(const Options& options, const Io& io) {
  if (options.color == "always") return true;
  if (options.color == "never") return false;
  return io.out_is_terminal;
}

namespace {

engine::Config make_config(const Options& options) {
  engine::Config config;
  if (!options.backends.empty()) config.backend_bases = options.backends;
  if (!options.auth_options_module.empty()) config.auth_options_module = options.auth_options_module;
  for (const auto& id : options.disabled_rules) config.disabled_rules.insert(id);
  return config;
}

std::string_view severity_name(engine::Severity s) {
  switch (s) {
    case engine::Severity::error: return "error";
    case engine::Severity::warning: return "warning";
    case engine::Severity::note: return "note";
  }
  return "error";
}

}  // namespace

bool has_unfixable(const Outcome& outcome) {
  for (const auto& f : outcome.findings) {
    if (!f.fixable()) return true;
  }
  return false;
}

void print_findings(std::ostream& os, const Processed& p, bool fixable_too) {
  if (p.outcome.findings.empty()) return;
  const engine::SourceFile file(p.display_path, p.outcome.original);
  for (const auto& f : p.outcome.findings) {
    if (!fixable_too && f.fixable()) continue;
    const auto pos = file.position(f.offset);
    fmt::print(os, "{}:{}:{}: {}: {} [{}]\n", p.display_path, pos.line, pos.column,
               severity_name(f.severity), f.message, f.rule);
    for (const auto& note : f.notes) {
      fmt::print(os, "{}:{}:{}: note: {}\n", p.display_path, pos.line, pos.column, note);
    }
  }
}

void print_summary(std::ostream& os, const Totals& t, std::string_view changed_word) {
  fmt::print(os, "routeauth: {} file{} seen, {} {}, {} already compliant, {} need{} manual review, {} failed\n",
             t.seen, t.seen == 1 ? "" : "s", t.changed, changed_word, t.compliant, t.manual,
             t.manual == 1 ? "s" : "", t.failed);
}

namespace {

struct Input {
  std::string path;     // for reading and writing
  std::string display;  // relative to the repository root (or the current folder)
  std::optional<std::string> bytes;  // already known (staged content)
};

// The files of a run: the staged route files, or those the paths name.
std::optional<std::vector<Input>> inputs(const Options& options, Io io) {
  std::vector<Input> out;
  if (options.staged) {
    const auto repo = engine::GitRepo::discover(options.paths.empty() ? "." : options.paths.front());
    if (!repo) {
      fmt::print(io.err, "routeauth: error: --staged needs a git repository; run it inside one\n");
      return std::nullopt;
    }
    std::vector<std::string> under;
    for (const auto& p : options.paths) {
      std::string rel = repo->relative(p);
      if (rel == ".") rel.clear();
      under.push_back(rel);
    }
    for (auto& f : repo->staged_files()) {
      if (!engine::is_route_file(f.path) || engine::is_nextauth_route(f.path)) continue;
      const bool wanted = under.empty() || std::any_of(under.begin(), under.end(), [&](const std::string& u) {
        return u.empty() || f.path == u || f.path.starts_with(u + "/");
      });
      if (!wanted) continue;
      out.push_back(Input{repo->workdir() + f.path, f.path, std::move(f.bytes)});
    }
    std::sort(out.begin(), out.end(), [](const Input& a, const Input& b) { return a.display < b.display; });
    return out;
  }
  const engine::Discovery found = engine::discover(options.paths);
  for (const auto& e : found.errors) fmt::print(io.err, "routeauth: error: {}\n", e);
  if (!found.errors.empty()) return std::nullopt;
  const auto repo = engine::GitRepo::discover(options.paths.front());
  std::error_code ec;
  const std::string cwd = std::filesystem::current_path(ec).string();
  for (const auto& path : found.files) {
    out.push_back(Input{path, repo ? repo->relative(path) : engine::relative_to(path, cwd), std::nullopt});
  }
  return out;
}

}  // namespace

int for_each_file(const Options& options, engine::Mode mode, Io io, Totals& totals,
                  const std::function<void(const Processed&)>& consume) {
  const auto files = inputs(options, io);
  if (!files) return kUsage;

  const engine::Config config = make_config(options);
  engine::Worker worker(config);
  int status = kClean;
  for (const auto& input : files.value()) {
    ++totals.seen;
    Outcome outcome;
    try {
      outcome = worker.process(input.path, input.bytes ? *input.bytes : output::read_file(input.path), mode);
    } catch (const std::exception& e) {
      fmt::print(io.err, "routeauth: error: {}\n", e.what());
      ++totals.failed;
      status = kFailed;
      continue;
    }
    switch (outcome.status) {
      case Status::parse_error:
      case Status::internal_error:
        ++totals.failed;
        status = kFailed;
        if (outcome.status == Status::internal_error) {
          fmt::print(io.err, "routeauth: internal error: {}: {}\n", input.display, outcome.error);
        }
        break;
      case Status::clean:
        ++totals.compliant;
        break;
      case Status::findings:
        if (has_unfixable(outcome)) ++totals.manual;
        break;
    }
    consume(Processed{outcome, input.display});
  }
  return status;
}

}  // namespace routeauth::cli
