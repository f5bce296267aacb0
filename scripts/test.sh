#!/usr/bin/env bash
# Builds connecthub and runs every test, as CI does (.ci/run). Installs what it needs first, then:
#   1. the whole suite under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan);
#   2. each libFuzzer target for CONNECTHUB_FUZZ_SECONDS over its checked-in corpus (build-fuzz,
#      clang);
#   3. the normal build and its ctest, last, so the output ends with ctest's summary (build).
# Any failing stage fails the script. Build directories can be moved with CONNECTHUB_BUILD_DIR,
# CONNECTHUB_ASAN_BUILD_DIR and CONNECTHUB_FUZZ_BUILD_DIR. About 12 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=${CONNECTHUB_JOBS:-2}
fuzz_seconds=${CONNECTHUB_FUZZ_SECONDS:-20}
build=${CONNECTHUB_BUILD_DIR:-build}
asan_build=${CONNECTHUB_ASAN_BUILD_DIR:-build-asan}
fuzz_build=${CONNECTHUB_FUZZ_BUILD_DIR:-build-fuzz}
started=$SECONDS

stage() { printf '\n=== %s (%ds)\n' "$1" $((SECONDS - started)); }

stage "setup"
bash scripts/setup.sh

stage "AddressSanitizer + UndefinedBehaviorSanitizer build and tests ($asan_build)"
cmake -S . -B "$asan_build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCONNECTHUB_BUILD_TESTS=ON \
  -DCONNECTHUB_SANITIZE="address;undefined"
cmake --build "$asan_build" -j "$jobs"
# Leaks are errors too (but for the third-party ones in scripts/lsan.supp); a sanitizer report
# fails the test that triggered it.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 LSAN_OPTIONS=suppressions="$PWD/scripts/lsan.supp" \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir "$asan_build" --output-on-failure --timeout 600 -j "$jobs"

stage "fuzzers, ${fuzz_seconds}s each over fuzz/corpus ($fuzz_build)"
cmake -S . -B "$fuzz_build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++ -DCONNECTHUB_BUILD_TESTS=OFF \
  -DCONNECTHUB_BUILD_FUZZERS=ON -DCONNECTHUB_FUZZ_SECONDS="$fuzz_seconds"
cmake --build "$fuzz_build" -j "$jobs" --target connecthub_fuzzers
ctest --test-dir "$fuzz_build/fuzz" --output-on-failure -j "$jobs"

stage "build and tests ($build)"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCONNECTHUB_BUILD_TESTS=ON
cmake --build "$build" -j "$jobs"
cd "$build"
ctest --output-on-failure --timeout 600 -j "$jobs"
