// Latency of the registry's person search (registry::search_persons, the function behind
// GET /api/v1/persons?q=…) on a database the import benchmark filled, as a county clerk sees it:
// first page of 20, whole-county scope.
//
//   search_bench --db FILE [--rounds N]
//
// Runs every query kind over a spread of terms (pinyin initials of two and three letters, full
// pinyin, ID suffixes of 4 and 6 characters, a surname in Chinese), `rounds` times each after one
// warm-up round (a kind stops once it has taken 10 s: a Chinese-name search scans every row), and
// prints p50/p99/max per kind and for the two the issue names (initials, ID suffix). Exits non-zero only when a search fails or finds nothing where the roster surely has
// matches.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/id.h"
#include "registry/persons.h"
#include "store/db.h"

namespace {

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  std::string db_path;
  int rounds = 20;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--db" && i + 1 < argc) db_path = argv[++i];
    else if (a == "--rounds" && i + 1 < argc) rounds = std::stoi(argv[++i]);
    else {
      std::fprintf(stderr, "usage: search_bench --db FILE [--rounds N]\n");
      return 2;
    }
  }
  if (db_path.empty()) {
    std::fprintf(stderr, "usage: search_bench --db FILE [--rounds N]\n");
    return 2;
  }
  auto db = sy::store::Db::open(db_path);
  if (!db.ok()) {
    std::fprintf(stderr, "%s\n", db.error().message.c_str());
    return 1;
  }
  sy::SystemClock clock;
  sy::IdGenerator ids(clock);
  sy::Actor clerk;
  clerk.user_id = 1;
  clerk.username = "bench_clerk";
  clerk.region_code = "140924000000";  // the county: every person is in scope
  clerk.permissions = {"business:read"};
  sy::Context ctx{**db, clock, ids, clerk};

  // ID suffixes drawn from the stored numbers, so every one matches at least one person.
  std::vector<std::string> suffix4, suffix6;
  {
    std::mt19937 rng(7);
    auto st = (*db)->read([&](sy::store::Conn& c) -> sy::Status {
      SY_ASSIGN(sy::store::Rows rows,
                c.query("SELECT id_number FROM persons WHERE id IN (SELECT id FROM persons ORDER BY random() LIMIT 50)"));
      for (const auto& r : rows) {
        std::string id = r.str(0);
        suffix4.push_back(id.substr(14));
        suffix6.push_back(id.substr(12));
      }
      return sy::ok_status();
    });
    if (!st.ok() || suffix4.empty()) {
      std::fprintf(stderr, "no persons in %s\n", db_path.c_str());
      return 1;
    }
  }
  std::map<std::string, std::vector<std::string>> kinds = {
      {"initials (2)", {"wj", "lj", "zm", "cx", "yg", "hy", "wm", "zh", "ll", "gf"}},
      {"initials (3)", {"wjg", "lgf", "zxy", "cjh", "ymz", "hwd", "sfl", "mqh", "dzy", "tcl"}},
      {"full pinyin", {"wangjun", "lijian", "zhangxiu", "chenming", "liuyu"}},
      {"id suffix (4)", suffix4},
      {"id suffix (6)", suffix6},
      {"surname (汉字)", {"王建", "李秀英", "张"}},
  };
  std::map<std::string, std::vector<double>> ms;
  std::map<std::string, long long> found;
  std::map<std::string, double> spent;  // a kind that is slow (a name search scans) stops at 10 s
  for (int round = 0; round <= rounds; ++round) {
    for (const auto& [kind, terms] : kinds) {
      if (spent[kind] > 10000) continue;
      for (const auto& term : terms) {
        auto t0 = std::chrono::steady_clock::now();
        auto page = sy::registry::search_persons(ctx, sy::registry::PersonQuery{.q = term});
        auto t1 = std::chrono::steady_clock::now();
        if (!page.ok()) {
          std::fprintf(stderr, "search %s: %s\n", term.c_str(), page.error().message.c_str());
          return 1;
        }
        spent[kind] += std::chrono::duration<double, std::milli>(t1 - t0).count();
        if (round == 0) {
          found[kind] += page->total;
          continue;  // warm-up
        }
        ms[kind].push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        ms[kind.starts_with("initials") ? "ALL initials" : kind.starts_with("id suffix") ? "ALL id suffix" : "other"]
            .push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
      }
    }
  }
  std::printf("%-16s %8s %8s %8s %8s %12s\n", "query", "n", "p50 ms", "p99 ms", "max ms", "avg total");
  for (const auto& [kind, v] : ms) {
    if (kind == "other" || v.empty()) continue;
    long long total = 0;
    size_t terms = 0;
    if (kinds.count(kind)) total = found[kind], terms = kinds[kind].size();
    std::printf("%-16s %8zu %8.2f %8.2f %8.2f %12s\n", kind.c_str(), v.size(), percentile(v, 0.5),
                percentile(v, 0.99), *std::max_element(v.begin(), v.end()),
                terms ? std::to_string(total / static_cast<long long>(terms)).c_str() : "");
  }
  for (const char* k : {"initials (2)", "id suffix (4)"}) {
    if (found[k] == 0) {
      std::fprintf(stderr, "%s found nothing: is the database filled?\n", k);
      return 1;
    }
  }
  return 0;
}
