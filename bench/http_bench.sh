#!/usr/bin/env bash
# HTTP benchmark: GET /api/v1/me with a valid session against GET /healthz (the floor: no
# database, no session), N concurrent keep-alive connections driven by wrk.
#
#   bench/http_bench.sh [BINARY]            BINARY defaults to build/shuangyong
#
# Environment (all optional):
#   SY_BENCH_DURATION     wrk duration per endpoint           (default 10s)
#   SY_BENCH_CONNECTIONS  concurrent keep-alive connections   (default 64)
#   SY_BENCH_THREADS      wrk threads                         (default 2)
#   SY_BENCH_WARMUP       un-measured warm-up per endpoint    (default 2s; 0 to skip)
#   SY_BENCH_PG_URL       also run on PostgreSQL: a postgresql:// URL of an empty database, or
#                         "auto" to start a throwaway cluster with scripts/pg-cluster.sh
#   SY_BENCH_KEEP         directory to copy the raw wrk outputs into
#   SY_BENCH_BASELINE     another shuangyong binary (e.g. built from an earlier commit) to run
#                         the same way, just before BINARY on each backend, for before/after
#                         ratios measured under the same conditions (PostgreSQL: in a second
#                         database, created with psql)
#
# A benchmark, not a test: it prints figures and the ratio /me : /healthz from the same run.
# It exits non-zero only when the run is invalid (server did not start, log-in failed, or wrk saw
# a non-2xx response). Socket errors (wrk "timeout" etc.) are printed as warnings.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
BIN=${1:-build/shuangyong}
[ -x "$BIN" ] || { echo "binary not found or not executable: $BIN (build it first)" >&2; exit 2; }
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")

DURATION=${SY_BENCH_DURATION:-10s}
CONNS=${SY_BENCH_CONNECTIONS:-64}
THREADS=${SY_BENCH_THREADS:-2}
WARMUP=${SY_BENCH_WARMUP:-2s}
PG_URL=${SY_BENCH_PG_URL:-}
KEEP=${SY_BENCH_KEEP:-}
BASELINE=${SY_BENCH_BASELINE:-}
if [ -n "$BASELINE" ]; then
  [ -x "$BASELINE" ] || { echo "baseline binary not found or not executable: $BASELINE" >&2; exit 2; }
  BASELINE=$(cd "$(dirname "$BASELINE")" && pwd)/$(basename "$BASELINE")
fi
USERNAME=fc_clerk
PASSWORD='Demo#2026'
TARGET_RPS=15000
TARGET_P99_MS=10

for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "$tool is required (apt-get install $tool)" >&2; exit 2; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/sy-bench.XXXXXX")
server_pid=
pg_dir=

cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=
  if [ -n "$KEEP" ]; then mkdir -p "$KEEP" && cp "$work"/wrk.*.txt "$KEEP"/ 2>/dev/null || true; fi
  if [ -n "$pg_dir" ]; then "$root/scripts/pg-cluster.sh" stop "$pg_dir" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# TcpExt ListenOverflows (system-wide): connects dropped because the accept queue was full.
listen_overflows() {
  awk '/^TcpExt:/ { if (!h) { split($0, k); h = 1 } else { split($0, v);
         for (i in k) if (k[i] == "ListenOverflows") print v[i] } }' /proc/net/netstat 2>/dev/null ||
    echo 0
}

# CPU accounting for the measured window, so a run disturbed by other work on the machine shows.
# Busy ticks of the whole machine (user+nice+system+irq+softirq+steal) from /proc/stat.
machine_busy() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat; }
# utime+stime ticks of a process.
proc_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
# CPU seconds of this shell's finished children (wrk) into $children_s, via the `times` builtin;
# it must run in this shell, not in a $(...) subshell, which has no children of its own.
children_cpu() {
  times >"$work/times"
  children_s=$(awk 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, a, "m"); t += a[1] * 60 + a[2] }
                              printf "%.3f", t }' "$work/times")
}
# utime+stime ticks of a PostgreSQL postmaster and all its children (the backends serving us).
db_pid=
db_ticks() {
  [ -n "$db_pid" ] || { echo 0; return; }
  # Processes come and go while this reads them (a busy machine): a vanished one is no error.
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v p="$db_pid" '{
    pid = substr($0, 1, index($0, " ") - 1); split(substr($0, index($0, ") ") + 2), f, " ");
    if (pid == p || f[2] == p) t += f[12] + f[13] } END { print t + 0 }'
}
# The postmaster listening on the URL's loopback port, if it is on this machine.
find_postmaster() {
  local port
  port=$(sed -n 's|^postgres[a-z]*://[^/]*:\([0-9][0-9]*\)/.*|\1|p' <<<"$1")
  [ -n "$port" ] || return 0
  ss -Hltnp "sport = :$port" 2>/dev/null | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1
}
HZ=$(getconf CLK_TCK)
NPROC=$(nproc)

