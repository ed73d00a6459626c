#include "auth/roles.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "store/migrate.h"
#include "test_support.h"

namespace sy::auth {
namespace {

using Strings = std::vector<std::string>;

std::string role_set_error(const Strings& roles) {
  Status st = check_role_set(roles);
  if (st.ok()) return "";
  EXPECT_EQ(st.error().field, "roles");
  return st.error().code;
}

bool has_permission(const RoleInfo& r, std::string_view p) {
  return std::find(r.default_permissions.begin(), r.default_permissions.end(), p) !=
         r.default_permissions.end();
}

TEST(RolesTest, SixBuiltInRolesThreeOfThemAdmin) {
  ASSERT_EQ(builtin_roles().size(), 6u);
  Strings admin;
  for (const auto& r : builtin_roles()) {
    if (r.admin) admin.push_back(r.code);
    for (const auto& p : r.default_permissions) EXPECT_TRUE(is_known_permission(p)) << p;
  }
  EXPECT_EQ(admin, (Strings{"sys_admin", "sec_admin", "auditor"}));
  EXPECT_TRUE(is_admin_role("sec_admin"));
  EXPECT_FALSE(is_admin_role("clerk"));
  EXPECT_FALSE(is_admin_role("nobody"));
  EXPECT_EQ(find_role("nobody"), nullptr);
  EXPECT_EQ(role_names({"auditor", "clerk", "unknown"}), (Strings{"审计员", "经办人", "unknown"}));
}

TEST(RolesTest, SeparationOfDutiesInThePermissions) {
  const RoleInfo* sys = find_role("sys_admin");
  const RoleInfo* sec = find_role("sec_admin");
  const RoleInfo* aud = find_role("auditor");
  ASSERT_TRUE(sys && sec && aud);
  // 系统管理员: users and settings, no business data, no roles, no audit.
  EXPECT_TRUE(has_permission(*sys, "user:manage"));
  EXPECT_TRUE(has_permission(*sys, "settings:manage"));
  EXPECT_FALSE(has_permission(*sys, "role:manage"));
  EXPECT_FALSE(has_permission(*sys, "audit:read"));
  EXPECT_FALSE(has_permission(*sys, "business:read"));
  // 安全管理员: roles, not users or audit.
  EXPECT_TRUE(has_permission(*sec, "role:manage"));
  EXPECT_FALSE(has_permission(*sec, "user:manage"));
  EXPECT_FALSE(has_permission(*sec, "audit:read"));
  EXPECT_FALSE(has_permission(*sec, "business:read"));
  // 审计员: the audit log only.
  for (const auto& p : aud->default_permissions) {
    EXPECT_TRUE(p == "dashboard:read" || p.starts_with("audit:")) << p;
  }
  // Business roles hold no admin permission.
  for (const char* code : {"biz_admin", "clerk", "viewer"}) {
    for (const auto& p : find_role(code)->default_permissions) {
      EXPECT_FALSE(p.starts_with("user:") || p.starts_with("role:") || p.starts_with("audit:") ||
                   p.starts_with("settings:"))
          << code << " " << p;
    }
  }
}

TEST(RolesTest, AdminRolesAreHeldAlone) {
  EXPECT_EQ(role_set_error({"sys_admin"}), "");
  EXPECT_EQ(role_set_error({"sec_admin"}), "");
  EXPECT_EQ(role_set_error({"auditor"}), "");
  EXPECT_EQ(role_set_error({"biz_admin", "clerk"}), "");
  EXPECT_EQ(role_set_error({"sys_admin", "sec_admin"}), "admin_roles_exclusive");
  EXPECT_EQ(role_set_error({"sec_admin", "auditor"}), "admin_roles_exclusive");
  EXPECT_EQ(role_set_error({"auditor", "sys_admin"}), "admin_roles_exclusive");
  EXPECT_EQ(role_set_error({"sys_admin", "sec_admin", "auditor"}), "admin_roles_exclusive");
  EXPECT_EQ(role_set_error({"auditor", "viewer"}), "admin_roles_exclusive");
  EXPECT_EQ(role_set_error({"clerk", "sys_admin"}), "admin_roles_exclusive");
  EXPECT_EQ(role_set_error({}), "roles_required");
  EXPECT_EQ(role_set_error({"root"}), "unknown_role");
  EXPECT_EQ(role_set_error({"clerk", "clerk"}), "duplicate_role");
  EXPECT_EQ(role_set_error({"sys_admin", "sys_admin"}), "duplicate_role");
}

class RoleStoreTest : public ::testing::Test {
 protected:
  RoleStoreTest() : clock_(sy::testing::test_now()), ids_(clock_, 1) {}
  void SetUp() override {
    t_ = sy::testing::make_test_db();
    ASSERT_TRUE(store::migrate(*t_->db).ok());
    ASSERT_TRUE(t_->db->transact([&](store::Conn& tx) { return seed_roles(tx, clock_.now_ms()); }).ok());
  }
  Context ctx(const std::string& role) {
    Actor a;
    a.user_id = 500;
    a.username = role + "_user";
    a.region_code = "140924000000";
    a.roles = {role};
    for (const auto& p : find_role(role)->default_permissions) a.permissions.insert(p);
    return Context{*t_->db, clock_, ids_, a};
  }
  Role role(const std::string& code) {
    auto all = list_roles(ctx("sec_admin"));
    EXPECT_TRUE(all.ok());
    for (auto& r : *all) {
      if (r.code == code) return r;
    }
    ADD_FAILURE() << "no role " << code;
    return {};
  }

