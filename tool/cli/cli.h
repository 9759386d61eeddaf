// The command line: subcommands over the engine. Nothing here knows about tree-sitter.
#pragma once

#include <iosfwd>
#include <istream>
#include <string>
#include <vector>

namespace routeauth::cli {

// Exit statuses, documented in the README.
enum Exit : int {
  kClean = 0,     // nothing found, nothing to change
  kFindings = 1,  // findings (check), changes (diff), findings left for a person (apply)
  kUsage = 2,     // bad arguments or configuration
  kFailed = 3,    // some file could not be processed (parse error, I/O error, internal error)
};

// Runs routeauth with `args` (without the program name), printing to `out` and `err` and
// reading answers (apply --interactive) from `in`.
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, std::istream* in = nullptr,
        bool out_is_terminal = false, bool in_is_terminal = false, bool err_is_terminal = false);
int run(int argc, char** argv);

}  // namespace routeauth::cli
