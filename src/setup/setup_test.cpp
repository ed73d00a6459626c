#include "setup/setup.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "audit/audit.h"
#include "auth/password.h"
#include "auth/users.h"
#include "store/migrate.h"
#include "test_support.h"

namespace sy::setup {
namespace {

constexpr const char* kPassword = "Fanshi#2026";

class SetupTest : public ::testing::Test {
 protected:
  SetupTest() : clock_(sy::testing::test_now()), ids_(clock_, 1) {}
  void SetUp() override { t_ = sy::testing::make_test_db(); }
  store::Db& db() { return *t_->db; }
  Context sys() { return Context{db(), clock_, ids_, Actor::system_actor()}; }

  // Row count of every table in the database, by name.
  std::map<std::string, std::int64_t> table_counts() {
    std::map<std::string, std::int64_t> out;
    EXPECT_TRUE(db().read([&](store::Conn& c) -> Status {
      std::string list = c.dialect() == store::Dialect::kSqlite
                             ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT "
                               "LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
                             : "SELECT table_name FROM information_schema.tables WHERE "
                               "table_schema = current_schema() ORDER BY table_name";
      SY_ASSIGN(store::Rows tables, c.query(list));
      for (const auto& t : tables) {
        SY_ASSIGN(out[t.str(0)], c.query_int("SELECT count(*) FROM " + t.str(0)));
      }
      return ok_status();
    }).ok());
    return out;
  }
  std::int64_t rows_in(const std::string& table) {
    auto counts = table_counts();
    auto it = counts.find(table);
    return it == counts.end() ? -1 : it->second;
  }