  FixedClock clock_;
  IdGenerator ids_;
  std::unique_ptr<sy::testing::TestDb> t_;
};

TEST_F(RoleStoreTest, SeededPermissionsMatchTheBuiltIns) {
  std::map<std::string, std::set<std::string, std::less<>>> stored;
  ASSERT_TRUE(t_->db->read([&](store::Conn& c) -> Status {
    SY_ASSIGN(stored, load_role_permissions(c));
    return ok_status();
  }).ok());
  ASSERT_EQ(stored.size(), 6u);
  for (const auto& r : builtin_roles()) {
    std::set<std::string, std::less<>> expected(r.default_permissions.begin(),
                                                r.default_permissions.end());
    EXPECT_EQ(stored[r.code], expected) << r.code;
  }
  auto listed = list_roles(ctx("sec_admin"));
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 6u);
  EXPECT_EQ((*listed)[0].code, "sys_admin");
  EXPECT_TRUE((*listed)[0].admin);
  EXPECT_EQ((*listed)[0].name, "系统管理员");
  EXPECT_EQ((*listed)[0].version, 1);
  EXPECT_FALSE((*listed)[4].admin);
}

TEST_F(RoleStoreTest, ListingNeedsRoleRead) {
  auto denied = list_roles(ctx("auditor"));
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, "forbidden");
  EXPECT_TRUE(list_roles(ctx("sys_admin")).ok());
}

TEST_F(RoleStoreTest, SecurityAdminEditsBusinessRolePermissions) {
  Context sec = ctx("sec_admin");
  auto updated = update_role_permissions(sec, "viewer", {"dashboard:read", "region:read"}, 1);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->permissions, (Strings{"dashboard:read", "region:read"}));
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(role("viewer").permissions, (Strings{"dashboard:read", "region:read"}));

  auto stale = update_role_permissions(sec, "viewer", {"dashboard:read"}, 1);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, "stale_version");
  EXPECT_EQ(role("viewer").permissions, (Strings{"dashboard:read", "region:read"}));

  Context reader{*t_->db, clock_, ids_, Actor::system_actor()};
  auto rows = audit::search(reader, audit::Query{.action = "role.update"});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->total, 1);
  EXPECT_EQ(rows->items[0].entity_id, "viewer");
  EXPECT_EQ(rows->items[0].username, "sec_admin_user");
  auto before = nlohmann::json::parse(rows->items[0].before_json.value());
  EXPECT_EQ(before["permissions"], (nlohmann::json{"dashboard:read", "region:read", "business:read"}));
}

TEST_F(RoleStoreTest, SeparationOfDutiesCannotBeEditedAway) {
  Context sec = ctx("sec_admin");
  auto admin_role = update_role_permissions(sec, "auditor", {"dashboard:read"}, 1);
  ASSERT_FALSE(admin_role.ok());
  EXPECT_EQ(admin_role.error().code, "forbidden");
  for (const char* p : {"user:manage", "role:manage", "audit:read", "settings:manage"}) {
    auto r = update_role_permissions(sec, "clerk", {"business:read", p}, 1);
    ASSERT_FALSE(r.ok()) << p;
    EXPECT_EQ(r.error().code, "forbidden_permission") << p;
  }
  EXPECT_EQ(update_role_permissions(sec, "clerk", {"fly:away"}, 1).error().code,
            "unknown_permission");
  EXPECT_EQ(update_role_permissions(sec, "clerk", {"business:read", "business:read"}, 1)
                .error()
                .code,
            "duplicate_permission");
  EXPECT_EQ(update_role_permissions(sec, "root", {"business:read"}, 1).error().code, "not_found");
  // Only 安全管理员 may edit roles.
  EXPECT_EQ(update_role_permissions(ctx("sys_admin"), "clerk", {"business:read"}, 1).error().code,
            "forbidden");
  EXPECT_EQ(role("clerk").version, 1);
  EXPECT_EQ(role("auditor").version, 1);
}

}  // namespace
}  // namespace sy::auth
