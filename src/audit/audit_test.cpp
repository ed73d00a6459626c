#include "audit/audit.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "store/migrate.h"
#include "test_support.h"

namespace sy::audit {
namespace {

Actor auditor_actor(bool can_export = true) {
  Actor a;
  a.user_id = 900;
  a.username = "auditor";
  a.region_code = "140924000000";
  a.ip = "10.1.2.3";
  a.permissions = {"audit:read"};
  if (can_export) a.permissions.insert("audit:export");
  return a;
}

Actor clerk_actor() {
  Actor a;
  a.user_id = 901;
  a.username = "fc_clerk";
  a.region_code = "140924100000";
  a.ip = "10.1.2.4";
  a.permissions = {"business:read", "business:write", "region:read"};
  return a;
}

class AuditTest : public ::testing::Test {
 protected:
  AuditTest() : clock_(sy::testing::test_now()), ids_(clock_, 1) {}
  void SetUp() override {
    t_ = sy::testing::make_test_db();
    auto m = store::migrate(db());
    ASSERT_TRUE(m.ok()) << m.error().message;
  }
  store::Db& db() { return *t_->db; }
  Context ctx(Actor a) { return Context{db(), clock_, ids_, std::move(a)}; }

  std::int64_t count(const std::string& sql, const store::Params& p = {}) {
    std::int64_t n = -1;
    EXPECT_TRUE(db().read([&](store::Conn& c) -> Status {
      SY_ASSIGN(n, c.query_int(sql, p));
      return ok_status();
    }).ok());
    return n;
  }
  std::int64_t audit_rows() { return count("SELECT count(*) FROM audit_log"); }

  // A settings row written through mutate, as every service writes.
  Status set_value(const Context& c, const std::string& key, const std::string& value) {
    return mutate(c, [&](store::Conn& tx, Entry& e) -> Status {
      SY_TRY(tx.exec("INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)",
                     {key, value, c.now()}));
      e = Entry{.action = "settings.update",
                .entity = "settings",
                .entity_id = key,
                .region_code = c.actor.region_code,
                .after = nlohmann::json{{key, value}}};
      return ok_status();
    });
  }

