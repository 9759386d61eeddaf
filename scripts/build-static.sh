#!/usr/bin/env bash
# Configures and builds the self-contained routeauth (-DROUTEAUTH_STATIC=ON, README, Install) in
# its own tree: the binary and its man page only, no tests or benchmarks.
# usage: build-static.sh <source folder> <build folder> [compiler launcher, e.g. ccache]
set -euo pipefail
src=$1
dir=$2
launcher=${3:-}
args=(-G Ninja -DROUTEAUTH_STATIC=ON -DROUTEAUTH_TESTS=OFF -DROUTEAUTH_BENCH=OFF -DROUTEAUTH_WERROR=ON)
[[ -n $launcher ]] && args+=("-DCMAKE_CXX_COMPILER_LAUNCHER=$launcher" "-DCMAKE_C_COMPILER_LAUNCHER=$launcher")
cmake -S "$src" -B "$dir" "${args[@]}" >/dev/null
cmake --build "$dir" -j 2
