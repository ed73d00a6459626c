#include "auth/users.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "audit/audit.h"
#include "auth/password.h"
#include "auth/roles.h"
#include "auth/sessions.h"
#include "store/migrate.h"
#include "test_support.h"

namespace sy::auth {
namespace {

constexpr const char* kCounty = "140924000000";    // 繁峙县
constexpr const char* kFancheng = "140924100000";  // 繁城镇
constexpr const char* kDongtai = "140924100002";   // 东泰社区居委会, in 繁城镇
constexpr const char* kShahe = "140924101000";     // 砂河镇
constexpr const char* kPassword = "Fanshi#2026";

// Schema, roles and a few real regions of 繁峙县 (loading the whole county is init's job and is
// tested there; these tests need only a handful of nodes).
void seed(store::Db& db, Millis now) {
  ASSERT_TRUE(store::migrate(db).ok());
  ASSERT_TRUE(db.transact([&](store::Conn& tx) -> Status {
    SY_TRY(seed_roles(tx, now));
    const char* rows[][5] = {
        {kCounty, "繁峙县", "繁峙县", "county", nullptr},
        {kFancheng, "繁城镇", "繁城镇", "township", kCounty},
        {kShahe, "砂河镇", "砂河镇", "township", kCounty},
        {kDongtai, "东泰社区居委会", "东泰社区", "village", kFancheng},
        {"140924101200", "西砂河村委会", "西砂河村", "village", kShahe},
    };
    for (const auto& r : rows) {
      SY_TRY(tx.exec("INSERT INTO regions (code, name, short_name, level, parent_code, created_at, "
                     "updated_at) VALUES (?,?,?,?,?,?,?)",
                     {r[0], r[1], r[2], r[3], r[4] ? store::Value(r[4]) : store::Value(), now, now}));
    }
    return ok_status();
  }).ok());
}

Actor actor_for(const User& u, const std::string& ip = "10.0.0.9") {
  Actor a;
  a.user_id = u.id;
  a.username = u.username;
  a.display_name = u.display_name;
  a.region_code = u.region_code;
  a.roles = u.roles;
  a.ip = ip;
  for (const auto& r : u.roles) {
    for (const auto& p : find_role(r)->default_permissions) a.permissions.insert(p);
  }
  return a;
}

class UsersTest : public ::testing::Test {
 protected:
  UsersTest() : clock_(sy::testing::test_now()), ids_(clock_, 1) {}
  void SetUp() override {
    t_ = sy::testing::make_test_db();
    seed(db(), clock_.now_ms());
    admin_ = make("admin", kCounty, {"sys_admin"});
  }
  store::Db& db() { return *t_->db; }
  Context sys() { return Context{db(), clock_, ids_, Actor::system_actor("init")}; }
  Context as(const User& u) { return Context{db(), clock_, ids_, actor_for(u)}; }
  Context anonymous(const std::string& ip = "10.0.0.50") {
    Actor a;
    a.ip = ip;
    return Context{db(), clock_, ids_, a};
  }

  // A user created by the system (which may give any role).
  User make(const std::string& username, const std::string& region, std::vector<std::string> roles,
            bool must_change = false) {
    auto u = create_user(sys(), NewUser{.username = username,
                                        .display_name = "测试" + username,
                                        .region_code = region,
                                        .password = kPassword,
                                        .roles = std::move(roles),
                                        .must_change_password = must_change});
    EXPECT_TRUE(u.ok()) << u.error().code << " " << u.error().message;
    return u.ok() ? *u : User{};
  }
  User reload(std::int64_t id) {
    auto u = get_user(sys(), id);
    EXPECT_TRUE(u.ok());
    return u.ok() ? *u : User{};
  }
  std::int64_t count(const std::string& sql, const store::Params& p = {}) {
    std::int64_t n = -1;
    EXPECT_TRUE(db().read([&](store::Conn& c) -> Status {
      SY_ASSIGN(n, c.query_int(sql, p));
      return ok_status();
    }).ok());
    return n;
  }
  std::int64_t open_sessions(std::int64_t user_id) {
    return count("SELECT count(*) FROM sessions WHERE user_id = ? AND ended_at IS NULL", {user_id});
  }
  std::vector<audit::Row> audit_for(const std::string& action) {
    auto page = audit::search(sys(), audit::Query{.action = action});
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->items : std::vector<audit::Row>{};
  }

