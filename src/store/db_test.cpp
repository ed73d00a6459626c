// Runs on the backend under test (SQLite, or PostgreSQL when SY_TEST_PG_URL is set).
#include "store/db.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "store/migrate.h"
#include "store/pool.h"
#include "test_support.h"

namespace sy::store {
namespace {

using sy::testing::make_sqlite_db;
using sy::testing::make_test_db;
using sy::testing::TestDb;

class DbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    t_ = make_test_db();
    ASSERT_TRUE(db().transact([](Conn& c) {
      return c.exec_script(
          "CREATE TABLE things (id BIGINT PRIMARY KEY, name TEXT UNIQUE, n INTEGER, "
          "amount BIGINT, ratio DOUBLE PRECISION, note TEXT)");
    }).ok());
  }
  Db& db() { return *t_->db; }

  std::int64_t count(const std::string& where = "1=1", const Params& params = {}) {
    std::int64_t n = -1;
    Status st = db().read([&](Conn& c) -> Status {
      SY_ASSIGN(n, c.query_int("SELECT count(*) FROM things WHERE " + where, params));
      return ok_status();
    });
    EXPECT_TRUE(st.ok()) << st.error().message;
    return n;
  }

  Status insert(std::int64_t id, Value name) {
    return db().transact([&](Conn& c) -> Status {
      SY_TRY(c.exec("INSERT INTO things (id, name) VALUES (?, ?)", {id, name}));
      return ok_status();
    });
  }

  std::unique_ptr<TestDb> t_;
};

TEST_F(DbTest, DialectMatchesTheBackendUnderTest) {
  EXPECT_EQ(db().dialect(), sy::testing::use_postgres() ? Dialect::kPostgres : Dialect::kSqlite);
  EXPECT_FALSE(db().describe().empty());
}

TEST_F(DbTest, BindsNullIntegersTextAndDoubles) {
  const std::int64_t big = std::numeric_limits<std::int64_t>::max();
  const std::int64_t small = std::numeric_limits<std::int64_t>::min();
  const std::string unicode = "东泰社区居委会 · 张三 😀 \"quoted\" 'single' ? \\ %_";
  std::optional<std::string> none;
  ASSERT_TRUE(db().transact([&](Conn& c) -> Status {
    SY_TRY(c.exec("INSERT INTO things (id, name, n, amount, ratio, note) VALUES (?,?,?,?,?,?)",
                  {1, unicode, 42, big, 0.1, none}));
    SY_TRY(c.exec("INSERT INTO things (id, name, n, amount, ratio, note) VALUES (?,?,?,?,?,?)",
                  {2, nullptr, true, small, -2.5, std::optional<std::string>("x")}));
    return ok_status();
  }).ok());

  ASSERT_TRUE(db().read([&](Conn& c) -> Status {
    SY_ASSIGN(Rows rows, c.query("SELECT id, name, n, amount, ratio, note FROM things ORDER BY id"));
    EXPECT_EQ(rows.size(), 2u);
    if (rows.size() != 2) return ok_status();
    const Row& a = rows[0];
    EXPECT_EQ(a.i64(0), 1);
    EXPECT_EQ(a.str(1), unicode);
    EXPECT_EQ(a.i64(2), 42);
    EXPECT_EQ(a.i64(3), big);
    EXPECT_DOUBLE_EQ(a.f64(4), 0.1);
    EXPECT_TRUE(a.is_null(5));
    EXPECT_FALSE(a.opt_str(5).has_value());
    // Integers come back as int64 on both backends, not as text.
    EXPECT_EQ(a.at(2).variant().index(), 1u);
    EXPECT_EQ(a.at(3).variant().index(), 1u);
    const Row& b = rows[1];
    EXPECT_TRUE(b.is_null(1));
    EXPECT_FALSE(b.opt_i64(1).has_value());
    EXPECT_EQ(b.i64(2), 1);  // bool binds as 1
    EXPECT_EQ(b.i64(3), small);
    EXPECT_DOUBLE_EQ(b.f64(4), -2.5);
    EXPECT_EQ(b.opt_str(5), "x");
    return ok_status();
  }).ok());

  // Bound parameters are compared as values, also for the row found by its unicode text.
  EXPECT_EQ(count("name = ?", {unicode}), 1);
  EXPECT_EQ(count("amount = ?", {big}), 1);
  EXPECT_EQ(count("amount = ?", {small}), 1);
  EXPECT_EQ(count("name IS NULL"), 1);
}

