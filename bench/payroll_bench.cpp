// The payroll benchmark of issue 4: a run over a synthetic county of N beneficiaries (1,000,000 by
// default), written to the database and to the bank file, and the floor it is compared with — the
// same lines computed by one INSERT … SELECT in the sqlite3 shell. bench/payroll_bench.sh drives it.
//
//   payroll_bench fixture  --db FILE [--persons N] [--variant plain|arrears]
//   payroll_bench run      --db FILE --month YYYY-MM --bank-file PATH [--format csv|xlsx] [--stop-after create]
//   payroll_bench floor-sql --month YYYY-MM --first-month YYYY-MM
//   payroll_bench verify   --db FILE --floor-db FILE
//
// `fixture` (not measured) initialises a fresh SQLite database for county 140924, inserts the
// persons and their categories straight with SQL in one transaction, spread over the county's
// villages like a real county's roster (mostly 60周岁以上农村籍退役士兵, then 参战, 带病回乡,
// 烈士遗属, 残疾军人 一级 of each cause, …; 0.5 % without a bank account, 0.5 % suspended), and the
// published national standards of 2018-08-01 and 2019-08-01 (DOMAIN.md §4).
// - plain: payroll.first_month = 2019-10, so the 2019-10 run has one regular line per person and
//   item, priced by the standard in force on 2019-10-01 out of the two periods of 2019.
// - arrears: only the 2018 standards at first, first_month = 2019-08, the 2019-08 and 2019-09 runs
//   made and approved (payment positions for everyone), then the 2019 standards entered: the 2019-10
//   run has DOMAIN.md worked example 1 for every person (补发 for 08 and 09, then the regular line).
// `run` (measured) times payroll::create_run, approve_run and export_bank_file (the file written to
// disk) and prints each phase's wall seconds and peak RSS (VmHWM, reset between phases) as
// key=value lines (`--stop-after create` stops there, for profiling). `floor-sql` prints the
// sqlite3-shell script of the floor. `verify` compares the product's lines with the floor's, line by
// line, and exits 1 on any difference. SY_BENCH_EXPERIMENT_CACHE_KB=N (an experiment, not the
// product's setting) runs `run` on a pool of one connection with PRAGMA cache_size=-N, and puts the
// same pragma at the top of the floor's script.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/id.h"
#include "core/id_number.h"
#include "payroll/rules.h"
#include "payroll/runs.h"
#include "payroll/standards.h"
#include "registry/categories.h"
#include "setup/setup.h"
#include "store/db.h"

namespace {

using sy::Status;
using sy::store::Conn;

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "payroll_bench: %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T must(sy::Result<T> r, const char* what) {
  if (!r.ok()) die(std::string(what) + ": " + r.error().message);
  return std::move(*r);
}

void must(const Status& s, const char* what) {
  if (!s.ok()) die(std::string(what) + ": " + s.error().message);
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// CPU seconds (user + system) this process has used so far: less sensitive to a busy machine than
// wall time, so a phase is reported with both.
double cpu_seconds() {
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

// Peak resident set since the last reset, in KiB (VmHWM of /proc/self/status).
long vm_hwm_kb() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}
long vm_rss_kb() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}
// Writing 5 to clear_refs resets VmHWM to the current RSS (Linux ≥ 4.0), so each phase has its own peak.
void reset_hwm() {
  std::ofstream f("/proc/self/clear_refs");
  f << "5";
}

constexpr const char* kCounty = "140924";
constexpr const char* kCountyRegion = "140924000000";

sy::Actor user(std::int64_t id, const char* name, std::set<std::string, std::less<>> perms) {
  sy::Actor a;
  a.user_id = id;
  a.username = name;
  a.region_code = kCountyRegion;
  a.permissions = std::move(perms);
  return a;
}
sy::Actor clerk() {
  return user(901, "bench_clerk", {"business:read", "business:write", "sensitive:reveal", "payroll:prepare"});
}
sy::Actor lead() {
  return user(902, "bench_lead",
              {"business:read", "business:write", "sensitive:reveal", "payroll:prepare", "payroll:approve",
               "standards:manage"});
}

// ---- fixture ------------------------------------------------------------------------------------

