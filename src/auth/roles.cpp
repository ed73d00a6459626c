#include "auth/roles.h"

#include "audit/audit.h"
#include "core/text.h"

namespace sy::auth {

const std::vector<PermissionInfo>& all_permissions() {
  static const std::vector<PermissionInfo> kAll = {
      {"dashboard:read", "查看首页"},
      {"region:read", "查看区划"},
      {"user:read", "查看用户"},
      {"user:manage", "管理用户"},
      {"role:read", "查看角色"},
      {"role:manage", "分配角色与权限"},
      {"settings:manage", "系统设置"},
      {"audit:read", "查看审计日志"},
      {"audit:export", "导出审计日志"},
      {"business:read", "查看业务数据"},
      {"business:write", "录入和修改业务数据"},
      {"sensitive:reveal", "查看完整身份证号、银行账号和电话"},
      {"standards:manage", "维护待遇标准"},
      {"payroll:prepare", "编制发放批次、导出银行文件、导入回盘"},
      {"payroll:approve", "审核发放批次"},
      {"cases:decide", "受理、不予受理诉求，下达整改和复查隐患"},
      {"calendar:manage", "维护节假日安排（工作日历）"},
  };
  return kAll;
}

bool is_known_permission(std::string_view code) {
  for (const auto& p : all_permissions()) {
    if (code == p.code) return true;
  }
  return false;
}

const std::vector<RoleInfo>& builtin_roles() {
  static const std::vector<RoleInfo> kRoles = {
      {"sys_admin", "系统管理员", "管理用户账号和系统设置，不接触业务数据", true,
       {"dashboard:read", "region:read", "user:read", "user:manage", "role:read", "settings:manage",
        "calendar:manage"}},
      {"sec_admin", "安全管理员", "分配角色和权限、解锁账户", true,
       {"dashboard:read", "user:read", "role:read", "role:manage"}},
      {"auditor", "审计员", "查看和导出审计日志", true,
       {"dashboard:read", "audit:read", "audit:export"}},
      {"biz_admin", "业务管理员", "县或乡镇的业务负责人，管理本区划及下级的业务数据", false,
       {"dashboard:read", "region:read", "business:read", "business:write", "sensitive:reveal", "standards:manage",
        "payroll:prepare", "payroll:approve", "cases:decide", "calendar:manage"}},
      {"clerk", "经办人", "在本区划及下级范围内录入和修改业务数据", false,
       {"dashboard:read", "region:read", "business:read", "business:write", "sensitive:reveal", "payroll:prepare"}},
      {"viewer", "查看", "只读查看本区划及下级的业务数据", false,
       {"dashboard:read", "region:read", "business:read"}},
  };
  return kRoles;
}

const RoleInfo* find_role(std::string_view code) {
  for (const auto& r : builtin_roles()) {
    if (code == r.code) return &r;
  }
  return nullptr;
}

bool is_admin_role(std::string_view code) {
  const RoleInfo* r = find_role(code);
  return r && r->admin;
}

Status check_role_set(const std::vector<std::string>& roles) {
  if (roles.empty()) return make_error("roles_required", "请至少选择一个角色", "roles");
  int admin = 0;
  std::set<std::string> seen;
  for (const auto& r : roles) {
    if (!find_role(r)) return make_error("unknown_role", "未知角色：" + r, "roles");
    if (!seen.insert(r).second) return make_error("duplicate_role", "角色重复：" + r, "roles");
    if (is_admin_role(r)) ++admin;
  }
  if (admin > 0 && roles.size() > 1) {
    return make_error("admin_roles_exclusive",
                      "系统管理员、安全管理员、审计员三者分立，不能兼任，也不能兼任业务角色", "roles");
  }
  return ok_status();
}

Status seed_roles(store::Conn& tx, Millis now) {
  int order = 0;
  for (const auto& r : builtin_roles()) {
    SY_TRY(tx.exec(
        "INSERT INTO roles (code, name, description, permissions, is_admin, sort_order, created_at, "
        "updated_at) VALUES (?,?,?,?,?,?,?,?)",
        {r.code, r.name, r.description, join(r.default_permissions, ","), r.admin, ++order, now, now}));
  }
  return ok_status();
}

Result<std::map<std::string, std::set<std::string, std::less<>>>> load_role_permissions(
    store::Conn& c) {
  std::map<std::string, std::set<std::string, std::less<>>> out;
  SY_ASSIGN(store::Rows rows, c.query("SELECT code, permissions FROM roles"));
  for (const auto& row : rows) {
    auto& set = out[row.str(0)];
    for (auto& p : split(row.str(1), ',')) {
      if (!p.empty()) set.insert(p);
    }
  }
  return out;
}

std::vector<std::string> role_names(const std::vector<std::string>& codes) {
  std::vector<std::string> out;
  for (const auto& c : codes) {
    const RoleInfo* r = find_role(c);
    out.push_back(r ? r->name : c);
  }
  return out;
}

Result<std::vector<Role>> list_roles(const Context& ctx) {
  if (!ctx.actor.has("role:read")) return make_error("forbidden", "无权查看角色");
  std::vector<Role> out;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(store::Rows rows, c.query("SELECT code, name, description, permissions, is_admin, version "
                                        "FROM roles ORDER BY sort_order"));
    for (const auto& row : rows) {
      Role r{row.str(0), row.str(1), row.str(2), {}, row.i64(4) != 0, static_cast<int>(row.i64(5))};
      for (auto& p : split(row.str(3), ',')) {
        if (!p.empty()) r.permissions.push_back(p);
      }
      out.push_back(std::move(r));
    }
    return ok_status();
  }));
  return out;
}

