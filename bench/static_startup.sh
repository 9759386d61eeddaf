#!/usr/bin/env bash
# Start-up of the self-contained binary next to the normal build's (README, Install): hyperfine
# over a 1-file `check` (the pre-commit case) and `--version`, both binaries, same file.
# usage: bench/static_startup.sh [normal binary] [self-contained binary]   (RUNS, default 300)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
normal=${1:-"$here/build/routeauth"}
static=${2:-"$here/build/static/routeauth"}
file=$here/examples/brain-app/app/api/brain/billing/invoices/route.ts
runs=${RUNS:-300}
for b in "$normal" "$static"; do [[ -x $b ]] || { echo "static_startup: no $b (build it first)" >&2; exit 2; }; done
hyperfine -N -i --warmup 20 --runs "$runs" \
  -n "normal check (1 file)" "$normal check $file" -n "self-contained check (1 file)" "$static check $file" \
  -n "normal --version" "$normal --version" -n "self-contained --version" "$static --version"
