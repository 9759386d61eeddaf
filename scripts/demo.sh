#!/usr/bin/env bash
# Fresh machine to a dry run: installs, builds, then prints the migration of the bundled example
# app as a unified diff (nothing is written). routeauth exits 1 because there are changes.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bash "$here/scripts/build.sh" >&2
cd "$here"
status=0
"${BUILD_DIR:-$here/build}/routeauth" diff examples/brain-app || status=$?
# 1 means "there are changes", which is what a dry run of an un-migrated app should say.
[ "$status" -le 1 ] || exit "$status"