Result<Role> update_role_permissions(const Context& ctx, const std::string& code,
                                     const std::vector<std::string>& perms, int version) {
  if (!ctx.actor.has("role:manage")) return make_error("forbidden", "无权修改角色权限");
  const RoleInfo* role = find_role(code);
  if (!role) return make_error("not_found", "角色不存在");
  if (role->admin) {
    return make_error("forbidden", "系统管理员、安全管理员、审计员的权限固定，不能修改");
  }
  std::set<std::string> seen;
  for (const auto& p : perms) {
    if (!is_known_permission(p)) return make_error("unknown_permission", "未知权限：" + p, "permissions");
    if (p.starts_with("user:") || p.starts_with("role:") || p.starts_with("settings:") ||
        p.starts_with("audit:")) {
      return make_error("forbidden_permission", "业务角色不能授予管理类权限：" + p, "permissions");
    }
    if (!seen.insert(p).second) return make_error("duplicate_permission", "权限重复：" + p, "permissions");
  }
  SY_TRY(audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    SY_ASSIGN(auto before, tx.query_one("SELECT permissions FROM roles WHERE code = ?", {code}));
    if (!before) return make_error("not_found", "角色不存在");
    SY_ASSIGN(std::int64_t n, tx.exec("UPDATE roles SET permissions = ?, updated_at = ?, updated_by = ?, "
                                      "version = version + 1 WHERE code = ? AND version = ?",
                                      {join(perms, ","), ctx.now(), ctx.actor.id_or_null(), code, version}));
    if (n == 0) return make_error("stale_version", "该角色已被他人修改，请刷新后重试", "version");
    entry = audit::Entry{.action = "role.update",
                         .entity = "role",
                         .entity_id = code,
                         .before = nlohmann::json{{"permissions", split(before->str(0), ',')}},
                         .after = nlohmann::json{{"permissions", perms}}};
    return ok_status();
  }));
  SY_ASSIGN(std::vector<Role> all, list_roles(ctx));
  for (auto& r : all) {
    if (r.code == code) return r;
  }
  return make_error("not_found", "角色不存在");
}

}  // namespace sy::auth
