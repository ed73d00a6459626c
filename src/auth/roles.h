// Roles and permissions (三员分立 plus the business roles).
//
// Contract:
// - Six built-in roles: 系统管理员 sys_admin (users, settings; no business data), 安全管理员
//   sec_admin (roles, permissions, unlocking), 审计员 auditor (audit log only), and the business roles
//   业务管理员 biz_admin, 经办人 clerk, 查看 viewer, all bound to the user's region subtree.
// - An admin role is held alone: no user holds two of the three, nor one with a business role.
// - Permissions of business roles are data (the roles table) that a 安全管理员 may edit; the admin
//   roles' permissions are fixed, so separation of duties cannot be edited away.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "audit/context.h"
#include "core/clock.h"
#include "core/result.h"
#include "store/db.h"

namespace sy::auth {

struct PermissionInfo {
  const char* code;
  const char* name;
};
const std::vector<PermissionInfo>& all_permissions();
bool is_known_permission(std::string_view code);

struct RoleInfo {
  const char* code;
  const char* name;
  const char* description;
  bool admin;
  std::vector<std::string> default_permissions;
};
const std::vector<RoleInfo>& builtin_roles();
const RoleInfo* find_role(std::string_view code);
bool is_admin_role(std::string_view code);

// Checks a proposed role set: known roles, at least one, admin roles held alone.
Status check_role_set(const std::vector<std::string>& roles);

// Writes the built-in roles into an empty roles table.
Status seed_roles(store::Conn& tx, Millis now);

// Role code → permission set as stored.
Result<std::map<std::string, std::set<std::string, std::less<>>>> load_role_permissions(store::Conn& c);

std::vector<std::string> role_names(const std::vector<std::string>& codes);

struct Role {
  std::string code, name, description;
  std::vector<std::string> permissions;
  bool admin = false;
  int version = 0;
};
// Needs role:read.
Result<std::vector<Role>> list_roles(const Context& ctx);
// Replaces a business role's permissions; needs role:manage. Admin roles and admin permissions
// are refused, so separation of duties cannot be edited away. Audited.
Result<Role> update_role_permissions(const Context& ctx, const std::string& code,
                                     const std::vector<std::string>& permissions, int version);

}  // namespace sy::auth
