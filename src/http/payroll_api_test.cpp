// API tests of 抚恤补助发放, as the web pages use it: standards import, a run, maker–checker approval,
// bank file, 花名册, reconciliation, a person's payments, proof of life — on SQLite or PostgreSQL.
#include "api_fixture.h"
#include "io/csv_reader.h"
#include "io/xlsx_table.h"
#include "payroll/standards.h"

namespace sy::http {
namespace {

using testing::ApiClient;
using testing::ApiResponse;

class PayrollApi : public testing::ApiTest {
 protected:
  std::string standards_file() {
    io::Table t{"待遇标准", payroll::standards_headers(),
                {{"残疾抚恤金", "残疾军人", "因战", "一级", "按年", "88150", "2019-08-01", "全国", ""},
                 {"定期抚恤金", "烈士遗属", "", "", "按年", "27980", "2019-08-01", "全国", ""},
                 {"定期生活补助", "带病回乡退役军人", "", "", "按月", "600", "2019-08-01", "全国", ""}}};
    return *io::write_xlsx(t);
  }
  // Three people of 繁城镇: one paid, one without a bank account, one disabled veteran of a grade
  // without a standard.
  void add_people(ApiClient& clerk) {
    const char* csv =
        "姓名,身份证号,优抚类别,伤残等级,伤残性质,所属村(社区),开户银行,银行账号,批准日期\r\n"
        "汪军,11010519491231002X,烈属,,,东泰社区,农业银行,6217994526859693844,2001-05-01\r\n"
        "曾杰,140924196305140994,残疾军人,一级,因战,西义村,农业银行,6228480010002345678,2001-05-01\r\n"
        "单红,140924195505151351,带病回乡退伍军人,,,西义村,,,2001-05-01\r\n";
    ApiResponse r = clerk.upload("/api/v1/persons/import", "people.csv", csv, {{"town", "140924100"}});
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(r.json["created"], 3) << r.body;
  }
};

TEST_F(PayrollApi, StandardsRunApproveExportReconcile) {
  ApiClient lead = logged_in("fc_lead");
  ApiClient clerk = logged_in("fc_clerk");
  ApiClient viewer = logged_in("fc_viewer");

  ASSERT_EQ(clerk.upload("/api/v1/standards/import", "s.xlsx", standards_file()).status, 403);
  ApiResponse imported = lead.upload("/api/v1/standards/import", "s.xlsx", standards_file());
  ASSERT_EQ(imported.status, 200) << imported.body;
  EXPECT_EQ(imported.json["created"], 3);
  ApiResponse standards = clerk.get("/api/v1/standards");
  ASSERT_EQ(standards.status, 200);
  ASSERT_EQ(standards.json["items"].size(), 3u);
  ApiResponse overlap = lead.post("/api/v1/standards", {{"item", "定期生活补助"}, {"category", "带病回乡退役军人"},
                                                        {"unit", "按月"}, {"amount", "650"}, {"effective_from", "2019-08-01"}});
  EXPECT_EQ(overlap.status, 409) << overlap.body;
  ApiResponse not_number = lead.upload("/api/v1/standards/import", "bad.csv",
                                       "项目,优抚类别,计发方式,标准(元),生效日期\r\n定期抚恤金,烈士遗属,按年,很多,2020-08-01\r\n");
  ASSERT_EQ(not_number.status, 200);
  EXPECT_EQ(not_number.json["rejected"], 1);
  EXPECT_EQ(not_number.json["errors"][0]["column"], "标准(元)");
  EXPECT_EQ(not_number.json["errors"][0]["field"], "amount");
  ApiResponse bad_amount = lead.post("/api/v1/standards", {{"item", "定期抚恤金"}, {"category", "烈士遗属"}, {"unit", "按年"},
                                                           {"amount", "很多"}, {"effective_from", "2020-08-01"}});
  EXPECT_EQ(bad_amount.status, 400) << bad_amount.body;
  EXPECT_EQ(bad_amount.json["error"]["field"], "amount");
  EXPECT_EQ(count("SELECT count(*) FROM benefit_standards"), 3);

  add_people(clerk);
  ASSERT_EQ(viewer.post("/api/v1/payroll-runs", {{"month", "2019-10"}}).status, 403);
  ApiResponse bad_month = clerk.post("/api/v1/payroll-runs", {{"month", "2019/10"}});
  EXPECT_EQ(bad_month.status, 400);
  ApiResponse run = clerk.post("/api/v1/payroll-runs", {{"month", "2019-10"}, {"progress", "web-0123456789"}});
  ASSERT_EQ(run.status, 201) << run.body;
  std::string id = run.json["id"];
  ApiResponse progress = clerk.get("/api/v1/payroll-progress/web-0123456789");
  ASSERT_EQ(progress.status, 200) << progress.body;
  EXPECT_EQ(progress.json["phase"], "done");
  EXPECT_EQ(progress.json["percent"], 100);
  EXPECT_EQ(progress.json["total"], 3);
  EXPECT_EQ(progress.json["run_id"], id);
  EXPECT_EQ(lead.get("/api/v1/payroll-progress/web-0123456789").status, 404);
  EXPECT_EQ(clerk.get("/api/v1/payroll-progress/no").status, 400);
  EXPECT_EQ(run.json["status"], "draft");
  EXPECT_EQ(run.json["total_fen"], 233167 + 734583);
  EXPECT_EQ(run.json["exceptions"], 1);  // 单红 has no bank account
  ApiResponse held = clerk.get("/api/v1/payroll-runs/" + id + "/lines?exceptions=1");
  ASSERT_EQ(held.json["items"].size(), 1u);
  EXPECT_EQ(held.json["items"][0]["exception"], "未登记银行账号");
  EXPECT_EQ(held.json["items"][0]["amount_fen"], 60000);
  ApiResponse all = clerk.get("/api/v1/payroll-runs/" + id + "/lines");
  EXPECT_EQ(all.json["total"], 3);
  EXPECT_NE(all.json["items"][0]["basis"].get<std::string>().find("标准"), std::string::npos);
  EXPECT_EQ(all.json["items"][0]["id_number"].get<std::string>().find("*") != std::string::npos, true);

  ASSERT_EQ(clerk.get("/api/v1/payroll-runs/" + id + "/bank-file").status, 409);
  int version = run.json["version"];
  ApiResponse self = clerk.post("/api/v1/payroll-runs/" + id + "/approve", {{"version", version}});
  EXPECT_EQ(self.status, 403);
  ApiResponse approved = lead.post("/api/v1/payroll-runs/" + id + "/approve", {{"version", version}});
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(approved.json["status"], "approved");
  EXPECT_EQ(clerk.post("/api/v1/payroll-runs", {{"month", "2019-10"}}).status, 409);

  ApiResponse csv = clerk.get("/api/v1/payroll-runs/" + id + "/bank-file?format=csv");
  ASSERT_EQ(csv.status, 200);
  auto sheet = io::read_csv(csv.body);
  ASSERT_TRUE(sheet.ok());
  ASSERT_EQ(sheet->rows.size(), 3u);  // header and two payees; no 合计 row among the data
  EXPECT_EQ(*payroll::parse_yuan(sheet->rows[1][5].text) + *payroll::parse_yuan(sheet->rows[2][5].text), 967750);
  EXPECT_EQ(csv.header("X-Row-Count"), "2");
  EXPECT_EQ(csv.header("X-Total-Fen"), "967750");
  ApiResponse html = viewer.get("/api/v1/payroll-runs/" + id + "/roster?format=html");
  ASSERT_EQ(html.status, 200);
  EXPECT_NE(html.body.find("小计"), std::string::npos);
  EXPECT_NE(html.body.find("总计"), std::string::npos);

  // The bank returns one paid and one failed.
  std::string ret = "姓名,银行账号,金额(元),处理结果,失败原因\r\n"
                    "汪军,6217994526859693844,2331.67,成功,\r\n"
                    "曾杰,6228480010002345678,7345.83,失败,户名不符\r\n";
  ApiResponse wrong = clerk.upload("/api/v1/payroll-runs/" + id + "/reconcile", "ret.csv",
                                   "姓名,银行账号,金额(元),处理结果\r\n汪军,6217994526859693844,2000.00,成功\r\n");
  EXPECT_EQ(wrong.status, 400) << wrong.body;
  ApiResponse rec = clerk.upload("/api/v1/payroll-runs/" + id + "/reconcile", "ret.csv", ret);
  ASSERT_EQ(rec.status, 200) << rec.body;
  EXPECT_EQ(rec.json["paid"], 1);
  EXPECT_EQ(rec.json["failed"], 1);
  ASSERT_TRUE(rec.json["reissue_run_id"].is_string());
  ApiResponse reissue = clerk.get("/api/v1/payroll-runs/" + rec.json["reissue_run_id"].get<std::string>());
  EXPECT_EQ(reissue.json["kind"], "reissue");
  EXPECT_EQ(reissue.json["total_fen"], 734583);
  EXPECT_EQ(reissue.json["parent_run_id"], id);
  EXPECT_EQ(clerk.get("/api/v1/payroll-runs/" + id).json["reissue_run_id"], rec.json["reissue_run_id"]);
  ApiResponse failed_lines = clerk.get("/api/v1/payroll-runs/" + id + "/lines?bank=failed");
  ASSERT_EQ(failed_lines.status, 200) << failed_lines.body;
  ASSERT_EQ(failed_lines.json["total"], 1);
  EXPECT_EQ(failed_lines.json["items"][0]["bank_reason"], "户名不符");
  EXPECT_EQ(clerk.get("/api/v1/payroll-runs/" + id + "/lines?bank=paid").json["total"], 1);
  EXPECT_EQ(clerk.get("/api/v1/payroll-runs/" + id + "/lines?bank=none").json["total"], 0);
  ApiResponse bad_bank = clerk.get("/api/v1/payroll-runs/" + id + "/lines?bank=maybe");
  EXPECT_EQ(bad_bank.status, 400);
  EXPECT_EQ(bad_bank.json["error"]["field"], "bank");

  std::string person = all.json["items"][0]["person_id"];
  ApiResponse pays = viewer.get("/api/v1/persons/" + person + "/payments");
  ASSERT_EQ(pays.status, 200);
  EXPECT_GE(pays.json["items"].size(), 1u);
  ApiResponse runs = viewer.get("/api/v1/payroll-runs");
  EXPECT_EQ(runs.json["total"], 2);
  ApiResponse totals = viewer.get("/api/v1/payroll-runs/" + id + "/totals");
  EXPECT_EQ(totals.json["by_item"].size(), 2u);
  EXPECT_FALSE(totals.json["by_item"][0].contains("funding_fen"));

  // 资金分担: validated, audited, and shown on the run's totals by item.
  nlohmann::json split = {{"funding", {{"central", 80}, {"province", 10}, {"city", 5}, {"county", 5}}}};
  EXPECT_EQ(clerk.put("/api/v1/benefit-items/disability_pension/funding", split).status, 403);
  ApiResponse short_split = lead.put("/api/v1/benefit-items/disability_pension/funding",
                                     {{"funding", {{"central", 80}, {"province", 10}}}});
  EXPECT_EQ(short_split.status, 400) << short_split.body;
  EXPECT_EQ(short_split.json["error"]["field"], "funding");
  ApiResponse not_int = lead.put("/api/v1/benefit-items/disability_pension/funding", {{"funding", {{"central", "八十"}}}});
  EXPECT_EQ(not_int.json["error"]["field"], "funding.central");
  EXPECT_EQ(lead.put("/api/v1/benefit-items/nothing/funding", split).status, 404);
  ApiResponse set = lead.put("/api/v1/benefit-items/disability_pension/funding", split);
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(set.json["funding"]["central"], 80);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'benefit_item.funding'"), 1);
  ApiResponse split_totals = viewer.get("/api/v1/payroll-runs/" + id + "/totals");
  for (const auto& row : split_totals.json["by_item"]) {
    if (row["key"] != "disability_pension") continue;
    const auto& f = row["funding_fen"];
    EXPECT_EQ(f["central"].get<std::int64_t>() + f["province"].get<std::int64_t>() + f["city"].get<std::int64_t>() +
                  f["county"].get<std::int64_t>(),
              row["fen"].get<std::int64_t>());
    EXPECT_EQ(f["central"], row["fen"].get<std::int64_t>() * 80 / 100);
  }
}

TEST_F(PayrollApi, ProofOfLifeWithholdsUntilChecked) {
  ApiClient lead = logged_in("fc_lead");
  ApiClient clerk = logged_in("fc_clerk");
  ASSERT_EQ(lead.upload("/api/v1/standards/import", "s.xlsx", standards_file()).status, 200);
  add_people(clerk);
  ApiResponse rules = lead.put("/api/v1/payroll-rules", {{"proof_of_life_deadline", "06-30"}});
  ASSERT_EQ(rules.status, 200) << rules.body;
  EXPECT_EQ(lead.put("/api/v1/payroll-rules", {{"proof_of_life_deadline", "13-45"}}).status, 400);
  ApiResponse list = clerk.get("/api/v1/proof-of-life?year=2019&missing=1");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.json["missing"], 3);
  ApiResponse imported = clerk.upload("/api/v1/proof-of-life/import", "pol.csv",
                                      "身份证号,认证日期,认证方式\r\n11010519491231002X,2019-03-05,人脸识别\r\n");
  ASSERT_EQ(imported.status, 200) << imported.body;
  EXPECT_EQ(imported.json["recorded"], 1);
  ApiResponse bad = clerk.upload("/api/v1/proof-of-life/import", "pol.csv",
                                 "身份证号,认证日期\r\n110105194912310021,2019-03-05\r\n");
  EXPECT_EQ(bad.json["rejected"], 1);
  ApiResponse run = clerk.post("/api/v1/payroll-runs", {{"month", "2019-08"}});
  ASSERT_EQ(run.status, 201) << run.body;
  // Only 汪军 was checked for 2019: the others are held with the reason.
  EXPECT_EQ(run.json["total_fen"], 233167);
  ApiResponse held = clerk.get("/api/v1/payroll-runs/" + run.json["id"].get<std::string>() + "/lines?exceptions=1");
  ASSERT_EQ(held.json["total"], 2);
  EXPECT_NE(held.json["items"][0]["exception"].get<std::string>().find("生存认证"), std::string::npos);
}

}  // namespace
}  // namespace sy::http