# "1.23ms" / "850.00us" / "1.02s" / "1.00m" → milliseconds
to_ms() {
  awk -v t="$1" 'BEGIN {
    n = t + 0; u = t; sub(/^[0-9.]+/, "", u);
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000;
    else if (u == "h") n *= 3600000;
    printf "%.2f", n }'
}

start_server() {  # $1 = binary, $2 = database (path or URL); sets server_pid and base
  local bin=$1 db=$2 port
  port=$(free_port)
  base="http://127.0.0.1:$port"
  "$bin" serve --db "$db" --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 200); do
    if curl -fsS -o /dev/null "$base/healthz" 2>/dev/null; then return 0; fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.05
  done
  echo "server did not come up on $base; its log:" >&2
  cat "$work/server.log" >&2
  exit 1
}

stop_server() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=
}

login() {  # prints the sy_session token
  local headers=$work/login.headers status
  status=$(curl -sS -o "$work/login.body" -D "$headers" -w '%{http_code}' \
    -H 'Content-Type: application/json' \
    --data "{\"username\":\"$USERNAME\",\"password\":\"$PASSWORD\"}" "$base/api/v1/session")
  if [ "$status" != 200 ]; then
    echo "log-in failed (HTTP $status): $(cat "$work/login.body")" >&2
    exit 1
  fi
  tr -d '\r' <"$headers" | sed -n 's/^[Ss]et-[Cc]ookie: *sy_session=\([^;]*\).*/\1/p' | head -1
}

# run_wrk LABEL PATH: an un-measured warm-up (starts the server's worker threads and fills its
# statement caches), then the measured run. Sets rps, p50_ms, p99_ms, max_ms, requests, sockerr and
# the CPU shares; exits on any non-2xx/3xx response.
run_wrk() {
  local label=$1 path=$2 out=$work/wrk.$1.txt
  if [ "$WARMUP" != 0 ] && [ "$WARMUP" != 0s ]; then
    wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" -H "Cookie: sy_session=$token" "$base$path" >/dev/null
  fi
  overflow_before=$(listen_overflows)
  local busy0 srv0 db0 wrk0 t0 busy1 srv1 db1 wrk1 t1
  children_cpu
  db0=$(db_ticks) busy0=$(machine_busy) srv0=$(proc_ticks "$server_pid") wrk0=$children_s
  t0=$EPOCHREALTIME
  wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -H "Cookie: sy_session=$token" \
    "$base$path" >"$out"
  t1=$EPOCHREALTIME busy1=$(machine_busy) srv1=$(proc_ticks "$server_pid") db1=$(db_ticks)
  children_cpu
  wrk1=$children_s
  if grep -q 'Non-2xx or 3xx responses' "$out"; then
    echo "FAIL: $label $path: wrk saw non-2xx responses:" >&2
    cat "$out" >&2
    exit 1
  fi
  # Socket errors are reported, not fatal. A "timeout" is a request wrk gave up on after 2 s; it
  # is left out of the latency histogram. The usual cause is an accept queue too short for 64
  # simultaneous connects (cpp-httplib listens with a backlog of 5 unless the server raises it):
  # the dropped connects wait for a SYN retransmit (1 s, 3 s). Hence the overflow count.
  sockerr=$(awk '/Socket errors:/ {gsub(/,/, ""); print $4 + $6 + $8 + $10}' "$out")
  sockerr=${sockerr:-0}
  overflows=$(($(listen_overflows) - overflow_before))
  if [ "$sockerr" != 0 ]; then
    echo "WARN: $label $path: $(grep 'Socket errors' "$out" | sed 's/^ *//')" \
      "(listen-queue overflows during the run: $overflows)" >&2
  fi
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
  local p99
  p99=$(awk '/Latency Distribution/ {d=1} d && $1 == "99%" {print $2; exit}' "$out")
  [ -n "$rps" ] && [ -n "$p99" ] || { echo "could not parse wrk output:" >&2; cat "$out" >&2; exit 1; }
  p99_ms=$(to_ms "$p99")
  p50_ms=$(to_ms "$(awk '/Latency Distribution/ {d=1} d && $1 == "50%" {print $2; exit}' "$out")")
  max_ms=$(to_ms "$(awk '$1 == "Latency" && NF >= 4 {print $4; exit}' "$out")")
  requests=$(awk '/requests in/ {print $1; exit}' "$out")
  # Shares of the machine (nproc cores) during the run, and server / database CPU per request.
  read -r cpu_srv cpu_wrk cpu_db cpu_other srv_us db_us < <(awk -v b="$((busy1 - busy0))" \
    -v s="$((srv1 - srv0))" -v d="$((db1 - db0))" -v w0="$wrk0" -v w1="$wrk1" -v t0="$t0" \
    -v t1="$t1" -v hz="$HZ" -v np="$NPROC" -v n="$requests" \
    'BEGIN { cap = (t1 - t0) * np; srv = s / hz; db = d / hz; wr = w1 - w0;
             oth = b / hz - srv - db - wr; if (oth < 0) oth = 0;
             printf "%.0f %.0f %.0f %.0f %.0f %.0f\n", 100 * srv / cap, 100 * wr / cap,
                    100 * db / cap, 100 * oth / cap, (n > 0 ? srv * 1e6 / n : 0),
                    (n > 0 ? db * 1e6 / n : 0) }')
  if [ "$cpu_other" -gt 10 ]; then
    echo "WARN: $label $path: other processes used ${cpu_other}% of the machine during the run;" \
      "figures are disturbed (re-run on a quiet machine)" >&2
  fi
}