struct Std {
  const char* item;
  const char* category;
  const char* cause;
  int grade;
  const char* unit;
  long yuan_2018, yuan_2019;  // 0 = not published that year
};
// DOMAIN.md §4, national rows.
const Std kStandards[] = {
    {"disability_pension", "disabled_veteran", "combat", 1, "yearly", 80140, 88150},
    {"disability_pension", "disabled_veteran", "duty", 1, "yearly", 77610, 85370},
    {"disability_pension", "disabled_veteran", "illness", 1, "yearly", 75060, 82570},
    {"survivor_pension", "martyr_survivor", "", 0, "yearly", 25440, 27980},
    {"survivor_pension", "duty_death_survivor", "", 0, "yearly", 21850, 24040},
    {"survivor_pension", "illness_death_survivor", "", 0, "yearly", 20550, 22610},
    {"living_allowance", "ill_returned_veteran", "", 0, "monthly", 550, 600},
    {"living_allowance", "war_veteran", "", 0, "monthly", 600, 650},
    {"living_allowance", "nuclear_test_veteran", "", 0, "monthly", 600, 650},
    {"living_allowance", "rural_veteran_60", "", 0, "monthly_per_year_served", 35, 40},
    {"living_allowance", "elderly_martyr_child", "", 0, "monthly", 0, 490},
};

void insert_standards(Conn& tx, sy::IdGenerator& ids, int year) {
  for (const auto& s : kStandards) {
    long yuan = year == 2018 ? s.yuan_2018 : s.yuan_2019;
    if (!yuan) continue;
    must(tx.exec("INSERT INTO benefit_standards (id, item_code, category, cause, grade, region_prefix, unit, amount_fen, "
                  "effective_from, note, created_at) VALUES (?,?,?,?,?,'',?,?,?,?,0)",
                  {ids.next(), s.item, s.category, s.cause, s.grade, s.unit, static_cast<std::int64_t>(yuan) * 100,
                   std::to_string(year) + "-08-01", year == 2018 ? "民政部 2018-07-27" : "退役军人事务部 2019-07-24"}),
         "insert standard");
  }
}

struct Category {
  const char* code;
  int per_mille;
  int birth_from, birth_to;  // years
  bool veteran;              // enlistment and discharge dates
};
// How a county's periodic recipients spread over the categories (one category each).
const Category kSpread[] = {
    {"rural_veteran_60", 500, 1936, 1960, true},   {"war_veteran", 150, 1930, 1964, true},
    {"ill_returned_veteran", 100, 1935, 1975, true}, {"martyr_survivor", 80, 1925, 1990, false},
    {"disabled_veteran", 60, 1925, 1985, true},    {"duty_death_survivor", 30, 1930, 1995, false},
    {"illness_death_survivor", 30, 1930, 1995, false}, {"nuclear_test_veteran", 20, 1930, 1960, true},
    {"elderly_martyr_child", 30, 1930, 1959, false},
};

const std::pair<const char*, const char*> kSurnames[] = {
    {"王", "wang"}, {"李", "li"},   {"张", "zhang"}, {"刘", "liu"},  {"陈", "chen"}, {"杨", "yang"},
    {"赵", "zhao"}, {"黄", "huang"}, {"周", "zhou"}, {"吴", "wu"},   {"徐", "xu"},   {"孙", "sun"},
    {"胡", "hu"},   {"朱", "zhu"},  {"高", "gao"},   {"林", "lin"},  {"何", "he"},   {"郭", "guo"},
    {"马", "ma"},   {"罗", "luo"},  {"梁", "liang"}, {"宋", "song"}, {"郑", "zheng"}, {"谢", "xie"},
    {"韩", "han"},  {"唐", "tang"}, {"冯", "feng"},  {"于", "yu"},   {"董", "dong"}, {"萧", "xiao"},
    {"程", "cheng"}, {"曹", "cao"}, {"袁", "yuan"},  {"邓", "deng"}, {"许", "xu"},   {"傅", "fu"},
    {"沈", "shen"}, {"曾", "zeng"}, {"彭", "peng"},  {"吕", "lv"},   {"苏", "su"},   {"卢", "lu"},
};
const std::pair<const char*, const char*> kGiven[] = {
    {"军", "jun"},   {"伟", "wei"},   {"强", "qiang"}, {"建", "jian"}, {"国", "guo"},   {"华", "hua"},
    {"明", "ming"},  {"平", "ping"},  {"红", "hong"},  {"英", "ying"}, {"兰", "lan"},   {"秀", "xiu"},
    {"忠", "zhong"}, {"德", "de"},    {"福", "fu"},    {"贵", "gui"},  {"生", "sheng"}, {"林", "lin"},
    {"海", "hai"},   {"山", "shan"},  {"文", "wen"},   {"武", "wu"},   {"成", "cheng"}, {"志", "zhi"},
    {"勇", "yong"},  {"春", "chun"},  {"梅", "mei"},   {"芳", "fang"}, {"荣", "rong"},  {"保", "bao"},
};

