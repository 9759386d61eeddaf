#!/usr/bin/env bash
# Fresh machine to a full test run: installs, builds, runs every test with ctest.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-"$here/build"}
BUILD_DIR=$build bash "$here/scripts/build.sh"
cd "$build"
ctest --output-on-failure -j "$(nproc)"