  FixedClock clock_;
  IdGenerator ids_;
  LoginThrottle throttle_;
  std::unique_ptr<sy::testing::TestDb> t_;
  User admin_;
};

TEST_F(UsersTest, SysAdminCreatesABusinessUser) {
  auto u = create_user(as(admin_), NewUser{.username = "fc_clerk",
                                           .display_name = "  李明 ",
                                           .region_code = "140924100",
                                           .password = kPassword,
                                           .roles = {"clerk"}});
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_GT(u->id, 0);
  EXPECT_EQ(u->username, "fc_clerk");
  EXPECT_EQ(u->display_name, "李明");
  EXPECT_EQ(u->region_code, kFancheng);
  EXPECT_EQ(u->region_name, "繁城镇");
  EXPECT_EQ(u->roles, (std::vector<std::string>{"clerk"}));
  EXPECT_EQ(u->status, "active");
  EXPECT_TRUE(u->must_change_password);
  EXPECT_EQ(u->version, 1);
  EXPECT_EQ(u->created_at, sy::testing::test_now());
  EXPECT_EQ(u->password_changed_at, sy::testing::test_now());

  ASSERT_TRUE(db().read([&](store::Conn& c) -> Status {
    SY_ASSIGN(auto row, c.query_one("SELECT password_hash, created_by FROM users WHERE id = ?", {u->id}));
    EXPECT_TRUE(row.has_value());
    if (row) {
      EXPECT_TRUE(row->str(0).starts_with("$argon2id$"));
      EXPECT_TRUE(verify_password(row->str(0), kPassword));
      EXPECT_EQ(row->opt_i64(1), admin_.id);
    }
    return ok_status();
  }).ok());

  auto rows = audit_for("user.create");
  ASSERT_EQ(rows.size(), 2u);  // admin by the system, then this one
  EXPECT_EQ(rows[0].entity_id, std::to_string(u->id));
  EXPECT_EQ(rows[0].username, "admin");
  EXPECT_EQ(rows[0].region_code, kFancheng);
  ASSERT_TRUE(rows[0].after_json.has_value());
  EXPECT_EQ(rows[0].after_json->find("argon2"), std::string::npos);
  EXPECT_EQ(rows[0].after_json->find(kPassword), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(*rows[0].after_json)["username"], "fc_clerk");
}

TEST_F(UsersTest, CreateValidatesEveryField) {
  auto attempt = [&](NewUser in) {
    if (in.username.empty()) in.username = "new_user";
    if (in.display_name.empty()) in.display_name = "王五";
    if (in.region_code.empty()) in.region_code = kFancheng;
    if (in.password.empty()) in.password = kPassword;
    if (in.roles.empty()) in.roles = {"clerk"};
    auto r = create_user(as(admin_), in);
    return r.ok() ? std::string("ok") : r.error().code + "/" + r.error().field;
  };
  EXPECT_EQ(attempt({.username = "1abc"}), "invalid_username/username");
  EXPECT_EQ(attempt({.username = "ab"}), "invalid_username/username");
  EXPECT_EQ(attempt({.username = "张三"}), "invalid_username/username");
  EXPECT_EQ(attempt({.username = "a b c"}), "invalid_username/username");
  EXPECT_EQ(attempt({.display_name = "   "}), "invalid_display_name/display_name");
  EXPECT_EQ(attempt({.region_code = "14092"}), "invalid_region/region_code");
  EXPECT_EQ(attempt({.region_code = "140924100999"}), "invalid_region/region_code");
  EXPECT_EQ(attempt({.password = "short1!"}), "weak_password/password");
  EXPECT_EQ(attempt({.password = "New_user#2026"}), "weak_password/password");  // has the name
  EXPECT_EQ(attempt({.roles = {"root"}}), "unknown_role/roles");
  EXPECT_EQ(attempt({.roles = {"clerk", "clerk"}}), "duplicate_role/roles");
  EXPECT_EQ(attempt({.username = "ADMIN"}), "username_taken/username");  // case-insensitive
  EXPECT_EQ(count("SELECT count(*) FROM users"), 1);
  EXPECT_EQ(attempt({}), "ok");
  EXPECT_EQ(attempt({}), "username_taken/username");
  EXPECT_EQ(count("SELECT count(*) FROM users"), 2);
}

TEST_F(UsersTest, SysAdminCannotGrantAdminRoles) {
  for (const char* role : {"sys_admin", "sec_admin", "auditor"}) {
    auto r = create_user(as(admin_), NewUser{.username = "new_admin",
                                             .display_name = "新管理员",
                                             .region_code = kCounty,
                                             .password = kPassword,
                                             .roles = {role}});
    ASSERT_FALSE(r.ok()) << role;
    EXPECT_EQ(r.error().code, "forbidden_role") << role;
  }
  EXPECT_EQ(count("SELECT count(*) FROM users"), 1);
  EXPECT_EQ(audit_for("user.create").size(), 1u);
}

TEST_F(UsersTest, OnlyUserManagersCreate) {
  User sec = make("security", kCounty, {"sec_admin"});
  User clerk = make("fc_clerk", kFancheng, {"clerk"});
  for (const User* who : {&sec, &clerk}) {
    auto r = create_user(as(*who), NewUser{.username = "someone",
                                           .display_name = "某人",
                                           .region_code = kFancheng,
                                           .password = kPassword,
                                           .roles = {"viewer"}});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "forbidden");
  }
  auto listed = list_users(as(clerk), {});
  ASSERT_FALSE(listed.ok());
  EXPECT_EQ(listed.error().code, "forbidden");
}

TEST_F(UsersTest, OutOfScopeUsersAreNotFound) {
  User town_admin = make("fc_admin", kFancheng, {"sys_admin"});
  User town_sec = make("fc_security", kFancheng, {"sec_admin"});
  User shahe = make("sh_clerk", kShahe, {"clerk"});
  Context town = as(town_admin);

  auto create_outside = create_user(town, NewUser{.username = "sh_viewer",
                                                  .display_name = "砂河查看",
                                                  .region_code = kShahe,
                                                  .password = kPassword,
                                                  .roles = {"viewer"}});
  ASSERT_FALSE(create_outside.ok());
  EXPECT_EQ(create_outside.error().code, "region_out_of_scope");

  auto expect_not_found = [](const auto& r, const char* what) {
    ASSERT_FALSE(r.ok()) << what;
    EXPECT_EQ(r.error().code, "not_found") << what;
  };
  expect_not_found(get_user(town, shahe.id), "get");
  expect_not_found(find_user_by_name(town, "sh_clerk"), "find");
  expect_not_found(update_user(town, shahe.id, UserChanges{.display_name = "改名", .version = 1}),
                   "update");
  expect_not_found(disable_user(town, shahe.id, "离职", 1), "disable");
  expect_not_found(enable_user(town, shahe.id, 1), "enable");
  expect_not_found(reset_password(town, shahe.id, "Another#2026"), "reset");
  expect_not_found(set_roles(as(town_sec), shahe.id, {"viewer"}, 1), "set_roles");
  expect_not_found(unlock_user(as(town_sec), shahe.id), "unlock");
  // A county user is above the township's scope too.
  expect_not_found(get_user(town, admin_.id), "get county user");
  // A user who does not exist gets the same answer.
  expect_not_found(get_user(town, 12345), "get missing");

  User after = reload(shahe.id);
  EXPECT_EQ(after.version, 1);
  EXPECT_EQ(after.display_name, "测试sh_clerk");
  EXPECT_EQ(after.status, "active");

  auto listed = list_users(town, UserQuery{.page = {.page = 1, .size = 50}});
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->total, 2);  // fc_admin and fc_security
  for (const auto& u : listed->items) EXPECT_EQ(u.region_code, kFancheng) << u.username;

