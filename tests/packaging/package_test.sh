#!/usr/bin/env bash
# The Debian package, as an operator gets it: built with cpack from a build directory, checked
# with dpkg-deb, lintian and systemd-analyze, then unpacked into a temporary root whose binaries
# must run, the server with the packaged config answering /healthz.
# Usage: [CPACK=cpack] package_test.sh BUILD_DIR VERSION. Exit 77 (skipped) only when a tool is
# missing.
set -euo pipefail

build_dir=$(cd "$1" && pwd)
version=$2

cpack=${CPACK:-cpack}
for tool in "$cpack" dpkg dpkg-deb lintian systemd-analyze curl man readelf; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP: $tool is not installed (scripts/setup.sh installs it)"
    exit 77
  fi
done

work=$(mktemp -d /tmp/connecthub-package-XXXXXX)
chmod 0755 "$work" # the unprivileged server below reads the unpacked root
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$(pgrep -P "$server_pid")" "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

failures=0
pass() { echo "ok: $*"; }
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}
# check DESCRIPTION COMMAND...: one check, passed when COMMAND succeeds.
check() {
  local what=$1
  shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}

# --- Build ---------------------------------------------------------------------------------------
if ! (cd "$build_dir" && "$cpack" -G DEB -B "$work/out" >"$work/cpack.log" 2>&1); then
  cat "$work/cpack.log"
  echo "FAIL: cpack -G DEB"
  exit 1
fi
deb="$work/out/connecthub_${version}_$(dpkg --print-architecture).deb"
if [ ! -f "$deb" ]; then
  ls "$work/out"
  echo "FAIL: cpack did not make $(basename "$deb")"
  exit 1
fi
pass "built $(basename "$deb"), $(stat -c %s "$deb") bytes"

# --- Contents ------------------------------------------------------------------------------------
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's#^\./#/#' >"$work/contents"
for path in \
  /usr/bin/connecthub-server \
  /usr/bin/connecthub-cli \
  /usr/share/man/man1/connecthub-server.1.gz \
  /usr/share/man/man1/connecthub-cli.1.gz \
  /usr/share/bash-completion/completions/connecthub-cli \
  /usr/share/zsh/vendor-completions/_connecthub-cli \
  /usr/share/fish/vendor_completions.d/connecthub-cli.fish \
  /etc/connecthub/connecthub.conf \
  /lib/systemd/system/connecthub.service \
  /usr/share/doc/connecthub/copyright \
  /usr/share/doc/connecthub/changelog.gz; do
  check "contains $path" grep -qx "$path" "$work/contents"
done

# The PostgreSQL backend, a module the programs load only for a postgresql:// location.
pg_module=$(grep -E '^/usr/lib/(.+/)?connecthub/connecthub_postgresql\.so$' "$work/contents") || true
check "contains the PostgreSQL module (${pg_module:-not in /usr/lib/.../connecthub/})" \
  test -n "$pg_module"

dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles >"$work/conffiles" 2>/dev/null || true
check "connecthub.conf is a conffile" grep -qx /etc/connecthub/connecthub.conf "$work/conffiles"

depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
# Computed by dpkg-shlibdeps, so it names the C library with a version; typed by hand it would not.
check "Depends computed from the shared libraries" \
  grep -qE 'libc6 \(>= [0-9.]+\)' <<<"$depends"
check "Depends names libpqxx, which the PostgreSQL module needs" grep -q 'libpqxx' <<<"$depends"
check "package version $version" test "$(dpkg-deb -f "$deb" Version)" = "$version"

# --- lintian -------------------------------------------------------------------------------------
lintian --no-tag-display-limit "$deb" >"$work/lintian.log" 2>&1 || true
grep -E '^[EW]: ' "$work/lintian.log" || true
check "lintian: no errors" test "$(grep -c '^E: ' "$work/lintian.log")" -eq 0

# --- Unpack --------------------------------------------------------------------------------------
root="$work/root"
dpkg -x "$deb" "$root"
server="$root/usr/bin/connecthub-server"
cli="$root/usr/bin/connecthub-cli"
conf="$root/etc/connecthub/connecthub.conf"
unit="$root/lib/systemd/system/connecthub.service"

# --- The unit ------------------------------------------------------------------------------------
check "unit runs the packaged server with the packaged config" grep -qx \
  'ExecStart=/usr/bin/connecthub-server --config /etc/connecthub/connecthub.conf' "$unit"
# verify checks that ExecStart exists and that Documentation= resolves: point both into the root.
mkdir -p "$work/unit"
sed "s#/usr/bin/connecthub-server#$server#" "$unit" >"$work/unit/connecthub.service"
if MANPATH="$root/usr/share/man" systemd-analyze verify "$work/unit/connecthub.service" \
  >"$work/verify.log" 2>&1; then
  pass "systemd-analyze verify accepts the unit"
else
  fail "systemd-analyze verify rejects the unit"
