#!/usr/bin/env bash
# Proves a routeauth binary self-contained (README, Install): it needs only glibc's libraries,
# no GLIBC_ symbol newer than Ubuntu 22.04's glibc (2.35), and it runs where every other library
# of this machine is hidden, giving the same `check` as the normal build. Without libgit2 a `diff`
# fails with one line that names libgit2 and how to install it (never a silent degrade).
# usage: self_contained.sh <binary to prove> <normal build's binary> <example app folder>
set -euo pipefail
bin=$(realpath "$1")
normal=$(realpath "$2")
app=$3
max_glibc=2.35
glibc_libs='libc.so.6 libm.so.6 libpthread.so.0 libdl.so.2 librt.so.1 ld-linux-x86-64.so.2'
libdir=/usr/lib/x86_64-linux-gnu
fail() { echo "self_contained: FAIL: $*" >&2; exit 1; }
is_glibc() { [[ " $glibc_libs " == *" $1 "* ]]; }

# 1. NEEDED entries.
needed=$(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
echo "NEEDED: $(echo $needed)"
for lib in $needed; do is_glibc "$lib" || fail "$bin needs $lib, which is not part of glibc"; done

# 2. The newest glibc symbol version it asks for.
highest=$(objdump -T "$bin" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -V | tail -1)
echo "highest GLIBC_ version: $highest (at most $max_glibc)"
[[ $(printf '%s\n%s\n' "$highest" "$max_glibc" | sort -V | tail -1) == "$max_glibc" ]] ||
  fail "needs GLIBC_$highest, newer than Ubuntu 22.04's $max_glibc"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/empty" "$tmp/glibc"

# 3. What the loader resolves with an empty environment and an empty LD_LIBRARY_PATH.
resolved=$(env -i LD_LIBRARY_PATH="$tmp/empty" ldd "$bin")
echo "$resolved"
while read -r name _; do
  [[ $name == linux-vdso.so.1 ]] && continue
  is_glibc "$(basename "$name")" || fail "ldd resolves $name"
done <<<"$resolved"

# 4. Run it with every library but glibc's hidden: a private mount namespace in which the
# system's library folder holds copies of glibc's libraries only (/lib is /usr/lib on Debian 12).
for lib in $glibc_libs; do [[ -e "$libdir/$lib" ]] && cp -L "$libdir/$lib" "$tmp/glibc/"; done
cp -r "$app" "$tmp/app"  # outside any git repository: a check there needs no libgit2
hidden() {  # hidden <stdout file> <stderr file> <command...>: prints the status
  local out=$1 err=$2
  shift 2
  local rc=0
  unshare -m --propagation private sh -c 'mount --bind "$0" '"$libdir"' && exec "$@"' "$tmp/glibc" \
    env -i "$@" >"$out" 2>"$err" || rc=$?
  echo "$rc"
}
# The hiding hides: the normal build cannot even start there.
rc=$(hidden "$tmp/o" "$tmp/e" "$normal" --version)
[[ $rc != 0 ]] && grep -q 'error while loading shared libraries' "$tmp/e" ||
  fail "the normal build starts with the libraries hidden (status $rc): the hiding does not hide"

rc=$(hidden "$tmp/version" "$tmp/e" "$bin" --version)
[[ $rc == 0 ]] || fail "--version with the libraries hidden: status $rc: $(cat "$tmp/e")"
echo "hidden --version: $(cat "$tmp/version")"
[[ $(cat "$tmp/version") == $("$normal" --version) ]] || fail "--version differs from the normal build's"

rc=$(hidden "$tmp/check" "$tmp/e" "$bin" check "$tmp/app")
normal_rc=0
"$normal" check "$tmp/app" >"$tmp/check.normal" 2>/dev/null || normal_rc=$?
[[ $rc == "$normal_rc" ]] || fail "check: status $rc, the normal build's $normal_rc: $(cat "$tmp/e")"
cmp "$tmp/check" "$tmp/check.normal" || fail "check prints other findings than the normal build"
echo "hidden check: status $rc, $(wc -l <"$tmp/check") lines, the same as the normal build's"

rc=$(hidden "$tmp/diff" "$tmp/e" "$bin" diff "$tmp/app")
[[ $rc != 0 ]] || fail "diff without libgit2 succeeded"
[[ ! -s "$tmp/diff" ]] || fail "diff without libgit2 printed a diff"
[[ $(wc -l <"$tmp/e") == 1 ]] || fail "diff without libgit2: not one line of error: $(cat "$tmp/e")"
grep -q 'libgit2.*diff output.*apt-get install libgit2' "$tmp/e" || fail "diff without libgit2: $(cat "$tmp/e")"
echo "hidden diff: status $rc: $(cat "$tmp/e")"
echo "size: $(stat -c %s "$bin") bytes"