  // The town admin may not move its own users out of its scope either.
  User fc_clerk = make("fc_clerk", kFancheng, {"clerk"});
  auto moved = update_user(town, fc_clerk.id, UserChanges{.region_code = kShahe, .version = 1});
  ASSERT_FALSE(moved.ok());
  EXPECT_EQ(moved.error().code, "region_out_of_scope");
  EXPECT_EQ(reload(fc_clerk.id).region_code, kFancheng);
}

TEST_F(UsersTest, UpdateWithVersionAndAudit) {
  User u = make("fc_clerk", kFancheng, {"clerk"});
  clock_.advance_ms(60 * 1000);
  auto updated = update_user(as(admin_), u.id,
                             UserChanges{.display_name = "李明", .region_code = kDongtai, .version = 1});
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->display_name, "李明");
  EXPECT_EQ(updated->region_code, kDongtai);
  EXPECT_EQ(updated->region_name, "东泰社区居委会");
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(updated->updated_at, sy::testing::test_now() + 60 * 1000);

  auto stale = update_user(as(admin_), u.id, UserChanges{.display_name = "王五", .version = 1});
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, "stale_version");
  EXPECT_EQ(stale.error().field, "version");
  EXPECT_EQ(reload(u.id).display_name, "李明");

  auto bad_name = update_user(as(admin_), u.id, UserChanges{.display_name = " ", .version = 2});
  ASSERT_FALSE(bad_name.ok());
  EXPECT_EQ(bad_name.error().code, "invalid_display_name");

  auto rows = audit_for("user.update");
  ASSERT_EQ(rows.size(), 1u);
  auto before = nlohmann::json::parse(rows[0].before_json.value());
  auto after = nlohmann::json::parse(rows[0].after_json.value());
  EXPECT_EQ(before["display_name"], "测试fc_clerk");
  EXPECT_EQ(after["display_name"], "李明");
  EXPECT_EQ(after["version"], 2);
}

