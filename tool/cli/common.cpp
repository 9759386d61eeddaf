#include "cli/common.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <filesystem>
#include <map>
#include <optional>
#include <ostream>

#include "engine/backends.h"
#include "engine/config_file.h"
#include "engine/discover.h"
#include "engine/project.h"
#include "engine/git_repo.h"
#include "engine/session_api.h"
#include "engine/rule.h"
#include "engine/suppressions.h"
#include "output/write.h"

namespace routeauth::cli {

using engine::Outcome;
using engine::Status;

void add_common_options(CLI::App& command, Options& options, bool /*paths_required*/) {
  command.add_option("paths", options.paths, "route files, or folders to search for app/**/route.ts");
  auto repeatable = [](CLI::Option* o) {
    // One value per occurrence, so `--disable no-store app/` leaves app/ to the paths.
    return o->expected(1)->allow_extra_args(false)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  };
  auto known_rule = [](const std::string& id) {
    return engine::can_be_disabled(id) ? std::string() : fmt::format("unknown rule '{}'; see routeauth --list-rules", id);
  };
  // Settings (each is also a routeauth.json key).
  repeatable(command.add_option("--backend", options.backends,
                                "what backend URLs are built from: an identifier (BRAIN_API_URL), a member "
                                "expression (process.env.API_URL), a call (backendUrl()) or a URL prefix (https://api.example.com); "
                                "repeatable; default: inferred from the code"))
      ->type_name("EXPR");
  command.add_option("--auth-options-module", options.auth_options_module,
                     "module to import authOptions from (default: @/app/api/auth/[...nextauth]/route)")
      ->type_name("SPEC");
  command.add_option("--session-api", options.session_api,
                     "how routes read the session: v4 (getServerSession(authOptions)), v5 (auth() from the auth "
                     "module) or auto (the default: from the project's auth module and next-auth version)")
      ->check(CLI::IsMember({"auto", "v4", "v5"}))
      ->type_name("API");
  command.add_option("--auth-module", options.auth_module,
                     "v5: module to import auth from (default: the project's, else @/auth)")
      ->type_name("SPEC");
  command.add_option("--empty-authorization", options.empty_authorization,
                     "what a mutation sends with no session, no credential of its own and no caller header: "
                     "guide ('', the default) or omit")
      ->check(CLI::IsMember({"guide", "omit"}))
      ->type_name("FORM");
  command.add_option("--access-token-field", options.access_token_field,
                     "session field with the backend token (default: access_token)")
      ->type_name("FIELD");
  command.add_option("--tenant-field", options.tenant_field, "session field with the tenant (default: user.tenant_id)")
      ->type_name("FIELD");
  command.add_option("--tenant-param", options.tenant_param, "query parameter for the tenant (default: tenant_id)")
      ->type_name("NAME");
  repeatable(command.add_option("--read-method", options.read_methods, "a method with the read pattern (default: GET, HEAD); repeatable"))
      ->type_name("METHOD");
  repeatable(command.add_option("--mutation-method", options.mutation_methods,
                                "a method with the mutation pattern (default: POST, PUT, PATCH, DELETE); repeatable"))
      ->type_name("METHOD");
  repeatable(command.add_option("--disable", options.disabled_rules, "turn a rule off by id; repeatable"))
      ->type_name("RULE")
      ->check(known_rule);
  repeatable(command.add_option("--enable", options.enabled_rules, "turn a rule on that the config turned off; repeatable"))
      ->type_name("RULE")
      ->check(known_rule);
  repeatable(command.add_option("--include", options.include, "only route files matching this glob (gitignore syntax); repeatable"))
      ->type_name("GLOB");
  repeatable(command.add_option("--exclude", options.exclude, "skip route files matching this glob; repeatable"))
      ->type_name("GLOB");
  command.add_option("--max-file-size", options.max_file_size,
                     "skip route files larger than this, with an error (default: 4MB; e.g. 8MB, 512KB)")
      ->type_name("SIZE")
      ->check([](const std::string& v) {
        return engine::parse_size(v) ? std::string() : std::string("expected a size from 1 byte to 1GB, e.g. 8MB or 512KB");
      });
  command.add_option("--config", options.config_path, "use this config file instead of searching for routeauth.json")
      ->type_name("FILE");
  command.add_flag("--no-config", options.no_config, "ignore routeauth.json and package.json settings");
  // Which files.
  command.add_option("--routes-from", options.routes_from,
                     "the routes to take: a file of paths, or a Markdown checklist like the migration guide's")
      ->type_name("FILE");
  command.add_flag("--stdin", options.stdin_list, "read the paths of the routes to take from standard input, one per line");
  command.add_option("--shard", options.shard, "take only share K of N (1-based), for splitting a monorepo across CI jobs")
      ->type_name("K/N");
  command.add_option("-j,--jobs", options.jobs, "worker threads (default: the machine's cores)")->type_name("N");
  command.add_flag("!--no-progress", options.progress, "no progress bar, even on a terminal");
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
  if (!p.outcome.note.empty()) fmt::print(os, "{}: note: {}\n", p.display_path, p.outcome.note);
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
  fmt::print(os,
             "routeauth: {} file{} seen, {} {}, {} already compliant, {} with no backend calls, {} need{} manual "
             "review, {} failed\n",
             t.seen, t.seen == 1 ? "" : "s", t.changed, changed_word, t.compliant, t.no_backend, t.manual,
             t.manual == 1 ? "s" : "", t.failed);
  // A run in which no route calls the backend has most likely not been told what the backend is.
  if (t.seen > 0 && t.no_backend == t.seen) {
    std::vector<std::string> looked;
    for (const std::string& b : t.backends) {
      looked.push_back(b.find("://") != std::string::npos || b.find('.') != std::string::npos || b.find('(') != std::string::npos
                           ? b
                           : fmt::format("{} (or process.env.{})", b, b));
    }
    fmt::print(os,
               "routeauth: no route calls a backend: looked for fetch calls whose URL is built from {}; if your "
               "routes call one, name it with --backend or \"backends\" in routeauth.json (routeauth init writes it)\n",
               fmt::join(looked, ", "));
  }
}

// The settings: defaults, then the config file, then the flags.
engine::Config make_config(const Options& options, engine::Selection& selection, std::string& glob_root) {
  engine::Config config;
  bool found_module = false;
  bool found_auth_module = false;
  if (!options.no_config) {
    std::optional<std::string> file;
    if (!options.config_path.empty()) {
      file = options.config_path;
    } else {
      file = engine::find_config(options.paths.empty() ? "." : options.paths.front());
    }
    if (file) {
      const auto loaded = engine::load_config(*file, config, selection);
      glob_root = loaded.root;
      found_module = loaded.sets_auth_options_module;
      if (found_module) {
        std::error_code ec;
        const std::string shown = std::filesystem::proximate(*file, ec).generic_string();
        config.auth_options_setting = fmt::format("\"authOptionsModule\" in {}", ec ? *file : shown);
      }
      found_auth_module = loaded.sets_auth_module;
    }
  }
  if (!options.session_api.empty()) config.session_api = options.session_api;
  // authOptions (v4) and auth (v5): named by a flag or the config, else found in the project
  // (lib/auth.ts, ...) and imported through its tsconfig alias, or by a relative path. The
  // session API, when "auto", is resolved from the same search.
  if (!options.auth_options_module.empty()) found_module = true;
  if (!options.auth_module.empty()) found_auth_module = true;
  // A pinned v4 project with its authOptionsModule set reads nothing more (auth() reads from a
  // module ending in `auth` are recognised without the search: rewriters/session_read.h).
  const bool search = !found_module || config.session_api == "auto" || (config.session_api == "v5" && !found_auth_module);
  if (search && !options.paths.empty()) {
    const std::string project = engine::project_root(options.paths.front());
    const engine::AuthModules modules = engine::find_auth_modules(project);
    if (const auto& detected = modules.auth_options; !found_module && detected) {
      if (!detected->specifier.empty()) {
        config.auth_options_module = detected->specifier;
      } else {
        config.auth_options_file = (std::filesystem::path(project) / detected->file).string();
      }
    }
    if (!found_auth_module && modules.auth) {
      config.auth_module = modules.auth->specifier;  // "": by a relative path
      config.auth_file = (std::filesystem::path(project) / modules.auth->file).string();
    }
    if (config.session_api == "auto") config.session_api = engine::detect_session_api(project, modules).api;
  }
  if (!options.backends.empty()) {
    config.backend_bases = options.backends;
    config.backends_configured = true;
  }
  if (!options.auth_options_module.empty()) {
    config.auth_options_module = options.auth_options_module;
    config.auth_options_setting = "--auth-options-module";
  }
  if (!options.auth_module.empty()) config.auth_module = options.auth_module;
  if (!options.empty_authorization.empty()) config.empty_authorization = options.empty_authorization;
  if (!options.access_token_field.empty()) config.access_token_field = options.access_token_field;
  if (!options.tenant_field.empty()) config.tenant_field = options.tenant_field;
  if (!options.tenant_param.empty()) config.tenant_param = options.tenant_param;
  if (!options.read_methods.empty()) config.read_methods = options.read_methods;
  if (!options.mutation_methods.empty()) config.mutation_methods = options.mutation_methods;
  if (!options.max_file_size.empty()) config.max_file_bytes = engine::parse_size(options.max_file_size).value();
  for (const auto& id : options.disabled_rules) config.disabled_rules.insert(id);
  for (const auto& id : options.enabled_rules) config.disabled_rules.erase(id);
  selection.include.insert(selection.include.end(), options.include.begin(), options.include.end());
  selection.exclude.insert(selection.exclude.end(), options.exclude.begin(), options.exclude.end());
  return config;
}

namespace {

struct Input {
  std::string path;     // for reading and writing
  std::string display;  // relative to the repository root (or the current folder)
  std::optional<std::string> bytes;  // already known (staged content)
};

bool parse_shard(const std::string& text, int& index, int& count) {
  const size_t slash = text.find('/');
  if (slash == std::string::npos) return false;
  try {
    index = std::stoi(text.substr(0, slash));
    count = std::stoi(text.substr(slash + 1));
  } catch (const std::exception&) {
    return false;
  }
  return count >= 1 && index >= 1 && index <= count;
}

// The repository --staged looks at: the one around the current folder, as git finds it (else the
// one around the first path).
std::optional<engine::GitRepo> staged_repository(const Options& options) {
  auto repo = engine::GitRepo::discover(".");
  if (!repo && !options.paths.empty()) repo = engine::GitRepo::discover(options.paths.front());
  return repo;
}

// The staged route files, read from the index. The paths are pathspecs (relative to the current
// folder, as git takes them): a staged file is taken when it is one of them or below one. Only
// the route files the selection keeps are read. An unmerged route has no staged version: it is
// reported and counted in `unprocessable`.
std::optional<std::vector<Input>> staged_inputs(const Options& options, const engine::GitRepo& repo,
                                                const engine::DiscoverOptions& selection, Io io,
                                                size_t& unprocessable) {
  std::vector<std::string> specs;
  for (const auto& p : options.paths) {
    const auto rel = repo.inside(p);
    if (!rel) {
      fmt::print(io.err, "routeauth: error: {}: outside the repository {}\n", p, repo.workdir());
      return std::nullopt;
    }
    std::error_code ec;
    if (!std::filesystem::exists(std::filesystem::symlink_status(p, ec)) && !repo.knows(*rel)) {
      fmt::print(io.err, "routeauth: error: {}: no such file or directory, in the work tree, the index or HEAD\n", p);
      return std::nullopt;
    }
    specs.push_back(*rel == "." ? std::string() : *rel);
  }
  const auto staged = repo.staged_files();
  std::map<std::string, const engine::GitRepo::StagedFile*> by_path;
  std::vector<std::string> candidates;
  for (const auto& f : staged) {
    const bool wanted = specs.empty() || std::any_of(specs.begin(), specs.end(), [&](const std::string& u) {
      return u.empty() || f.path == u || f.path.starts_with(u + "/");
    });
    if (!wanted) continue;
    candidates.push_back(repo.workdir() + f.path);
    by_path[candidates.back()] = &f;
  }
  std::vector<Input> out;
  for (const auto& path : engine::select_routes(std::move(candidates), selection)) {
    const engine::GitRepo::StagedFile& f = *by_path.at(path);
    if (f.unmerged) {
      fmt::print(io.err,
                 "routeauth: error: {}: unmerged: the index holds the versions of an unresolved merge conflict, "
                 "not one staged version; resolve the conflict, `git add` the file and run again\n",
                 f.path);
      ++unprocessable;
      continue;
    }
    try {
      out.push_back(Input{path, f.path, repo.read_staged(f)});
    } catch (const engine::GitError& e) {
      fmt::print(io.err, "routeauth: error: {}\n", e.what());
      ++unprocessable;
    }
  }
  return out;
}

// The files of a run: the staged route files, or those the paths and lists name.
std::optional<std::vector<Input>> inputs(const Options& options, const engine::Selection& selection,
                                         const std::string& glob_root, Io io, size_t& unprocessable) {
  int shard_index = 1, shard_count = 1;
  if (!options.shard.empty() && !parse_shard(options.shard, shard_index, shard_count)) {
    fmt::print(io.err, "routeauth: error: --shard {}: expected K/N with 1 <= K <= N, e.g. --shard 2/4\n", options.shard);
    return std::nullopt;
  }
  const std::string start = options.paths.empty() ? "." : options.paths.front();
  const auto repo = options.staged ? staged_repository(options) : engine::GitRepo::discover(start);
  const std::string root = repo ? repo->workdir() : std::filesystem::current_path().string();
  engine::DiscoverOptions discover_options;
  discover_options.repo = repo ? &*repo : nullptr;
  discover_options.include = selection.include;
  discover_options.exclude = selection.exclude;
  discover_options.root = glob_root.empty() ? root : glob_root;
  discover_options.shard_index = shard_index - 1;
  discover_options.shard_count = shard_count;
  if (options.staged) {
    if (!repo) {
      fmt::print(io.err, "routeauth: error: --staged needs a git repository; run it inside one\n");
      return std::nullopt;
    }
    return staged_inputs(options, *repo, discover_options, io, unprocessable);
  }

  std::vector<Input> out;
  std::vector<std::string> paths = options.paths;
  auto add_list = [&](const std::string& text, bool markdown) {
    for (auto& p : engine::parse_route_list(text, root, markdown)) {
      // `/app/api/...` names the repository root; when the Next.js app is a folder of the
      // repository and the run starts there, it names the current folder.
      std::error_code ec;
      if (!std::filesystem::exists(p, ec) && p.starts_with(root)) {
        const std::filesystem::path here = std::filesystem::current_path(ec) / p.substr(root.size());
        if (std::filesystem::exists(here, ec)) p = here.string();
      }
      paths.push_back(std::move(p));
    }
  };
  if (!options.routes_from.empty()) {
    std::string text;
    try {
      text = output::read_file(options.routes_from);
    } catch (const std::exception& e) {
      fmt::print(io.err, "routeauth: error: --routes-from {}\n", e.what());
      return std::nullopt;
    }
    const bool markdown = options.routes_from.ends_with(".md") || options.routes_from.ends_with(".markdown");
    add_list(text, markdown);
  }
  if (options.stdin_list && io.in) {
    std::string text, line;
    while (std::getline(*io.in, line)) text += line + "\n";
    add_list(text, false);
  }
  const engine::Discovery found = engine::discover(paths, discover_options);
  for (const auto& e : found.errors) fmt::print(io.err, "routeauth: error: {}\n", e);
  if (!found.errors.empty()) return std::nullopt;
  std::error_code ec;
  const std::string cwd = std::filesystem::current_path(ec).string();
  for (const auto& path : found.files) {
    out.push_back(Input{path, repo ? repo->relative(path) : engine::relative_to(path, cwd), std::nullopt});
  }
  return out;
}

// The bytes of one input, refused with a one-line error (thrown) when routeauth will not rewrite
// them: not a readable regular file, over the size limit, empty, a NUL byte, not UTF-8.
std::string read_input(const Input& input, const engine::Config& config, std::optional<output::FileStamp>& stamp) {
  std::string bytes;
  try {
    if (input.bytes) {
      if (input.bytes->size() > config.max_file_bytes) {
        throw output::FileError(output::over_limit(input.bytes->size(), config.max_file_bytes));
      }
      bytes = *input.bytes;
    } else {
      output::SourceRead read = output::read_source(input.path, config.max_file_bytes);
      bytes = std::move(read.bytes);
      stamp = read.stamp;
    }
  } catch (const output::FileError& e) {
    throw std::runtime_error(fmt::format("{}: {}", input.display, e.what()));
  }
  if (const auto problem = engine::unusable_text(bytes)) {
    const engine::Position at = engine::SourceFile(input.display, bytes).position(problem->offset);
    throw std::runtime_error(bytes.empty() ? fmt::format("{}: {}", input.display, problem->what)
                                           : fmt::format("{}:{}:{}: {}", input.display, at.line, at.column, problem->what));
  }
  return bytes;
}

// "routeauth: 1234/10000 files" on a terminal's stderr, for long runs only.
class Progress {
 public:
  Progress(Io io, size_t total, bool wanted)
      : io_(io), total_(total), on_(wanted && io.err_is_terminal && total >= 200 && !std::getenv("CI")) {}
  void tick(size_t done) {
    if (on_ && (done % 50 == 0 || done == total_)) {
      fmt::print(io_.err, "\rrouteauth: {}/{} files", done, total_);
      io_.err.flush();
    }
  }
  ~Progress() {
    if (on_) fmt::print(io_.err, "\r\033[K");
  }

