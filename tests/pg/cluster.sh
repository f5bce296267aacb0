#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests.
#   cluster.sh start STATE_DIR   initdb into a fresh temporary directory, start it on a free port
#                                of 127.0.0.1, write its admin URI to STATE_DIR/uri
#   cluster.sh stop STATE_DIR    stop it (immediate) and remove the directory
#   cluster.sh restart STATE_DIR fast restart on the same port (the scale-out tests use it)
#   cluster.sh halt STATE_DIR    fast stop, keeping the data; `resume` starts it again
# initdb refuses to run as root, so as root the cluster belongs to the `postgres` user.
set -euo pipefail

command=${1:?usage: cluster.sh start|stop|restart|halt|resume STATE_DIR}
state=${2:?usage: cluster.sh start|stop|restart|halt|resume STATE_DIR}

bindir() {
  if command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
    return
  fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [[ -z "$dir" ]]; then
    echo "cluster.sh: PostgreSQL is not installed (apt-get install postgresql)" >&2
    exit 1
  fi
  echo "$dir"
}

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# A random port nothing listens on now; a clash at start is retried with another.
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

pg_ctl_run() {
  local dir port
  dir=$(cat "$state/dir")
  port=$(cat "$state/port")
  as_owner "$(bindir)/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
    -o "-k $dir -p $port -c listen_addresses=127.0.0.1" "$@"
}

case "$command" in
  start)
    mkdir -p "$state"
    [[ -f "$state/dir" ]] && "$0" stop "$state" || true
    dir=$(mktemp -d "${TMPDIR:-/tmp}/connecthub-pg-XXXXXX")
    echo "$dir" >"$state/dir"
    if [[ $(id -u) -eq 0 ]]; then chown postgres: "$dir"; fi
    as_owner "$(bindir)/initdb" -D "$dir/data" -A trust -U connecthub -E UTF8 --no-sync \
      >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    # Tests, not production: no fsync (a crash of the machine is not tested), room for the
    # connections of several servers and parallel tests. synchronous_commit stays on.
    cat >>"$dir/data/postgresql.conf" <<CONF
fsync = off
full_page_writes = off
max_connections = 300
CONF
    for attempt in 1 2 3 4 5; do
      free_port >"$state/port"
      if pg_ctl_run start >/dev/null; then
        echo "postgresql://connecthub@127.0.0.1:$(cat "$state/port")/postgres" >"$state/uri"
        cat "$state/uri"
        exit 0
      fi
      echo "cluster.sh: start on port $(cat "$state/port") failed (attempt $attempt)" >&2
    done
    cat "$dir/log" >&2
    exit 1
    ;;
  restart)
    pg_ctl_run -m fast restart >/dev/null
    ;;
  halt)
    pg_ctl_run -m fast stop >/dev/null
    ;;
  resume)
    pg_ctl_run start >/dev/null
    ;;
  stop)
    [[ -f "$state/dir" ]] || exit 0
    dir=$(cat "$state/dir")
    pg_ctl_run -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    rm -f "$state/dir" "$state/port" "$state/uri"
    ;;
  *)
    echo "usage: cluster.sh start|stop|restart|halt|resume STATE_DIR" >&2
    exit 2
    ;;
esac
