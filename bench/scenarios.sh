# The scenarios of bench/run, sourced by it: each function seeds what it needs, starts its
# server(s), measures, and leaves its figures in $RESULTS for report.sh.

# seed NAME [connecthub-bench-seed options...]: seeds $WORK_DIR/NAME.db, data files in $WORK_DIR/NAME.
seed() {
  local name=$1; shift
  log "seeding $name: $*"
  "${LOAD_CPU[@]}" "$SEED" --db "$WORK_DIR/$name.db" --out "$WORK_DIR/$name" "$@" \
    | tee "$RESULTS/seed_$name.txt" >&2
}

# (a)-(e), the 10,000-long chain, a single-connection activation for reference, and (h).
run_main_scenarios() {
  # Each activation uses up one fresh user (neither invited nor inviting) and each login or
  # register step 2 one code (a login code needs a user of its own). Each run gets its own slice,
  # sized so that a run at some 25,000 commits a second does not exhaust it: about a quarter of the
  # general users are fresh, and FRESH extra users make up the rest of the activations and of the
  # login codes (they are counted in the report).
  ACT_SLICE=60000 CHAIN_N=2500 E1_N=10000 CODE_SLICE=150000
  local activations=$((ACT_SLICE * RUNS + E1_N))
  FRESH=$((activations + CHAIN_N - USERS / 4))
  local for_codes=$((CODE_SLICE * RUNS - USERS - 10000))
  [ "$FRESH" -ge "$for_codes" ] || FRESH=$for_codes
  [ "$FRESH" -gt 0 ] || FRESH=0
  seed main --users "$USERS" --chain 10000 --fresh "$FRESH" --tokens 10000 --cli-phones 100 \
    --activations "$activations" --chain-activations "$CHAIN_N" \
    --login-codes $((CODE_SLICE * RUNS)) --register-codes $((CODE_SLICE * RUNS))
  local data="$WORK_DIR/main"
  start_server main "$WORK_DIR/main.db" "$PORT" --sms-delay 0
  local main_pid=$SERVER_PID
  for ((r = 0; r < RUNS; r++)); do
    log "run $((r + 1))/$RUNS: (a) (b) (c) (d) (e)"
    wrk_run a "$PORT" "$CONNECTIONS" "$DURATION" notfound.lua
    if [ "$PERF" = 1 ] && [ "$r" = 0 ]; then
      # DWARF unwinding: Debian's libraries have no frame pointers, so -g alone loses callers.
      perf record --call-graph dwarf,16384 -F 499 -p "$main_pid" -o "$WORK_DIR/perf-b.data" \
        -- sleep "$DURATION" >/dev/null 2>&1 &
      local perf_pid=$!
    fi
    wrk_run b "$PORT" "$CONNECTIONS" "$DURATION" profile.lua "$data/tokens.txt"
    if [ -n "${perf_pid:-}" ]; then
      wait "$perf_pid" || true
      perf report -i "$WORK_DIR/perf-b.data" --stdio --children --sort symbol -g none \
        --percent-limit 1 >"$RESULTS/perf-b.txt" 2>/dev/null || true
      unset perf_pid
    fi
    local first=$((r * CODE_SLICE + 1))
    wrk_run c "$PORT" "$CONNECTIONS" "$DURATION" consume.lua login "$data/login.txt" "$first" "$CODE_SLICE"
    wrk_run d "$PORT" "$CONNECTIONS" "$DURATION" consume.lua register "$data/register.txt" "$first" "$CODE_SLICE"
    wrk_run e "$PORT" "$CONNECTIONS" "$DURATION" consume.lua activate "$data/activate.txt" \
      $((r * ACT_SLICE + 1)) "$ACT_SLICE"
  done
  log "activation latency: one connection, ordinary codes and the end of a 10,000-long chain"
  wrk_run e1 "$PORT" 1 2 consume.lua activate "$data/activate.txt" $((RUNS * ACT_SLICE + 1)) "$E1_N"
  wrk_run chain "$PORT" 1 "$DURATION" consume.lua activate "$data/chain.txt" 1 "$CHAIN_N"
  grep -E '^(VmRSS|VmHWM)' "/proc/$main_pid/status" >"$RESULTS/rss_main.txt"
  stop_server "$main_pid"
}

