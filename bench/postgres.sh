# The PostgreSQL variant of bench/run (--postgres), sourced by it: (b) GET profile and (d)
# register step 2 on a throwaway cluster (tests/pg/cluster.sh), against one server and against
# two servers sharing the database. Figures go to $RESULTS for report.sh:
#   b_pg1, d_pg1              one server, as the SQLite rows
#   b_pg2, d_pg2              two servers: requests/s summed, p50/p99 the larger of the two
#   b_pg2_s1 ... d_pg2_s2     each server's own wrk figures, for its p50/p99
# Both servers are pinned to the server core (CPU 0), as the single one is, so the two-server
# rows have the same server CPU budget; the PostgreSQL backends are not pinned.

PG_STATE=""
stop_cluster() {
  [ -n "$PG_STATE" ] || return 0
  "$ROOT/tests/pg/cluster.sh" stop "$PG_STATE" >/dev/null 2>&1 || true
  rm -rf "$PG_STATE"
  PG_STATE=""
}

# wrk_pair RESULT PORT1 PORT2 DURATION SCRIPT ARGS1 -- ARGS2: one wrk per server at once, each
# with half the connections; the per-server lines go to RESULT_s1 and RESULT_s2, their sum to RESULT.
wrk_pair() {
  local result=$1 port1=$2 port2=$3 secs=$4 script=$5; shift 5
  local args1=() args2=()
  while [ "$1" != -- ]; do args1+=("$1"); shift; done
  shift
  args2=("$@")
  local half=$((CONNECTIONS / 2 > 0 ? CONNECTIONS / 2 : 1))
  wrk_run "${result}_s1" "$port1" "$half" "$secs" "$script" "${args1[@]}" &
  local first=$!
  wrk_run "${result}_s2" "$port2" "$half" "$secs" "$script" "${args2[@]}"
  wait "$first"
  paste -d" " <(tail -1 "$RESULTS/${result}_s1") <(tail -1 "$RESULTS/${result}_s2") \
    | awk '{ printf "%d %.3f %.3f %d %d\n", $1 + $6, ($2 > $7 ? $2 : $7), ($3 > $8 ? $3 : $8),
             $4 + $9, $5 + $10 }' >>"$RESULTS/$result"
}

run_postgres_scenarios() {
  PG_STATE=$(mktemp -d "$WORK_DIR/pg-state.XXXXXX")
  trap 'cleanup; stop_cluster' EXIT
  log "starting a PostgreSQL cluster (tests/pg/cluster.sh)"
  local uri
  uri=$("$ROOT/tests/pg/cluster.sh" start "$PG_STATE" | tail -1)
  { psql "$uri" -Atc 'SHOW server_version' 2>/dev/null || echo "?"; } \
    | awk '{ print "PostgreSQL " $1 }' >"$RESULTS/pg_version.txt"
  # Each run of d-pg1 takes a slice of register codes, each run of d-pg2 two half slices.
  local slices=$((2 * RUNS))
  log "seeding pg: --users $USERS --tokens 10000 --register-codes $((CODE_SLICE * slices))"
  "${LOAD_CPU[@]}" "$SEED" --db "$uri" --out "$WORK_DIR/pg" --users "$USERS" --tokens 10000 \
    --cli-phones 0 --register-codes $((CODE_SLICE * slices)) | tee "$RESULTS/seed_pg.txt" >&2
  local data="$WORK_DIR/pg" port1=$((PORT + 5)) port2=$((PORT + 6)) half=$((CODE_SLICE / 2))

  start_server pg1 "$uri" "$port1" --sms-delay 0
  local pid1=$SERVER_PID
  for ((r = 0; r < RUNS; r++)); do
    log "PostgreSQL run $((r + 1))/$RUNS: one server, (b) (d)"
    wrk_run b_pg1 "$port1" "$CONNECTIONS" "$DURATION" profile.lua "$data/tokens.txt"
    wrk_run d_pg1 "$port1" "$CONNECTIONS" "$DURATION" consume.lua register "$data/register.txt" \
      $((r * CODE_SLICE + 1)) "$CODE_SLICE"
  done
  start_server pg2 "$uri" "$port2" --sms-delay 0
  local pid2=$SERVER_PID
  for ((r = 0; r < RUNS; r++)); do
    log "PostgreSQL run $((r + 1))/$RUNS: two servers, (b) (d)"
    wrk_pair b_pg2 "$port1" "$port2" "$DURATION" profile.lua "$data/tokens.txt" -- \
      "$data/tokens.txt"
    local first=$(((RUNS + r) * CODE_SLICE + 1))
    wrk_pair d_pg2 "$port1" "$port2" "$DURATION" consume.lua \
      register "$data/register.txt" "$first" "$half" -- \
      register "$data/register.txt" $((first + half)) "$half"
  done
  grep -E '^(VmRSS|VmHWM)' "/proc/$pid1/status" >"$RESULTS/rss_pg.txt"
  stop_server "$pid1"
  stop_server "$pid2"
  log "stopping and removing the PostgreSQL cluster"
  stop_cluster
}
