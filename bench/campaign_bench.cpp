// The campaign benchmark of issue 6: generating a 走访慰问 campaign over a synthetic county of N
// persons (1,000,000 by default) on SQLite — the targets snapshotted by visits::generate_campaign.
//
//   campaign_bench fixture --db FILE [--persons N]
//   campaign_bench run     --db FILE [--unit household|person]
//
// `fixture` (not measured) initialises a fresh SQLite database for county 140924 and inserts, in
// one transaction, N persons spread over the county's villages, each with one category (mostly
// 退役士兵 and 60周岁以上农村籍退役士兵, then 参战, 带病回乡, 烈士遗属, 残疾军人 of grades 1–10 …), in
// households of one to three (2 % 低保, 1 % 特困, 0.5 % 空巢), 0.5 % not 在册.
// `run` (measured) creates a 春节 campaign for the whole county with four groups (烈士遗属 and other
// 遗属; 残疾军人; 在乡复员军人, 带病回乡 and 参战; 低保/特困/空巢 households) — all periodic recipients
// — and times generate_campaign, printing key=value lines: targets, generate_s (wall), generate_cpu_s
// (user + system of this process; the database work runs in it) and the peak RSS.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/id.h"
#include "core/id_number.h"
#include "setup/setup.h"
#include "store/db.h"
#include "visits/campaigns.h"

namespace {

using sy::Status;
using sy::store::Conn;

const char* kCounty = "140924";

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "campaign_bench: %s\n", what.c_str());
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

// CPU seconds (user + system) of this process so far: steadier than wall time on a busy machine.
double cpu_seconds() {
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

long peak_rss_kb() {
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

std::string arg(int argc, char** argv, const char* name, const char* fallback = nullptr) {
  for (int i = 2; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], name) == 0) return argv[i + 1];
  if (!fallback) die(std::string("missing ") + name);
  return fallback;
}

struct Spread {
  const char* code;
  int per_mille;
};
const Spread kSpread[] = {
    {"discharged_soldier", 380}, {"rural_veteran_60", 250},     {"war_veteran", 100},
    {"ill_returned_veteran", 70}, {"martyr_survivor", 50},      {"disabled_veteran", 50},
    {"demobilized_veteran", 30},  {"duty_death_survivor", 20},  {"illness_death_survivor", 20},
    {"conscript_family", 30},
};
const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高"};
const char* kGiven[] = {"军", "伟", "强", "建", "国", "华", "明", "平", "红", "英", "兰", "秀", "忠", "德", "福"};

void fixture(const std::string& path, int persons) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
  sy::store::DbOptions opts;
  opts.pool_size = 2;
  auto db = must(sy::store::Db::open(path, opts), "open");
  sy::SystemClock clock;
  sy::IdGenerator ids(clock);
  auto t0 = std::chrono::steady_clock::now();
  must(sy::setup::initialize(*db, clock, ids, sy::setup::InitOptions{.county = kCounty, .admin_password = "Bench#Pass2026"}),
       "initialize");
  std::vector<std::string> villages;
  must(db->read([&](Conn& c) -> Status {
         SY_ASSIGN(sy::store::Rows rows, c.query("SELECT code FROM regions WHERE level = 'village' ORDER BY code"));
         for (const auto& r : rows) villages.push_back(r.str(0));
         return sy::ok_status();
       }),
       "villages");
  if (villages.empty()) die("no villages: was the region data embedded?");
  std::mt19937_64 rng(20270115);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  std::int64_t now = clock.now_ms();
  int serial = 0;
  must(db->transact([&](Conn& tx) -> Status {
         int made = 0;
         for (size_t v = 0; v < villages.size(); ++v) {
           int quota = static_cast<int>((static_cast<long>(persons) * (v + 1)) / villages.size()) - made;
           std::int64_t household = 0;
           int left_in_household = 0;
           for (int k = 0; k < quota; ++k, ++made) {
             std::int64_t pid = ids.next();
             if (left_in_household == 0) {
               household = ids.next();
               int r = uniform(0, 99);
               left_in_household = r < 60 ? 1 : r < 90 ? 2 : 3;
               int flag = uniform(0, 999);
               SY_TRY(tx.exec("INSERT INTO households (id, region_code, address, head_person_id, is_dibao, is_tekun, "
                              "is_kongchao, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
                              {household, villages[v], "某村" + std::to_string(k) + "号", pid, flag < 20 ? 1 : 0,
                               flag >= 20 && flag < 30 ? 1 : 0, flag >= 30 && flag < 35 ? 1 : 0, now, now}));
             }
             --left_in_household;
             int pick = uniform(0, 999), acc = 0;
             const Spread* cat = &kSpread[0];
             for (const auto& c : kSpread) {
               acc += c.per_mille;
               if (pick < acc) {
                 cat = &c;
                 break;
               }
             }
             ++serial;
             int by = 1930 + serial % 60, bm = 1 + (serial / 60) % 12, bd = 1 + (serial / 720) % 28;
             char buf[64];
             std::snprintf(buf, sizeof buf, "%s%04d%02d%02d%03d", kCounty, by, bm, bd, (serial / 20160) % 1000);
             std::string first17(buf, 17);
             std::string id_number = first17 + sy::id_number_check_digit(first17);
             std::string name = std::string(kSurnames[uniform(0, 14)]) + kGiven[uniform(0, 14)] + kGiven[uniform(0, 14)];
             std::string reversed(id_number.rbegin(), id_number.rend());
             bool inactive = uniform(0, 199) == 0;
             SY_TRY(tx.exec("INSERT INTO persons (id, region_code, household_id, name, name_pinyin, name_initials, "
                            "name_sort, id_number, id_reversed, gender, birth_date, phone, status, created_at, updated_at) "
                            "VALUES (?,?,?,?,'','',?,?,?,'male',?,?,?,?,?)",
                            {pid, villages[v], household, name, name, id_number, reversed,
                             std::string(buf + 6, 4) + "-" + std::string(buf + 10, 2) + "-" + std::string(buf + 12, 2),
                             "1380000" + std::to_string(1000 + serial % 9000), inactive ? "deceased" : "active", now,
                             now}));
             std::optional<int> grade;
             std::optional<std::string> cause;
             if (cat->code == std::string("disabled_veteran")) {
               grade = uniform(1, 10);
               cause = grade <= 6 ? "illness" : "duty";
             }
             SY_TRY(tx.exec("INSERT INTO person_categories (id, person_id, category, disability_grade, disability_cause, "
                            "created_at, updated_at) VALUES (?,?,?,?,?,?,?)",
                            {ids.next(), pid, cat->code, grade, cause, now, now}));
           }
         }
         return sy::ok_status();
       }),
       "persons");
  must(db->transact([](Conn& tx) -> Status { return tx.exec_script("ANALYZE"); }), "analyze");
  std::printf("fixture_persons=%d\nfixture_villages=%zu\nfixture_s=%.2f\n", persons, villages.size(), seconds_since(t0));
}