TEST_F(UsersTest, DisableEndsSessionsAndBlocksLogin) {
  User u = make("fc_clerk", kFancheng, {"clerk"});
  auto s1 = login(anonymous(), throttle_, "fc_clerk", kPassword, "test");
  auto s2 = login(anonymous(), throttle_, "fc_clerk", kPassword, "test");
  ASSERT_TRUE(s1.ok() && s2.ok());
  EXPECT_EQ(open_sessions(u.id), 2);

  auto no_reason = disable_user(as(admin_), u.id, "  ", 1);
  ASSERT_FALSE(no_reason.ok());
  EXPECT_EQ(no_reason.error().code, "reason_required");
  auto self = disable_user(as(admin_), admin_.id, "测试", 1);
  ASSERT_FALSE(self.ok());
  EXPECT_EQ(self.error().code, "cannot_disable_self");

  auto disabled = disable_user(as(admin_), u.id, "调离", 1);
  ASSERT_TRUE(disabled.ok()) << disabled.error().message;
  EXPECT_EQ(disabled->status, "disabled");
  EXPECT_EQ(disabled->status_reason, "调离");
  EXPECT_EQ(open_sessions(u.id), 0);
  EXPECT_EQ(count("SELECT count(*) FROM sessions WHERE user_id = ? AND end_reason = 'disabled'", {u.id}),
            2);
  auto auth1 = authenticate(anonymous(), s1->token);
  ASSERT_FALSE(auth1.ok());
  EXPECT_EQ(auth1.error().code, "unauthenticated");

  auto again = login(anonymous(), throttle_, "fc_clerk", kPassword, "test");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "account_disabled");

  auto twice = disable_user(as(admin_), u.id, "调离", 2);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, "already_disabled");
  auto rows = audit_for("user.disable");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].detail, "调离");
}

