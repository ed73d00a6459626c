#include "auth/settings.h"

#include <gtest/gtest.h>

#include <string>

#include "audit/audit.h"
#include "auth/roles.h"
#include "store/migrate.h"
#include "test_support.h"

namespace sy::auth {
namespace {

class SettingsTest : public ::testing::Test {
 protected:
  SettingsTest() : clock_(sy::testing::test_now()), ids_(clock_, 1) {}
  void SetUp() override {
    t_ = sy::testing::make_test_db();
    ASSERT_TRUE(store::migrate(db()).ok());
  }
  store::Db& db() { return *t_->db; }
  Context as_role(const std::string& role) {
    Actor a;
    a.user_id = 300;
    a.username = role + "_user";
    a.region_code = "140924000000";
    a.roles = {role};
    for (const auto& p : find_role(role)->default_permissions) a.permissions.insert(p);
    return Context{db(), clock_, ids_, a};
  }
  Settings current() {
    auto s = load_settings(db());
    EXPECT_TRUE(s.ok());
    return s.ok() ? *s : Settings{};
  }
  // "code/field" of a refused change, "ok" otherwise.
  std::string outcome(const nlohmann::json& changes) {
    auto r = update_settings(as_role("sys_admin"), changes);
    return r.ok() ? "ok" : r.error().code + "/" + r.error().field;
  }
  std::int64_t audit_rows() {
    std::int64_t n = -1;
    EXPECT_TRUE(db().read([&](store::Conn& c) -> Status {
      SY_ASSIGN(n, c.query_int("SELECT count(*) FROM audit_log"));
      return ok_status();
    }).ok());
    return n;
  }

  FixedClock clock_;
  IdGenerator ids_;
  std::unique_ptr<sy::testing::TestDb> t_;
};

TEST_F(SettingsTest, DefaultsFollowTheSecurityBar) {
  Settings s = current();
  EXPECT_EQ(s.password_min_length, 8);
  EXPECT_EQ(s.password_min_classes, 3);
  EXPECT_EQ(s.password_expiry_days, 0);
  EXPECT_EQ(s.session_idle_minutes, 30);
  EXPECT_EQ(s.session_absolute_hours, 12);
  EXPECT_EQ(s.lockout_threshold, 5);
  EXPECT_EQ(s.lockout_minutes, 15);
  EXPECT_EQ(s.ip_max_failures, 20);
  nlohmann::json j = settings_to_json(s);
  EXPECT_EQ(j.size(), 12u);
  EXPECT_EQ(s.import_web_max_mb, 50);
  EXPECT_EQ(s.import_web_max_rows, 100000);
  EXPECT_EQ(j["session_idle_minutes"], 30);
}

TEST_F(SettingsTest, UpdatePersistsAndIsAudited) {
  auto r = update_settings(as_role("sys_admin"),
                           nlohmann::json{{"password_min_length", 10}, {"session_idle_minutes", 20}});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->password_min_length, 10);
  EXPECT_EQ(r->session_idle_minutes, 20);
  EXPECT_EQ(r->lockout_threshold, 5);
  Settings s = current();
  EXPECT_EQ(s.password_min_length, 10);
  EXPECT_EQ(s.session_idle_minutes, 20);
  EXPECT_EQ(s.lockout_minutes, 15);

  // A second change updates the stored row in place.
  ASSERT_TRUE(update_settings(as_role("sys_admin"), nlohmann::json{{"password_min_length", 12}}).ok());
  EXPECT_EQ(current().password_min_length, 12);
  ASSERT_TRUE(db().read([&](store::Conn& c) -> Status {
    SY_ASSIGN(auto row, c.query_one("SELECT value, version, updated_by FROM settings WHERE key = ?",
                                    {"password_min_length"}));
    EXPECT_TRUE(row.has_value());
    if (row) {
      EXPECT_EQ(row->str(0), "12");
      EXPECT_EQ(row->i64(1), 2);
      EXPECT_EQ(row->opt_i64(2), 300);
    }
    return ok_status();
  }).ok());

  auto rows = audit::search(Context{db(), clock_, ids_, Actor::system_actor()},
                            audit::Query{.action = "settings.update"});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->total, 2);
  auto before = nlohmann::json::parse(rows->items[1].before_json.value());
  auto after = nlohmann::json::parse(rows->items[1].after_json.value());
  EXPECT_EQ(before["password_min_length"], 8);
  EXPECT_EQ(after["password_min_length"], 10);
  EXPECT_EQ(after["session_idle_minutes"], 20);
  EXPECT_EQ(rows->items[1].username, "sys_admin_user");
}