TEST_F(DbTest, LargeTextRoundTrips) {
  std::string big;
  for (int i = 0; i < 20000; ++i) big += "双拥";
  ASSERT_TRUE(insert(1, big).ok());
  ASSERT_TRUE(db().read([&](Conn& c) -> Status {
    SY_ASSIGN(auto row, c.query_one("SELECT name FROM things WHERE id = ?", {1}));
    EXPECT_TRUE(row.has_value());
    if (row) {
      EXPECT_EQ(row->str(0), big);
    }
    return ok_status();
  }).ok());
}

TEST_F(DbTest, QuestionMarksInsideQuotesAreNotParameters) {
  ASSERT_TRUE(db().transact([&](Conn& c) -> Status {
    SY_TRY(c.exec("INSERT INTO things (id, name, note) VALUES (?, 'what?', ?)", {1, "note?"}));
    SY_TRY(c.exec("INSERT INTO things (id, name, note) VALUES (?, 'it''s ? here', ?)", {2, "b"}));
    return ok_status();
  }).ok());
  ASSERT_TRUE(db().read([&](Conn& c) -> Status {
    SY_ASSIGN(auto row, c.query_one("SELECT '?', ?, name, note AS \"note?\" FROM things WHERE id = ? "
                                    "AND name <> '?!'",
                                    {"x", 1}));
    EXPECT_TRUE(row.has_value());
    if (!row) return ok_status();
    EXPECT_EQ(row->str(0), "?");
    EXPECT_EQ(row->str(1), "x");
    EXPECT_EQ(row->str(2), "what?");
    EXPECT_EQ(row->str(3), "note?");
    SY_ASSIGN(auto second, c.query_one("SELECT name FROM things WHERE id = ?", {2}));
    EXPECT_TRUE(second.has_value());
    if (second) {
      EXPECT_EQ(second->str(0), "it's ? here");
    }
    return ok_status();
  }).ok());
}

TEST_F(DbTest, TransactCommitsWhenTheFunctionSucceeds) {
  ASSERT_TRUE(db().transact([&](Conn& c) -> Status {
    SY_TRY(c.exec("INSERT INTO things (id, name) VALUES (?, ?)", {1, "a"}));
    SY_TRY(c.exec("INSERT INTO things (id, name) VALUES (?, ?)", {2, "b"}));
    return ok_status();
  }).ok());
  EXPECT_EQ(count(), 2);
}

TEST_F(DbTest, TransactRollsBackWhenTheFunctionReturnsAnError) {
  ASSERT_TRUE(insert(1, "keep").ok());
  Status st = db().transact([&](Conn& c) -> Status {
    SY_TRY(c.exec("INSERT INTO things (id, name) VALUES (?, ?)", {2, "gone"}));
    SY_TRY(c.exec("UPDATE things SET note = ? WHERE id = ?", {"changed", 1}));
    return make_error("my_error", "出错了", "field_x");
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "my_error");
  EXPECT_EQ(st.error().field, "field_x");
  EXPECT_EQ(count(), 1);
  EXPECT_EQ(count("note IS NULL"), 1);
}

TEST_F(DbTest, TransactRollsBackWhenTheFunctionThrows) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_THROW((void)db().transact([&](Conn& c) -> Status {
      SY_TRY(c.exec("INSERT INTO things (id, name) VALUES (?, ?)", {100 + i, "gone"}));
      throw std::runtime_error("bug");
    }),
                 std::runtime_error);
  }
  EXPECT_EQ(count(), 0);
  // The connection went back to the pool outside any transaction: new work commits normally.
  ASSERT_TRUE(insert(1, "after").ok());
  EXPECT_EQ(count(), 1);
}

