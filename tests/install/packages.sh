#!/usr/bin/env bash
# `cmake --install` into a prefix of our choosing, and the packages cpack makes (.tar.gz, .deb),
# each unpacked into a temporary folder and run from there: --version, the man page, a `check`
# of the example app equal to the build tree's own binary's.
# usage: packages.sh <build tree> <example app folder>
set -euo pipefail
tree=$(realpath "$1")
app=$2
fail() { echo "packages: FAIL: $*" >&2; exit 1; }
version=$("$tree/routeauth" --version)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$app" "$tmp/app"
expected_rc=0
"$tree/routeauth" check "$tmp/app" >"$tmp/expected" 2>/dev/null || expected_rc=$?

runs() {  # runs <what> <routeauth binary> <man page>
  local what=$1 bin=$2 man=$3 rc=0
  [[ -x "$bin" ]] || fail "$what: no $bin"
  [[ $("$bin" --version) == "$version" ]] || fail "$what: --version is not '$version'"
  "$bin" check "$tmp/app" >"$tmp/got" 2>/dev/null || rc=$?
  [[ $rc == "$expected_rc" ]] && cmp -s "$tmp/got" "$tmp/expected" || fail "$what: check differs (status $rc)"
  [[ -s "$man" ]] && grep -q '^\.TH ROUTEAUTH "1"' "$man" || fail "$what: no man page routeauth(1) at $man"
  echo "$what: $bin runs, $(basename "$man") present"
}

cmake --install "$tree" --prefix "$tmp/prefix" --strip >/dev/null
runs "cmake --install" "$tmp/prefix/bin/routeauth" "$tmp/prefix/share/man/man1/routeauth.1"
[[ -s "$tmp/prefix/share/doc/routeauth/README.md" ]] || fail "cmake --install: no README"

(cd "$tree" && cpack -B "$tmp/packages" >/dev/null)
tgz=$tmp/packages/routeauth-${version#routeauth }-linux-x86_64.tar.gz
deb=$(ls "$tmp/packages"/routeauth_*_amd64.deb) || fail "cpack made no .deb"
mkdir "$tmp/tgz" "$tmp/deb"
tar -xzf "$tgz" -C "$tmp/tgz" || fail "cannot extract $tgz"
runs "$(basename "$tgz")" "$tmp/tgz/routeauth-${version#routeauth }-linux-x86_64/bin/routeauth" \
  "$tmp/tgz/routeauth-${version#routeauth }-linux-x86_64/share/man/man1/routeauth.1"
dpkg-deb -x "$deb" "$tmp/deb"
runs "$(basename "$deb")" "$tmp/deb/usr/bin/routeauth" "$tmp/deb/usr/share/man/man1/routeauth.1"
echo "$(basename "$deb") depends: $(dpkg-deb -f "$deb" Depends), recommends: $(dpkg-deb -f "$deb" Recommends)"
echo "sizes: $(stat -c '%n %s' "$tgz" "$deb" | sed "s|$tmp/packages/||" | paste -sd ';')"
