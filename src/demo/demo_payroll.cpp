#include "demo/demo_payroll.h"

#include "auth/roles.h"
#include "core/id_number.h"
#include "io/csv_reader.h"
#include "payroll/money.h"
#include "payroll/proof_of_life.h"
#include "payroll/rules.h"
#include "payroll/runs.h"
#include "payroll/standards.h"

namespace sy::demo {
namespace {

// DOMAIN.md §4: the national figures published for 2018-08-01 and 2019-08-01.
const payroll::StandardInput kPublished[] = {
    {"残疾抚恤金", "残疾军人", "因战", "一级", "按年", "80140", "2018-08-01", "全国", "国家标准"},
    {"残疾抚恤金", "残疾军人", "因公", "一级", "按年", "77610", "2018-08-01", "全国", "国家标准"},
    {"残疾抚恤金", "残疾军人", "因病", "一级", "按年", "75060", "2018-08-01", "全国", "国家标准"},
    {"定期抚恤金", "烈士遗属", "", "", "按年", "25440", "2018-08-01", "全国", "国家标准"},
    {"定期抚恤金", "因公牺牲军人遗属", "", "", "按年", "21850", "2018-08-01", "全国", "国家标准"},
    {"定期抚恤金", "病故军人遗属", "", "", "按年", "20550", "2018-08-01", "全国", "国家标准"},
    {"定期生活补助", "带病回乡退役军人", "", "", "按月", "550", "2018-08-01", "全国", "国家标准"},
    {"定期生活补助", "参战退役军人", "", "", "按月", "600", "2018-08-01", "全国", "国家标准"},
    {"定期生活补助", "参试退役军人", "", "", "按月", "600", "2018-08-01", "全国", "国家标准"},
    {"定期生活补助", "60周岁以上农村籍退役士兵", "", "", "按服役年限每月", "35", "2018-08-01", "全国", "国家标准"},
    {"残疾抚恤金", "残疾军人", "因战", "一级", "按年", "88150", "2019-08-01", "全国", "国家标准"},
    {"残疾抚恤金", "残疾军人", "因公", "一级", "按年", "85370", "2019-08-01", "全国", "国家标准"},
    {"残疾抚恤金", "残疾军人", "因病", "一级", "按年", "82570", "2019-08-01", "全国", "国家标准"},
    {"定期抚恤金", "烈士遗属", "", "", "按年", "27980", "2019-08-01", "全国", "国家标准"},
    {"定期抚恤金", "因公牺牲军人遗属", "", "", "按年", "24040", "2019-08-01", "全国", "国家标准"},
    {"定期抚恤金", "病故军人遗属", "", "", "按年", "22610", "2019-08-01", "全国", "国家标准"},
    {"定期生活补助", "带病回乡退役军人", "", "", "按月", "600", "2019-08-01", "全国", "国家标准"},
    {"定期生活补助", "参战退役军人", "", "", "按月", "650", "2019-08-01", "全国", "国家标准"},
    {"定期生活补助", "参试退役军人", "", "", "按月", "650", "2019-08-01", "全国", "国家标准"},
    {"定期生活补助", "60周岁以上农村籍退役士兵", "", "", "按服役年限每月", "40", "2019-08-01", "全国", "国家标准"},
    {"定期生活补助", "烈士老年子女", "", "", "按月", "490", "2019-08-01", "全国", "国家标准"},
};

// A demo account acting through the services, with its role's permissions.
Result<Context> as_account(const Context& ctx, const std::string& username) {
  Context out = ctx;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(auto row, c.query_one("SELECT id, region_code, roles, display_name FROM users WHERE username = ?", {username}));
    if (!row) return make_error("demo_missing_account", "演示账号不存在：" + username);
    SY_ASSIGN(auto perms, auth::load_role_permissions(c));
    Actor a;
    a.user_id = row->i64(0);
    a.username = username;
    a.display_name = row->str(3);
    a.region_code = row->str(1);
    a.roles = {row->str(2)};
    a.permissions = perms[row->str(2)];
    out.actor = a;
    return ok_status();
  }));
  return out;
}

}  // namespace

Result<DemoPayrollReport> add_demo_payroll(const Context& ctx) {
  DemoPayrollReport report;
  for (const auto& s : kPublished) {
    SY_TRY(payroll::create_standard(ctx, s));
    ++report.standards;
  }
  std::string today = format_date_shanghai(ctx.now());
  int year = std::stoi(today.substr(0, 4));
  payroll::MonthIndex now = *payroll::parse_month(today.substr(0, 7));
  SY_TRY(payroll::update_rules(ctx, nlohmann::json{{"first_month", payroll::month_text(now - 3)},
                                                   {"proof_of_life_deadline", "06-30"}}));
  SY_ASSIGN(Context clerk, as_account(ctx, "fc_clerk"));
  SY_ASSIGN(Context lead, as_account(ctx, "fc_lead"));

  // Proof of life this year for all recipients of the town but every 40th, checked in spring.
  SY_ASSIGN(payroll::ProofList recipients,
            payroll::list_proof_of_life(clerk, payroll::ProofQuery{.year = year, .page = {1, 100000}}));
  int n = 0;
  for (const auto& r : recipients.page.items) {
    if (++n % 40 == 0) continue;
    char date[16];
    std::snprintf(date, sizeof date, "%04d-%02d-%02d", year, 3 + n % 3, 1 + n % 28);
    SY_TRY(payroll::record_proof_of_life(
        clerk, payroll::ProofOfLife{r.person_id, year, date, n % 3 == 0 ? "上门核验" : "人脸识别", ""}));
  }

  std::int64_t first_run = 0;
  for (payroll::MonthIndex m = now - 3; m < now; ++m) {
    SY_ASSIGN(payroll::RunSummary run, payroll::create_run(clerk, payroll::RunRequest{.month = payroll::month_text(m)}));
    SY_ASSIGN(run, payroll::approve_run(lead, run.id, run.version));
    if (!first_run) first_run = run.id;
    ++report.runs;
  }
  // The oldest run went to the bank; three payments came back failed.
  SY_ASSIGN(payroll::BankFile bank, payroll::export_bank_file(clerk, first_run, "csv"));
  SY_ASSIGN(io::SheetData sent, io::read_csv(bank.bytes));
  std::string ret = "序号,姓名,银行账号,金额(元),处理结果,失败原因\r\n";
  const char* reasons[] = {"账户已冻结", "户名与账号不符", "账户已销户"};
  int failed = 0;
  for (size_t r = 1; r < sent.rows.size(); ++r) {
    const io::Row& row = sent.rows[r];
    bool fail = r % 97 == 0 && failed < 3;
    ret += std::string(row[0].text) + "," + std::string(row[1].text) + "," + std::string(row[3].text) + "," +
           std::string(row[5].text) + "," + (fail ? "失败" : "成功") + "," + (fail ? reasons[failed++] : "") + "\r\n";
  }
  SY_TRY(payroll::reconcile_run(clerk, first_run, ret, "银行回盘.csv"));
  return report;
}

}  // namespace sy::demo
