// Test support: real databases for tests. SQLite: a fresh file in a temp folder. PostgreSQL (when
// SY_TEST_PG_URL is set, e.g. by scripts/test.sh): a fresh schema on that server per database, so
// tests stay independent without creating whole databases. Dropped again at the end.
#pragma once

#include <memory>
#include <string>

#include "core/actor.h"
#include "core/clock.h"
#include "core/id.h"
#include "store/db.h"

namespace sy::testing {

struct TestDb {
  std::string url;  // what to pass to Db::open or --db
  bool postgres = false;
  std::unique_ptr<store::Db> db;
  std::string cleanup;  // file path or schema name
  ~TestDb();
};

// Whether the suite runs on PostgreSQL (SY_TEST_PG_URL set).
bool use_postgres();
// An empty database on the backend under test.
std::unique_ptr<TestDb> make_test_db();
// An empty SQLite database, whatever the backend under test.
std::unique_ptr<TestDb> make_sqlite_db();
// The demo county 140924 with its accounts (password demo::kDemoPassword) and an empty registry.
std::unique_ptr<TestDb> make_demo_db(const Clock& clock, IdGenerator& ids);

// The account `username` of a test database as an actor: its id, name, region and roles, with the
// roles' built-in permissions. Throws when there is no such account.
Actor account_actor(store::Db& db, const std::string& username);

// 2026-11-22T10:00:00+08:00, the default fixed "now" of tests.
Millis test_now();

}  // namespace sy::testing
