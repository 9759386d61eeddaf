// The subcommands, one file each.
#pragma once

#include "cli/common.h"

namespace routeauth::cli {

struct HookOptions {
  bool force = false;
  std::string binary;  // what the hook runs (default: this binary's absolute path)
};

struct InitOptions {
  std::string path;    // a folder of the project (default: the current one)
  bool force = false;  // replace existing files
  bool types = false;  // also add the Session fields the migrated code reads (session_types.h)
};

int run_apply(const Options& options, Io io);
int run_init(const InitOptions& options, Io io);
int run_diff(const Options& options, Io io);
int run_check(const Options& options, Io io);
int run_report(const Options& options, Io io);
int run_install_hook(const HookOptions& options, Io io);
// A Language Server on `in` and `out` (tool/lsp/server.h); log lines to io.err.
int run_lsp(std::istream& in, std::ostream& out, Io io);

}  // namespace routeauth::cli
