#!/usr/bin/env bash
# Installs everything routeauth needs to build and test on a fresh Debian 12 machine (as root).
# Idempotent: packages already present are skipped by apt; the grammar is fetched at configure
# time by CMake (cmake/Grammar.cmake), not here.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libtree-sitter-dev libfmt-dev libcli11-dev
  libclang-14-dev llvm-14-dev clang-14 libclang-rt-14-dev
  libgit2-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  nodejs npm pre-commit tmux hyperfine time python3 python3-yaml
  help2man dpkg-dev zlib1g-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

# node/npm may come from outside Debian on some machines; do not fight an existing install.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  filtered=()
  for p in "${missing[@]}"; do
    [[ "$p" == nodejs || "$p" == npm ]] || filtered+=("$p")
  done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "setup: dependencies present" >&2