  FixedClock clock_;
  IdGenerator ids_;
  std::unique_ptr<sy::testing::TestDb> t_;
};

TEST_F(SetupTest, InitializesSchemaRolesRegionsAndAdmin) {
  auto before = is_initialized(db());
  ASSERT_TRUE(before.ok());
  EXPECT_FALSE(*before);

  auto r = initialize(db(), clock_, ids_, InitOptions{.county = "140924", .admin_password = kPassword});
  ASSERT_TRUE(r.ok()) << r.error().code << " " << r.error().message;
  EXPECT_EQ(r->schema_version, store::latest_schema_version());
  EXPECT_EQ(r->county_code, "140924000000");
  EXPECT_EQ(r->county_name, "繁峙县");
  EXPECT_EQ(r->admin_username, "admin");
  EXPECT_GT(r->regions, 200);
  EXPECT_TRUE(*is_initialized(db()));

  auto counts = table_counts();
  EXPECT_EQ(counts["regions"], r->regions);
  EXPECT_EQ(counts["roles"], 6);
  EXPECT_EQ(counts["users"], 1);
  EXPECT_EQ(counts["sessions"], 0);

  auto admin = auth::find_user_by_name(sys(), "admin");
  ASSERT_TRUE(admin.ok());
  EXPECT_EQ(admin->roles, (std::vector<std::string>{"sys_admin"}));
  EXPECT_EQ(admin->region_code, "140924000000");
  EXPECT_EQ(admin->display_name, "系统管理员");
  EXPECT_TRUE(admin->must_change_password);  // the initial admin must change the password

  for (const char* action : {"system.init", "region.load", "user.create"}) {
    auto rows = audit::search(sys(), audit::Query{.action = action});
    ASSERT_TRUE(rows.ok());
    EXPECT_EQ(rows->total, 1) << action;
  }
  auto init_row = audit::search(sys(), audit::Query{.action = "system.init"});
  auto after = nlohmann::json::parse(init_row->items.at(0).after_json.value());
  EXPECT_EQ(after["county"], "繁峙县");
  EXPECT_EQ(after["admin"], "admin");
}

TEST_F(SetupTest, SecondInitIsRefusedAndWritesNothing) {
  ASSERT_TRUE(initialize(db(), clock_, ids_, InitOptions{.county = "140924", .admin_password = kPassword})
                  .ok());
  auto before = table_counts();
  ASSERT_FALSE(before.empty());

  for (const char* county : {"140924", "140925"}) {
    auto again = initialize(db(), clock_, ids_,
                            InitOptions{.county = county,
                                        .admin_username = "admin2",
                                        .admin_password = "Other#2026x"});
    ASSERT_FALSE(again.ok()) << county;
    EXPECT_EQ(again.error().code, "already_initialized");
    EXPECT_EQ(again.error().field, "db");
    EXPECT_NE(again.error().message.find("繁峙县"), std::string::npos);
  }
  EXPECT_EQ(table_counts(), before);
}

TEST_F(SetupTest, WeakAdminPasswordWritesNoRegionsOrUsers) {
  auto weak = initialize(db(), clock_, ids_, InitOptions{.county = "140924", .admin_password = "admin123"});
  ASSERT_FALSE(weak.ok());
  EXPECT_EQ(weak.error().code, "weak_password");
  EXPECT_EQ(weak.error().field, "admin_password");
  auto counts = table_counts();
  for (const char* table : {"regions", "users", "roles", "audit_log", "settings", "sessions"}) {
    EXPECT_EQ(counts[table], 0) << table;
  }
  EXPECT_FALSE(*is_initialized(db()));

  // All or nothing: a second attempt with a good password succeeds.
  auto retry = initialize(db(), clock_, ids_, InitOptions{.county = "140924", .admin_password = kPassword});
  ASSERT_TRUE(retry.ok()) << retry.error().message;
  EXPECT_EQ(rows_in("users"), 1);
  EXPECT_EQ(rows_in("roles"), 6);
}

TEST_F(SetupTest, PasswordContainingTheAdminNameIsRefused) {
  auto r = initialize(db(), clock_, ids_,
                      InitOptions{.county = "140924", .admin_username = "fanshi", .admin_password = kPassword});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "weak_password");
  EXPECT_EQ(rows_in("regions"), 0);
  EXPECT_EQ(rows_in("users"), 0);
}

TEST_F(SetupTest, BadCountyOrAdminNameWritesNothing) {
  auto unknown = initialize(db(), clock_, ids_, InitOptions{.county = "999999", .admin_password = kPassword});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, "unknown_county");
  auto malformed = initialize(db(), clock_, ids_, InitOptions{.county = "14092", .admin_password = kPassword});
  ASSERT_FALSE(malformed.ok());
  EXPECT_EQ(malformed.error().code, "invalid_county");
  auto bad_name = initialize(db(), clock_, ids_,
                             InitOptions{.county = "140924", .admin_username = "1admin", .admin_password = kPassword});
  ASSERT_FALSE(bad_name.ok());
  EXPECT_EQ(bad_name.error().code, "invalid_username");
  auto counts = table_counts();
  for (const char* table : {"regions", "users", "roles", "audit_log"}) {
    EXPECT_EQ(counts[table], 0) << table;
  }
}

TEST_F(SetupTest, AdminNeedNotChangeThePasswordWhenAsked) {
  auto r = initialize(db(), clock_, ids_,
                      InitOptions{.county = "140924",
                                  .admin_username = "root_admin",
                                  .admin_display_name = "县双拥办管理员",
                                  .admin_password = kPassword,
                                  .admin_must_change_password = false});
  ASSERT_TRUE(r.ok()) << r.error().message;
  auto admin = auth::find_user_by_name(sys(), "root_admin");
  ASSERT_TRUE(admin.ok());
  EXPECT_FALSE(admin->must_change_password);
  EXPECT_EQ(admin->display_name, "县双拥办管理员");
  ASSERT_TRUE(db().read([&](store::Conn& c) -> Status {
    SY_ASSIGN(auto row, c.query_one("SELECT password_hash FROM users WHERE username = ?", {"root_admin"}));
    EXPECT_TRUE(row.has_value());
    if (row) {
      EXPECT_TRUE(auth::verify_password(row->str(0), kPassword));
    }
    return ok_status();
  }).ok());
}

}  // namespace
}  // namespace sy::setup
