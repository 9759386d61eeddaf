#!/usr/bin/env bash
# Builds routeauth and its tests with AddressSanitizer and UndefinedBehaviorSanitizer
# (ROUTEAUTH_SANITIZE=ON) into build-asan/ and runs the whole ctest suite under them, except the
# `behaviour` tests (they run node on the example app, not our code) and the `install` tests
# (they build and prove the self-contained tree, not this one). Leaks fail too. Prints
# ctest's summary; the build log is shown only when the build fails.
#
# Environment: SANITIZE_BUILD_DIR (default build-asan), CMAKE_ARGS (extra configure flags),
# JOBS (build and test parallelism, default nproc), SANITIZE_SKIP_SETUP=1.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${SANITIZE_BUILD_DIR:-"$here/build-asan"}
jobs=${JOBS:-$(nproc)}

[[ "${SANITIZE_SKIP_SETUP:-0}" == 1 ]] || bash "$here/scripts/setup.sh"

mkdir -p "$build"
log_build="$build/sanitize-build.log"
start=$SECONDS
# Warnings are the main build's business (-Werror there); gcc's sanitizer instrumentation adds
# false positives of its own (-Wmaybe-uninitialized and friends), so they do not fail this one.
# shellcheck disable=SC2086  # CMAKE_ARGS is a list of flags
if ! { cmake -S "$here" -B "$build" -G Ninja -DROUTEAUTH_SANITIZE=ON -DROUTEAUTH_WERROR=OFF -DROUTEAUTH_BENCH=OFF \
         ${CMAKE_ARGS:-} && cmake --build "$build" -j "$jobs"; } >"$log_build" 2>&1; then
  tail -n 40 "$log_build" >&2
  echo "sanitize: build failed (full log: $log_build)" >&2
  exit 1
fi
build_seconds=$((SECONDS - start))

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:check_initialization_order=1:strict_init_order=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# One known leak inside libtree-sitter itself is suppressed (scripts/lsan.supp says which, and
# why it has to name the module).
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$here/scripts/lsan.supp:print_suppressions=0}

start=$SECONDS
status=0
# The install tests prove the self-contained release build (its own tree), not this one; the
# behaviour and lsp tests drive the binary from Node (npm installs), their C++ side runs here.
ctest --test-dir "$build" --output-on-failure -j "$jobs" -LE '^(behaviour|install|lsp)$' \
  >"$build/sanitize-ctest.log" 2>&1 || status=$?
test_seconds=$((SECONDS - start))
if ((status != 0)); then
  # The failing tests' output (sanitizer reports included), then the summary.
  grep -E 'ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: ' "$build/sanitize-ctest.log" | head -n 20 >&2 || true
  tail -n 80 "$build/sanitize-ctest.log" >&2
  echo "sanitize: FAILED under ASan+UBSan (build ${build_seconds}s, tests ${test_seconds}s; log: $build/sanitize-ctest.log)" >&2
  exit 1
fi
sed -n '/tests passed/,$p' "$build/sanitize-ctest.log"
echo "sanitize: ASan+UBSan, behaviour excluded: build ${build_seconds}s, tests ${test_seconds}s"
