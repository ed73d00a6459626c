#include "auth/users.h"

#include <algorithm>
#include <charconv>
#include <regex>

#include "audit/audit.h"
#include "auth/password.h"
#include "auth/roles.h"
#include "auth/settings.h"
#include "auth/user_row.h"
#include "core/clock.h"
#include "core/region_code.h"
#include "core/text.h"

namespace sy::auth {
namespace {

Error user_not_found() { return make_error("not_found", "用户不存在或不在您的管辖范围内"); }
Error stale() {
  return make_error("stale_version", "该用户已被他人修改，请刷新后重试", "version");
}

Result<std::optional<User>> load(store::Conn& c, std::int64_t id) {
  SY_ASSIGN(auto row, c.query_one(std::string(kUserSelect) + " WHERE u.id = ?", {id}));
  if (!row) return std::optional<User>();
  return std::optional<User>(user_from_row(*row));
}

// Loads a user the actor may see, inside a transaction.
Result<User> load_in_scope(const Context& ctx, store::Conn& c, std::int64_t id) {
  SY_ASSIGN(auto u, load(c, id));
  if (!u || !ctx.actor.in_scope(u->region_code)) return user_not_found();
  return *u;
}

Status need(const Context& ctx, const char* permission, const char* what) {
  if (!ctx.actor.has(permission)) return make_error("forbidden", std::string("无权") + what);
  return ok_status();
}

Status check_region(const Context& ctx, store::Conn& c, const std::string& code,
                    std::string* normalized) {
  auto norm = normalize_region_code(code);
  if (!norm) return make_error("invalid_region", "所属区划代码格式不正确", "region_code");
  if (!ctx.actor.in_scope(*norm)) {
    return make_error("region_out_of_scope", "所属区划不在您的管辖范围内", "region_code");
  }
  SY_ASSIGN(std::int64_t exists, c.query_int("SELECT count(*) FROM regions WHERE code = ?", {*norm}));
  if (!exists) return make_error("invalid_region", "所属区划不存在", "region_code");
  *normalized = *norm;
  return ok_status();
}

Status check_display_name(const std::string& name) {
  std::string_view t = trim_ascii(name);
  if (t.empty()) return make_error("invalid_display_name", "请填写姓名", "display_name");
  if (t.size() > 90) return make_error("invalid_display_name", "姓名过长", "display_name");
  return ok_status();
}

Status bump(store::Conn& tx, const Context& ctx, std::int64_t id, int version,
            const std::string& set_sql, store::Params params) {
  params.emplace_back(ctx.now());
  params.emplace_back(ctx.actor.id_or_null());
  params.emplace_back(id);
  params.emplace_back(version);
  SY_ASSIGN(std::int64_t n, tx.exec("UPDATE users SET " + set_sql +
                                        ", updated_at = ?, updated_by = ?, version = version + 1 "
                                        "WHERE id = ? AND version = ?",
                                    params));
  if (n == 0) return stale();
  return ok_status();
}

// Accounts holding an admin role are kept by the command line on the server, not by another
// admin in the web: otherwise a 系统管理员 could reset an 审计员's password and log in as them.
Status check_admin_target(const Context& ctx, const User& target) {
  if (ctx.actor.system) return ok_status();
  for (const auto& r : target.roles) {
    if (is_admin_role(r)) {
      return make_error("admin_account_protected",
                        "管理员账户（系统管理员、安全管理员、审计员）只能由运维人员在服务器上用命令行维护");
    }
  }
  return ok_status();
}

// A change to one user: load in scope, apply, reload, audit with before and after.
Result<User> change_user(const Context& ctx, std::int64_t id, const char* action,
                         const std::function<Status(store::Conn&, const User&)>& apply,
                         const std::string& detail = {}, bool protect_admins = true) {
  User after;
  SY_TRY(audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    SY_ASSIGN(User before, load_in_scope(ctx, tx, id));
    if (protect_admins) SY_TRY(check_admin_target(ctx, before));
    SY_TRY(apply(tx, before));
    SY_ASSIGN(auto reloaded, load(tx, id));
    after = *reloaded;
    entry = audit::Entry{.action = action,
                         .entity = "user",
                         .entity_id = std::to_string(id),
                         .region_code = after.region_code,
                         .before = user_to_json(before),
                         .after = user_to_json(after),
                         .detail = detail};
    return ok_status();
  }));
  return after;
}

