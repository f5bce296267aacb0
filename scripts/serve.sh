#!/usr/bin/env bash
# Builds connecthub and starts the server on its defaults (127.0.0.1:8000, ./connecthub.db).
# Extra arguments go to connecthub-server, e.g. `scripts/serve.sh --port 9000`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
build=${CONNECTHUB_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCONNECTHUB_BUILD_TESTS=OFF
cmake --build "$build" --target connecthub-server connecthub-cli
exec "$build/apps/connecthub-server/connecthub-server" "$@"