TEST_F(SettingsTest, OutOfRangeValuesNameTheirField) {
  EXPECT_EQ(outcome({{"password_min_length", 7}}), "invalid_setting/password_min_length");
  EXPECT_EQ(outcome({{"password_min_length", 65}}), "invalid_setting/password_min_length");
  EXPECT_EQ(outcome({{"password_min_classes", 0}}), "invalid_setting/password_min_classes");
  EXPECT_EQ(outcome({{"password_min_classes", 5}}), "invalid_setting/password_min_classes");
  EXPECT_EQ(outcome({{"password_expiry_days", -1}}), "invalid_setting/password_expiry_days");
  EXPECT_EQ(outcome({{"session_idle_minutes", 0}}), "invalid_setting/session_idle_minutes");
  EXPECT_EQ(outcome({{"session_absolute_hours", 73}}), "invalid_setting/session_absolute_hours");
  EXPECT_EQ(outcome({{"lockout_threshold", 2}}), "invalid_setting/lockout_threshold");
  EXPECT_EQ(outcome({{"lockout_minutes", 1441}}), "invalid_setting/lockout_minutes");
  EXPECT_EQ(outcome({{"ip_max_failures", 4}}), "invalid_setting/ip_max_failures");
  // Values that would overflow an int are out of range too, not wrapped.
  EXPECT_EQ(outcome({{"lockout_minutes", 4294967311LL}}), "invalid_setting/lockout_minutes");
  EXPECT_EQ(current().lockout_minutes, 15);
}

TEST_F(SettingsTest, NonIntegersAndUnknownKeys) {
  EXPECT_EQ(outcome({{"password_min_length", "10"}}), "invalid_setting/password_min_length");
  EXPECT_EQ(outcome({{"password_min_length", 10.5}}), "invalid_setting/password_min_length");
  EXPECT_EQ(outcome({{"password_min_length", true}}), "invalid_setting/password_min_length");
  EXPECT_EQ(outcome({{"password_min_length", nullptr}}), "invalid_setting/password_min_length");
  EXPECT_EQ(outcome({{"colour", 1}}), "unknown_setting/colour");
  auto not_object = update_settings(as_role("sys_admin"), nlohmann::json::array({1, 2}));
  ASSERT_FALSE(not_object.ok());
  EXPECT_EQ(not_object.error().code, "invalid_body");
}

TEST_F(SettingsTest, BoundariesAreAccepted) {
  EXPECT_EQ(outcome({{"password_min_length", 8},
                     {"password_min_classes", 4},
                     {"password_expiry_days", 3650},
                     {"session_idle_minutes", 240},
                     {"session_absolute_hours", 1},
                     {"lockout_threshold", 20},
                     {"lockout_minutes", 1},
                     {"ip_max_failures", 1000}}),
            "ok");
  Settings s = current();
  EXPECT_EQ(s.password_min_classes, 4);
  EXPECT_EQ(s.password_expiry_days, 3650);
  EXPECT_EQ(s.session_idle_minutes, 240);
  EXPECT_EQ(s.session_absolute_hours, 1);
  EXPECT_EQ(s.lockout_threshold, 20);
  EXPECT_EQ(s.lockout_minutes, 1);
  EXPECT_EQ(s.ip_max_failures, 1000);
  EXPECT_EQ(outcome({{"password_expiry_days", 0}}), "ok");
  EXPECT_EQ(current().password_expiry_days, 0);
}

TEST_F(SettingsTest, OneBadValueChangesNothing) {
  std::int64_t before = audit_rows();
  EXPECT_EQ(outcome({{"password_min_length", 12}, {"lockout_threshold", 1}}),
            "invalid_setting/lockout_threshold");
  EXPECT_EQ(current().password_min_length, 8);
  EXPECT_EQ(audit_rows(), before);
}

TEST_F(SettingsTest, OnlySettingsManagersUpdate) {
  for (const char* role : {"sec_admin", "auditor", "biz_admin", "clerk"}) {
    auto r = update_settings(as_role(role), nlohmann::json{{"password_min_length", 12}});
    ASSERT_FALSE(r.ok()) << role;
    EXPECT_EQ(r.error().code, "forbidden") << role;
  }
  EXPECT_EQ(current().password_min_length, 8);
  EXPECT_EQ(audit_rows(), 0);
}

TEST_F(SettingsTest, StoredValuesOutOfRangeFallBackToDefaults) {
  ASSERT_TRUE(db().transact([&](store::Conn& tx) -> Status {
    SY_TRY(tx.exec("INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)",
                   {"password_min_length", "3", 1}));
    SY_TRY(tx.exec("INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)",
                   {"lockout_minutes", "abc", 1}));
    SY_TRY(tx.exec("INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)",
                   {"session_idle_minutes", "45", 1}));
    return ok_status();
  }).ok());
  Settings s = current();
  EXPECT_EQ(s.password_min_length, 8);
  EXPECT_EQ(s.lockout_minutes, 15);
  EXPECT_EQ(s.session_idle_minutes, 45);
}

}  // namespace
}  // namespace sy::auth