// Appends `s` as a JSON string, byte for byte as nlohmann::json::dump (UTF-8 kept, invalid UTF-8
// replaced) would: plain text is copied, anything unusual goes through nlohmann itself.
void append_json_string(std::string& out, std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >= 0xC2 && c <= 0xDF) ? 2 : (c >= 0xE0 && c <= 0xEF) ? 3
                          : (c >= 0xF0 && c <= 0xF4) ? 4 : 0;
    bool plain = len > 0 && i + len <= s.size();
    if (len == 1) plain = c >= 0x20 && c != '"' && c != '\\';
    for (size_t k = 1; plain && k < len; ++k) {
      plain = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    }
    if (plain && len >= 3) {  // no overlong forms, surrogates or code points above U+10FFFF
      auto second = static_cast<unsigned char>(s[i + 1]);
      plain = !((c == 0xE0 && second < 0xA0) || (c == 0xED && second >= 0xA0) ||
                (c == 0xF0 && second < 0x90) || (c == 0xF4 && second >= 0x90));
    }
    if (!plain) {
      out += nlohmann::json(std::string(s)).dump(-1, ' ', false,
                                                 nlohmann::json::error_handler_t::replace);
      return;
    }
    i += len;
  }
  out.push_back('"');
  out.append(s);
  out.push_back('"');
}

void append_digits(std::string& out, long long v, int width) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  for (int n = static_cast<int>(r.ptr - buf); n < width; ++n) out.push_back('0');
  out.append(buf, r.ptr);
}

// format_iso_shanghai as a JSON string, without snprintf (a third of /me's time went there).
void append_time(std::string& out, Millis at) {
  Millis local = at + kShanghaiOffsetMs;
  std::int64_t secs = local >= 0 ? local / 1000 : (local - 999) / 1000;
  std::int64_t z = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  std::int64_t rem = secs - z * 86400;
  int y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(z, y, m, d);
  if (y < 0 || y > 9999) {
    append_json_string(out, format_iso_shanghai(at));
    return;
  }
  out.push_back('"');
  append_digits(out, y, 4);
  out.push_back('-');
  append_digits(out, m, 2);
  out.push_back('-');
  append_digits(out, d, 2);
  out.push_back('T');
  append_digits(out, rem / 3600, 2);
  out.push_back(':');
  append_digits(out, rem % 3600 / 60, 2);
  out.push_back(':');
  append_digits(out, rem % 60, 2);
  out += "+08:00\"";
}

void append_opt_time(std::string& out, const std::optional<Millis>& t) {
  if (t) {
    append_time(out, *t);
  } else {
    out += "null";
  }
}

void append_string_list(std::string& out, const std::vector<std::string>& items) {
  out.push_back('[');
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out.push_back(',');
    append_json_string(out, items[i]);
  }
  out.push_back(']');
}

}  // namespace

nlohmann::json user_to_json(const User& u) {
  auto opt_time = [](const std::optional<Millis>& t) -> nlohmann::json {
    return t ? nlohmann::json(format_iso_shanghai(*t)) : nlohmann::json(nullptr);
  };
  return nlohmann::json{{"id", std::to_string(u.id)},
                        {"username", u.username},
                        {"display_name", u.display_name},
                        {"region_code", u.region_code},
                        {"region_name", u.region_name},
                        {"roles", u.roles},
                        {"role_names", role_names(u.roles)},
                        {"status", u.status},
                        {"status_reason", u.status_reason},
                        {"must_change_password", u.must_change_password},
                        {"locked_until", opt_time(u.locked_until)},
                        {"last_login_at", opt_time(u.last_login_at)},
                        {"last_login_ip", u.last_login_ip},
                        {"created_at", format_iso_shanghai(u.created_at)},
                        {"updated_at", format_iso_shanghai(u.updated_at)},
                        {"version", u.version}};
}