void run(const std::string& path, const std::string& unit) {
  auto db = must(sy::store::Db::open(path), "open");
  sy::SystemClock clock;
  sy::IdGenerator ids(clock);
  sy::Context ctx{*db, clock, ids, sy::Actor::system_actor("bench")};
  using sy::visits::Group;
  using sy::visits::GroupFilter;
  auto k = must(sy::visits::create_campaign(
                    ctx, sy::visits::CampaignInput{
                             .name = "2027年春节走访慰问", .occasion = "spring_festival", .starts_on = "2027-01-15",
                             .ends_on = "2027-02-10", .unit = unit, .region_code = "140924000000", .budget_fen = 0,
                             .groups = {Group{.key = "", .name = "遗属", .cash_fen = 80000, .gifts = "米面油",
                                              .filter = GroupFilter{.categories = {"martyr_survivor", "duty_death_survivor",
                                                                                   "illness_death_survivor"}}},
                                        Group{.key = "", .name = "残疾军人", .cash_fen = 50000, .gifts = "米面油",
                                              .filter = GroupFilter{.categories = {"disabled_veteran"}}},
                                        Group{.key = "", .name = "老复员、带病回乡、参战", .cash_fen = 50000, .gifts = "",
                                              .filter = GroupFilter{.categories = {"demobilized_veteran",
                                                                                   "ill_returned_veteran", "war_veteran"}}},
                                        Group{.key = "", .name = "困难家庭", .cash_fen = 30000, .gifts = "",
                                              .filter = GroupFilter{.flags = {"dibao", "tekun", "kongchao"}}}}}),
                "create");
  auto t0 = std::chrono::steady_clock::now();
  double c0 = cpu_seconds();
  auto g = must(sy::visits::generate_campaign(ctx, k.id, k.version), "generate");
  double s = seconds_since(t0), cpu = cpu_seconds() - c0;
  std::int64_t persons = 0;
  must(db->read([&](Conn& c) -> Status {
         SY_ASSIGN(persons, c.query_int("SELECT count(*) FROM persons"));
         return sy::ok_status();
       }),
       "count");
  std::printf("persons=%lld\nunit=%s\ntargets=%lld\ngenerate_s=%.2f\ngenerate_cpu_s=%.2f\npeak_rss_mb=%ld\n",
              static_cast<long long>(persons), unit.c_str(), static_cast<long long>(g.targets), s, cpu,
              peak_rss_kb() / 1024);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) die("usage: campaign_bench fixture|run …");
  std::string cmd = argv[1];
  if (cmd == "fixture") {
    fixture(arg(argc, argv, "--db"), std::stoi(arg(argc, argv, "--persons", "1000000")));
  } else if (cmd == "run") {
    run(arg(argc, argv, "--db"), arg(argc, argv, "--unit", "household"));
  } else {
    die("unknown command " + cmd);
  }
  return 0;
}
