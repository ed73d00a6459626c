#!/usr/bin/env bash
# Payroll benchmark (issue 4): a run over SY_BENCH_PERSONS beneficiaries (1,000,000) written to the
# database and to the bank file, against the floor — the same lines by one INSERT … SELECT in the
# sqlite3 shell, on a copy of the same database, in the same script run.
#
#   bench/payroll_bench.sh [PAYROLL_BENCH_BINARY]      (default build/bench/payroll_bench)
#
# Environment: SY_BENCH_PERSONS (1000000), SY_BENCH_VARIANT (plain | arrears | both; plain),
# SY_BENCH_ROUNDS (1), SY_BENCH_FORMAT (csv | xlsx; csv), SY_BENCH_DIR (a temporary directory,
# removed afterwards unless given), SY_BENCH_KEEP=1 keeps the databases, SY_BENCH_REUSE=1 reuses
# the fixture databases already in SY_BENCH_DIR (to compare two builds on the same data).
# Experiment: SY_BENCH_EXPERIMENT_CACHE_KB=N gives the product (a pool of one connection) and the
# floor a SQLite page cache of N KiB instead of the default 2 MB.
#
# Prints per round: product seconds (create_run, approve_run, export_bank_file with the file
# written) and peak RSS per phase, floor seconds, the ratio (create + export) / floor, the line
# count and total of both (they must agree line by line, or the script fails), and how much CPU
# other processes took meanwhile. A benchmark, not a test: it fails only when a run is invalid.
set -euo pipefail

bench=${1:-build/bench/payroll_bench}
persons=${SY_BENCH_PERSONS:-1000000}
variants=${SY_BENCH_VARIANT:-plain}
rounds=${SY_BENCH_ROUNDS:-1}
format=${SY_BENCH_FORMAT:-csv}
[[ $variants == both ]] && variants="plain arrears"
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 shell (apt-get install sqlite3)" >&2; exit 2; }
[[ -x $bench ]] || { echo "no benchmark binary at $bench (make -C build payroll_bench)" >&2; exit 2; }
if [[ -n ${SY_BENCH_DIR:-} ]]; then
  dir=$SY_BENCH_DIR
  mkdir -p "$dir"
else
  dir=$(mktemp -d /tmp/payroll_bench.XXXXXX)
  [[ -n ${SY_BENCH_KEEP:-} ]] || trap 'rm -rf "$dir"' EXIT
fi
ncpu=$(nproc)

# Busy CPU seconds of the whole machine so far (all CPUs, from /proc/stat).
busy_s() { awk '/^cpu /{print ($2+$3+$4+$7+$8+$9)/100}' /proc/stat; }
val() { sed -n "s/^$1=//p" "$2" | tail -1; }
# others% = CPU used by other processes during a measurement, as a share of the machine.
others() {  # busy_before busy_after own_cpu_s wall_s
  awk -v a="$1" -v b="$2" -v own="$3" -v w="$4" -v n="$ncpu" \
    'BEGIN{o=(b-a-own)/(w*n)*100; if(o<0)o=0; printf "%.0f", o}'
}

echo "machine: $(nproc) CPU, $(awk '/model name/{$1=$2=$3="";print;exit}' /proc/cpuinfo | sed 's/^ *//'), \
$(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo); sqlite3 $(sqlite3 --version | cut -d' ' -f1)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); persons=$persons variants='$variants' rounds=$rounds format=$format"

