// System set-up (`shuangyong init`): schema, built-in roles, the county's region tree and the first
// administrator, in one step.
//
// Contract: `initialize` refuses a database that already holds a county (`already_initialized`,
// nothing written); otherwise it migrates the schema and then writes roles, regions, the admin and
// the audit row in one transaction — all or nothing.
#pragma once

#include <string>

#include "core/clock.h"
#include "core/id.h"
#include "core/result.h"
#include "store/db.h"

namespace sy::setup {

struct InitOptions {
  std::string county;  // 6-digit code, e.g. 140924
  std::string admin_username = "admin";
  std::string admin_display_name = "系统管理员";
  std::string admin_password;
  bool admin_must_change_password = true;
};

struct InitReport {
  int schema_version = 0;
  std::string county_code;
  std::string county_name;
  int regions = 0;
  std::string admin_username;
};

Result<InitReport> initialize(store::Db& db, const Clock& clock, IdGenerator& ids,
                              const InitOptions& options);

// Whether the database already serves a county.
Result<bool> is_initialized(store::Db& db);

}  // namespace sy::setup
