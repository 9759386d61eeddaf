#!/usr/bin/env bash
# Builds the libFuzzer target (fuzz/) with clang, ASan and UBSan into build-fuzz/, replays every
# input in fuzz/regressions/, then fuzzes for FUZZ_SECONDS (default 60) from the seed corpus
# (fixtures and example routes) plus the corpus kept from earlier runs. Prints one summary line;
# libFuzzer's own output goes to build-fuzz/fuzz/fuzz.log and is tailed only on failure. Exits
# non-zero on any crash, sanitizer report, invariant violation, timeout or out-of-memory.
#
#   FUZZ_SECONDS=1800 bash scripts/fuzz.sh     # a longer run (the corpus carries over)
#
# Environment: FUZZ_SECONDS, FUZZ_BUILD_DIR (default build-fuzz), FUZZ_MAX_LEN (8192),
# FUZZ_TIMEOUT (seconds one input may take, 30), FUZZ_ARGS (extra libFuzzer flags), JOBS
# (build parallelism, default nproc), FUZZ_SKIP_SETUP=1 (do not run scripts/setup.sh).
# A crash leaves its input in build-fuzz/fuzz/artifacts/; minimise it with
#   build-fuzz/fuzz/routeauth_fuzzer -minimize_crash=1 -runs=20000 \
#     -exact_artifact_path=fuzz/regressions/<short-name> build-fuzz/fuzz/artifacts/crash-...
# and keep it in fuzz/regressions/ (replayed first on every run). See fuzz/README.md.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD_DIR:-"$here/build-fuzz"}
seconds=${FUZZ_SECONDS:-60}
max_len=${FUZZ_MAX_LEN:-8192}
timeout=${FUZZ_TIMEOUT:-30}
jobs=${JOBS:-$(nproc)}

[[ "${FUZZ_SKIP_SETUP:-0}" == 1 ]] || bash "$here/scripts/setup.sh"

cc=$(command -v clang-14 || command -v clang || true)
cxx=$(command -v clang++-14 || command -v clang++ || true)
if [[ -z "$cc" || -z "$cxx" ]]; then
  echo "fuzz: clang not found (scripts/setup.sh installs clang-14 and libclang-rt-14-dev)" >&2
  exit 2
fi

mkdir -p "$build"
log_build="$build/fuzz-build.log"
start=$SECONDS
if ! { CC=$cc CXX=$cxx cmake -S "$here" -B "$build" -G Ninja \
         -DROUTEAUTH_FUZZ=ON -DROUTEAUTH_SANITIZE=ON -DROUTEAUTH_TESTS=OFF -DROUTEAUTH_BENCH=OFF \
         -DROUTEAUTH_WERROR=OFF \
         "-DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link" "-DCMAKE_C_FLAGS=" \
       && cmake --build "$build" --target routeauth_fuzzer routeauth_fuzz_seeds -j "$jobs"; } \
     >"$log_build" 2>&1; then
  tail -n 40 "$log_build" >&2
  echo "fuzz: build failed (full log: $log_build)" >&2
  exit 1
fi
build_seconds=$((SECONDS - start))

fuzzer="$build/fuzz/routeauth_fuzzer"
seeds="$build/fuzz/seeds"
corpus="$build/fuzz/corpus"
artifacts="$build/fuzz/artifacts"
refused="$build/fuzz/refused"
log="$build/fuzz/fuzz.log"
mkdir -p "$corpus" "$artifacts" "$refused"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:check_initialization_order=1:strict_init_order=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ROUTEAUTH_FUZZ_REFUSED_DIR=$refused

# 1. Regressions: every saved input, run once each.
regressions=()
if [[ -d "$here/fuzz/regressions" ]]; then
  while IFS= read -r -d '' f; do regressions+=("$f"); done \
    < <(find "$here/fuzz/regressions" -type f ! -name '*.md' ! -name '.*' -print0 | sort -z)
fi
if ((${#regressions[@]})); then
  if ! "$fuzzer" -timeout="$timeout" "${regressions[@]}" >"$build/fuzz/regressions.log" 2>&1; then
    grep -E 'INVARIANT VIOLATED|ERROR: |SUMMARY: |Running: ' "$build/fuzz/regressions.log" | tail -n 20 >&2 || true
    tail -n 40 "$build/fuzz/regressions.log" >&2
    echo "fuzz: a regression input in fuzz/regressions/ fails again (log: $build/fuzz/regressions.log)" >&2
    exit 1
  fi
fi

# 2. Fuzz.
start=$SECONDS
status=0
touch "$build/fuzz/.run-start"
# shellcheck disable=SC2086  # FUZZ_ARGS is a list of flags
"$fuzzer" "$corpus" "$seeds" \
  -dict="$here/fuzz/typescript.dict" -max_len="$max_len" -timeout="$timeout" \
  -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$artifacts/" \
  ${FUZZ_ARGS:-} >"$log" 2>&1 || status=$?
fuzz_seconds=$((SECONDS - start))
# With -fork/-ignore_crashes (FUZZ_ARGS) libFuzzer can exit 0 after a crash: its artifact decides.
crashes=$(find "$artifacts" -type f -newer "$build/fuzz/.run-start" | wc -l)
if ((crashes && status == 0)); then status=1; fi

stat() { grep -m1 "^stat::$1:" "$log" | awk '{print $2}' || true; }
execs=$(stat number_of_executed_units)
rate=$(stat average_exec_per_sec)
last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")
ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")
corp=$(sed -nE 's|.* corp: ([0-9]+/[0-9]+[A-Za-z]*).*|\1|p' <<<"$last")
files=$(find "$corpus" -type f | wc -l)
nrefused=$(find "$refused" -type f ! -name '*.txt' | wc -l)
# "routeauth-fuzz-stats: runs N, parse_error N, clean N, findings N (rewritten N), internal_error N"
inputs=$(grep 'routeauth-fuzz-stats:' "$log" | tail -n 1 | sed 's/^routeauth-fuzz-stats: //' || true)

summary="fuzz: ${execs:-?} execs in ${fuzz_seconds}s (${rate:-?}/s), corpus ${corp:-?} (${files} kept in ${corpus#"$here"/}), cov ${cov:-?} ft ${ft:-?}, ${#regressions[@]} regressions replayed, build ${build_seconds}s${inputs:+ [$inputs]}"
if ((nrefused)); then
  summary+=", ${nrefused} distinct refused outputs (internal_error) in ${refused#"$here"/}"
fi
if ((status != 0)); then
  grep -E 'INVARIANT VIOLATED|ERROR: |SUMMARY: |runtime error' "$log" | head -n 10 >&2 || true
  tail -n 60 "$log" >&2
  crash=$(ls -t "$artifacts" 2>/dev/null | head -n 1 || true)
  echo "$summary" >&2
  echo "fuzz: FAILED (libFuzzer exit $status, $crashes new artifacts); latest: ${crash:+$artifacts/$crash}; log: $log" >&2
  exit 1
fi
echo "$summary"