// Keys in the order nlohmann's std::map gives them, so the bytes are those of user_to_json's dump.
std::string user_json_text(const User& u) {
  std::string out;
  out.reserve(640);
  out += "{\"created_at\":";
  append_time(out, u.created_at);
  out += ",\"display_name\":";
  append_json_string(out, u.display_name);
  out += ",\"id\":\"";
  append_digits(out, u.id, 1);
  out += "\",\"last_login_at\":";
  append_opt_time(out, u.last_login_at);
  out += ",\"last_login_ip\":";
  append_json_string(out, u.last_login_ip);
  out += ",\"locked_until\":";
  append_opt_time(out, u.locked_until);
  out += ",\"must_change_password\":";
  out += u.must_change_password ? "true" : "false";
  out += ",\"region_code\":";
  append_json_string(out, u.region_code);
  out += ",\"region_name\":";
  append_json_string(out, u.region_name);
  out += ",\"role_names\":";
  append_string_list(out, role_names(u.roles));
  out += ",\"roles\":";
  append_string_list(out, u.roles);
  out += ",\"status\":";
  append_json_string(out, u.status);
  out += ",\"status_reason\":";
  append_json_string(out, u.status_reason);
  out += ",\"updated_at\":";
  append_time(out, u.updated_at);
  out += ",\"username\":";
  append_json_string(out, u.username);
  out += ",\"version\":";
  append_digits(out, u.version, 1);
  out.push_back('}');
  return out;
}

Result<User> create_user_tx(store::Conn& tx, const Context& ctx, const NewUser& in) {
  SY_TRY(need(ctx, "user:manage", "新增用户"));
  static const std::regex kUsername("^[A-Za-z][A-Za-z0-9_.-]{2,31}$");
  if (!std::regex_match(in.username, kUsername)) {
    return make_error("invalid_username", "用户名须以字母开头，3–32位，可含字母、数字、下划线、点和连字符",
                      "username");
  }
  SY_TRY(check_display_name(in.display_name));
  SY_TRY(check_role_set(in.roles));
  if (!ctx.actor.system) {
    for (const auto& r : in.roles) {
      if (is_admin_role(r)) {
        return make_error("forbidden_role", "系统管理员只能授予业务角色；管理员角色由安全管理员分配",
                          "roles");
      }
    }
  }
  std::string region;
  SY_TRY(check_region(ctx, tx, in.region_code, &region));
  SY_ASSIGN(Settings settings, load_settings(tx));
  SY_TRY(check_password_rule(settings, in.password, in.username));
  SY_ASSIGN(std::int64_t taken,
            tx.query_int("SELECT count(*) FROM users WHERE lower(username) = lower(?)", {in.username}));
  if (taken) return make_error("username_taken", "用户名已被使用：" + in.username, "username");
  std::int64_t id = ctx.ids.next();
  Millis now = ctx.now();
  SY_TRY(tx.exec(
      "INSERT INTO users (id, username, display_name, region_code, roles, password_hash, "
      "password_changed_at, must_change_password, status, created_at, created_by, updated_at, "
      "updated_by) VALUES (?,?,?,?,?,?,?,?, 'active', ?,?,?,?)",
      {id, in.username, std::string(trim_ascii(in.display_name)), region, join(in.roles, ","),
       hash_password(in.password), now, in.must_change_password, now, ctx.actor.id_or_null(), now,
       ctx.actor.id_or_null()}));
  SY_ASSIGN(auto u, load(tx, id));
  SY_TRY(audit::record(tx, ctx,
                       audit::Entry{.action = "user.create",
                                    .entity = "user",
                                    .entity_id = std::to_string(id),
                                    .region_code = region,
                                    .after = user_to_json(*u)}));
  return *u;
}

Result<User> create_user(const Context& ctx, const NewUser& in) {
  User created;
  SY_TRY(ctx.db.transact([&](store::Conn& tx) -> Status {
    SY_ASSIGN(created, create_user_tx(tx, ctx, in));
    return ok_status();
  }));
  return created;
}

Result<User> get_user(const Context& ctx, std::int64_t id) {
  SY_TRY(need(ctx, "user:read", "查看用户"));
  std::optional<User> out;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(out, load(c, id));
    return ok_status();
  }));
  if (!out || !ctx.actor.in_scope(out->region_code)) return user_not_found();
  return *out;
}