TEST_F(UsersTest, EnableWithVersion) {
  User u = make("fc_clerk", kFancheng, {"clerk"});
  auto already = enable_user(as(admin_), u.id, 1);
  ASSERT_FALSE(already.ok());
  EXPECT_EQ(already.error().code, "already_active");
  ASSERT_TRUE(disable_user(as(admin_), u.id, "休假", 1).ok());
  auto stale = enable_user(as(admin_), u.id, 1);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, "stale_version");
  auto enabled = enable_user(as(admin_), u.id, 2);
  ASSERT_TRUE(enabled.ok()) << enabled.error().message;
  EXPECT_EQ(enabled->status, "active");
  EXPECT_TRUE(enabled->status_reason.empty());
  EXPECT_EQ(enabled->version, 3);
  EXPECT_TRUE(login(anonymous(), throttle_, "fc_clerk", kPassword, "test").ok());
}

TEST_F(UsersTest, ResetPasswordForcesAChangeAndEndsSessions) {
  User u = make("fc_clerk", kFancheng, {"clerk"});
  auto s = login(anonymous(), throttle_, "fc_clerk", kPassword, "test");
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s->must_change_password);

  Status weak = reset_password(as(admin_), u.id, "12345678");
  ASSERT_FALSE(weak.ok());
  EXPECT_EQ(weak.error().code, "weak_password");
  Status with_name = reset_password(as(admin_), u.id, "Fc_clerk#99");
  ASSERT_FALSE(with_name.ok());
  EXPECT_EQ(with_name.error().code, "weak_password");
  EXPECT_EQ(open_sessions(u.id), 1);

  Status ok = reset_password(as(admin_), u.id, "Reset#2026x");
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(open_sessions(u.id), 0);
  EXPECT_TRUE(reload(u.id).must_change_password);
  EXPECT_EQ(authenticate(anonymous(), s->token).error().code, "unauthenticated");

  auto old_pw = login(anonymous(), throttle_, "fc_clerk", kPassword, "test");
  ASSERT_FALSE(old_pw.ok());
  EXPECT_EQ(old_pw.error().code, "bad_credentials");
  auto fresh = login(anonymous(), throttle_, "fc_clerk", "Reset#2026x", "test");
  ASSERT_TRUE(fresh.ok());
  EXPECT_TRUE(fresh->must_change_password);
  auto rows = audit_for("user.reset_password");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].after_json->find("argon2"), std::string::npos);
  EXPECT_EQ(rows[0].after_json->find("Reset#2026x"), std::string::npos);
}

