#!/usr/bin/env bash
# Whether two routeauth binaries say exactly the same about a corpus: the stdout, stderr and exit
# status of `check -j1`, `check -j2`, `diff` and `report --format json`, compared byte for byte.
# A speed change is kept only when this passes on a generated corpus (issue 17).
#
#   bash bench/same_output.sh BEFORE_BINARY AFTER_BINARY CORPUS
#
# Exit status 0: identical; 1: some output differs (the diff is printed); 2: usage.
set -euo pipefail
(($# == 3)) || { echo "usage: bash bench/same_output.sh BEFORE_BINARY AFTER_BINARY CORPUS" >&2; exit 2; }
before=$(realpath -m "$1") after=$(realpath -m "$2") corpus=$3
for b in "$before" "$after"; do [[ -x "$b" ]] || { echo "same_output.sh: $b is not an executable" >&2; exit 2; }; done
[[ -d "$corpus" ]] || { echo "same_output.sh: $corpus is not a folder" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0
for cmd in "check -j1" "check -j2" "diff" "report --format json"; do
  for side in before after; do
    bin=$before
    [[ $side == after ]] && bin=$after
    # shellcheck disable=SC2086  # the subcommand and its flags are words
    (cd "$corpus" && "$bin" $cmd . >"$out/$side.out" 2>"$out/$side.err"; echo "exit $?" >>"$out/$side.err") || true
  done
  if cmp -s "$out/before.out" "$out/after.out" && cmp -s "$out/before.err" "$out/after.err"; then
    echo "same_output.sh: $cmd: identical ($(wc -c <"$out/after.out") bytes of output)"
  else
    echo "same_output.sh: $cmd: DIFFERS"
    diff "$out/before.out" "$out/after.out" | head -20 || true
    diff "$out/before.err" "$out/after.err" | head -20 || true
    status=1
  fi
done
exit $status
