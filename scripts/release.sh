#!/usr/bin/env bash
# The release files, in one command: builds the self-contained routeauth (-DROUTEAUTH_STATIC=ON)
# into build-release/ (BUILD_DIR overrides) and packs it into build-release/packages/:
# routeauth-<version>-linux-x86_64.tar.gz and routeauth_<version>_amd64.deb (cpack), and the npm
# packages routeauth-<version>.tgz and routeauth-linux-x64-<version>.tgz (scripts/npm-pack.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-"$here/build-release"}
bash "$here/scripts/setup.sh"
bash "$here/scripts/build-static.sh" "$here" "$build" "$(command -v ccache || true)"
(cd "$build" && cpack -B "$build/packages" >/dev/null)
rm -rf "$build/packages/_CPack_Packages"
bash "$here/scripts/npm-pack.sh" "$build" "$build/packages" >/dev/null
ls -l "$build/packages"
