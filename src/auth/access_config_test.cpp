// The in-memory settings and permissions snapshot and the config_version counter it is checked
// against, on the backend under test.
#include "auth/access_config.h"

#include <gtest/gtest.h>

#include "auth/roles.h"
#include "store/migrate.h"
#include "test_support.h"

namespace sy::auth {
namespace {

class AccessConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    t_ = sy::testing::make_test_db();
    ASSERT_TRUE(store::migrate(db()).ok());
    ASSERT_TRUE(db().transact([](store::Conn& tx) { return seed_roles(tx, 1000); }).ok());
  }
  store::Db& db() { return *t_->db; }
  std::int64_t version() {
    std::int64_t v = -1;
    EXPECT_TRUE(db().read([&](store::Conn& c) -> Status {
      SY_ASSIGN(v, read_config_version(c));
      return ok_status();
    }).ok());
    return v;
  }
  void write(const std::string& sql, const store::Params& params = {}) {
    Status st = db().transact([&](store::Conn& tx) -> Status {
      SY_TRY(tx.exec(sql, params));
      return ok_status();
    });
    ASSERT_TRUE(st.ok()) << sql << ": " << st.error().message;
  }
  std::shared_ptr<const AccessConfig> config(std::int64_t v) {
    std::shared_ptr<const AccessConfig> out;
    Status st = db().read([&](store::Conn& c) -> Status {
      SY_ASSIGN(out, access_config(db(), c, v));
      return ok_status();
    });
    EXPECT_TRUE(st.ok());
    return out;
  }

  std::unique_ptr<sy::testing::TestDb> t_;
};

TEST_F(AccessConfigTest, VersionMovesWithEveryWriteToSettingsRolesAndRegions) {
  std::int64_t v = version();
  ASSERT_GT(v, 0);
  const char* writes[] = {
      "INSERT INTO settings (key, value, updated_at) VALUES ('lockout_minutes', '20', 1)",
      "UPDATE settings SET value = '25' WHERE key = 'lockout_minutes'",
      "DELETE FROM settings WHERE key = 'lockout_minutes'",
      "UPDATE roles SET permissions = 'dashboard:read' WHERE code = 'viewer'",
      "INSERT INTO regions (code, name, short_name, level, created_at, updated_at) VALUES "
      "('140924000000', '繁峙县', '繁峙县', 'county', 1, 1)",
      "UPDATE regions SET short_name = '繁峙' WHERE code = '140924000000'",
  };
  for (const char* sql : writes) {
    write(sql);
    std::int64_t after = version();
    EXPECT_GT(after, v) << sql;
    v = after;
  }
  // Other tables leave it alone: sessions and users are read afresh on every request anyway.
  write("INSERT INTO users (id, username, display_name, region_code, roles, password_hash, "
        "password_changed_at, created_at, updated_at) VALUES (1, 'u1', '李明', '140924000000', "
        "'clerk', 'x', 1, 1, 1)");
  write("UPDATE users SET display_name = '王芳' WHERE id = 1");
  EXPECT_EQ(version(), v);
  // A write that is rolled back leaves no trace either.
  Status failed = db().transact([](store::Conn& tx) -> Status {
    SY_TRY(tx.exec("UPDATE roles SET permissions = '' WHERE code = 'clerk'"));
    return make_error("test_rollback", "回滚");
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(version(), v);
}

TEST_F(AccessConfigTest, SnapshotIsReusedForItsVersionAndReloadedForAnother) {
  std::int64_t v = version();
  auto first = config(v);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->version, v);
  EXPECT_TRUE(first->role_permissions.at("viewer").contains("business:read"));
  EXPECT_EQ(first->settings.session_idle_minutes, 30);
  EXPECT_EQ(config(v).get(), first.get());  // no reload while the version stands

  write("UPDATE roles SET permissions = 'dashboard:read' WHERE code = 'viewer'");
  write("INSERT INTO settings (key, value, updated_at) VALUES ('session_idle_minutes', '7', 1)");
  std::int64_t v2 = version();
  auto second = config(v2);
  ASSERT_TRUE(second);
  EXPECT_NE(second.get(), first.get());
  EXPECT_EQ(second->version, v2);
  EXPECT_EQ(second->role_permissions.at("viewer"), (std::set<std::string, std::less<>>{"dashboard:read"}));
  EXPECT_EQ(second->settings.session_idle_minutes, 7);
  // The old snapshot is unchanged for whoever still holds it.
  EXPECT_TRUE(first->role_permissions.at("viewer").contains("business:read"));

  // Each Db has its own cache.
  auto other = store::Db::open(t_->url);
  ASSERT_TRUE(other.ok());
  std::shared_ptr<const AccessConfig> from_other;
  ASSERT_TRUE((*other)->read([&](store::Conn& c) -> Status {
    SY_ASSIGN(from_other, access_config(**other, c, v2));
    return ok_status();
  }).ok());
  EXPECT_NE(from_other.get(), second.get());
  EXPECT_EQ(from_other->settings.session_idle_minutes, 7);
}

}  // namespace
}  // namespace sy::auth