fi
cat "$work/verify.log"
security_rc=0
systemd-analyze security --offline=true --threshold=20 "$unit" >"$work/security.log" 2>&1 ||
  security_rc=$?
exposure=$(sed -n 's/.*Overall exposure level for connecthub.service: \([0-9.]*\).*/\1/p' \
  "$work/security.log")
if [ "$security_rc" -eq 0 ] && [ -n "$exposure" ]; then
  pass "systemd-analyze security: exposure $exposure (<= 2.0)"
else
  grep '✗' "$work/security.log" || cat "$work/security.log"
  fail "systemd-analyze security: exposure ${exposure:-unknown}, above 2.0"
fi

# --- The binaries --------------------------------------------------------------------------------
for binary in "$server" "$cli"; do
  name=$(basename "$binary")
  out=$("$binary" --version 2>&1) || true
  check "$name --version prints $version (got '$out')" test "$out" = "$version"
  "$binary" --help >"$work/$name.help" 2>&1 || true
  check "$name --help describes --db" grep -q -- '--db' "$work/$name.help"
done

# Neither program links libpq (its loading would slow every start); each loads the packaged module
# on a postgresql:// location: refused at port 1, the error is the connection's, not the module's.
for binary in "$server" "$cli"; do
  check "$(basename "$binary") does not link libpq" \
    test "$(readelf -d "$binary" | grep -c 'NEEDED.*libpq')" -eq 0
done
out=$(env -u CONNECTHUB_PG_MODULE "$cli" --db postgresql://connecthub@127.0.0.1:1/connecthub \
  stats 2>&1) || true
check "connecthub-cli loads the packaged PostgreSQL module (got '$out')" \
  grep -q 'cannot open database postgresql://' <<<"$out"

# The config file names every option of the server (commented with its default, or set).
options=$(grep -oE '^ +--[a-z][a-z-]+' "$work/connecthub-server.help" | sed 's/^ *--//' |
  grep -vxE 'help|version|config' | sort -u)
missing=0
for option in $options; do
  if ! grep -qE "^(# )?$option = " "$conf"; then
    fail "connecthub.conf lacks option $option"
    missing=1
  fi
done
if [ "$(wc -w <<<"$options")" -lt 15 ]; then
  fail "connecthub-server --help lists only: $options"
elif [ "$missing" -eq 0 ]; then
  pass "connecthub.conf names all $(wc -w <<<"$options") options of connecthub-server --help"
fi

# --- The server with the packaged config ---------------------------------------------------------
# The packaged config with only the database and the port changed; the environment must not add.
for variable in "${!CONNECTHUB_@}"; do unset "$variable"; done
mkdir -m 0700 "$work/state"
sed "s#^db = .*#db = \"$work/state/connecthub.db\"#" "$conf" >"$work/connecthub.conf"
# Port 0: the kernel picks a free one and the start-up log names it.
echo "port = 0" >>"$work/connecthub.conf"
# A key of its own, which the CLI below must take from this file to sign tokens the server accepts.
echo "secret-key = \"$(head -c 48 /dev/urandom | base64 -w0)\"" >>"$work/connecthub.conf"

