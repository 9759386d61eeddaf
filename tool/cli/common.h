// What the subcommands share: options, running the engine over the files, printing findings.
#pragma once

#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "engine/config.h"
#include "engine/config_file.h"
#include "engine/pipeline.h"
#include "output/write.h"

namespace CLI {
class App;
}

namespace routeauth::cli {

struct Options {
  std::vector<std::string> paths;
  // Settings; each also a config file key (flags win over the file).
  std::vector<std::string> backends;
  std::string auth_options_module;
  std::string session_api;  // --session-api: auto | v4 | v5
  std::string auth_module;  // --auth-module: v5's auth
  std::string empty_authorization;  // --empty-authorization: guide | omit
  std::string access_token_field;
  std::string tenant_field;
  std::string tenant_param;
  std::vector<std::string> read_methods;
  std::vector<std::string> mutation_methods;
  std::vector<std::string> disabled_rules;
  std::vector<std::string> enabled_rules;
  std::vector<std::string> include;
  std::vector<std::string> exclude;
  std::string max_file_size;  // --max-file-size; empty: the config's (default 4MB)
  std::string config_path;   // --config; empty: search upwards from the paths
  bool no_config = false;
  // Which files.
  std::string routes_from;   // a file of paths or a Markdown checklist
  bool stdin_list = false;   // paths on standard input
  std::string shard;         // K/N
  unsigned jobs = 0;         // 0: the machine's cores
  bool progress = true;
  bool quiet = false;
  bool staged = false;       // check the index's version of staged route files
  std::string color = "auto";  // auto | always | never
  bool stat = false;         // diff: a diffstat instead of the patch
  bool dry_run = false;      // apply: print the diff, write nothing
  bool interactive = false;  // apply: ask for each file
  std::string format = "text";  // check: text | json | sarif; report: table | markdown | json
};

// The settings of a run: defaults, then routeauth.json (or package.json), then the flags; and
// where globs are anchored. Throws engine::ConfigError naming the file and key.
[[nodiscard]] engine::Config make_config(const Options& options, engine::Selection& selection,
                                         std::string& glob_root);

// Adds the options every file-processing subcommand takes.
void add_common_options(CLI::App& command, Options& options, bool paths_required = true);
void add_color_option(CLI::App& command, Options& options);

struct Io {
  std::ostream& out;
  std::ostream& err;
  bool out_is_terminal = false;
  bool in_is_terminal = false;
  std::istream* in = nullptr;
  bool err_is_terminal = false;
};

// With no backends (or wrappers) from a flag or the config: those the project's routes use,
// inferred once (engine/backends.h) and said on `io.err` unless quiet.
void infer_backends_into(const Options& options, Io io, engine::Config& config);

// Whether the options name any files (paths, --staged, --routes-from or --stdin).
[[nodiscard]] bool has_inputs(const Options& options);

struct Totals {
  // compliant: files with backend calls that follow the pattern; no_backend: files without any
  // backend call (nothing to migrate, never called compliant).
  size_t seen = 0, changed = 0, compliant = 0, no_backend = 0, manual = 0, failed = 0;
  // What was taken for the backend (the configured or inferred bases), for the summary's
  // "no backend call found" line.
  std::vector<std::string> backends;
};

// One processed file, with the path to show for it (relative to the repository root).
struct Processed {
  const engine::Outcome& outcome;
  std::string display_path;
  // What the file was when it was read (none for staged content): apply writes only over that.
  std::optional<output::FileStamp> stamp = std::nullopt;
};

// Finds the files (or the staged ones), runs the engine over each in path order and hands every
// outcome to `consume`. Returns kUsage when the arguments name nothing usable, else the worst
// status seen (kClean or kFailed); each subcommand decides what counts as findings. The settings
// the run used go to `used_config` when given (not on a usage error).
int for_each_file(const Options& options, engine::Mode mode, Io io, Totals& totals,
                  const std::function<void(const Processed&)>& consume, engine::Config* used_config = nullptr);

// `path:line:col: severity: message [id]` for each finding (and its notes).
void print_findings(std::ostream& os, const Processed& p, bool fixable_too = true);
void print_summary(std::ostream& os, const Totals& totals, std::string_view changed_word);

[[nodiscard]] bool has_unfixable(const engine::Outcome& outcome);
[[nodiscard]] bool use_color(const Options& options, const Io& io);

}  // namespace routeauth::cli