TEST_F(UsersTest, SecurityAdminSetsRoles) {
  User sec = make("security", kCounty, {"sec_admin"});
  User u = make("fc_clerk", kFancheng, {"clerk"});
  auto s = login(anonymous(), throttle_, "fc_clerk", kPassword, "test");
  ASSERT_TRUE(s.ok());

  auto by_sys_admin = set_roles(as(admin_), u.id, {"viewer"}, 1);
  ASSERT_FALSE(by_sys_admin.ok());
  EXPECT_EQ(by_sys_admin.error().code, "forbidden");
  auto own = set_roles(as(sec), sec.id, {"auditor"}, 1);
  ASSERT_FALSE(own.ok());
  EXPECT_EQ(own.error().code, "cannot_change_own_roles");
  auto two_admin = set_roles(as(sec), u.id, {"sys_admin", "auditor"}, 1);
  ASSERT_FALSE(two_admin.ok());
  EXPECT_EQ(two_admin.error().code, "admin_roles_exclusive");
  auto admin_and_business = set_roles(as(sec), u.id, {"auditor", "clerk"}, 1);
  ASSERT_FALSE(admin_and_business.ok());
  EXPECT_EQ(admin_and_business.error().code, "admin_roles_exclusive");
  EXPECT_EQ(open_sessions(u.id), 1);

  auto changed = set_roles(as(sec), u.id, {"biz_admin", "viewer"}, 1);
  ASSERT_TRUE(changed.ok()) << changed.error().message;
  EXPECT_EQ(changed->roles, (std::vector<std::string>{"biz_admin", "viewer"}));
  EXPECT_EQ(changed->version, 2);
  EXPECT_EQ(open_sessions(u.id), 0);  // new roles take effect at the next log-in

  auto stale = set_roles(as(sec), u.id, {"viewer"}, 1);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, "stale_version");
  // 安全管理员 may give an admin role, alone.
  auto to_auditor = set_roles(as(sec), u.id, {"auditor"}, 2);
  ASSERT_TRUE(to_auditor.ok()) << to_auditor.error().message;
  EXPECT_EQ(to_auditor->roles, (std::vector<std::string>{"auditor"}));
  EXPECT_EQ(audit_for("user.set_roles").size(), 2u);
}

TEST_F(UsersTest, SecurityAdminUnlocks) {
  User sec = make("security", kCounty, {"sec_admin"});
  User u = make("fc_clerk", kFancheng, {"clerk"});
  for (int i = 0; i < 5; ++i) {
    (void)login(anonymous(), throttle_, "fc_clerk", "Wrong#pass1", "test");
  }
  auto locked = login(anonymous(), throttle_, "fc_clerk", kPassword, "test");
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.error().code, "account_locked");
  EXPECT_TRUE(reload(u.id).locked_until.has_value());

  auto by_sys_admin = unlock_user(as(admin_), u.id);
  ASSERT_FALSE(by_sys_admin.ok());
  EXPECT_EQ(by_sys_admin.error().code, "forbidden");

  auto unlocked = unlock_user(as(sec), u.id);
  ASSERT_TRUE(unlocked.ok()) << unlocked.error().message;
  EXPECT_FALSE(unlocked->locked_until.has_value());
  EXPECT_TRUE(login(anonymous(), throttle_, "fc_clerk", kPassword, "test").ok());
  EXPECT_EQ(audit_for("user.unlock").size(), 1u);
}

TEST_F(UsersTest, ListSearchAndPaging) {
  make("fc_clerk", kFancheng, {"clerk"});
  User viewer = make("fc_viewer", kFancheng, {"viewer"});
  make("sh_clerk", kShahe, {"clerk"});
  make("dt-clerk", kDongtai, {"clerk"});
  ASSERT_TRUE(disable_user(as(admin_), viewer.id, "离职", 1).ok());
  Context c = as(admin_);

  auto all = list_users(c, UserQuery{.page = {.page = 1, .size = 50}});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->total, 5);
  for (size_t i = 1; i < all->items.size(); ++i) EXPECT_LT(all->items[i - 1].id, all->items[i].id);

  auto clerks = list_users(c, UserQuery{.q = "clerk"});
  ASSERT_TRUE(clerks.ok());
  EXPECT_EQ(clerks->total, 3);
  auto by_display = list_users(c, UserQuery{.q = "测试sh"});
  ASSERT_TRUE(by_display.ok());
  ASSERT_EQ(by_display->total, 1);
  EXPECT_EQ(by_display->items[0].username, "sh_clerk");
  // `_` is a literal underscore, not a wildcard: dt-clerk does not match.
  auto underscore = list_users(c, UserQuery{.q = "_clerk"});
  ASSERT_TRUE(underscore.ok());
  EXPECT_EQ(underscore->total, 2);

  auto disabled = list_users(c, UserQuery{.status = "disabled"});
  ASSERT_TRUE(disabled.ok());
  ASSERT_EQ(disabled->total, 1);
  EXPECT_EQ(disabled->items[0].username, "fc_viewer");

  auto page2 = list_users(c, UserQuery{.page = {.page = 2, .size = 2}});
  ASSERT_TRUE(page2.ok());
  EXPECT_EQ(page2->total, 5);
  ASSERT_EQ(page2->items.size(), 2u);
  EXPECT_EQ(page2->items[0].id, all->items[2].id);

  auto counts = count_users(c);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->total, 5);
  EXPECT_EQ(counts->active, 4);
  User town_admin = make("fc_admin", kFancheng, {"sys_admin"});
  auto town_counts = count_users(as(town_admin));
  ASSERT_TRUE(town_counts.ok());
  EXPECT_EQ(town_counts->total, 4);  // fc_clerk, fc_viewer, dt-clerk, fc_admin
}