std::string date_text(int y, int m, int d) {
  char b[48];
  std::snprintf(b, sizeof b, "%04d-%02d-%02d", y, m, d);
  return b;
}

void fixture(const std::string& path, int persons, const std::string& variant) {
  std::remove(path.c_str());
  std::remove((path + "-wal").c_str());
  std::remove((path + "-shm").c_str());
  sy::store::DbOptions opts;
  opts.pool_size = 2;
  auto db = must(sy::store::Db::open(path, opts), "open");
  sy::SystemClock clock;
  sy::IdGenerator ids(clock);
  auto t0 = std::chrono::steady_clock::now();
  must(sy::setup::initialize(*db, clock, ids,
                             sy::setup::InitOptions{.county = kCounty, .admin_password = "Bench#Pass2026"}),
       "initialize");

  std::vector<std::string> villages;
  must(db->read([&](Conn& c) -> Status {
         SY_ASSIGN(sy::store::Rows rows, c.query("SELECT code FROM regions WHERE level = 'village' AND code LIKE ? "
                                                 "ORDER BY code",
                                                 {std::string(kCounty) + "%"}));
         for (const auto& r : rows) villages.push_back(r.str(0));
         return sy::ok_status();
       }),
       "villages");
  if (villages.empty()) die("no villages: was the region data embedded?");

  std::mt19937_64 rng(20191001);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  std::map<std::string, int> serial_of_day;  // per birth date, for unique ID numbers
  std::int64_t now = clock.now_ms();
  must(db->transact([&](Conn& tx) -> Status {
         for (auto [id, name, role] : {std::tuple{901, "bench_clerk", "clerk"}, std::tuple{902, "bench_lead", "biz_admin"}})
           SY_TRY(tx.exec("INSERT INTO users (id, username, display_name, region_code, roles, password_hash, "
                          "password_changed_at, created_at, updated_at) VALUES (?,?,?,?,?,'x',0,0,0)",
                          {id, name, name, kCountyRegion, role}));
         insert_standards(tx, ids, 2018);
         if (variant == "plain") insert_standards(tx, ids, 2019);
         // A roster imported village by village: persons of one village are inserted together.
         int made = 0;
         for (size_t v = 0; v < villages.size(); ++v) {
           int quota = static_cast<int>((static_cast<long>(persons) * (v + 1)) / villages.size()) - made;
           for (int k = 0; k < quota; ++k, ++made) {
             int pick = uniform(0, 999), acc = 0;
             const Category* cat = &kSpread[0];
             for (const auto& c : kSpread) {
               acc += c.per_mille;
               if (pick < acc) {
                 cat = &c;
                 break;
               }
             }
             bool female = !cat->veteran && uniform(0, 2) != 0;
             int by = uniform(cat->birth_from, cat->birth_to), bm = uniform(1, 12), bd = uniform(1, 28);
             std::string birth = date_text(by, bm, bd);
             int serial = ++serial_of_day[birth];
             char buf[64];
             std::snprintf(buf, sizeof buf, "%s%04d%02d%02d%03d", kCounty, by, bm, bd,
                           (serial * 2 - (female ? 0 : 1)) % 1000);
             std::string first17(buf, 17);
             std::string id_number = first17 + sy::id_number_check_digit(first17);
             const auto& sur = kSurnames[uniform(0, std::size(kSurnames) - 1)];
             std::string name = sur.first, pinyin = sur.second, initials(1, sur.second[0]);
             std::string spaced = sur.second;
             for (int g = uniform(1, 2); g > 0; --g) {
               const auto& giv = kGiven[uniform(0, std::size(kGiven) - 1)];
               name += giv.first;
               pinyin += giv.second;
               initials += giv.second[0];
               spaced += std::string(" ") + giv.second;
             }
             std::string reversed(id_number.rbegin(), id_number.rend());
             std::string account;
             if (uniform(0, 199) != 0) {
               account = "6217";
               for (int d = 0; d < 15; ++d) account += static_cast<char>('0' + uniform(0, 9));
             }
             bool suspended = uniform(0, 199) == 0;
             std::optional<std::string> enlisted, discharged;
             if (cat->veteran) {
               int ey = by + uniform(18, 20), served = cat->code == std::string("rural_veteran_60") ? uniform(2, 6)
                                                                                                    : uniform(3, 16);
               int em = uniform(1, 12), ed = uniform(1, 28);
               enlisted = date_text(ey, em, ed);
               int dm = em + uniform(-2, 3), dy = ey + served;
               if (dm < 1) dm += 12, --dy;
               if (dm > 12) dm -= 12, ++dy;
               discharged = date_text(dy, dm, uniform(1, 28));
             }
             std::int64_t pid = ids.next();
             SY_TRY(tx.exec("INSERT INTO persons (id, region_code, name, name_pinyin, name_initials, name_sort, "
                            "id_number, id_reversed, gender, birth_date, bank_name, bank_account, enlisted_on, "
                            "discharged_on, status, status_date, status_reason, created_at, updated_at) "
                            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                            {pid, villages[v], name, pinyin, initials, spaced + "\t" + name, id_number, reversed,
                             female ? "female" : "male", birth, account.empty() ? "" : "繁峙县农村信用合作联社",
                             account, enlisted, discharged, suspended ? "suspended" : "active",
                             suspended ? std::optional<std::string>("2019-05-10") : std::nullopt,
                             suspended ? "未完成年审" : "", now, now}));
             // Approved long ago, except 1 % approved in August–October 2019 (paid from the month after).
             std::string approved = uniform(0, 99) == 0 ? date_text(2019, uniform(8, 10), uniform(1, 28))
                                                        : date_text(uniform(2000, 2018), uniform(1, 12), uniform(1, 28));
             std::optional<int> grade;
             std::optional<std::string> cause;
             if (cat->code == std::string("disabled_veteran")) {
               grade = 1;
               cause = std::vector<std::string>{"combat", "duty", "illness"}[uniform(0, 2)];
             }
             SY_TRY(tx.exec("INSERT INTO person_categories (id, person_id, category, disability_grade, disability_cause, "
                            "approved_on, certificate_no, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
                            {ids.next(), pid, cat->code, grade, cause, approved,
                             "晋忻" + std::to_string(100000 + made), now, now}));
           }
         }
         return sy::ok_status();
       }),
       "persons");
  std::printf("fixture_persons=%d\nfixture_villages=%zu\nfixture_insert_s=%.2f\n", persons, villages.size(),
              seconds_since(t0));

  sy::Context lead_ctx{*db, clock, ids, lead()};
  sy::Context clerk_ctx{*db, clock, ids, clerk()};
  must(sy::payroll::update_rules(lead_ctx, {{"first_month", variant == "plain" ? "2019-10" : "2019-08"}}), "rules");
  if (variant == "arrears") {
    for (const char* month : {"2019-08", "2019-09"}) {
      auto t = std::chrono::steady_clock::now();
      auto run = must(sy::payroll::create_run(clerk_ctx, sy::payroll::RunRequest{.month = month}), "create_run");
      double created = seconds_since(t);
      t = std::chrono::steady_clock::now();
      must(sy::payroll::approve_run(lead_ctx, run.id, run.version), "approve_run");
      std::printf("fixture_run_%s: lines=%lld create_s=%.2f approve_s=%.2f\n", month,
                  static_cast<long long>(run.line_count), created, seconds_since(t));
    }
    must(db->transact([&](Conn& tx) -> Status {
           insert_standards(tx, ids, 2019);
           return sy::ok_status();
         }),
         "2019 standards");
  }
  must(db->read([](Conn& c) { return c.exec_script("PRAGMA wal_checkpoint(TRUNCATE)"); }), "checkpoint");
  std::printf("fixture_s=%.2f\n", seconds_since(t0));
}