  FixedClock clock_;
  IdGenerator ids_;
  std::unique_ptr<sy::testing::TestDb> t_;
};

TEST_F(AuditTest, MutateWritesTheChangeAndItsRowTogether) {
  Context c = ctx(clerk_actor());
  ASSERT_TRUE(set_value(c, "k1", "v1").ok());
  EXPECT_EQ(count("SELECT count(*) FROM settings WHERE key = ?", {"k1"}), 1);

  Context reader = ctx(auditor_actor());
  auto page = search(reader, Query{});
  ASSERT_TRUE(page.ok()) << page.error().message;
  ASSERT_EQ(page->total, 1);
  const Row& r = page->items.at(0);
  EXPECT_EQ(r.action, "settings.update");
  EXPECT_EQ(r.entity, "settings");
  EXPECT_EQ(r.entity_id, "k1");
  EXPECT_EQ(r.username, "fc_clerk");
  EXPECT_EQ(r.user_id, 901);
  EXPECT_EQ(r.ip, "10.1.2.4");
  EXPECT_EQ(r.region_code, "140924100000");
  EXPECT_EQ(r.at, sy::testing::test_now());
  EXPECT_EQ(r.result, "ok");
  EXPECT_FALSE(r.before_json.has_value());
  ASSERT_TRUE(r.after_json.has_value());
  EXPECT_EQ(nlohmann::json::parse(*r.after_json), (nlohmann::json{{"k1", "v1"}}));
}

TEST_F(AuditTest, FailedChangeWritesNeitherChangeNorRow) {
  Context c = ctx(clerk_actor());
  Status st = mutate(c, [&](store::Conn& tx, Entry& e) -> Status {
    SY_TRY(tx.exec("INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)",
                   {"k1", "v1", c.now()}));
    e.action = "settings.update";
    return make_error("invalid_setting", "不对", "k1");
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "invalid_setting");
  EXPECT_EQ(count("SELECT count(*) FROM settings"), 0);
  EXPECT_EQ(audit_rows(), 0);
}

TEST_F(AuditTest, ChangeThatThrowsWritesNeitherChangeNorRow) {
  Context c = ctx(clerk_actor());
  EXPECT_THROW((void)mutate(c,
                            [&](store::Conn& tx, Entry& e) -> Status {
                              SY_TRY(tx.exec("INSERT INTO settings (key, value, updated_at) VALUES "
                                             "(?, ?, ?)",
                                             {"k1", "v1", c.now()}));
                              e.action = "settings.update";
                              throw std::runtime_error("bug");
                            }),
               std::runtime_error);
  // A change that forgets to name its action is a bug too: nothing is written.
  EXPECT_THROW((void)mutate(c,
                            [&](store::Conn& tx, Entry&) -> Status {
                              SY_TRY(tx.exec("INSERT INTO settings (key, value, updated_at) VALUES "
                                             "(?, ?, ?)",
                                             {"k2", "v2", c.now()}));
                              return ok_status();
                            }),
               std::logic_error);
  EXPECT_EQ(count("SELECT count(*) FROM settings"), 0);
  EXPECT_EQ(audit_rows(), 0);
}

TEST_F(AuditTest, FailedAuditInsertUndoesTheChange) {
  Context c = ctx(clerk_actor());
  ASSERT_TRUE(set_value(c, "k1", "v1").ok());
  // Force the audit insert to collide with the previous row's id: the change must roll back.
  IdGenerator replay(clock_, 1);
  Context again{db(), clock_, replay, clerk_actor()};
  Status st = mutate(again, [&](store::Conn& tx, Entry& e) -> Status {
    SY_TRY(tx.exec("INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)",
                   {"k2", "v2", again.now()}));
    e.action = "settings.update";
    return ok_status();
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "db_conflict");
  EXPECT_EQ(count("SELECT count(*) FROM settings WHERE key = ?", {"k2"}), 0);
  EXPECT_EQ(audit_rows(), 1);
}

TEST_F(AuditTest, DatabaseRefusesUpdateAndDeleteOfAuditRows) {
  Context c = ctx(clerk_actor());
  ASSERT_TRUE(record_now(c, Entry{.action = "session.login", .entity = "session"}).ok());
  Status update = db().transact([&](store::Conn& tx) -> Status {
    SY_TRY(tx.exec("UPDATE audit_log SET action = ?", {"tampered"}));
    return ok_status();
  });
  EXPECT_FALSE(update.ok());
  Status remove = db().transact([&](store::Conn& tx) -> Status {
    SY_TRY(tx.exec("DELETE FROM audit_log"));
    return ok_status();
  });
  EXPECT_FALSE(remove.ok());
  // Even a script outside the app's helpers is refused.
  Status script = db().transact([&](store::Conn& tx) -> Status {
    return tx.exec_script("DELETE FROM audit_log WHERE 1=1");
  });
  EXPECT_FALSE(script.ok());
  if (db().dialect() == store::Dialect::kPostgres) {
    Status truncate = db().transact([&](store::Conn& tx) -> Status {
      return tx.exec_script("TRUNCATE audit_log");
    });
    EXPECT_FALSE(truncate.ok());
  }
  EXPECT_EQ(audit_rows(), 1);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = ?", {"session.login"}), 1);
}

TEST_F(AuditTest, RecordNowKeepsFailures) {
  Context c = ctx(clerk_actor());
  ASSERT_TRUE(record_now(c, Entry{.action = "session.login_failed",
                                  .entity = "user",
                                  .result = "failed",
                                  .detail = "密码错误"})
                  .ok());
  auto page = search(ctx(auditor_actor()), Query{.result = "failed"});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->total, 1);
  EXPECT_EQ(page->items[0].detail, "密码错误");
  EXPECT_EQ(page->items[0].result, "failed");
}

class AuditSearchTest : public AuditTest {
 protected:
  void SetUp() override {
    AuditTest::SetUp();
    start_ = clock_.now_ms();
    Actor alice = clerk_actor();
    alice.username = "alice";
    Actor bob = clerk_actor();
    bob.username = "bob";
    bob.user_id = 902;
    // One row a minute: alice 6 rows, bob 4 rows, of several actions.
    const struct {
      Actor* who;
      const char* action;
      const char* entity;
      const char* id;
      const char* result;
    } rows[] = {
        {&alice, "session.login", "session", "1", "ok"},
        {&alice, "user.create", "user", "11", "ok"},
        {&bob, "session.login_failed", "user", "12", "failed"},
        {&alice, "user.update", "user", "11", "ok"},
        {&bob, "user_x.create", "user_x", "13", "ok"},
        {&alice, "userzx.create", "user", "14", "ok"},
        {&bob, "user.create", "user", "15", "ok"},
        {&alice, "session.logout", "session", "1", "ok"},
        {&bob, "settings.update", "settings", "system", "ok"},
        {&alice, "user.disable", "user", "11", "ok"},
    };
    for (const auto& r : rows) {
      ASSERT_TRUE(record_now(ctx(*r.who), Entry{.action = r.action,
                                                .entity = r.entity,
                                                .entity_id = r.id,
                                                .result = r.result})
                      .ok());
      clock_.advance_ms(60 * 1000);
    }
  }
  std::vector<std::string> actions(const Query& q) {
    auto page = search(ctx(auditor_actor()), q);
    EXPECT_TRUE(page.ok()) << page.error().message;
    std::vector<std::string> out;
    if (page.ok()) {
      for (const auto& r : page->items) out.push_back(r.action);
    }
    return out;
  }
  Millis start_ = 0;
};

TEST_F(AuditSearchTest, NewestFirstWithTotal) {
  auto page = search(ctx(auditor_actor()), Query{});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 10);
  ASSERT_EQ(page->items.size(), 10u);
  EXPECT_EQ(page->items.front().action, "user.disable");
  EXPECT_EQ(page->items.back().action, "session.login");
  for (size_t i = 1; i < page->items.size(); ++i) {
    EXPECT_GT(page->items[i - 1].id, page->items[i].id);
    EXPECT_GE(page->items[i - 1].at, page->items[i].at);
  }
}

TEST_F(AuditSearchTest, FiltersByUserEntityResultAndAction) {
  EXPECT_EQ(actions(Query{.username = "bob"}),
            (std::vector<std::string>{"settings.update", "user.create", "user_x.create",
                                      "session.login_failed"}));
  EXPECT_EQ(actions(Query{.entity = "session"}),
            (std::vector<std::string>{"session.logout", "session.login"}));
  EXPECT_EQ(actions(Query{.entity = "user", .entity_id = "11"}),
            (std::vector<std::string>{"user.disable", "user.update", "user.create"}));
  EXPECT_EQ(actions(Query{.result = "failed"}), (std::vector<std::string>{"session.login_failed"}));
  EXPECT_EQ(actions(Query{.username = "alice", .action = "user.create"}),
            (std::vector<std::string>{"user.create"}));
  EXPECT_TRUE(actions(Query{.username = "nobody"}).empty());
}

TEST_F(AuditSearchTest, ActionWithoutDotMatchesItsFamilyOnly) {
  // "user" is user.*, not user_x.*; "user_x" is not userzx.* (LIKE wildcards in filters are literal).
  EXPECT_EQ(actions(Query{.action = "user"}),
            (std::vector<std::string>{"user.disable", "user.create", "user.update", "user.create"}));
  EXPECT_EQ(actions(Query{.action = "user_x"}), (std::vector<std::string>{"user_x.create"}));
  EXPECT_EQ(actions(Query{.action = "session"}),
            (std::vector<std::string>{"session.logout", "session.login_failed", "session.login"}));
  EXPECT_TRUE(actions(Query{.action = "use"}).empty());
  EXPECT_TRUE(actions(Query{.action = "user%"}).empty());
}

TEST_F(AuditSearchTest, TimeRangeIsHalfOpen) {
  constexpr Millis kMinute = 60 * 1000;
  // Rows are at start, start+1min, ..., start+9min.
  EXPECT_EQ(actions(Query{.from = start_ + 2 * kMinute, .to = start_ + 4 * kMinute}),
            (std::vector<std::string>{"user.update", "session.login_failed"}));
  EXPECT_EQ(actions(Query{.from = start_ + 9 * kMinute}), (std::vector<std::string>{"user.disable"}));
  EXPECT_EQ(actions(Query{.to = start_ + 1}), (std::vector<std::string>{"session.login"}));
  EXPECT_TRUE(actions(Query{.from = start_ + 10 * kMinute}).empty());
}

TEST_F(AuditSearchTest, Paging) {
  Context c = ctx(auditor_actor());
  std::vector<std::int64_t> seen;
  for (int p = 1; p <= 4; ++p) {
    auto page = search(c, Query{.page = PageRequest{.page = p, .size = 3}});
    ASSERT_TRUE(page.ok());
    EXPECT_EQ(page->total, 10);
    EXPECT_EQ(page->page, p);
    EXPECT_EQ(page->size, 3);
    EXPECT_EQ(page->items.size(), p < 4 ? 3u : 1u);
    for (const auto& r : page->items) seen.push_back(r.id);
  }
  ASSERT_EQ(seen.size(), 10u);
  for (size_t i = 1; i < seen.size(); ++i) EXPECT_GT(seen[i - 1], seen[i]);
  auto beyond = search(c, Query{.page = PageRequest{.page = 5, .size = 3}});
  ASSERT_TRUE(beyond.ok());
  EXPECT_TRUE(beyond->items.empty());
  EXPECT_EQ(beyond->total, 10);
  // Filter and paging together.
  auto bob = search(c, Query{.username = "bob", .page = PageRequest{.page = 2, .size = 3}});
  ASSERT_TRUE(bob.ok());
  EXPECT_EQ(bob->total, 4);
  ASSERT_EQ(bob->items.size(), 1u);
  EXPECT_EQ(bob->items[0].action, "session.login_failed");
}

TEST_F(AuditSearchTest, SearchNeedsAuditRead) {
  auto denied = search(ctx(clerk_actor()), Query{});
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, "forbidden");
  EXPECT_TRUE(search(ctx(auditor_actor(false)), Query{}).ok());
  EXPECT_TRUE(search(ctx(Actor::system_actor()), Query{}).ok());
}

TEST_F(AuditSearchTest, ExportNeedsAuditExportAndIsItselfAudited) {
  std::int64_t before = audit_rows();
  auto denied = export_rows(ctx(auditor_actor(false)), Query{});
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, "forbidden");
  auto denied2 = export_rows(ctx(clerk_actor()), Query{});
  ASSERT_FALSE(denied2.ok());
  EXPECT_EQ(audit_rows(), before);

