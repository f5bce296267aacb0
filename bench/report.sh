# Writes BENCHMARKS.md from the figures in $RESULTS; sourced by bench/run.

# row ID TITLE TARGET_RATIO: a table row with median (min-max) requests/s, p50, p99 and the ratio
# of the medians to (a)'s; TARGET_RATIO "-" for none.
row() {
  local id=$1 title=$2 target=$3 f="$RESULTS/$1"
  [ -s "$f" ] || return 0
  local rps p50 p99 ceiling bad
  rps=$(stats "$f" 1); p50=$(median "$f" 2); p99=$(median "$f" 3)
  ceiling=$(median "$RESULTS/a" 1)
  bad=$(sum_column "$f" 4)
  [ "$id" = a ] && bad=0  # (a) answers 404 by design
  awk -v id="$id" -v t="$title" -v rps="$rps" -v p50="$p50" -v p99="$p99" -v a="$ceiling" \
      -v target="$target" -v bad="$bad" 'BEGIN {
    gsub(/_/, "-", id)
    split(rps, r, " "); ratio = sprintf("%.2f", r[1] / a)
    if (target == "--") { ratio = "-"; target = "-" }
    verdict = target == "-" ? "" : (r[1] / a >= target ? "met" : "**not met**")
    goal = target == "-" ? "" : sprintf(">= %.1f x (a)", target)
    printf "| %s | %s | %.0f (%.0f-%.0f) | %.2f | %.2f | %s | %s %s | %s |\n",
      id, t, r[1], r[2], r[3], p50, p99, ratio, goal, verdict, bad }'
}

# Requests beyond a run's slice of single-use lines repeat earlier lines; say so if it happened.
exhausted_note() {
  local id=$1 slice=$2 f="$RESULTS/$1"
  [ -s "$f" ] || return 0
  awk -v id="$id" -v s="$slice" '$5 > s { n++ } END { if (n) printf "- (%s): %d run(s) sent more requests than their %d single-use lines; the rest repeated lines (figures are not all first uses).\n", id, n, s }' "$f"
}

machine() {
  local model mem disk
  model=$(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2; exit }')
  mem=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
  disk=$(df -h --output=source,fstype "$WORK_DIR" | tail -1 | tr -s ' ')
  echo "- CPU: $model, $(nproc) cores; RAM $mem; kernel $(uname -r); $(. /etc/os-release; echo "$PRETTY_NAME")"
  echo "- work directory on \`$disk\`; a 4 KiB O_DSYNC write (one durable commit's fsync) took $(fsync_probe) ms (median of 50)"
  echo "- load average at the start: $LOAD_AT_START; server pinned with \`${SERVER_CPU[*]:-no pinning}\`, wrk/curl/CLI with \`${LOAD_CPU[*]:-no pinning}\`"
  echo "- wrk 1 thread, $CONNECTIONS connections, ${DURATION} s per run, $RUNS runs per scenario; server \`--threads 1\`"
}

fsync_probe() {
  local f="$WORK_DIR/fsync_probe" i start
  for i in $(seq 50); do
    start=$EPOCHREALTIME
    dd if=/dev/zero of="$f" bs=4k count=1 oflag=dsync conv=notrunc 2>/dev/null
    echo "$EPOCHREALTIME $start"
  done | awk '{ print ($1 - $2) * 1000 }' | sort -g | awk '{ v[NR] = $1 } END { printf "%.2f", v[int((NR + 1) / 2)] }'
  rm -f "$f"
}

commit() {
  local rev
  rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
  # The report it is about to replace does not count as a change.
  git -C "$ROOT" diff --quiet HEAD -- . ':!BENCHMARKS.md' 2>/dev/null ||
    rev="$rev (with uncommitted changes)"
  echo "$rev"
}

ms_stats() { sort -g "$1" | awk '{ v[NR] = $1 } END { printf "%.2f ms (min %.2f, max %.2f, %d calls)", v[int((NR + 1) / 2)], v[1], v[NR], NR }'; }

