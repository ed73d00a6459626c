#include "demo/demo.h"

#include "auth/roles.h"
#include "auth/users.h"
#include "demo/demo_assistance.h"
#include "demo/demo_cases.h"
#include "demo/demo_payroll.h"
#include "demo/demo_persons.h"
#include "demo/demo_visits.h"
#include "setup/setup.h"

namespace sy::demo {

Result<DemoReport> build_demo(store::Db& db, const Clock& clock, IdGenerator& ids,
                              const std::string& county, bool with_persons) {
  setup::InitOptions init{.county = county,
                          .admin_username = "admin",
                          .admin_display_name = "系统管理员（演示）",
                          .admin_password = kDemoPassword,
                          .admin_must_change_password = false};
  SY_ASSIGN(setup::InitReport base, setup::initialize(db, clock, ids, init));
  DemoReport report{base.county_code, base.county_name, base.regions, {}};
  Context ctx{db, clock, ids, Actor::system_actor("demo")};

  // The first township of the county (for 140924: 繁城镇) hosts the town-level accounts.
  std::string town_code, town_name;
  SY_TRY(db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(auto row, c.query_one("SELECT code, name FROM regions WHERE level = 'township' "
                                    "ORDER BY sort_order LIMIT 1"));
    if (row) {
      town_code = row->str(0);
      town_name = row->str(1);
    }
    return ok_status();
  }));
  if (town_code.empty()) return make_error("demo_no_township", "该县没有乡镇数据，无法生成演示数据");

  struct Spec {
    const char* username;
    const char* name;
    const char* role;
    bool town;
  };
  const Spec specs[] = {
      {"security", "王安全", "sec_admin", false}, {"auditor", "赵审计", "auditor", false},
      {"county_lead", "刘建国", "biz_admin", false}, {"fc_lead", "张卫东", "biz_admin", true},
      {"fc_clerk", "李明", "clerk", true},           {"fc_viewer", "陈静", "viewer", true},
  };
  report.accounts.push_back({"admin", "系统管理员（演示）", "sys_admin", "系统管理员", base.county_code,
                             base.county_name});
  SY_TRY(db.transact([&](store::Conn& tx) -> Status {
    for (const Spec& s : specs) {
      std::string region = s.town ? town_code : base.county_code;
      SY_TRY(auth::create_user_tx(tx, ctx,
                                  auth::NewUser{.username = s.username,
                                                .display_name = s.name,
                                                .region_code = region,
                                                .password = kDemoPassword,
                                                .roles = {s.role},
                                                .must_change_password = false}));
      report.accounts.push_back({s.username, s.name, s.role, auth::find_role(s.role)->name, region,
                                 s.town ? town_name : base.county_name});
    }
    return ok_status();
  }));
  if (with_persons) {
    SY_ASSIGN(DemoPersonsReport persons, add_demo_persons(ctx, base.county_code));
    report.persons = persons.persons;
    SY_ASSIGN(DemoPayrollReport payroll, add_demo_payroll(ctx));
    report.payroll_runs = payroll.runs;
    SY_ASSIGN(DemoCasesReport cases, add_demo_cases(ctx));
    report.cases = cases.cases;
    SY_ASSIGN(DemoAssistanceReport pairs, add_demo_assistance(ctx));
    report.assistance_pairs = pairs.pairs;
    SY_ASSIGN(DemoVisitsReport visits, add_demo_visits(ctx));
    report.campaigns = visits.campaigns;
  }
  return report;
}

}  // namespace sy::demo