TEST_F(DbTest, FailedStatementInsideTransactRollsBackEverything) {
  Status st = db().transact([&](Conn& c) -> Status {
    SY_TRY(c.exec("INSERT INTO things (id, name) VALUES (?, ?)", {1, "a"}));
    SY_TRY(c.exec("INSERT INTO no_such_table (id) VALUES (?)", {1}));
    return ok_status();
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "db_error");
  EXPECT_EQ(count(), 0);
  ASSERT_TRUE(insert(2, "b").ok());
  EXPECT_EQ(count(), 1);
}

TEST_F(DbTest, UniqueConflictIsDbConflict) {
  ASSERT_TRUE(insert(1, "a").ok());
  Status same_key = insert(1, "b");
  ASSERT_FALSE(same_key.ok());
  EXPECT_EQ(same_key.error().code, "db_conflict");
  Status same_name = insert(2, "a");
  ASSERT_FALSE(same_name.ok());
  EXPECT_EQ(same_name.error().code, "db_conflict");
  // Messages are for users: no SQL in them.
  EXPECT_EQ(same_name.error().message.find("INSERT"), std::string::npos);
  EXPECT_EQ(count(), 1);
}

TEST_F(DbTest, ExecCountsChangedRowsAndQueryHelpersHandleNoRows) {
  ASSERT_TRUE(db().transact([&](Conn& c) -> Status {
    for (int i = 1; i <= 3; ++i) {
      SY_TRY(c.exec("INSERT INTO things (id, name, n) VALUES (?, ?, ?)",
                    {i, "n" + std::to_string(i), i}));
    }
    SY_ASSIGN(std::int64_t changed, c.exec("UPDATE things SET note = ? WHERE n >= ?", {"x", 2}));
    EXPECT_EQ(changed, 2);
    SY_ASSIGN(std::int64_t none, c.exec("UPDATE things SET note = ? WHERE n > ?", {"x", 100}));
    EXPECT_EQ(none, 0);
    SY_ASSIGN(auto row, c.query_one("SELECT id FROM things WHERE n = ?", {99}));
    EXPECT_FALSE(row.has_value());
    SY_ASSIGN(std::int64_t zero, c.query_int("SELECT n FROM things WHERE n = ?", {99}));
    EXPECT_EQ(zero, 0);
    SY_ASSIGN(std::int64_t sum, c.query_int("SELECT sum(n) FROM things"));
    EXPECT_EQ(sum, 6);
    return ok_status();
  }).ok());
}

TEST_F(DbTest, ForEachRowStreamsEveryRowInPlace) {
  ASSERT_TRUE(db().transact([&](Conn& c) -> Status {
    for (int i = 1; i <= 3000; ++i) {
      SY_TRY(c.exec("INSERT INTO things (id, name, n, amount, note) VALUES (?, ?, ?, ?, ?)",
                    {i, "名" + std::to_string(i), i % 7, (std::int64_t{1} << 40) + i,
                     i % 3 == 0 ? Value() : Value("note " + std::to_string(i))}));
    }
    return ok_status();
  }).ok());
  std::int64_t rows = 0, last = 0, nulls = 0;
  Status st = db().read([&](Conn& c) -> Status {
    return c.for_each_row("SELECT id, name, amount, note FROM things WHERE n <> ? ORDER BY id", {0},
                          [&](const RowView& r) -> Status {
                            EXPECT_EQ(r.size(), 4u);
                            std::int64_t id = r.i64(0);
                            EXPECT_GT(id, last);
                            last = id;
                            EXPECT_EQ(r.text(1), "名" + std::to_string(id));
                            EXPECT_EQ(r.str(1), "名" + std::to_string(id));
                            EXPECT_EQ(r.i64(2), (std::int64_t{1} << 40) + id);
                            EXPECT_EQ(r.opt_i64(2), (std::int64_t{1} << 40) + id);
                            if (id % 3 == 0) {
                              ++nulls;
                              EXPECT_TRUE(r.is_null(3));
                              EXPECT_EQ(r.text(3), "");
                              EXPECT_EQ(r.opt_i64(3), std::nullopt);
                            } else {
                              EXPECT_FALSE(r.is_null(3));
                              EXPECT_EQ(r.text(3), "note " + std::to_string(id));
                            }
                            ++rows;
                            return ok_status();
                          });
  });
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(rows, count("n <> ?", {0}));
  EXPECT_EQ(nulls, count("n <> ? AND note IS NULL", {0}));
}

TEST_F(DbTest, ForEachRowStopsAtTheCallbacksErrorAndTheConnectionCarriesOn) {
  ASSERT_TRUE(db().transact([&](Conn& c) -> Status {
    for (int i = 1; i <= 500; ++i) SY_TRY(c.exec("INSERT INTO things (id, n) VALUES (?, ?)", {i, i}));
    return ok_status();
  }).ok());
  ASSERT_TRUE(db().transact([&](Conn& c) -> Status {
    int seen = 0;
    Status stopped = c.for_each_row("SELECT id FROM things ORDER BY id", {}, [&](const RowView&) -> Status {
      if (++seen == 10) return make_error("enough", "够了");
      return ok_status();
    });
    EXPECT_FALSE(stopped.ok());
    EXPECT_EQ(stopped.error().code, "enough");
    EXPECT_EQ(seen, 10);
    // The same connection (and the same cached statement) works on, inside the transaction.
    SY_TRY(c.exec("INSERT INTO things (id, n) VALUES (?, ?)", {501, 501}));
    std::int64_t sum = 0;
    SY_TRY(c.for_each_row("SELECT id FROM things ORDER BY id", {}, [&](const RowView& r) -> Status {
      sum += r.i64(0);
      return ok_status();
    }));
    EXPECT_EQ(sum, 501 * 502 / 2);
    // A column past the last one is a bug: it throws, and the connection still works afterwards.
    EXPECT_THROW((void)c.for_each_row("SELECT id FROM things WHERE id < ?", {3},
                                      [&](const RowView& r) -> Status {
                                        (void)r.text(1);
                                        return ok_status();
                                      }),
                 std::out_of_range);
    SY_ASSIGN(std::int64_t n, c.query_int("SELECT count(*) FROM things"));
    EXPECT_EQ(n, 501);
    return ok_status();
  }).ok());
  EXPECT_EQ(count(), 501);
}

TEST_F(DbTest, ForEachRowReportsSqlErrorsWithoutCallingBack) {
  Status st = db().read([&](Conn& c) -> Status {
    int calls = 0;
    Status bad = c.for_each_row("SELECT no_such_column FROM things", {}, [&](const RowView&) -> Status {
      ++calls;
      return ok_status();
    });
    EXPECT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, "db_error");
    EXPECT_EQ(calls, 0);
    SY_ASSIGN(std::int64_t n, c.query_int("SELECT count(*) FROM things"));
    EXPECT_EQ(n, 0);
    return ok_status();
  });
  EXPECT_TRUE(st.ok()) << st.error().message;
}

