// System settings (系统设置) that govern log-in and passwords, with the defaults SECURITY.md sets,
// and the size caps of roster imports.
//
// Contract: `load_settings` returns defaults for keys never set; `update_settings` validates every
// value (Chinese message per field), needs settings:manage, and is audited.
#pragma once

#include <nlohmann/json.hpp>

#include "audit/context.h"
#include "core/result.h"

namespace sy::auth {

struct Settings {
  int password_min_length = 8;
  int password_min_classes = 3;   // of lower, upper, digit, symbol
  int password_expiry_days = 0;   // 0 = never expires
  int session_idle_minutes = 30;
  int session_absolute_hours = 12;
  int lockout_threshold = 5;      // failures before the account locks
  int lockout_minutes = 15;
  int ip_max_failures = 20;       // failed log-ins per IP per 15 minutes before 429
  // Roster imports (DECISIONS.md): the web's caps, and the command line's, which may allow more.
  int import_web_max_mb = 50;
  int import_web_max_rows = 100000;
  int import_cli_max_mb = 1024;
  int import_cli_max_rows = 2000000;
};

nlohmann::json settings_to_json(const Settings& s);
// Every setting with its Chinese label, group (密码, 会话, 登录, 导入), range and default, in the
// order a settings page shows them.
nlohmann::json settings_fields_json();
Result<Settings> load_settings(store::Conn& c);
Result<Settings> load_settings(store::Db& db);
Result<Settings> update_settings(const Context& ctx, const nlohmann::json& changes);

}  // namespace sy::auth
