#!/usr/bin/env bash
# Installs the Debian 12 packages that building, testing and running connecthub need, when missing.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config git
  libpistache-dev libcli11-dev libsqlitecpp-dev libsqlite3-dev sqlite3 libpqxx-dev libpq-dev
  libfmt-dev libspdlog-dev nlohmann-json3-dev catch2 libssl-dev libcpp-httplib-dev
  curl jq strace wrk linux-perf groff-base zsh fish bash-completion postgresql lintian dpkg-dev file
  clang libclang-rt-14-dev systemd
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