Result<User> get_own_user(const Context& ctx) {
  std::optional<User> out;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(out, load(c, ctx.actor.user_id));
    return ok_status();
  }));
  if (!out) return make_error("unauthenticated", "未登录");
  return *out;
}

Result<User> find_user_by_name(const Context& ctx, const std::string& username) {
  std::optional<User> out;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(auto row, c.query_one(std::string(kUserSelect) + " WHERE u.username = ?", {username}));
    if (row) out = user_from_row(*row);
    return ok_status();
  }));
  if (!out || !ctx.actor.in_scope(out->region_code)) return user_not_found();
  return *out;
}

Result<Page<User>> list_users(const Context& ctx, const UserQuery& q) {
  SY_TRY(need(ctx, "user:read", "查看用户"));
  Page<User> page;
  page.page = q.page.page;
  page.size = q.page.size;
  std::string where = " WHERE u.region_code LIKE ? ESCAPE '\\'";
  store::Params params = {store::like_prefix(ctx.actor.scope_prefix())};
  if (!q.q.empty()) {
    where += " AND (u.username LIKE ? ESCAPE '\\' OR u.display_name LIKE ? ESCAPE '\\')";
    params.emplace_back(store::like_contains(q.q));
    params.emplace_back(store::like_contains(q.q));
  }
  if (!q.status.empty()) {
    where += " AND u.status = ?";
    params.emplace_back(q.status);
  }
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(page.total, c.query_int("SELECT count(*) FROM users u" + where, params));
    store::Params p = params;
    p.emplace_back(q.page.size);
    p.emplace_back(q.page.offset());
    SY_ASSIGN(store::Rows rows,
              c.query(std::string(kUserSelect) + where + " ORDER BY u.id LIMIT ? OFFSET ?", p));
    for (const auto& r : rows) page.items.push_back(user_from_row(r));
    return ok_status();
  }));
  return page;
}

Result<User> update_user(const Context& ctx, std::int64_t id, const UserChanges& ch) {
  SY_TRY(need(ctx, "user:manage", "修改用户"));
  if (ch.display_name) SY_TRY(check_display_name(*ch.display_name));
  return change_user(ctx, id, "user.update", [&](store::Conn& tx, const User& before) -> Status {
    std::string region = before.region_code;
    if (ch.region_code) SY_TRY(check_region(ctx, tx, *ch.region_code, &region));
    std::string name = ch.display_name ? std::string(trim_ascii(*ch.display_name)) : before.display_name;
    return bump(tx, ctx, id, ch.version, "display_name = ?, region_code = ?", {name, region});
  });
}

Result<User> disable_user(const Context& ctx, std::int64_t id, const std::string& reason, int version) {
  SY_TRY(need(ctx, "user:manage", "停用用户"));
  if (trim_ascii(reason).empty()) return make_error("reason_required", "请填写停用原因", "reason");
  if (id == ctx.actor.user_id) return make_error("cannot_disable_self", "不能停用自己的账户");
  return change_user(ctx, id, "user.disable", [&](store::Conn& tx, const User& before) -> Status {
    if (before.status == "disabled") return make_error("already_disabled", "该用户已停用");
    SY_TRY(bump(tx, ctx, id, version, "status = 'disabled', status_reason = ?",
                {std::string(trim_ascii(reason))}));
    return end_user_sessions(tx, id, ctx.now(), "disabled");
  }, std::string(trim_ascii(reason)));
}

Result<User> enable_user(const Context& ctx, std::int64_t id, int version) {
  SY_TRY(need(ctx, "user:manage", "启用用户"));
  return change_user(ctx, id, "user.enable", [&](store::Conn& tx, const User& before) -> Status {
    if (before.status == "active") return make_error("already_active", "该用户已是启用状态");
    return bump(tx, ctx, id, version, "status = 'active', status_reason = NULL, failed_logins = ?",
                {0});
  });
}