# The unit's UMask=0077.
: >"$work/server.log"
(umask 0077 && exec "$server" --config "$work/connecthub.conf") >>"$work/server.log" 2>&1 &
server_pid=$!
port=
for _ in $(seq 100); do
  port=$(sed -n 's#.*listening on http://127\.0\.0\.1:\([0-9]*\).*#\1#p' "$work/server.log") || true
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
status=
for _ in $(seq 50); do
  [ -n "$port" ] || break
  status=$(curl -s -o "$work/healthz" -w '%{http_code}' "http://127.0.0.1:$port/healthz") || true
  [ "$status" = 200 ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if [ "$status" = 200 ] && grep -q '"status": *"ok"' "$work/healthz"; then
  pass "server with the packaged config answers GET /healthz: $(cat "$work/healthz")"
else
  cat "$work/server.log"
  fail "GET /healthz answered '${status:-nothing}'"
fi
check "database created where the config says" test -f "$work/state/connecthub.db"
check "database is 0600 under the unit's UMask" \
  test "$(stat -c %a "$work/state/connecthub.db" 2>/dev/null)" = 600

# The operator's CLI finds the service's database and key through the config file, next to the
# server: a user it registers can log in over HTTP, and a token it issues is good at the server.
check "connecthub-cli register, database and key from the config" \
  env CONNECTHUB_CONFIG="$work/connecthub.conf" "$cli" register +15550009876
status=$(curl -s -o "$work/login" -w '%{http_code}' -H 'Content-Type: application/json' \
  -d '{"phone": "+15550009876"}' "http://127.0.0.1:$port/api/login/") || true
check "the server knows the user the CLI registered (login answered $status)" \
  test "$status" = 200
token=$(CONNECTHUB_CONFIG="$work/connecthub.conf" "$cli" --json login +15550009876 |
  sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p') || true
status=$(curl -s -o "$work/profile" -w '%{http_code}' -H "Authorization: Bearer $token" \
  "http://127.0.0.1:$port/api/clients/profile/") || true
check "the server accepts a token the CLI signed with the config's secret-key ($status)" \
  test "$status" = 200

if kill -TERM "$server_pid" 2>/dev/null; then
  rc=0
  wait "$server_pid" || rc=$?
  check "server exits 0 on SIGTERM (exited $rc)" test "$rc" -eq 0
else
  fail "server was no longer running to receive SIGTERM"
fi
server_pid=

# --- The sandbox's system call filter -----------------------------------------------------------
# Production settings (echo off, a delivery command) under strace, as an unprivileged user like the
# service's: every system call the server and its delivery command make must pass the unit's
# SystemCallFilter=, or under systemd it would fail with EPERM.
syscall_set() { # the system calls of filter groups and names, nested groups expanded
  local item
  for item in "$@"; do
    if [[ "$item" == @* ]]; then
      # shellcheck disable=SC2046  # one name a line
      syscall_set $(systemd-analyze syscall-filter "$item" | grep -v '^ *#' | sed 's/^ *//' |
        tail -n +2)
    else
      echo "$item"
    fi
  done
}
if command -v strace >/dev/null && command -v setpriv >/dev/null; then
  prod="$work/prod"
  mkdir -m 0777 "$prod"
  cat >"$prod/send-sms" <<SCRIPT
#!/bin/sh
echo "\$CONNECTHUB_PHONE \$CONNECTHUB_CODE" >>"$prod/sent"
SCRIPT
  chmod 0755 "$prod/send-sms"
  sed "s#^db = .*#db = \"$prod/connecthub.db\"#" "$conf" >"$prod/connecthub.conf"
  printf 'port = 0\necho-code = false\nsms-command = "%s/send-sms"\nsms-delay = "0"\n' "$prod" \
    >>"$prod/connecthub.conf"
  as_service=()
  [ "$(id -u)" -eq 0 ] && as_service=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
  : >"$prod/server.log"
  "${as_service[@]}" strace -f -qq -o "$prod/trace" "$server" --config "$prod/connecthub.conf" \
    >>"$prod/server.log" 2>&1 &
  server_pid=$!
  port=
  for _ in $(seq 100); do
    port=$(sed -n 's#.*listening on http://127\.0\.0\.1:\([0-9]*\).*#\1#p' "$prod/server.log") ||
      true
    [ -n "$port" ] && break
    sleep 0.1
  done
  curl -s -o "$prod/register" -H 'Content-Type: application/json' \
    -d '{"phone": "+15550004321"}' "http://127.0.0.1:${port:-1}/api/register/" || true
  touch "$prod/sent" "$prod/register" "$prod/trace"
  check "with echo off the code goes to the delivery command" \
    grep -q '^+15550004321 [0-9]\{4\}$' "$prod/sent"
  check "with echo off the server answers: $(cat "$prod/register")" \
    grep -q '"phone": *"+15550004321"' "$prod/register"
  check "... without the sms_code" test "$(grep -c sms_code "$prod/register")" -eq 0
  # SIGTERM to the server, strace's child; strace then exits with it.
  kill -TERM "$(pgrep -P "$server_pid")" 2>/dev/null || true
  wait "$server_pid" || true
  server_pid=
  allowed=$(sed -n 's/^SystemCallFilter=\([^~].*\)/\1/p' "$unit")
  denied=$(sed -n 's/^SystemCallFilter=~\(.*\)/\1/p' "$unit")
  # shellcheck disable=SC2086  # the lists are space-separated on purpose
  syscall_set $allowed | sort -u >"$prod/allowed"
  # shellcheck disable=SC2086
  syscall_set $denied | sort -u >"$prod/denied"
  sed -nE 's/^[0-9]+ +([a-z0-9_]+)\(.*/\1/p; s/^[0-9]+ +<\.\.\. ([a-z0-9_]+) resumed>.*/\1/p' \
    "$prod/trace" | sort -u >"$prod/used"
  blocked=$( (comm -23 "$prod/used" "$prod/allowed"; comm -12 "$prod/used" "$prod/denied") |
    sort -u | tr '\n' ' ')
  check "the $(wc -l <"$prod/used") system calls used pass the unit's filter${blocked:+ (blocked: $blocked)}" \
    test -z "$blocked"
else
  echo "NOTE: strace or setpriv missing; the system call filter is not checked at run time"
fi

# --- Maintainer scripts --------------------------------------------------------------------------
for script in postinst prerm postrm; do
  dpkg-deb --ctrl-tarfile "$deb" | tar -xO "./$script" >"$work/$script"
  check "$script is valid sh" sh -n "$work/$script"
done

if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all package checks passed"
