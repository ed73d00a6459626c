#include "test_support.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "auth/roles.h"
#include "core/text.h"
#include "demo/demo.h"

namespace sy::testing {
namespace {

std::atomic<int> counter{0};

std::string unique_suffix() {
  return std::to_string(getpid()) + "_" + std::to_string(counter.fetch_add(1)) + "_" +
         std::to_string(SystemClock().now_ms() % 1000000);
}

std::unique_ptr<store::Db> must_open(const std::string& url) {
  auto db = store::Db::open(url, store::DbOptions{.pool_size = 8});
  if (!db.ok()) throw std::runtime_error("cannot open test database " + url + ": " + db.error().message);
  return std::move(db.value());
}

}  // namespace

TestDb::~TestDb() {
  db.reset();
  if (cleanup.empty()) return;
  if (postgres) {
    auto admin = store::Db::open(std::getenv("SY_TEST_PG_URL"), store::DbOptions{.pool_size = 1});
    if (admin.ok()) {
      (void)(*admin)->read([&](store::Conn& c) {
        return c.exec_script("DROP SCHEMA IF EXISTS " + cleanup + " CASCADE");
      });
    }
  } else {
    std::error_code ec;
    std::filesystem::remove_all(std::filesystem::path(cleanup), ec);
  }
}

bool use_postgres() {
  const char* url = std::getenv("SY_TEST_PG_URL");
  return url && *url;
}

std::unique_ptr<TestDb> make_sqlite_db() {
  auto t = std::make_unique<TestDb>();
  auto dir = std::filesystem::temp_directory_path() / ("sy_test_" + unique_suffix());
  std::filesystem::create_directories(dir);
  t->cleanup = dir.string();
  t->url = (dir / "test.db").string();
  t->db = must_open(t->url);
  return t;
}

std::unique_ptr<TestDb> make_test_db() {
  if (!use_postgres()) return make_sqlite_db();
  auto t = std::make_unique<TestDb>();
  t->postgres = true;
  std::string base = std::getenv("SY_TEST_PG_URL");
  std::string schema = "t_" + unique_suffix();
  {
    auto admin = must_open(base);
    Status st = admin->read([&](store::Conn& c) { return c.exec_script("CREATE SCHEMA " + schema); });
    if (!st.ok()) throw std::runtime_error("cannot create schema: " + st.error().message);
  }
  t->cleanup = schema;
  t->url = base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
  t->db = must_open(t->url);
  return t;
}

std::unique_ptr<TestDb> make_demo_db(const Clock& clock, IdGenerator& ids) {
  auto t = make_test_db();
  auto report = demo::build_demo(*t->db, clock, ids, "140924", /*with_persons=*/false);
  if (!report.ok()) throw std::runtime_error("demo failed: " + report.error().message);
  return t;
}

Millis test_now() { return *parse_time_shanghai("2026-11-22T10:00:00+08:00"); }

Actor account_actor(store::Db& db, const std::string& username) {
  Actor a;
  Status st = db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(auto row, c.query_one("SELECT id, display_name, region_code, roles FROM users WHERE username = ?",
                                    {username}));
    if (!row) return make_error("not_found", "no account " + username);
    a.user_id = row->i64(0);
    a.display_name = row->str(1);
    a.region_code = row->str(2);
    a.roles = split(row->str(3), ',');
    return ok_status();
  });
  if (!st.ok()) throw std::runtime_error("account_actor: " + st.error().message);
  a.username = username;
  for (const auto& r : a.roles)
    if (const auto* role = auth::find_role(r))
      for (const auto& p : role->default_permissions) a.permissions.insert(p);
  return a;
}

}  // namespace sy::testing