 private:
  Io io_;
  size_t total_;
  bool on_;
};

}  // namespace

bool has_inputs(const Options& options) {
  return !options.paths.empty() || options.staged || !options.routes_from.empty() || options.stdin_list;
}

// With no `backends` from a flag or the config: what the project's routes build their backend
// URLs from (engine/backends.h), said once on stderr; the guide's BRAIN_API_URL when nothing is found.
void infer_backends_into(const Options& options, Io io, engine::Config& config) {
  if (config.backends_configured && config.wrappers_configured) return;
  const std::string project = engine::project_root(options.paths.empty() ? "." : options.paths.front());
  const auto inference = engine::infer_backends(project, engine::discover({project}).files, config);
  std::string said;
  if (!config.wrappers_configured && !inference.wrappers.empty()) {
    for (const auto& w : inference.wrappers) config.wrappers.push_back(w.wrapper);
    said = fmt::format("; wrappers inferred: {}", engine::describe_wrappers(inference));
  }
  // Nothing new to say about backends when what was found is the guide's default (BRAIN_API_URL,
  // which also stands for process.env.BRAIN_API_URL).
  const bool only_default = std::all_of(inference.accepted.begin(), inference.accepted.end(), [&](const auto& b) {
    return std::any_of(config.backend_bases.begin(), config.backend_bases.end(),
                       [&](const std::string& d) { return b.base == d || b.base == "process.env." + d; });
  });
  if (!config.backends_configured && !inference.accepted.empty() && !only_default) {
    config.backend_bases.clear();
    for (const auto& b : inference.accepted) config.backend_bases.push_back(b.base);
    said = fmt::format("backends inferred: {}{}", engine::describe_inferred(inference), said);
  } else if (!said.empty()) {
    said = said.substr(2);
  }
  if (!options.quiet && !said.empty()) fmt::print(io.err, "routeauth: {}; pin them with routeauth init\n", said);
}

int for_each_file(const Options& options, engine::Mode mode, Io io, Totals& totals,
                  const std::function<void(const Processed&)>& consume, engine::Config* used_config) {
  if (!has_inputs(options)) {
    fmt::print(io.err, "routeauth: error: no routes given: name files or folders, or use --staged, --routes-from or --stdin\n"
                       "Run with --help for more information.\n");
    return kUsage;
  }
  engine::Selection selection;
  std::string glob_root;
  engine::Config config;
  try {
    config = make_config(options, selection, glob_root);
  } catch (const engine::ConfigError& e) {
    fmt::print(io.err, "routeauth: error: {}\n", e.what());
    return kUsage;
  }
  infer_backends_into(options, io, config);
  totals.backends = config.backend_bases;
  if (used_config) *used_config = config;
  size_t unprocessable = 0;  // staged routes that could not be read (unmerged, say); already reported
  const auto files = inputs(options, selection, glob_root, io, unprocessable);
  if (!files) return kUsage;
  totals.seen += unprocessable;
  totals.failed += unprocessable;

  // Workers parse and run the rules in parallel, each with its own parser and query cursor;
  // this thread hands the outcomes on in path order, so every run prints the same bytes. Workers
  // stay at most a window ahead of the consumer, so memory does not grow with the file count.
  const size_t n = files->size();
  unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = static_cast<unsigned>(std::min<size_t>(jobs, std::max<size_t>(n, 1)));
  const size_t window = std::max<size_t>(16, jobs * 8);
  struct Slot {
    std::optional<Outcome> outcome;
    std::string error;
    std::optional<output::FileStamp> stamp;
  };
  // A ring of `window` slots: file i waits in slot i % window, which the consumer emptied when it
  // took file i - window (a worker takes file i only once that one is consumed).
  std::vector<Slot> slots(std::min(n, window));
  std::mutex mutex;
  std::condition_variable ready, room;
  size_t next = 0;
  size_t consumed = 0;
  auto work = [&] {
    engine::Worker worker(config);
    for (;;) {
      size_t i;
      {
        std::unique_lock lock(mutex);
        room.wait(lock, [&] { return next >= n || next < consumed + window; });
        if (next >= n) return;
        i = next++;
      }
      Slot slot;
      try {
        const Input& input = (*files)[i];
        slot.outcome = worker.process(input.path, read_input(input, config, slot.stamp), mode);
      } catch (const std::exception& e) {
        slot.error = e.what();
      }
      {
        std::lock_guard lock(mutex);
        slots[i % window] = std::move(slot);
      }
      ready.notify_all();
    }
  };
  std::vector<std::thread> threads;
  if (jobs > 1) {
    for (unsigned t = 0; t < jobs; ++t) threads.emplace_back(work);
  }

  Progress progress(io, n, options.progress);
  int status = unprocessable ? kFailed : kClean;
  engine::Worker inline_worker(config);
  for (size_t i = 0; i < n; ++i) {
    const Input& input = (*files)[i];
    Slot slot;
    if (jobs > 1) {
      std::unique_lock lock(mutex);
      Slot& waiting = slots[i % window];
      ready.wait(lock, [&] { return waiting.outcome.has_value() || !waiting.error.empty(); });
      slot = std::move(waiting);
      waiting = Slot{};
      consumed = i + 1;
      lock.unlock();
      room.notify_all();
    } else {
      try {
        slot.outcome = inline_worker.process(input.path, read_input(input, config, slot.stamp), mode);
      } catch (const std::exception& e) {
        slot.error = e.what();
      }
    }
    ++totals.seen;
    progress.tick(i + 1);
    if (!slot.outcome) {
      fmt::print(io.err, "routeauth: error: {}\n", slot.error);
      ++totals.failed;
      status = kFailed;
      continue;
    }
    const Outcome& outcome = *slot.outcome;
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
        if (std::any_of(outcome.handlers.begin(), outcome.handlers.end(),
                        [](const auto& h) { return h.calls_backend; })) {
          ++totals.compliant;
        } else {
          ++totals.no_backend;
        }
        break;
      case Status::findings:
        if (has_unfixable(outcome)) ++totals.manual;
        break;
    }
    try {
      consume(Processed{outcome, input.display, slot.stamp});
    } catch (const std::exception& e) {  // the workers are running: nothing may leave this loop
      fmt::print(io.err, "routeauth: error: {}: {}\n", input.display, e.what());
      ++totals.failed;
      status = kFailed;
    }
  }
  for (auto& t : threads) t.join();
  return status;
}

}  // namespace routeauth::cli
