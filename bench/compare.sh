#!/usr/bin/env bash
# routeauth side by side with the tree-sitter floor, ast-grep and jscodeshift (issue 8).
#
#   bash bench/compare.sh [N ...]        # default: 1000 10000
#
# Builds routeauth and routeauth_floor (RelWithDebInfo, in $BUILD_DIR), npm-installs the pinned
# @ast-grep/cli and jscodeshift (bench/npm/package-lock.json) into $BUILD_DIR/bench-tools,
# generates N route files per size with bench/generate.py (a git repository each), then times,
# in this one run, with hyperfine (--warmup, --runs, --export-json) and /usr/bin/time -v (peak
# RSS): the parse-only floor (the reference of every ratio), the parse + one cursor walk floor,
# the parse+query floor (issue 8's reference, kept as a second column), routeauth check -j1 and
# check -j THREADS, routeauth apply (on a fresh copy
# every run), ast-grep scan (two check rules), ast-grep scan --update-all (rewrite rules),
# jscodeshift --dry and a real jscodeshift run (a transform of the same pattern), plus the
# 1-file check and routeauth --version. Prints a Markdown table with the targets of issues 17 and 8,
# each marked met or missed, and keeps everything under $WORK/results/<date>/.
#
# Settings (environment):
#   RUNS=5              hyperfine --runs for every multi-file command
#   WARMUP=1            hyperfine --warmup
#   SEED=1              generator seed (the corpus of seed S and size N is always the same bytes)
#   THREADS=$(nproc)    ast-grep -j and jscodeshift --cpus
#   JSCODESHIFT_MAX=1000  largest N jscodeshift is run at (it takes minutes per run at 10k)
#   JSCODESHIFT_RUNS=min(RUNS,3)
#   ONE_FILE_RUNS=200   hyperfine --runs for the 1-file cases
#   BUILD_DIR=build-bench   WORK=$BUILD_DIR/bench-work
#   SKIP_BUILD=1        use the binaries already in $BUILD_DIR
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
case "$BUILD_DIR" in /*) ;; *) BUILD_DIR="$ROOT/$BUILD_DIR" ;; esac
WORK=${WORK:-$BUILD_DIR/bench-work}
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
SEED=${SEED:-1}
THREADS=${THREADS:-$(nproc)}
JSCODESHIFT_MAX=${JSCODESHIFT_MAX:-1000}
JSCODESHIFT_RUNS=${JSCODESHIFT_RUNS:-$((RUNS < 3 ? RUNS : 3))}
ONE_FILE_RUNS=${ONE_FILE_RUNS:-200}
SIZES=("$@")
((${#SIZES[@]})) || SIZES=(1000 10000)

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
say() { printf 'compare.sh: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 2; }

for n in "${SIZES[@]}"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "sizes are positive numbers of files (got '$n')"
done

# ---- prerequisites ------------------------------------------------------------------------------
missing=()
for tool in python3 hyperfine node npm cmake ninja git; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[[ -x /usr/bin/time ]] || missing+=("/usr/bin/time (Debian package time)")
((${#missing[@]} == 0)) || die "missing ${missing[*]}; run scripts/setup.sh (as root) first"

# ---- build ----------------------------------------------------------------------------------------
ROUTEAUTH="$BUILD_DIR/routeauth"
FLOOR="$BUILD_DIR/bench/routeauth_floor"
if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  if [[ ! -f "$BUILD_DIR/CMakeCache.txt" ]]; then
    # RelWithDebInfo as shipped; warnings are not fatal here (the code generated is the same).
    say "configuring $BUILD_DIR (RelWithDebInfo)"
    cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DROUTEAUTH_TESTS=OFF -DROUTEAUTH_BENCH=ON -DROUTEAUTH_WERROR=OFF >/dev/null
  fi
  say "building routeauth and routeauth_floor"
  cmake --build "$BUILD_DIR" --target routeauth routeauth_floor >/dev/null
fi
[[ -x "$ROUTEAUTH" && -x "$FLOOR" ]] || die "$ROUTEAUTH or $FLOOR missing (build them, or unset SKIP_BUILD)"

# ---- the other tools, pinned --------------------------------------------------------------------
TOOLS="$BUILD_DIR/bench-tools"
lock_sum=$(sha256sum "$BENCH/npm/package-lock.json" "$BENCH/npm/package.json" | sha256sum | cut -d' ' -f1)
if [[ ! -f "$TOOLS/.stamp" || "$(cat "$TOOLS/.stamp")" != "$lock_sum" ]]; then
  say "npm ci @ast-grep/cli and jscodeshift into $TOOLS"
  rm -rf "$TOOLS"
  mkdir -p "$TOOLS"
  cp "$BENCH/npm/package.json" "$BENCH/npm/package-lock.json" "$TOOLS/"
  (cd "$TOOLS" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  echo "$lock_sum" >"$TOOLS/.stamp"
fi
ASTGREP="$TOOLS/node_modules/@ast-grep/cli-linux-x64-gnu/ast-grep"  # the native binary itself
[[ -x "$ASTGREP" ]] || ASTGREP="$TOOLS/node_modules/.bin/ast-grep"
JSCODESHIFT="$TOOLS/node_modules/.bin/jscodeshift"
[[ -x "$ASTGREP" && -x "$JSCODESHIFT" ]] || die "ast-grep or jscodeshift missing under $TOOLS"

# ---- corpora --------------------------------------------------------------------------------------
mkdir -p "$WORK"
gen_sum=$(sha256sum "$BENCH/generate.py" | cut -d' ' -f1)
for n in "${SIZES[@]}"; do
  corpus="$WORK/corpus-$n"
  want="seed=$SEED n=$n generate.py=$gen_sum"
  if [[ ! -f "$corpus.stamp" || "$(cat "$corpus.stamp")" != "$want" ]]; then
    say "generating $n route files (seed $SEED) in $corpus"
    python3 "$BENCH/generate.py" --count "$n" --seed "$SEED" --out "$corpus" --git --force
    echo "$want" >"$corpus.stamp"
  fi
done

RES="$WORK/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$RES"
ln -sfn "$RES" "$WORK/results/latest"
# A fresh copy of a corpus, for the commands that write (hyperfine --prepare runs it before
# every run, outside the timing).
FRESH="$RES/fresh.sh"
# shellcheck disable=SC2016  # $1 and $2 belong to the generated script
printf '#!/usr/bin/env bash\nset -e\nrm -rf "$2"\ncp -a "$1" "$2"\n' >"$FRESH"

# ---- measuring ------------------------------------------------------------------------------------
# bench ID N RUNS WARMUP PREPARE COMMAND: hyperfine into $RES/<N>-<ID>.json, then one run under
# /usr/bin/time -v (after PREPARE) for the peak RSS into $RES/<N>-<ID>.time.
bench() {
  local id=$1 n=$2 runs=$3 warmup=$4 prepare=$5 cmd=$6
  say "$id on $n file(s), $runs runs"
  local args=(-N -i --style basic --warmup "$warmup" --runs "$runs" --command-name "$id"
              --export-json "$RES/$n-$id.json")
  [[ -n "$prepare" ]] && args+=(--prepare "$prepare")
  [[ -n "$prepare" ]] && $prepare
  hyperfine "${args[@]}" "$cmd" >>"$RES/hyperfine.log" 2>&1 || say "hyperfine failed for $id (see $RES/hyperfine.log)"
  [[ -n "$prepare" ]] && $prepare
  # shellcheck disable=SC2086
  /usr/bin/time -v -o "$RES/$n-$id.time" $cmd >"$RES/$n-$id.out" 2>"$RES/$n-$id.err" || true
}

QUERY="$ROOT/queries/fetch.scm"
ALL_QUERIES=""
for q in "$ROOT"/queries/*.scm; do ALL_QUERIES+="--query $q "; done
for n in "${SIZES[@]}"; do
  corpus="$WORK/corpus-$n"
  scratch="$WORK/scratch-$n"
  fresh="bash $FRESH $corpus $scratch"
  bench floor-parse "$n" "$RUNS" "$WARMUP" "" "$FLOOR $corpus"
  bench floor-walk "$n" "$RUNS" "$WARMUP" "" "$FLOOR --walk $corpus"
  bench floor-query "$n" "$RUNS" "$WARMUP" "" "$FLOOR --query $QUERY $corpus"
  bench floor-queries "$n" "$RUNS" "$WARMUP" "" "$FLOOR $ALL_QUERIES $corpus"
  bench routeauth-check-j1 "$n" "$RUNS" "$WARMUP" "" "$ROUTEAUTH check -j 1 $corpus"
  bench routeauth-check "$n" "$RUNS" "$WARMUP" "" "$ROUTEAUTH check -j $THREADS $corpus"
  bench routeauth-apply "$n" "$RUNS" "$WARMUP" "$fresh" "$ROUTEAUTH apply -j $THREADS $scratch"
  bench astgrep-scan "$n" "$RUNS" "$WARMUP" "" \
    "$ASTGREP scan -c $BENCH/astgrep/sgconfig-check.yml --report-style short -j $THREADS $corpus"
  bench astgrep-update "$n" "$RUNS" "$WARMUP" "$fresh" \
    "$ASTGREP scan -c $BENCH/astgrep/sgconfig-fix.yml --update-all -j $THREADS $scratch"
  if ((n <= JSCODESHIFT_MAX)); then
    jsc="$JSCODESHIFT --parser=ts --extensions=ts --no-babel --cpus=$THREADS -t $BENCH/jscodeshift/transform.js"
    bench jscodeshift-dry "$n" "$JSCODESHIFT_RUNS" "$WARMUP" "" "$jsc --dry $corpus"
    bench jscodeshift-apply "$n" "$JSCODESHIFT_RUNS" "$WARMUP" "$fresh" "$jsc $scratch"
  else
    say "$n files: jscodeshift skipped (JSCODESHIFT_MAX=$JSCODESHIFT_MAX)"
  fi
  rm -rf "$scratch"
done

# The pre-commit case: one route file (file 0 of the first corpus: a GET and a POST to migrate).
one="$WORK/corpus-${SIZES[0]}/app/api/gen/0/route.ts"
bench routeauth-version one "$ONE_FILE_RUNS" 10 "" "$ROUTEAUTH --version"
bench routeauth-check one "$ONE_FILE_RUNS" 10 "" "$ROUTEAUTH check $one"
bench floor-parse one "$ONE_FILE_RUNS" 10 "" "$FLOOR $one"
bench floor-query one "$ONE_FILE_RUNS" 10 "" "$FLOOR --query $QUERY $one"
bench astgrep-scan one "$ONE_FILE_RUNS" 10 "" \
  "$ASTGREP scan -c $BENCH/astgrep/sgconfig-check.yml --report-style short -j $THREADS $one"

# ---- what the run was -----------------------------------------------------------------------------
{
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "nproc=$(nproc)"
  echo "memory=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "kernel=$(uname -sr)"
  echo "load_start=$LOAD_START"
  echo "load_end=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "routeauth=$("$ROUTEAUTH" --version 2>&1 | head -1 | sed "s/^routeauth //") ($(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo '+dirty'))"
  echo "tree_sitter=$(dpkg-query -W -f='${Version}' libtree-sitter0 2>/dev/null || echo '?')"
  echo "astgrep=$("$ASTGREP" --version 2>&1 | head -1)"
  echo "jscodeshift=$("$JSCODESHIFT" --version 2>&1 | head -1 | sed "s/^jscodeshift: *//")"
  echo "node=$(node --version)"
  echo "hyperfine=$(hyperfine --version)"
  echo "settings=runs=$RUNS warmup=$WARMUP jscodeshift_runs=$JSCODESHIFT_RUNS one_file_runs=$ONE_FILE_RUNS threads=$THREADS seed=$SEED"
  echo "command=bash bench/compare.sh ${SIZES[*]}"
} >"$RES/machine.txt"

python3 "$BENCH/report.py" "$RES" "${SIZES[@]}" | tee "$RES/results.md"
say "results in $RES (results.md, hyperfine JSON, /usr/bin/time -v output)"
