#!/bin/sh
# make_seeds.sh ROOT OUT FILE...: the fuzzer's seed corpus. Each FILE (a fixture input or an
# example route) is written to OUT three times, behind each selector byte the fuzzer reads first
# ('0' route.ts, '1' route.tsx, '2' route.js), byte for byte (CRLF, BOM and all).
set -eu
root=$1 out=$2
shift 2
rm -rf "$out"
mkdir -p "$out"
for f in "$@"; do
  name=$(printf '%s' "${f#"$root"/}" | tr -c 'A-Za-z0-9._-' '_')
  for sel in 0 1 2; do
    { printf '%s' "$sel"; cat "$f"; } >"$out/$name.$sel"
  done
done
