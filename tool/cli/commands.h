// The subcommands, one file each.
#pragma once

#include "cli/common.h"

namespace routeauth::cli {

int run_apply(const Options& options, Io io);
int run_diff(const Options& options, Io io);
int run_check(const Options& options, Io io);

}  // namespace routeauth::cli