// ---- run ----------------------------------------------------------------------------------------

void run(const std::string& path, const std::string& month, const std::string& bank_file, const std::string& format,
         const std::string& stop_after) {
  sy::store::DbOptions opts;
  const char* cache = std::getenv("SY_BENCH_EXPERIMENT_CACHE_KB");
  if (cache) opts.pool_size = 1;
  auto db = must(sy::store::Db::open(path, opts), "open");
  if (cache)
    must(db->read([&](Conn& c) { return c.exec_script(std::string("PRAGMA cache_size=-") + cache); }), "cache");
  sy::SystemClock clock;
  sy::IdGenerator ids(clock);
  sy::Context clerk_ctx{*db, clock, ids, clerk()};
  sy::Context lead_ctx{*db, clock, ids, lead()};
  std::printf("start_rss_kb=%ld\n", vm_rss_kb());

  reset_hwm();
  auto t0 = std::chrono::steady_clock::now();
  double c0 = cpu_seconds();
  auto created = must(sy::payroll::create_run(clerk_ctx, sy::payroll::RunRequest{.month = month}), "create_run");
  double create_s = seconds_since(t0);
  long create_hwm = vm_hwm_kb();
  std::printf("create_cpu_s=%.3f\n", cpu_seconds() - c0);
  std::printf("create_s=%.3f\ncreate_hwm_kb=%ld\nlines=%lld\npersons=%lld\ntotal_fen=%lld\narrears_fen=%lld\n"
              "exceptions=%lld\nexception_fen=%lld\n",
              create_s, create_hwm, static_cast<long long>(created.line_count),
              static_cast<long long>(created.person_count), static_cast<long long>(created.total_fen),
              static_cast<long long>(created.arrears_fen), static_cast<long long>(created.exception_count),
              static_cast<long long>(created.exception_fen));
  std::fflush(stdout);
  if (stop_after == "create") return;

  reset_hwm();
  auto t1 = std::chrono::steady_clock::now();
  double c1 = cpu_seconds();
  auto approved = must(sy::payroll::approve_run(lead_ctx, created.id, created.version), "approve_run");
  std::printf("approve_s=%.3f\napprove_cpu_s=%.3f\napprove_hwm_kb=%ld\n", seconds_since(t1), cpu_seconds() - c1,
              vm_hwm_kb());
  std::fflush(stdout);

  reset_hwm();
  auto t2 = std::chrono::steady_clock::now();
  double c2 = cpu_seconds();
  auto file = must(sy::payroll::export_bank_file(clerk_ctx, approved.id, format), "export_bank_file");
  {
    std::ofstream out(bank_file, std::ios::binary | std::ios::trunc);
    out.write(file.bytes.data(), static_cast<std::streamsize>(file.bytes.size()));
    out.flush();
    if (!out) die("cannot write " + bank_file);
  }
  double export_s = seconds_since(t2);
  std::printf("export_cpu_s=%.3f\n", cpu_seconds() - c2);
  std::printf("export_s=%.3f\nexport_hwm_kb=%ld\nbank_rows=%lld\nbank_total_fen=%lld\nbank_bytes=%zu\n", export_s,
              vm_hwm_kb(), static_cast<long long>(file.rows), static_cast<long long>(file.total_fen), file.bytes.size());
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  std::printf("maxrss_kb=%ld\nuser_s=%.2f\nsys_s=%.2f\n", ru.ru_maxrss,
              static_cast<double>(ru.ru_utime.tv_sec) + static_cast<double>(ru.ru_utime.tv_usec) / 1e6,
              static_cast<double>(ru.ru_stime.tv_sec) + static_cast<double>(ru.ru_stime.tv_usec) / 1e6);
}

