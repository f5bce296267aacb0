#!/usr/bin/env bash
# Builds connecthub and runs every test (ctest). Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
build=${CONNECTHUB_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCONNECTHUB_BUILD_TESTS=ON
cmake --build "$build"
cd "$build"
ctest --output-on-failure --timeout 600 -j2