  auto rows = export_rows(ctx(auditor_actor()), Query{.username = "alice"});
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  EXPECT_EQ(rows->size(), 6u);
  for (const auto& r : *rows) EXPECT_EQ(r.username, "alice");
  EXPECT_EQ(audit_rows(), before + 1);

  auto exports = search(ctx(auditor_actor()), Query{.action = "audit.export"});
  ASSERT_TRUE(exports.ok());
  ASSERT_EQ(exports->total, 1);
  const Row& e = exports->items[0];
  EXPECT_EQ(e.username, "auditor");
  EXPECT_EQ(e.ip, "10.1.2.3");
  EXPECT_EQ(e.entity, "audit_log");
  ASSERT_TRUE(e.after_json.has_value());
  auto after = nlohmann::json::parse(*e.after_json);
  EXPECT_EQ(after["username"], "alice");
  EXPECT_EQ(after["rows"], 6);

  // The audit row holds the whole filter, time range included.
  auto ranged = export_rows(ctx(auditor_actor()),
                            Query{.entity = "user", .entity_id = "11", .from = start_, .to = start_ + 60000});
  ASSERT_TRUE(ranged.ok());
  EXPECT_EQ(ranged->size(), 0u);  // user 11 was first touched a minute later
  auto last = search(ctx(auditor_actor()), Query{.action = "audit.export"});
  ASSERT_TRUE(last.ok());
  ASSERT_EQ(last->total, 2);
  auto filter = nlohmann::json::parse(last->items[0].after_json.value());
  EXPECT_EQ(filter["entity_id"], "11");
  EXPECT_EQ(filter["from"], format_iso_shanghai(start_));
  EXPECT_EQ(filter["to"], format_iso_shanghai(start_ + 60000));
  EXPECT_EQ(filter["rows"], 0);
  EXPECT_TRUE(after["from"].is_null());

  before = audit_rows();
  auto limited = export_rows(ctx(auditor_actor()), Query{}, 4);
  ASSERT_TRUE(limited.ok());
  EXPECT_EQ(limited->size(), 4u);
  EXPECT_EQ(audit_rows(), before + 1);
}

TEST(AuditLabelTest, KnownActionsHaveChineseLabels) {
  EXPECT_EQ(action_label("session.login"), "登录");
  EXPECT_EQ(action_label("audit.export"), "导出审计日志");
  EXPECT_EQ(action_label("user.locked"), "账户锁定");
  EXPECT_EQ(action_label("household.join"), "加入其他户");
  EXPECT_EQ(action_label("payroll.approve"), "审核发放批次");
  EXPECT_EQ(action_label("something.new"), "something.new");
}

}  // namespace
}  // namespace sy::audit