// ---- floor --------------------------------------------------------------------------------------

std::string sql_text(const std::string& s) {
  std::string o = "'";
  for (char ch : s) {
    if (ch == '\'') o += '\'';
    o += ch;
  }
  return o + "'";
}

// The floor: the same lines as payroll::create_run gives on this fixture, by one INSERT … SELECT.
// It knows only what the fixture holds (national rows, a category per person, one schedule segment
// per position, suspension before the first month); `verify` proves it gives the same lines.
std::string floor_sql(const std::string& month, const std::string& first_month) {
  auto run = sy::payroll::parse_month(month);
  auto first = sy::payroll::parse_month(first_month);
  if (!run || !first || *first > *run) die("bad --month / --first-month");
  if (*run - *first > 6) die("the floor covers at most 7 months");
  std::string months, names;
  for (int m = *first; m <= *run; ++m)
    months += std::string(months.empty() ? "" : ",") + "(" + sql_text(sy::payroll::month_text(m)) + "," +
              sql_text(sy::payroll::month_label(m)) + "," + sql_text(sy::payroll::first_day(m)) + "," +
              (m == *run ? "1" : "0") + "," + std::to_string(m - *first) + ")";
  for (const auto& c : sy::registry::all_categories())
    names += std::string(names.empty() ? "" : ",") + "(" + sql_text(c.code) + "," + sql_text(c.name) + ")";
  std::string yuan = [](const char* x) {
    return std::string("printf('%d.%02d', (") + x + ")/100, (" + x + ")%100)";
  }("X");
  auto fmt = [&](const std::string& x) {
    std::string s = yuan;
    for (size_t p; (p = s.find('X')) != std::string::npos;) s.replace(p, 1, x);
    return s;
  };
  // Per (person, item, month): what is due (d.due), its words (d.words), what was paid (d.paid).
  // The floor gets the page cache the product's run takes (payroll/runs.cpp kRunCacheKib).
  const char* cache = std::getenv("SY_BENCH_EXPERIMENT_CACHE_KB");
  std::string sql =
      std::string("PRAGMA cache_size=-") + (cache ? cache : "65536") + ";\n" +
      "PRAGMA foreign_keys=ON;\nPRAGMA synchronous=FULL;\n"
      "INSERT INTO payroll_runs (id, month, kind, items, region_code, status, prepared_at, computed_at) VALUES "
      "(1, " + sql_text(month) + ", 'regular', '', '" + kCountyRegion + "', 'draft', 0, 0);\n"
      ".timer on\n"
      "BEGIN;\n"
      "WITH months(m, label, day, is_run, k) AS (VALUES " + months + "),\n"
      "cat_names(code, name) AS (VALUES " + names + "),\n"
      "std AS MATERIALIZED (SELECT mo.m, s.* FROM months mo JOIN benefit_standards s ON s.status = 'active' AND s.region_prefix = '' "
      "AND s.effective_from = (SELECT max(t.effective_from) FROM benefit_standards t WHERE t.status = 'active' "
      "AND t.region_prefix = '' AND t.item_code = s.item_code AND t.category = s.category AND t.cause = s.cause "
      "AND t.grade = s.grade AND t.effective_from <= mo.day)),\n"
      "d AS (SELECT p.rowid * 256 + mo.k * 32 + i.sort AS seq, p.id AS person_id, "
      "p.region_code, p.name, p.id_number, p.bank_name, p.bank_account, p.status, p.status_date, p.status_reason, "
      "i.code AS item_code, i.name AS item_name, mo.m, mo.label, mo.is_run, s.id AS standard_id, "
      "CASE s.unit WHEN 'yearly' THEN (s.amount_fen + 6) / 12 WHEN 'monthly' THEN s.amount_fen "
      "ELSE s.amount_fen * ((substr(p.discharged_on, 1, 4) - substr(p.enlisted_on, 1, 4)) "
      "- (substr(p.discharged_on, 6, 5) < substr(p.enlisted_on, 6, 5))) END AS due, "
      "cn.name || CASE WHEN c.disability_grade > 0 THEN ' ' || CASE c.disability_grade WHEN 1 THEN '一级' END ELSE '' END "
      "|| CASE c.disability_cause WHEN 'combat' THEN ' 因战' WHEN 'duty' THEN ' 因公' WHEN 'illness' THEN ' 因病' ELSE '' END "
      "|| '：标准' || " + fmt("s.amount_fen") + " || CASE s.unit WHEN 'yearly' THEN '元/年' WHEN 'monthly' THEN '元/月' "
      "ELSE '元/月·每服役满一年' END || '（' || s.effective_from || '起）' || CASE s.unit WHEN 'yearly' THEN '÷12' "
      "WHEN 'monthly' THEN '' ELSE '×服役' || ((substr(p.discharged_on, 1, 4) - substr(p.enlisted_on, 1, 4)) "
      "- (substr(p.discharged_on, 6, 5) < substr(p.enlisted_on, 6, 5))) || '年' END AS words, "
      "CASE WHEN pp.schedule IS NOT NULL AND mo.m BETWEEN substr(pp.schedule, 1, 7) AND "
      "CASE WHEN substr(pp.schedule, 8, 2) = '..' THEN substr(pp.schedule, 10, 7) ELSE substr(pp.schedule, 1, 7) END "
      "THEN CAST(substr(pp.schedule, instr(pp.schedule, ':') + 1) AS INTEGER) ELSE 0 END AS paid, "
      "p.status = 'suspended' AND mo.m >= substr(coalesce(p.status_date, " + sql_text(month) + "), 1, 7) AS withheld "
      "FROM persons p JOIN person_categories c ON c.person_id = p.id AND c.status = 'active' "
      "JOIN cat_names cn ON cn.code = c.category "
      "JOIN benefit_items i ON i.frequency = 'monthly' AND instr(',' || i.categories || ',', ',' || c.category || ',') > 0 "
      "JOIN months mo ON mo.m > coalesce(p.paid_through, '') "
      "JOIN std s ON s.m = mo.m AND s.item_code = i.code AND s.category = c.category "
      "AND s.cause = coalesce(c.disability_cause, '') AND s.grade = coalesce(c.disability_grade, 0) "
      "LEFT JOIN payment_positions pp ON pp.person_id = p.id AND pp.item_code = i.code "
      "WHERE p.status IN ('active', 'suspended') AND coalesce(c.approved_on, '') < mo.m "
      "AND (c.category <> 'rural_veteran_60' OR printf('%04d', substr(p.birth_date, 1, 4) + 60) || "
      "substr(p.birth_date, 5, 3) < mo.m))\n"
      "INSERT INTO payroll_lines (id, run_id, seq, person_id, region_code, name, id_number, bank_name, bank_account, "
      "item_code, kind, for_month, standard_id, amount_fen, basis, exception)\n"
      "SELECT seq, 1, seq, person_id, region_code, name, id_number, bank_name, bank_account, item_code, "
      "CASE WHEN is_run THEN 'regular' ELSE 'arrears' END, m, standard_id, due - paid, "
      "CASE WHEN is_run THEN label || item_name || '：' || words || ' = ' || " + fmt("due") + " || '元' "
      "|| CASE WHEN paid <> 0 THEN '，已发' || " + fmt("paid") + " || '元' ELSE '' END "
      "ELSE '补发' || label || item_name || '：应发' || " + fmt("due") + " || '元（' || words || ' = ' || " + fmt("due") +
      " || '元），已发' || " + fmt("paid") + " || '元，差额' || " + fmt("due - paid") + " || '元' END, "
      "CASE WHEN withheld THEN '暂停发放' || CASE WHEN status_reason <> '' THEN '：' || status_reason ELSE '' END "
      "WHEN bank_account = '' THEN '未登记银行账号' ELSE '' END\n"
      "FROM d WHERE due <> paid AND (is_run OR NOT withheld);\n"
      "COMMIT;\n"
      ".timer off\n"
      "SELECT 'floor_lines=' || count(*), 'floor_total_fen=' || coalesce(sum(CASE WHEN exception = '' THEN amount_fen END), 0) "
      "FROM payroll_lines WHERE run_id = 1;\n";
  // Separate outputs one per line.
  return sql;
}