write_report() {
  echo "# connecthub benchmarks"
  echo
  echo "Written by \`bench/run\` on $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(commit)."
  echo
  machine
  echo
  echo "## HTTP (one server core)"
  echo
  echo "Median of the runs, with min-max; p50/p99 are medians of the runs' wrk percentiles; the"
  echo "ratio divides the median requests/s by (a)'s median from this same invocation."
  echo
  echo "| | scenario | requests/s | p50 ms | p99 ms | ratio to (a) | target | non-2xx |"
  echo "|---|---|---|---|---|---|---|---|"
  row a "ceiling: unknown path, 404 JSON from the router" -
  row b "GET profile, 10,000 users' tokens in turn" 0.9
  row c "login step 2: verify code, issue token (durable commit)" 0.7
  row d "register step 2: create user (durable commit)" 0.6
  row e "PATCH activation of fresh users (durable commit)" 0.7
  row e1 "PATCH activation, 1 connection (2 s runs)" --
  row chain "PATCH activation, owner at the end of a 10,000-long chain, 1 connection" --
  postgres_rows
  echo
  exhausted_note c "$CODE_SLICE"; exhausted_note d "$CODE_SLICE"; exhausted_note e "$ACT_SLICE"
  exhausted_note e1 "$E1_N"; exhausted_note chain "$CHAIN_N"
  postgres_notes
  echo
  echo "## Delayed codes, CLI, memory, size"
  echo
  local ok total slowest wall
  read -r ok total slowest <"$RESULTS/f_answers.txt"
  wall=$(cat "$RESULTS/f_wall.txt")
  echo "- (f) 1,000 register step-1 requests with the default 1-2 s SMS delay, sent at once while (b)"
  echo "  ran: $ok of $total answered 200, all done in $wall s wall (slowest $slowest s; target: all"
  echo "  within 2.5 s); (b) meanwhile: $(median "$RESULTS/f_b" 1) requests/s, p99 $(median "$RESULTS/f_b" 3) ms (target < 20 ms)."
  echo "- (g) \`connecthub-cli profile\`: $(ms_stats "$RESULTS/g_profile"); \`list-invited\`:"
  echo "  $(ms_stats "$RESULTS/g_list") (target: median < 5 ms)."
  echo "- (h) server RSS after (a)-(e) on the main database ($USERS general users and the extra ones below): $(awk '{ printf "%s %s %s; ", $1, $2, $3 }' "$RESULTS/rss_main.txt")"
  echo "  after (f): $(awk '{ printf "%s %s %s; ", $1, $2, $3 }' "$RESULTS/rss_delay.txt") (target: < 40 MB)."
  local small large name
  small=$(median "$RESULTS/size_small" 1); large=$(median "$RESULTS/size_large" 1)
  name=$(cat "$RESULTS/size_large_name.txt")
  echo "- size: (b) at 1,000 users $small requests/s ($(stats "$RESULTS/size_small" 1 | awk '{ print $2 "-" $3 }'));"
  echo "  on $name.db ($(head -1 "$RESULTS/seed_$name.txt")) $large requests/s ($(stats "$RESULTS/size_large" 1 | awk '{ print $2 "-" $3 }')):"
  echo "  $(awk -v s="$small" -v l="$large" 'BEGIN { printf "%+.1f%%", (l - s) / s * 100 }') (target: within 15%)."
  echo "- activation whose code owner ends a 10,000-long chain: p50 $(median "$RESULTS/chain" 2) ms, p99"
  echo "  $(median "$RESULTS/chain" 3) ms (target: under 10 ms); an ordinary activation on one connection: p50"
  echo "  $(median "$RESULTS/e1" 2) ms, p99 $(median "$RESULTS/e1" 3) ms; both include the durable commit's fsync."
  echo "- the profile of a user with 100,000 invitees: $(awk '{ print $1 }' "$RESULTS/hub.txt" | sort -u | tr '\n' ' ')answers,"
  echo "  $(($(cat "$RESULTS/hub_count.txt") - 1)) phones listed, $(awk '{ print $3 }' "$RESULTS/hub.txt" | head -1) bytes,"
  echo "  $(awk '{ print $2 * 1000 }' "$RESULTS/hub.txt" | sort -g | awk '{ v[NR] = $1 } END { printf "%.1f ms median of %d", v[int((NR + 1) / 2)], NR }')."
  echo "- seeding: $(head -1 "$RESULTS/seed_main.txt") (the extra fresh users exist so that every"
  echo "  (e) request is a first activation and every (c) request has a login code of its own)."
  echo
  echo "## Micro-benchmarks (Catch2 BENCHMARK, mean per call)"
  echo
  echo '```'
  awk '/^[A-Za-z].* [0-9]+ +[0-9]+ / { name = $0; sub(/ +[0-9]+ +[0-9]+ .*/, "", name); getline; printf "%-40s %s %s\n", name, $1, $2 }' "$RESULTS/micro.txt"
  echo '```'
  if [ -s "$RESULTS/perf-b.txt" ]; then
    echo
    echo "## perf profile of the server during (b): time including callees, selected frames"
    echo
    echo '```'
    grep -E '^ +[0-9.]+% +[0-9.]+%' "$RESULTS/perf-b.txt" \
      | grep -E 'connecthub::|sqlite3_step|sqlite3BtreeBeginTrans|ParserBase::parse|__libc_send|__libc_fcntl|__GI___libc_write|spdlog::logger::log_it_|HmacSha256|DecodeObject|__libc_recv|epoll' \
      | grep -vE 'connecthub::server::(ConnectionHandler::(onInput|Process)|Api::Handle)$' \
      | sed -E 's/[[:space:]-]+$//; s/^(.{150}).*/\1/' | head -40
    echo '```'
  fi
}