for variant in $variants; do
  first_month=2019-10
  [[ $variant == arrears ]] && first_month=2019-08
  base="$dir/base-$variant.db"
  if [[ -n ${SY_BENCH_REUSE:-} && -f $base ]]; then
    echo "== $variant: reusing the fixture $base"
  else
    echo "== $variant: fixture ($persons persons) → $base"
    "$bench" fixture --db "$base" --persons "$persons" --variant "$variant" | sed 's/^/   /'
  fi
  "$bench" floor-sql --month 2019-10 --first-month "$first_month" >"$dir/floor-$variant.sql"
  for ((r = 1; r <= rounds; r++)); do
    prod="$dir/product.db"
    floor="$dir/floor.db"
    rm -f "$prod"* "$floor"*
    cp "$base" "$prod"
    cp "$base" "$floor"
    sync

    # The product.
    b0=$(busy_s)
    t0=$(date +%s.%N)
    /usr/bin/time -f 'time_user=%U\ntime_sys=%S\ntime_maxrss_kb=%M' -o "$dir/product.time" \
      "$bench" run --db "$prod" --month 2019-10 --bank-file "$dir/bank.$format" --format "$format" >"$dir/product.out"
    t1=$(date +%s.%N)
    b1=$(busy_s)
    own=$(awk -v u="$(val time_user "$dir/product.time")" -v s="$(val time_sys "$dir/product.time")" 'BEGIN{print u+s}')
    product_others=$(others "$b0" "$b1" "$own" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')")

    # The floor: BEGIN, the INSERT … SELECT and COMMIT, timed by the shell's .timer.
    b0=$(busy_s)
    t0=$(date +%s.%N)
    /usr/bin/time -f 'time_user=%U\ntime_sys=%S\ntime_maxrss_kb=%M' -o "$dir/floor.time" \
      sqlite3 -bail "$floor" <"$dir/floor-$variant.sql" >"$dir/floor.out"
    t1=$(date +%s.%N)
    b1=$(busy_s)
    own=$(awk -v u="$(val time_user "$dir/floor.time")" -v s="$(val time_sys "$dir/floor.time")" 'BEGIN{print u+s}')
    floor_others=$(others "$b0" "$b1" "$own" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')")
    floor_s=$(awk '/^Run Time: real/{s+=$4} END{printf "%.3f", s}' "$dir/floor.out")
    floor_cpu=$(awk '/^Run Time: real/{s+=$6+$8} END{printf "%.2f", s}' "$dir/floor.out")
    floor_lines=$(tr '|' '\n' <"$dir/floor.out" | sed -n 's/^floor_lines=//p')
    floor_total=$(tr '|' '\n' <"$dir/floor.out" | sed -n 's/^floor_total_fen=//p')

    "$bench" verify --db "$prod" --floor-db "$floor" >"$dir/verify.out" || {
      cat "$dir/verify.out"
      echo "FAIL: the product's lines and the floor's differ" >&2
      exit 1
    }

    o="$dir/product.out"
    create=$(val create_s "$o")
    export_s=$(val export_s "$o")
    echo "-- $variant round $r"
    printf '   product  create_run  %6.2f s (CPU %6.2f s)  peak RSS %5.0f MiB   lines %s  persons %s  total %s fen  (arrears %s, exceptions %s)\n' \
      "$create" "$(val create_cpu_s "$o")" "$(val create_hwm_kb "$o" | awk '{print $1/1024}')" "$(val lines "$o")" \
      "$(val persons "$o")" "$(val total_fen "$o")" "$(val arrears_fen "$o")" "$(val exceptions "$o")"
    printf '            approve_run %6.2f s (CPU %6.2f s)  peak RSS %5.0f MiB\n' "$(val approve_s "$o")" \
      "$(val approve_cpu_s "$o")" "$(val approve_hwm_kb "$o" | awk '{print $1/1024}')"
    printf '            export %-4s %6.2f s (CPU %6.2f s)  peak RSS %5.0f MiB   rows %s  total %s fen  %s bytes\n' "$format" \
      "$export_s" "$(val export_cpu_s "$o")" "$(val export_hwm_kb "$o" | awk '{print $1/1024}')" "$(val bank_rows "$o")" \
      "$(val bank_total_fen "$o")" "$(val bank_bytes "$o")"
    printf '            process peak RSS %.0f MiB, CPU user %s s sys %s s; other processes %s%% of the machine\n' \
      "$(val time_maxrss_kb "$dir/product.time" | awk '{print $1/1024}')" "$(val time_user "$dir/product.time")" \
      "$(val time_sys "$dir/product.time")" "$product_others"
    printf '   floor    INSERT … SELECT %6.2f s (CPU %6.2f s)  peak RSS %5.0f MiB   lines %s  total %s fen; other processes %s%%\n' \
      "$floor_s" "$floor_cpu" "$(val time_maxrss_kb "$dir/floor.time" | awk '{print $1/1024}')" "$floor_lines" \
      "$floor_total" "$floor_others"
    printf '   same lines: product %s / floor %s lines, total %s / %s fen, %s differing\n' \
      "$(val verify_product_lines "$dir/verify.out")" "$(val verify_floor_lines "$dir/verify.out")" \
      "$(val verify_product_total_fen "$dir/verify.out")" "$(val verify_floor_total_fen "$dir/verify.out")" \
      "$(val verify_differing_lines "$dir/verify.out")"
    awk -v c="$create" -v e="$export_s" -v f="$floor_s" -v cc="$(val create_cpu_s "$o")" \
      -v ec="$(val export_cpu_s "$o")" -v fc="$floor_cpu" 'BEGIN{
      printf "   ratio    (create_run + export) / floor = %.2f   create_run / floor = %.2f   run + export %.2f s\n",
        (c+e)/f, c/f, c+e
      printf "            in CPU seconds: (create_run + export) / floor = %.2f   create_run / floor = %.2f\n",
        (cc+ec)/fc, cc/fc}'
    [[ $product_others -gt 10 || $floor_others -gt 10 ]] &&
      echo "   WARNING: other processes used more than 10 % of the CPU during a measurement"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