TEST_F(DbTest, LikeHelpersEscapeWildcards) {
  EXPECT_EQ(like_prefix("abc"), "abc%");
  EXPECT_EQ(like_prefix("100%"), "100\\%%");
  EXPECT_EQ(like_contains("a_b"), "%a\\_b%");
  EXPECT_EQ(like_contains("a\\b"), "%a\\\\b%");
  EXPECT_EQ(like_prefix(""), "%");

  const char* names[] = {"100%", "1000", "100 percent", "a_b", "axb", "a\\b", "ab", "50%off_sale"};
  ASSERT_TRUE(db().transact([&](Conn& c) -> Status {
    int id = 0;
    for (const char* n : names) SY_TRY(c.exec("INSERT INTO things (id, name) VALUES (?, ?)", {++id, n}));
    return ok_status();
  }).ok());
  auto matching = [&](const std::string& pattern) {
    std::vector<std::string> out;
    EXPECT_TRUE(db().read([&](Conn& c) -> Status {
      SY_ASSIGN(Rows rows, c.query("SELECT name FROM things WHERE name LIKE ? ESCAPE '\\' ORDER BY id",
                                   {pattern}));
      for (const auto& r : rows) out.push_back(r.str(0));
      return ok_status();
    }).ok());
    return out;
  };
  EXPECT_EQ(matching(like_prefix("100%")), (std::vector<std::string>{"100%"}));
  EXPECT_EQ(matching(like_prefix("100")), (std::vector<std::string>{"100%", "1000", "100 percent"}));
  EXPECT_EQ(matching(like_contains("_")), (std::vector<std::string>{"a_b", "50%off_sale"}));
  EXPECT_EQ(matching(like_contains("a_b")), (std::vector<std::string>{"a_b"}));
  EXPECT_EQ(matching(like_contains("%")), (std::vector<std::string>{"100%", "50%off_sale"}));
  EXPECT_EQ(matching(like_contains("\\")), (std::vector<std::string>{"a\\b"}));
  EXPECT_EQ(matching(like_contains("%off_")), (std::vector<std::string>{"50%off_sale"}));
}

