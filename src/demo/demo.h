// The demo county (`shuangyong demo`): a real county's region tree with a user for every role, so
// a new user can log in and look around. Later modules add their synthetic data here.
//
// Contract: refuses an already initialised database; every demo account has the password
// kDemoPassword and is not forced to change it. All people are synthetic.
#pragma once

#include <string>
#include <vector>

#include "core/clock.h"
#include "core/id.h"
#include "core/result.h"
#include "store/db.h"

namespace sy::demo {

inline constexpr const char* kDemoPassword = "Demo#2026";

struct DemoAccount {
  std::string username;
  std::string display_name;
  std::string role;
  std::string role_name;
  std::string region_code;
  std::string region_name;
};

struct DemoReport {
  std::string county_code;
  std::string county_name;
  int regions = 0;
  int persons = 0;
  int payroll_runs = 0;
  int cases = 0;
  int assistance_pairs = 0;
  int campaigns = 0;
  std::vector<DemoAccount> accounts;
};

// `with_persons` false builds only regions and accounts (tests that want an empty registry).
Result<DemoReport> build_demo(store::Db& db, const Clock& clock, IdGenerator& ids,
                              const std::string& county = "140924", bool with_persons = true);

}  // namespace sy::demo