# The --postgres rows (see postgres.sh); nothing without --postgres.
postgres_rows() {
  [ -s "$RESULTS/b_pg1" ] || return 0
  row b_pg1 "PostgreSQL, 1 server: GET profile" -
  row b_pg2 "PostgreSQL, 2 servers: GET profile (sum of both; p50/p99 the larger)" -
  row d_pg1 "PostgreSQL, 1 server: register step 2 (commit)" -
  row d_pg2 "PostgreSQL, 2 servers: register step 2 (sum of both; p50/p99 the larger)" -
}

postgres_notes() {
  [ -s "$RESULTS/b_pg1" ] || return 0
  local id
  for id in b_pg2 d_pg2; do
    echo "- (${id//_/-}) each server: $(for s in s1 s2; do
      echo "$s $(median "$RESULTS/${id}_$s" 1) requests/s, p50 $(median "$RESULTS/${id}_$s" 2) ms, p99 $(median "$RESULTS/${id}_$s" 3) ms;"
    done | tr '\n' ' ' | sed 's/; $/./')"
  done
  exhausted_note d_pg1 "$CODE_SLICE"
  exhausted_note d_pg2_s1 $((CODE_SLICE / 2)); exhausted_note d_pg2_s2 $((CODE_SLICE / 2))
  echo "- PostgreSQL rows: $(cat "$RESULTS/pg_version.txt" 2>/dev/null) from tests/pg/cluster.sh on this machine,"
  echo "  fsync off and synchronous_commit on (its commits do not wait for the disk, unlike SQLite's);"
  echo "  $(head -1 "$RESULTS/seed_pg.txt") by connecthub-bench-seed. Two servers: two"
  echo "  connecthub-server processes on one database, both pinned with \`${SERVER_CPU[*]:-no pinning}\`"
  echo "  like the single one, each driven by its own wrk (half the connections each) at the same time;"
  echo "  the PostgreSQL backends are not pinned. The first server's RSS after both:"
  echo "  $(awk '{ printf "%s %s %s; ", $1, $2, $3 }' "$RESULTS/rss_pg.txt" | sed 's/; $/./')"
}