TEST_F(DbTest, ConcurrentTransactionsSerialise) {
  ASSERT_TRUE(db().transact([&](Conn& c) -> Status {
    SY_TRY(c.exec("INSERT INTO things (id, name, n) VALUES (?, ?, ?)", {1, "counter", 0}));
    return ok_status();
  }).ok());
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        Status st = db().transact([&](Conn& c) -> Status {
          SY_TRY(c.exec("UPDATE things SET n = n + 1 WHERE id = ?", {1}));
          return ok_status();
        });
        if (!st.ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(count("n = ?", {100}), 1);
}

TEST_F(DbTest, CachedStatementFollowsATableThatChangedShape) {
  auto columns = [&]() -> Result<size_t> {
    size_t n = 0;
    SY_TRY(db().read([&](Conn& c) -> Status {
      SY_ASSIGN(Rows rows, c.query("SELECT * FROM things WHERE id = ?", {1}));
      n = rows.empty() ? 0 : rows.front().size();
      return ok_status();
    }));
    return n;
  };
  ASSERT_TRUE(db().transact([](Conn& c) -> Status {
    SY_TRY(c.exec("INSERT INTO things (id, name) VALUES (?, ?)", {1, "a"}));
    return ok_status();
  }).ok());
  for (int i = 0; i < 4; ++i) ASSERT_EQ(*columns(), 6u);  // now cached
  ASSERT_TRUE(db().transact([](Conn& c) {
    return c.exec_script("ALTER TABLE things ADD COLUMN extra TEXT");
  }).ok());
  // PostgreSQL refuses a prepared statement whose result changed shape, once per connection that
  // prepared it ("cached plan must not change result type"); then every call sees the new column.
  int failures = 0;
  for (int i = 0; i < 32; ++i) {
    auto n = columns();
    if (!n.ok()) {
      ++failures;
      continue;
    }
    EXPECT_EQ(*n, 7u);
  }
  EXPECT_LE(failures, 8);  // the pool has 8 connections
  EXPECT_EQ(*columns(), 7u);
}

TEST_F(DbTest, AttachmentIsOnePerDbAndType) {
  struct Counter {
    int n = 0;
  };
  struct Other {
    int n = 0;
  };
  db().attachment<Counter>().n = 5;
  EXPECT_EQ(db().attachment<Counter>().n, 5);
  EXPECT_EQ(&db().attachment<Counter>(), &db().attachment<Counter>());
  EXPECT_EQ(db().attachment<Other>().n, 0);
  auto second = make_test_db();
  EXPECT_EQ(second->db->attachment<Counter>().n, 0);
}

TEST(PoolTest, WaitersAreServedInArrivalOrderAndAReturnerCannotBarge) {
  Pool<int> pool;
  pool.add(std::make_unique<int>(7));
  std::mutex mu;
  std::vector<std::string> order;
  auto note = [&](const std::string& who) {
    std::lock_guard<std::mutex> lock(mu);
    order.push_back(who);
  };
  auto wait_for_waiters = [&](size_t n) {
    for (int i = 0; i < 5000 && pool.waiting() < n; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ASSERT_EQ(pool.waiting(), n);
  };
  std::vector<std::thread> threads;
  {
    auto held = pool.lend();
    for (const char* who : {"first", "second", "third"}) {
      threads.emplace_back([&, who] {
        auto lease = pool.lend();
        EXPECT_EQ(*lease, 7);
        note(who);
      });
      wait_for_waiters(threads.size());
    }
  }
  // The main thread gave its connection back and asks again at once: it queues behind the three.
  {
    auto again = pool.lend();
    note("returner");
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(order, (std::vector<std::string>{"first", "second", "third", "returner"}));
  EXPECT_EQ(pool.waiting(), 0u);
}

TEST(DbOpenTest, RefusesMissingOrUnopenableLocations) {
  auto empty = Db::open("");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, "db_missing");
  auto nowhere = Db::open("/nonexistent-dir-for-sy-tests/sub/x.db");
  ASSERT_FALSE(nowhere.ok());
  EXPECT_EQ(nowhere.error().code, "db_unavailable");
  EXPECT_TRUE(Db::is_postgres_url("postgresql://u@h/db"));
  EXPECT_TRUE(Db::is_postgres_url("postgres://u@h/db"));
  EXPECT_FALSE(Db::is_postgres_url("/var/lib/shuangyong/data.db"));
}

TEST(MigrateTest, MigratesOnceAndRecordsTheVersion) {
  auto t = make_test_db();
  Db& db = *t->db;
  auto before = schema_version(db);
  ASSERT_TRUE(before.ok()) << before.error().message;
  EXPECT_EQ(*before, 0);
  ASSERT_GE(latest_schema_version(), 1);

  auto first = migrate(db);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->from_version, 0);
  EXPECT_EQ(first->to_version, latest_schema_version());
  ASSERT_FALSE(first->applied.empty());
  EXPECT_EQ(first->applied.front(), "0001_foundation");
  EXPECT_EQ(*schema_version(db), latest_schema_version());

  auto second = migrate(db);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_TRUE(second->applied.empty());
  EXPECT_EQ(second->from_version, latest_schema_version());
  EXPECT_EQ(second->to_version, latest_schema_version());
  EXPECT_EQ(*schema_version(db), latest_schema_version());

  ASSERT_TRUE(db.read([&](Conn& c) -> Status {
    SY_ASSIGN(std::int64_t recorded, c.query_int("SELECT count(*) FROM schema_migrations"));
    EXPECT_EQ(recorded, static_cast<std::int64_t>(first->applied.size()));
    for (const char* table : {"regions", "settings", "roles", "users", "sessions", "audit_log"}) {
      auto n = c.query_int(std::string("SELECT count(*) FROM ") + table);
      EXPECT_TRUE(n.ok()) << table;
      if (n.ok()) {
        EXPECT_EQ(*n, 0) << table;
      }
    }
    return ok_status();
  }).ok());
}

TEST(MigrateTest, ConcurrentMigrationsApplyOnce) {
  auto t = make_test_db();
  std::vector<Result<MigrationReport>> reports(3, Result<MigrationReport>(Error{}));
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back([&, i] { reports[i] = migrate(*t->db); });
  }
  for (auto& th : threads) th.join();
  size_t applied = 0;
  for (auto& r : reports) {
    ASSERT_TRUE(r.ok()) << r.error().code << " " << r.error().message;
    applied += r->applied.size();
  }
  EXPECT_EQ(*schema_version(*t->db), latest_schema_version());
  ASSERT_TRUE(t->db->read([&](Conn& c) -> Status {
    SY_ASSIGN(std::int64_t recorded, c.query_int("SELECT count(*) FROM schema_migrations"));
    EXPECT_GE(recorded, 1);
    EXPECT_EQ(static_cast<size_t>(recorded), applied);  // each migration applied by one of them
    return ok_status();
  }).ok());
}