// The product's lines and the floor's, line by line (person, item, month): amount, kind, basis, exception.
int verify(const std::string& product, const std::string& floor) {
  auto db = must(sy::store::Db::open(product), "open");
  int status = 0;
  must(db->read([&](Conn& c) -> Status {
         SY_TRY(c.exec_script("ATTACH DATABASE " + sql_text(floor) + " AS floor"));
         auto count = [&](const std::string& sql) -> sy::Result<std::int64_t> { return c.query_int(sql); };
         const char* run = "(SELECT max(id) FROM main.payroll_runs WHERE month = (SELECT month FROM floor.payroll_runs "
                           "WHERE id = 1) AND status <> 'discarded')";
         SY_ASSIGN(std::int64_t product_lines,
                   count(std::string("SELECT count(*) FROM main.payroll_lines WHERE run_id = ") + run));
         SY_ASSIGN(std::int64_t floor_lines, count("SELECT count(*) FROM floor.payroll_lines WHERE run_id = 1"));
         SY_ASSIGN(std::int64_t product_total,
                   count(std::string("SELECT coalesce(sum(amount_fen), 0) FROM main.payroll_lines WHERE exception = '' "
                                     "AND run_id = ") + run));
         SY_ASSIGN(std::int64_t floor_total, count("SELECT coalesce(sum(amount_fen), 0) FROM floor.payroll_lines "
                                                   "WHERE exception = '' AND run_id = 1"));
         SY_ASSIGN(std::int64_t differing,
                   count(std::string("SELECT count(*) FROM main.payroll_lines a LEFT JOIN floor.payroll_lines b "
                                     "ON b.run_id = 1 AND b.person_id = a.person_id AND b.item_code = a.item_code "
                                     "AND b.for_month = a.for_month WHERE a.run_id = ") + run +
                         " AND (b.id IS NULL OR a.amount_fen <> b.amount_fen OR a.kind <> b.kind OR a.basis <> b.basis "
                         "OR a.exception <> b.exception OR a.standard_id IS NOT b.standard_id OR a.name <> b.name "
                         "OR a.bank_account <> b.bank_account)"));
         std::printf("verify_product_lines=%lld\nverify_floor_lines=%lld\nverify_product_total_fen=%lld\n"
                     "verify_floor_total_fen=%lld\nverify_differing_lines=%lld\n",
                     static_cast<long long>(product_lines), static_cast<long long>(floor_lines),
                     static_cast<long long>(product_total), static_cast<long long>(floor_total),
                     static_cast<long long>(differing));
         if (differing) {
           SY_ASSIGN(sy::store::Rows ex,
                     c.query(std::string("SELECT a.person_id, a.item_code, a.for_month, a.amount_fen, a.basis, a.exception, "
                                         "b.amount_fen, b.basis, b.exception FROM main.payroll_lines a LEFT JOIN "
                                         "floor.payroll_lines b ON b.run_id = 1 AND b.person_id = a.person_id AND "
                                         "b.item_code = a.item_code AND b.for_month = a.for_month WHERE a.run_id = ") +
                             run + " AND (b.id IS NULL OR a.amount_fen <> b.amount_fen OR a.basis <> b.basis OR "
                                   "a.exception <> b.exception) LIMIT 3"));
           for (const auto& r : ex)
             std::fprintf(stderr, "differs: person %lld %s %s\n  product %lld [%s] [%s]\n  floor   %s [%s] [%s]\n",
                          static_cast<long long>(r.i64(0)), r.str(1).c_str(), r.str(2).c_str(),
                          static_cast<long long>(r.i64(3)), r.str(4).c_str(), r.str(5).c_str(),
                          r.is_null(6) ? "-" : r.str(6).c_str(), r.is_null(7) ? "" : r.str(7).c_str(),
                          r.is_null(8) ? "" : r.str(8).c_str());
         }
         if (product_lines != floor_lines || product_total != floor_total || differing) status = 1;
         return sy::ok_status();
       }),
       "verify");
  return status;
}

std::string arg(int argc, char** argv, const char* name, const char* fallback = nullptr) {
  for (int i = 2; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], name) == 0) return argv[i + 1];
  if (!fallback) die(std::string("missing ") + name);
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) die("usage: payroll_bench fixture|run|floor-sql|verify …");
  std::string cmd = argv[1];
  if (cmd == "fixture") {
    std::string variant = arg(argc, argv, "--variant", "plain");
    if (variant != "plain" && variant != "arrears") die("--variant is plain or arrears");
    fixture(arg(argc, argv, "--db"), std::stoi(arg(argc, argv, "--persons", "1000000")), variant);
  } else if (cmd == "run") {
    run(arg(argc, argv, "--db"), arg(argc, argv, "--month"), arg(argc, argv, "--bank-file"),
        arg(argc, argv, "--format", "csv"), arg(argc, argv, "--stop-after", ""));
  } else if (cmd == "floor-sql") {
    std::fputs(floor_sql(arg(argc, argv, "--month"), arg(argc, argv, "--first-month")).c_str(), stdout);
  } else if (cmd == "verify") {
    return verify(arg(argc, argv, "--db"), arg(argc, argv, "--floor-db"));
  } else {
    die("unknown command " + cmd);
  }
  return 0;
}