# (f): 1,000 code requests with the real 1-2 s SMS delay while (b) runs.
run_delay_scenario() {
  local port=$((PORT + 1)) clients=1000 per_curl=250
  log "(f) $clients delayed code requests during (b)"
  start_server delay "$WORK_DIR/main.db" "$port"  # the default --sms-delay, 1s-2s
  local delay_pid=$SERVER_PID
  for ((k = 0; k < clients / per_curl; k++)); do
    for ((i = 1; i <= per_curl; i++)); do
      printf 'url = "http://127.0.0.1:%d/api/register/"\n' "$port"
      printf 'data = "{\\"phone\\": \\"+7904%07d\\"}"\n' $((k * per_curl + i))
      printf 'header = "Content-Type: application/json"\noutput = "/dev/null"\n'
      printf 'write-out = "%%{http_code} %%{time_total}\\n"\n'
      [ "$i" -lt "$per_curl" ] && echo next
    done >"$WORK_DIR/delay_$k.curl"
  done
  local secs=$((DURATION > 6 ? DURATION : 6))
  wrk_run f_b "$port" "$CONNECTIONS" "$secs" profile.lua "$WORK_DIR/main/tokens.txt" &
  local wrk_pid=$!
  sleep 1
  local start=$EPOCHREALTIME curls=()
  for ((k = 0; k < clients / per_curl; k++)); do
    "${LOAD_CPU[@]}" curl -s -Z --parallel-immediate --parallel-max "$per_curl" \
      -K "$WORK_DIR/delay_$k.curl" >"$RESULTS/f_curl_$k.txt" 2>"$RESULTS/f_curl_$k.err" &
    curls+=($!)
  done
  wait "${curls[@]}" || true
  echo "$EPOCHREALTIME - $start" | awk '{ printf "%.3f\n", $1 - $3 }' >"$RESULTS/f_wall.txt"
  wait "$wrk_pid" || true
  cat "$RESULTS"/f_curl_*.txt | awk '$1 == 200 { ok++ } { if ($2 > max) max = $2 }
    END { printf "%d %d %.3f\n", ok, NR, max }' >"$RESULTS/f_answers.txt"
  grep -E '^(VmRSS|VmHWM)' "/proc/$delay_pid/status" >"$RESULTS/rss_delay.txt"
  stop_server "$delay_pid"
}

# (g): wall time of connecthub-cli calls, as a script calling it in a loop sees it.
run_cli_scenario() {
  log "(g) connecthub-cli profile and list-invited"
  "${LOAD_CPU[@]}" bash -c 'cli=$1 db=$2; shift 2
    for round in 1 2; do for phone in "$@"; do
      for command in profile list-invited; do
        start=$EPOCHREALTIME; "$cli" --db "$db" "$command" "$phone" >/dev/null
        echo "$command $EPOCHREALTIME $start"
      done
    done; done' _ "$CLI" "$WORK_DIR/main.db" $(cat "$WORK_DIR/main/phones.txt") \
    | awk '{ printf "%s %.3f\n", $1, ($2 - $3) * 1000 }' >"$RESULTS/g_all.txt"
  awk '$1 == "profile" { print $2 }' "$RESULTS/g_all.txt" >"$RESULTS/g_profile"
  awk '$1 == "list-invited" { print $2 }' "$RESULTS/g_all.txt" >"$RESULTS/g_list"
}

# Cost against size: (b) on 1,000 users against the main database (or --scale N users), and the
# profile of a user with 100,000 invitees.
run_size_checks() {
  seed small --users 1000 --tokens 1000 --cli-phones 0
  local large=main
  if [ -n "$SCALE_USERS" ]; then
    large=large
    seed large --users "$SCALE_USERS" --tokens 10000 --cli-phones 0
  fi
  start_server small "$WORK_DIR/small.db" $((PORT + 2)) --sms-delay 0
  local small_pid=$SERVER_PID
  start_server large "$WORK_DIR/$large.db" $((PORT + 3)) --sms-delay 0
  local large_pid=$SERVER_PID
  echo "$large" >"$RESULTS/size_large_name.txt"
  for ((r = 0; r < RUNS; r++)); do
    log "size run $((r + 1))/$RUNS: (b) at 1,000 users and on $large.db"
    wrk_run size_small $((PORT + 2)) "$CONNECTIONS" "$DURATION" profile.lua "$WORK_DIR/small/tokens.txt"
    wrk_run size_large $((PORT + 3)) "$CONNECTIONS" "$DURATION" profile.lua "$WORK_DIR/$large/tokens.txt"
  done
  grep -E '^(VmRSS|VmHWM)' "/proc/$large_pid/status" >"$RESULTS/rss_large.txt"
  stop_server "$small_pid"
  stop_server "$large_pid"

  seed hub --users 0 --hub-invitees 100000 --tokens 0 --cli-phones 0
  start_server hub "$WORK_DIR/hub.db" $((PORT + 4)) --sms-delay 0
  local hub_pid=$SERVER_PID token
  token=$(awk '{ print $2 }' "$WORK_DIR/hub/hub.txt")
  for _ in 1 2 3 4 5; do
    "${LOAD_CPU[@]}" curl -s -o "$WORK_DIR/hub_profile.json" -H "Authorization: Bearer $token" \
      -w '%{http_code} %{time_total} %{size_download}\n' \
      "http://127.0.0.1:$((PORT + 4))/api/clients/profile/"
  done >"$RESULTS/hub.txt"
  grep -o '"+7902' "$WORK_DIR/hub_profile.json" | wc -l >"$RESULTS/hub_count.txt"
  grep -E '^(VmRSS|VmHWM)' "/proc/$hub_pid/status" >"$RESULTS/rss_hub.txt"
  stop_server "$hub_pid"
}