results=()
bench_backend() {  # $1 = label, $2 = database (path or URL), $3 = binary
  local label=$1 db=$2 bin=$3
  echo "== $label: creating demo data" >&2
  "$bin" demo --db "$db" >"$work/demo.log" 2>&1 || { cat "$work/demo.log" >&2; exit 1; }
  start_server "$bin" "$db"
  token=$(login)
  [ -n "$token" ] || { echo "no sy_session cookie in the log-in response" >&2; exit 1; }
  local me_status
  me_status=$(curl -sS -o "$work/me.body" -w '%{http_code}' -H "Cookie: sy_session=$token" \
    "$base/api/v1/me")
  [ "$me_status" = 200 ] || { echo "GET /api/v1/me → $me_status: $(cat "$work/me.body")" >&2; exit 1; }

  echo "== $label: wrk -t$THREADS -c$CONNS -d$DURATION /healthz" >&2
  run_wrk "$label-healthz" /healthz
  local h="$rps|$p50_ms|$p99_ms|$max_ms|$requests|$sockerr|$srv_us|$db_us|$cpu_srv/$cpu_wrk/$cpu_db/$cpu_other"
  echo "== $label: wrk -t$THREADS -c$CONNS -d$DURATION /api/v1/me" >&2
  run_wrk "$label-me" /api/v1/me
  local m="$rps|$p50_ms|$p99_ms|$max_ms|$requests|$sockerr|$srv_us|$db_us|$cpu_srv/$cpu_wrk/$cpu_db/$cpu_other"
  local hwm threads
  hwm=$(awk '/^VmHWM:/ {printf "%.1f MiB", $2/1024}' "/proc/$server_pid/status")
  threads=$(awk '/^Threads:/ {print $2}' "/proc/$server_pid/status")
  stop_server
  results+=("$label|/healthz|$h|$hwm|$threads")
  results+=("$label|/api/v1/me|$m|$hwm|$threads")
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
[ -z "$BASELINE" ] || bench_backend sqlite-base "$work/base.db" "$BASELINE"
bench_backend sqlite "$work/sy.db" "$BIN"

if [ -n "$PG_URL" ]; then
  if [ "$PG_URL" = auto ]; then
    # Outside $work: the cluster runs as user postgres when we are root, and $work is mode 700.
    pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/sy-bench-pg.XXXXXX")
    if ! PG_URL=$("$root/scripts/pg-cluster.sh" start "$pg_dir"); then
      echo "could not start a PostgreSQL cluster with scripts/pg-cluster.sh:" >&2
      cat "$pg_dir"/*.log >&2 2>/dev/null || true
      exit 1
    fi
  fi
  db_pid=$(find_postmaster "$PG_URL")
  [ -n "$db_pid" ] || echo "note: PostgreSQL is not a local process; its CPU counts as other" >&2
  if [ -n "$BASELINE" ]; then
    # The baseline gets a database of its own beside the one named by the URL.
    base_db=sy_bench_baseline_$$
    if psql "$PG_URL" -qAtc "CREATE DATABASE $base_db" >/dev/null; then
      bench_backend postgresql-base "${PG_URL%/*}/$base_db" "$BASELINE"
    else
      echo "note: could not create database $base_db; no PostgreSQL baseline" >&2
    fi
  fi
  bench_backend postgresql "$PG_URL" "$BIN"
fi

echo
echo "shuangyong HTTP benchmark — $(date -u +%Y-%m-%dT%H:%M:%SZ), nproc $(nproc)," \
  "$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
echo "wrk -t$THREADS -c$CONNS -d$DURATION --latency (warm-up $WARMUP), user $USERNAME;" \
  "load average before: $load_before"
echo "binary: $BIN${BASELINE:+; baseline (-base rows): $BASELINE}"
echo
fmt='%-15s %-11s %7s %6s %7s %8s %8s %4s %6s %6s %14s %9s %7s\n'
printf "$fmt" backend endpoint 'req/s' 'p50' 'p99' 'max' requests sock 'srv us' 'db us' \
  'cpu% srv/wrk/' 'peak RSS' threads
printf "$fmt" '' '' '' 'ms' 'ms' 'ms' '' 'err' '/req' '/req' 'db/other' '' ''
for r in "${results[@]}"; do
  IFS='|' read -r b e rps p50 p99 mx n err us dus cpu hwm th <<<"$r"
  printf "$fmt" "$b" "$e" "$(printf %.0f "$rps")" "$(printf %.2f "$p50")" "$(printf %.2f "$p99")" \
    "$(printf %.1f "$mx")" "$n" "$err" "$us" "$dus" "$cpu" "$hwm" "$th"
done
echo "(srv/db us/req: CPU time per request of the server / of the PostgreSQL backends; cpu%: share" \
  "of the $NPROC cores used by the server, wrk, PostgreSQL and everything else during the run)"
echo
for ((i = 0; i < ${#results[@]}; i += 2)); do
  IFS='|' read -r b _ h_rps _ h_p99 _ _ _ h_us _ <<<"${results[i]}"
  IFS='|' read -r _ _ m_rps _ m_p99 _ _ _ m_us _ <<<"${results[i + 1]}"
  awk -v b="$b" -v hr="$h_rps" -v hp="$h_p99" -v hu="$h_us" -v mr="$m_rps" -v mp="$m_p99" \
    -v mu="$m_us" -v tr="$TARGET_RPS" -v tp="$TARGET_P99_MS" 'BEGIN {
      printf "%s: /me vs /healthz: throughput %.2fx, p99 %.2fx, server CPU/req %.2fx;" \
        "  target >= %d req/s and p99 <= %d ms: %s\n", b, mr / hr, (hp > 0 ? mp / hp : 0),
        (hu > 0 ? mu / hu : 0), tr, tp, (mr >= tr && mp <= tp) ? "met" : "NOT met" }'
done
# Before/after: each backend's /me against the baseline binary's /me, measured minutes apart.
for ((i = 0; i < ${#results[@]}; i += 2)); do
  IFS='|' read -r b _ <<<"${results[i]}"
  [[ $b == *-base ]] || continue
  IFS='|' read -r _ _ o_rps _ o_p99 _ _ _ o_us _ <<<"${results[i + 1]}"
  for ((j = 0; j < ${#results[@]}; j += 2)); do
    IFS='|' read -r b2 _ <<<"${results[j]}"
    [ "$b2" = "${b%-base}" ] || continue
    IFS='|' read -r _ _ n_rps _ n_p99 _ _ _ n_us _ <<<"${results[j + 1]}"
    awk -v b="$b2" -v orps="$o_rps" -v op="$o_p99" -v ou="$o_us" -v nr="$n_rps" -v np="$n_p99" \
      -v nu="$n_us" 'BEGIN {
        printf "%s: /me vs baseline: throughput %.2fx, p99 %.2fx, server CPU/req %.2fx\n", b,
          nr / orps, (op > 0 ? np / op : 0), (ou > 0 ? nu / ou : 0) }'
  done
done