TEST(BackupTest, SqliteBackupOpensWithTheSameRows) {
  auto t = make_sqlite_db();
  Db& db = *t->db;
  ASSERT_TRUE(migrate(db).ok());
  ASSERT_TRUE(db.transact([&](Conn& c) -> Status {
    for (int i = 0; i < 50; ++i) {
      SY_TRY(c.exec("INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)",
                    {"k" + std::to_string(i), "值" + std::to_string(i * i), 1000 + i}));
    }
    return ok_status();
  }).ok());

  std::string out = (std::filesystem::path(t->cleanup) / "backup.db").string();
  Status st = db.backup_to(out);
  ASSERT_TRUE(st.ok()) << st.error().message;

  auto copy = Db::open(out, DbOptions{.pool_size = 1});
  ASSERT_TRUE(copy.ok()) << copy.error().message;
  auto dump = [](Db& d) {
    std::vector<std::string> rows;
    EXPECT_TRUE(d.read([&](Conn& c) -> Status {
      SY_ASSIGN(Rows rs, c.query("SELECT key, value, updated_at FROM settings ORDER BY key"));
      for (const auto& r : rs) rows.push_back(r.str(0) + "|" + r.str(1) + "|" + r.str(2));
      return ok_status();
    }).ok());
    return rows;
  };
  auto original = dump(db);
  EXPECT_EQ(original.size(), 50u);
  EXPECT_EQ(dump(**copy), original);
  EXPECT_EQ(*schema_version(**copy), latest_schema_version());
  ASSERT_TRUE((*copy)->read([&](Conn& c) -> Status {
    SY_ASSIGN(auto check, c.query_one("PRAGMA integrity_check"));
    EXPECT_TRUE(check.has_value());
    if (check) {
      EXPECT_EQ(check->str(0), "ok");
    }
    return ok_status();
  }).ok());
}