TEST_F(UsersTest, PasswordRuleFollowsSettings) {
  ASSERT_TRUE(update_settings(sys(), nlohmann::json{{"password_min_length", 12}}).ok());
  auto short_pw = create_user(as(admin_), NewUser{.username = "fc_clerk",
                                                  .display_name = "李明",
                                                  .region_code = kFancheng,
                                                  .password = "Fanshi#2026",
                                                  .roles = {"clerk"}});
  ASSERT_FALSE(short_pw.ok());
  EXPECT_EQ(short_pw.error().code, "weak_password");
  auto long_pw = create_user(as(admin_), NewUser{.username = "fc_clerk",
                                                 .display_name = "李明",
                                                 .region_code = kFancheng,
                                                 .password = "Fanshi#2026ab",
                                                 .roles = {"clerk"}});
  EXPECT_TRUE(long_pw.ok());
}

// /me writes the user directly; it must stay byte for byte what user_to_json's dump gives.
TEST(UserJsonTextTest, SameBytesAsTheJsonDump) {
  auto dump = [](const User& u) {
    return user_to_json(u).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  User u;
  u.id = 7421350829875200001;
  u.username = "fc_clerk";
  u.display_name = "李明";
  u.region_code = kFancheng;
  u.region_name = "繁城镇";
  u.roles = {"clerk", "viewer", "no_such_role"};
  u.status = "active";
  u.last_login_ip = "10.0.0.50";
  u.created_at = sy::testing::test_now();
  u.updated_at = sy::testing::test_now() + 999;
  u.version = 3;
  EXPECT_EQ(user_json_text(u), dump(u));

  u.must_change_password = true;
  u.locked_until = 0;
  u.last_login_at = 951782400000 - 1;  // the last millisecond of 2000-02-29 (Shanghai: 03-01 07:59)
  u.roles = {};
  u.status = "disabled";
  // Quotes, backslashes, control characters, 4-byte UTF-8 and invalid UTF-8 (replaced).
  u.status_reason = "调离\"本镇\"\\\n\t\x01 😀 \x7f";
  u.display_name = std::string("王\xe5\x8c") + "芳\xff\xc0\x80";
  u.region_name = "\xed\xa0\x80";  // a UTF-16 surrogate, not allowed in UTF-8
  EXPECT_EQ(user_json_text(u), dump(u));

  // Times across the calendar: leap days, year ends, the Shanghai date line at 16:00 UTC.
  for (Millis t : {Millis{0}, Millis{-1}, Millis{-28800000}, Millis{946656000000}, Millis{4102444799999},
                   Millis{253402271999000}, Millis{-62135596800000}}) {
    u.created_at = t;
    EXPECT_EQ(user_json_text(u), dump(u)) << t;
  }
  std::uint64_t x = 88172645463325252ULL;
  for (int i = 0; i < 20000; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    u.updated_at = static_cast<Millis>(x % 4102444800000ULL);
    ASSERT_EQ(user_json_text(u), dump(u)) << u.updated_at;
  }
}

}  // namespace
}  // namespace sy::auth
