#!/usr/bin/env bash
# The npm packages (README.md, Install): scripts/npm-pack.sh packs them from the self-contained
# tree, `npm i -D routeauth` installs them into a copy of the example app from a private registry
# (npm_install.sh says how, and why package.json is swapped during the install), and then
# `npx routeauth --version`, `npx routeauth diff .` and `npx routeauth check .` print what the
# tree's own binary prints on the same copy, with the same status. Then the launcher's other
# paths: no platform package, an unsupported platform, a signal sent to the launcher.
# usage: npm.sh <source folder> <self-contained build tree> <example app folder>
set -euo pipefail
src=$(realpath "$1")
tree=$(realpath "$2")
app=$3
fail() { echo "npm: FAIL: $*" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
source "$src/tests/install/npm_install.sh"
install_npm_app "$src" "$tree" "$app" "$tmp/app" "$tmp"
cd "$tmp/app"

# -- what the packages hold -----------------------------------------------------------------------
field() { node -e 'const v = require(process.argv[1])[process.argv[2]]; console.log(JSON.stringify(v))' "$@"; }
launcher=node_modules/routeauth/package.json
platform=node_modules/@routeauth/linux-x64/package.json
[[ $(field "$PWD/$launcher" optionalDependencies) == "{\"@routeauth/linux-x64\":\"$version\"}" ]] \
  || fail "routeauth's optionalDependencies: $(field "$PWD/$launcher" optionalDependencies)"
[[ $(field "$PWD/$platform" version) == "\"$version\"" ]] || fail "@routeauth/linux-x64 is not $version"
[[ $(field "$PWD/$platform" os) == '["linux"]' && $(field "$PWD/$platform" cpu) == '["x64"]' ]] \
  || fail "@routeauth/linux-x64 is not for linux/x64"
for pkg in "$launcher" "$platform"; do
  [[ $(field "$PWD/$pkg" scripts) == undefined ]] || fail "$pkg has scripts: $(field "$PWD/$pkg" scripts)"
done
[[ $(readlink node_modules/.bin/routeauth) == ../routeauth/bin/routeauth.js ]] \
  || fail "node_modules/.bin/routeauth is not the launcher: $(readlink node_modules/.bin/routeauth)"
# Every request went to the two packages, each once: the optional dependency came from the
# registry's packument, as for a user, and nothing was asked for that the registry does not hold.
expected_requests="200 GET /@routeauth%2flinux-x64
200 GET /@routeauth/linux-x64/-/routeauth-linux-x64-$version.tgz
200 GET /routeauth
200 GET /routeauth/-/routeauth-$version.tgz"
[[ $(sort "$tmp/requests.log") == "$expected_requests" ]] \
  || fail "npm asked the registry for: $(cat "$tmp/requests.log")"
echo "installed routeauth@$version and @routeauth/linux-x64@$version from the tarballs, 4 requests"

# -- npx routeauth is the binary --------------------------------------------------------------------
same() {  # same <args>...: npx routeauth <args> and the tree's binary, here, print and exit alike
  local rc_npx=0 rc_bin=0
  "${npm_env[@]}" npx --no-install routeauth "$@" >"$tmp/npx.out" 2>"$tmp/npx.err" || rc_npx=$?
  "$tree/routeauth" "$@" >"$tmp/bin.out" 2>/dev/null || rc_bin=$?
  [[ $rc_npx == "$rc_bin" ]] || { cat "$tmp/npx.err" >&2; fail "npx routeauth $*: status $rc_npx, the binary's $rc_bin"; }
  cmp -s "$tmp/npx.out" "$tmp/bin.out" || { diff "$tmp/bin.out" "$tmp/npx.out" >&2; fail "npx routeauth $*: other output"; }
  [[ -s "$tmp/bin.out" ]] || fail "routeauth $* printed nothing"
  echo "npx routeauth $*: same output ($(wc -l <"$tmp/bin.out") lines), same status $rc_bin"
}
same --version
same diff .
same check .

# -- the launcher's errors --------------------------------------------------------------------------
launcher_fails() {  # launcher_fails <expected stderr> [env assignments...]
  local expected=$1 rc=0
  shift
  env "$@" node_modules/.bin/routeauth --version >"$tmp/out" 2>"$tmp/err" || rc=$?
  [[ $rc == 1 ]] || fail "launcher ($*): status $rc, not 1"
  [[ ! -s "$tmp/out" ]] || fail "launcher ($*): printed $(cat "$tmp/out")"
  [[ $(cat "$tmp/err") == "$expected" ]] || fail "launcher ($*): said $(cat "$tmp/err")"
  echo "launcher, ${1#case=}: status 1, $(cut -c1-60 "$tmp/err")..."
}
from_source='build it from source (README.md, Install): bash scripts/build.sh && cmake --install build --prefix ~/.local, then run ~/.local/bin/routeauth'
mv node_modules/@routeauth "$tmp/aside"
launcher_fails "routeauth: error: @routeauth/linux-x64, the optional dependency that holds the routeauth binary, is not installed (was it installed with --omit=optional or --no-optional?); reinstall routeauth with optional dependencies (npm install), or $from_source" \
  "case=no platform package"
mv "$tmp/aside" node_modules/@routeauth
# Node told it runs on another platform: a preload module changes what process.arch says.
echo "Object.defineProperty(process, 'arch', { value: 'arm64' });" >"$tmp/arm64.cjs"
launcher_fails "routeauth: error: no prebuilt routeauth for linux-arm64 (the npm package has one for linux-x64 only); $from_source" \
  "case=linux-arm64" "NODE_OPTIONS=--require $tmp/arm64.cjs"

# -- the two tarballs installed as files (README.md, Install: until they are published) -------------
# The optional dependency resolves to the platform tarball installed beside it; the registry, an
# unreachable address here, is never asked.
mkdir "$tmp/files"
echo '{ "name": "files", "private": true }' >"$tmp/files/package.json"
(cd "$tmp/files" && "${npm_env[@]}" npm install --save-dev "$packages/routeauth-linux-x64-$version.tgz" \
   "$packages/routeauth-$version.tgz" >"$tmp/files.log" 2>&1) || { cat "$tmp/files.log" >&2; fail "npm install of the two tarball files"; }
[[ $("$tmp/files/node_modules/.bin/routeauth" --version) == "routeauth $version" ]] || fail "the tarball files' routeauth does not run"
echo "npm install --save-dev <the two .tgz files>: routeauth $version runs"

# -- a signal sent to the launcher alone reaches the binary -------------------------------------------
# `routeauth lsp` waits on its standard input; once it has answered `initialize`, the binary runs
# and the launcher's handlers are in place. The launcher exits only after the binary did, so a
# binary still alive after the launcher's exit means the signal stopped at the launcher.
mkfifo "$tmp/in" "$tmp/out.fifo"
node_modules/.bin/routeauth lsp <"$tmp/in" >"$tmp/out.fifo" &
lsp=$!
exec {to_lsp}>"$tmp/in" {from_lsp}<"$tmp/out.fifo"
body='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}'
printf 'Content-Length: %d\r\n\r\n%s' "${#body}" "$body" >&"$to_lsp"
read -r -u "$from_lsp" header
[[ $header == Content-Length:* ]] || fail "routeauth lsp under the launcher answered '$header'"
binary=$(pgrep -P "$lsp") || fail "the launcher has no child process"
[[ $(readlink "/proc/$binary/exe") == */@routeauth/linux-x64/bin/routeauth ]] || fail "the launcher's child is $(readlink "/proc/$binary/exe")"
kill -TERM "$lsp"
rc=0
wait "$lsp" || rc=$?
exec {to_lsp}>&- {from_lsp}<&-
! kill -0 "$binary" 2>/dev/null || fail "the binary $binary outlived the launcher killed by SIGTERM"
[[ $rc == 143 ]] || fail "the launcher exited with $rc after SIGTERM, not 143 (killed by SIGTERM, as the binary was)"
echo "SIGTERM to the launcher: the binary ended, the launcher died of SIGTERM as it did (status 143)"

echo "sizes: $(cd "$packages" && stat -c '%n %s' "routeauth-$version.tgz" "routeauth-linux-x64-$version.tgz" | paste -sd ';')"