TEST(BackupTest, BackupToAnUnwritablePlaceFails) {
  auto t = make_sqlite_db();
  Status st = t->db->backup_to("/nonexistent-dir-for-sy-tests/backup.db");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "backup_failed");
}

TEST(BackupTest, PostgresPointsToPgDump) {
  if (!sy::testing::use_postgres()) GTEST_SKIP() << "PostgreSQL not under test";
  auto t = make_test_db();
  Status st = t->db->backup_to("/tmp/never-written.db");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "backup_use_pg_dump");
  EXPECT_NE(st.error().message.find("pg_dump"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists("/tmp/never-written.db"));
}

TEST(ValueTest, Conversions) {
  EXPECT_EQ(Value("42").as_int(), 42);
  EXPECT_EQ(Value(std::int64_t{7}).as_text(), "7");
  EXPECT_EQ(Value(2.5).as_text(), "2.5");
  EXPECT_DOUBLE_EQ(Value("2.5").as_double(), 2.5);
  EXPECT_TRUE(Value().is_null());
  EXPECT_TRUE(Value(std::optional<int>()).is_null());
  EXPECT_EQ(Value(std::optional<int>(3)).as_int(), 3);
  EXPECT_EQ(Value(false).as_int(), 0);
  EXPECT_EQ(Value().as_text(), "");
}

}  // namespace
}  // namespace sy::store