Status reset_password(const Context& ctx, std::int64_t id, const std::string& new_password) {
  SY_TRY(need(ctx, "user:manage", "重置密码"));
  auto r = change_user(ctx, id, "user.reset_password", [&](store::Conn& tx, const User& before) -> Status {
    SY_ASSIGN(Settings settings, load_settings(tx));
    SY_TRY(check_password_rule(settings, new_password, before.username));
    SY_TRY(bump(tx, ctx, id, before.version,
                "password_hash = ?, password_changed_at = ?, must_change_password = 1",
                {hash_password(new_password), ctx.now()}));
    return end_user_sessions(tx, id, ctx.now(), "password_reset");
  });
  if (!r.ok()) return r.error();
  return ok_status();
}

Result<User> set_roles(const Context& ctx, std::int64_t id, const std::vector<std::string>& roles,
                       int version) {
  SY_TRY(need(ctx, "role:manage", "分配角色"));
  if (id == ctx.actor.user_id) return make_error("cannot_change_own_roles", "不能修改自己的角色");
  SY_TRY(check_role_set(roles));
  return change_user(ctx, id, "user.set_roles", [&](store::Conn& tx, const User&) -> Status {
    SY_TRY(bump(tx, ctx, id, version, "roles = ?", {join(roles, ",")}));
    // New roles take effect at the next log-in.
    return end_user_sessions(tx, id, ctx.now(), "roles_changed");
  }, {}, false);
}

Result<User> unlock_user(const Context& ctx, std::int64_t id) {
  SY_TRY(need(ctx, "role:manage", "解锁用户"));
  return change_user(ctx, id, "user.unlock", [&](store::Conn& tx, const User& before) -> Status {
    return bump(tx, ctx, id, before.version, "locked_until = NULL, failed_logins = ?", {0});
  }, {}, false);
}

Status change_own_password(const Context& ctx, const std::string& old_password,
                           const std::string& new_password, std::int64_t keep_session) {
  if (!ctx.actor.user_id) return make_error("unauthenticated", "未登录");
  return audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    SY_ASSIGN(auto row, tx.query_one("SELECT password_hash, username, version, region_code FROM users "
                                     "WHERE id = ?",
                                     {ctx.actor.user_id}));
    if (!row) return make_error("unauthenticated", "未登录");
    if (!verify_password(row->str(0), old_password)) {
      return make_error("wrong_password", "原密码不正确", "old_password");
    }
    if (old_password == new_password) {
      return make_error("weak_password", "新密码不能与原密码相同", "new_password");
    }
    SY_ASSIGN(Settings settings, load_settings(tx));
    Status rule = check_password_rule(settings, new_password, row->str(1));
    if (!rule.ok()) return make_error(rule.error().code, rule.error().message, "new_password");
    SY_TRY(bump(tx, ctx, ctx.actor.user_id, static_cast<int>(row->i64(2)),
                "password_hash = ?, password_changed_at = ?, must_change_password = 0",
                {hash_password(new_password), ctx.now()}));
    SY_TRY(end_user_sessions(tx, ctx.actor.user_id, ctx.now(), "password_changed", keep_session));
    entry = audit::Entry{.action = "user.change_password",
                         .entity = "user",
                         .entity_id = std::to_string(ctx.actor.user_id),
                         .region_code = row->str(3),
                         .detail = "本人修改密码"};
    return ok_status();
  });
}

Status end_user_sessions(store::Conn& tx, std::int64_t user_id, Millis now, const std::string& reason,
                         std::int64_t except_session) {
  SY_TRY(tx.exec("UPDATE sessions SET ended_at = ?, end_reason = ? WHERE user_id = ? AND ended_at IS "
                 "NULL AND id <> ?",
                 {now, reason, user_id, except_session}));
  return ok_status();
}

Result<UserCounts> count_users(const Context& ctx) {
  UserCounts out;
  store::Params p = {store::like_prefix(ctx.actor.scope_prefix())};
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(out.total, c.query_int("SELECT count(*) FROM users WHERE region_code LIKE ? ESCAPE '\\'", p));
    SY_ASSIGN(out.active, c.query_int("SELECT count(*) FROM users WHERE status = 'active' AND region_code "
                                      "LIKE ? ESCAPE '\\'",
                                      p));
    return ok_status();
  }));
  return out;
}

}  // namespace sy::auth
