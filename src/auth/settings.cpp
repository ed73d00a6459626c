#include "auth/settings.h"

#include <charconv>

#include "audit/audit.h"

namespace sy::auth {
namespace {

struct Field {
  const char* key;
  int Settings::*member;
  int min, max;
  const char* label;
  const char* group;
};

const Field kFields[] = {
    {"password_min_length", &Settings::password_min_length, 8, 64, "密码最小长度", "密码"},
    {"password_min_classes", &Settings::password_min_classes, 1, 4, "密码须包含的字符种类数", "密码"},
    {"password_expiry_days", &Settings::password_expiry_days, 0, 3650, "密码有效期（天）", "密码"},
    {"session_idle_minutes", &Settings::session_idle_minutes, 1, 240, "会话空闲超时（分钟）", "会话"},
    {"session_absolute_hours", &Settings::session_absolute_hours, 1, 72, "会话最长时间（小时）", "会话"},
    {"lockout_threshold", &Settings::lockout_threshold, 3, 20, "锁定前允许的失败次数", "登录"},
    {"lockout_minutes", &Settings::lockout_minutes, 1, 1440, "锁定时长（分钟）", "登录"},
    {"ip_max_failures", &Settings::ip_max_failures, 5, 1000, "单个IP每15分钟允许的失败次数", "登录"},
    // The web cap stays within the server's request limit (64 MB, http::ServerOptions).
    {"import_web_max_mb", &Settings::import_web_max_mb, 1, 64, "网页导入文件大小上限（MB）", "导入"},
    {"import_web_max_rows", &Settings::import_web_max_rows, 100, 1000000, "网页导入行数上限", "导入"},
    {"import_cli_max_mb", &Settings::import_cli_max_mb, 1, 16384, "命令行导入文件大小上限（MB）", "导入"},
    {"import_cli_max_rows", &Settings::import_cli_max_rows, 100, 20000000, "命令行导入行数上限", "导入"},
};

}  // namespace

nlohmann::json settings_to_json(const Settings& s) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& f : kFields) j[f.key] = s.*(f.member);
  return j;
}

nlohmann::json settings_fields_json() {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& f : kFields) {
    out.push_back({{"key", f.key}, {"label", f.label}, {"group", f.group}, {"min", f.min}, {"max", f.max},
                   {"default", Settings{}.*(f.member)}});
  }
  return out;
}

Result<Settings> load_settings(store::Conn& c) {
  Settings s;
  SY_ASSIGN(store::Rows rows, c.query("SELECT key, value FROM settings"));
  for (const auto& row : rows) {
    std::string key = row.str(0), value = row.str(1);
    for (const auto& f : kFields) {
      if (key == f.key) {
        int v = 0;
        auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
        if (ec == std::errc() && v >= f.min && v <= f.max) s.*(f.member) = v;
      }
    }
  }
  return s;
}

Result<Settings> load_settings(store::Db& db) {
  Settings s;
  SY_TRY(db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(s, load_settings(c));
    return ok_status();
  }));
  return s;
}

Result<Settings> update_settings(const Context& ctx, const nlohmann::json& changes) {
  if (!ctx.actor.has("settings:manage")) return make_error("forbidden", "无权修改系统设置");
  if (!changes.is_object()) return make_error("invalid_body", "请求内容应为 JSON 对象");
  for (auto it = changes.begin(); it != changes.end(); ++it) {
    const Field* field = nullptr;
    for (const auto& f : kFields) {
      if (it.key() == f.key) field = &f;
    }
    if (!field) return make_error("unknown_setting", "未知的设置项：" + it.key(), it.key());
    if (!it.value().is_number_integer()) {
      return make_error("invalid_setting", std::string(field->label) + "应为整数", it.key());
    }
    long long v = it.value().get<long long>();
    if (v < field->min || v > field->max) {
      return make_error("invalid_setting",
                        std::string(field->label) + "应在 " + std::to_string(field->min) + " 到 " +
                            std::to_string(field->max) + " 之间",
                        it.key());
    }
  }
  Settings result;
  SY_TRY(audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    SY_ASSIGN(Settings before, load_settings(tx));
    Settings after = before;
    for (auto it = changes.begin(); it != changes.end(); ++it) {
      for (const auto& f : kFields) {
        if (it.key() != f.key) continue;
        int v = it.value().get<int>();
        after.*(f.member) = v;
        SY_ASSIGN(std::int64_t n, tx.exec("UPDATE settings SET value = ?, updated_at = ?, updated_by = ?, "
                                          "version = version + 1 WHERE key = ?",
                                          {std::to_string(v), ctx.now(), ctx.actor.id_or_null(), f.key}));
        if (n == 0) {
          SY_TRY(tx.exec("INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?,?,?,?)",
                         {f.key, std::to_string(v), ctx.now(), ctx.actor.id_or_null()}));
        }
      }
    }
    entry = audit::Entry{.action = "settings.update",
                         .entity = "settings",
                         .entity_id = "system",
                         .before = settings_to_json(before),
                         .after = settings_to_json(after)};
    result = after;
    return ok_status();
  }));
  return result;
}

}  // namespace sy::auth
