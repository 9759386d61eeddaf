#!/usr/bin/env bash
# Installs the dependencies (scripts/setup.sh), configures and builds routeauth into build/.
# BUILD_DIR and CMAKE_ARGS override the defaults.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-"$here/build"}
bash "$here/scripts/setup.sh"
cmake -S "$here" -B "$build" -G Ninja -DROUTEAUTH_WERROR=ON ${CMAKE_ARGS:-} >/dev/null
cmake --build "$build"
