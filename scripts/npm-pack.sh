#!/usr/bin/env bash
# The two npm packages (README.md, Install), packed with `npm pack` from the templates in npm/ and
# a self-contained build tree (-DROUTEAUTH_STATIC=ON, scripts/build-static.sh):
#   routeauth-<version>.tgz            the launcher package `routeauth`
#   routeauth-linux-x64-<version>.tgz  `@routeauth/linux-x64`, the stripped binary
# The version is the tree's project version (project(routeauth VERSION ...) in CMakeLists.txt),
# which the binary also reports; the launcher's optional dependency is pinned to exactly it.
# usage: npm-pack.sh <self-contained build tree> <output folder>
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tree=$(realpath "$1")
out=$2
fail() { echo "npm-pack: $*" >&2; exit 1; }

version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$tree/CMakeCache.txt")
[[ -n $version ]] || fail "no CMAKE_PROJECT_VERSION in $tree/CMakeCache.txt (not a CMake build tree?)"
grep -q '^ROUTEAUTH_STATIC:BOOL=ON$' "$tree/CMakeCache.txt" \
  || fail "$tree is not a self-contained build (-DROUTEAUTH_STATIC=ON, scripts/build-static.sh)"
reported=$("$tree/routeauth" --version)
[[ $reported == "routeauth $version" ]] || fail "$tree/routeauth says '$reported', the tree's version is $version"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -r "$here/npm/routeauth" "$here/npm/linux-x64" "$stage/"
cp "$here/README.md" "$stage/routeauth/README.md"
# The binary exactly as the archive and the .deb hold it (stripped).
cmake --install "$tree" --prefix "$stage/prefix" --strip >/dev/null
mkdir -p "$stage/linux-x64/bin"
cp "$stage/prefix/bin/routeauth" "$stage/linux-x64/bin/routeauth"

# The version goes right after the name, where npm and readers expect it.
node - "$stage" "$version" <<'EOF'
const fs = require('node:fs');
const [stage, version] = process.argv.slice(2);
const stamp = (folder, extra) => {
  const file = `${stage}/${folder}/package.json`;
  const { name, version: kept, ...rest } = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (kept !== undefined) throw new Error(`npm/${folder}/package.json holds a version; the project's is the only one`);
  fs.writeFileSync(file, JSON.stringify({ name, version, ...rest, ...extra }, null, 2) + '\n');
  return name;
};
const platform = stamp('linux-x64', {});
stamp('routeauth', { optionalDependencies: { [platform]: version } });
EOF

mkdir -p "$out"
out=$(realpath "$out")
for pkg in linux-x64 routeauth; do
  (cd "$stage/$pkg" && npm pack --silent --pack-destination "$out" >/dev/null)
done
ls -l "$out/routeauth-$version.tgz" "$out/routeauth-linux-x64-$version.tgz"
