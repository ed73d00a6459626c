// API tests of 诉求台帐 and the working-day calendar as the web pages use them: register, the
// allowed next steps per role, actions with their errors (409 invalid_transition / stale_version,
// 403), attachments by content, the 台帐 export, 首页 summary and escalation, scope, the calendar
// routes — on SQLite or PostgreSQL.
#include "api_fixture.h"
#include "io/xlsx_reader.h"

namespace sy::http {
namespace {

using testing::ApiClient;
using testing::ApiResponse;

class CasesApi : public testing::ApiTest {
 protected:
  nlohmann::json rights_body(const std::string& registered_on = "") {
    nlohmann::json b = {{"kind", "rights"},
                        {"category", "pension"},
                        {"title", "抚恤金未按时发放"},
                        {"description", "九月起未到账"},
                        {"region_code", "140924100002"},
                        {"applicant", {{"type", "individual"}, {"name", "汪军"}, {"phone", "13812341234"}}}};
    if (!registered_on.empty()) b["registered_on"] = registered_on;
    return b;
  }
  ApiResponse act(ApiClient& c, const nlohmann::json& d, const std::string& action, nlohmann::json body) {
    body["version"] = d["version"];
    return c.post("/api/v1/cases/" + d["id"].get<std::string>() + "/actions/" + action, body);
  }
};

TEST_F(CasesApi, RegisterHandleAndCloseARightsCase) {
  ApiClient clerk = logged_in("fc_clerk");
  ApiClient lead = logged_in("fc_lead");
  ApiClient viewer = logged_in("fc_viewer");

  ApiResponse kinds = viewer.get("/api/v1/cases/kinds");
  ASSERT_EQ(kinds.status, 200) << kinds.body;
  ASSERT_EQ(kinds.json["items"].size(), 4u);
  EXPECT_EQ(kinds.json["items"][0]["code"], "rights");
  EXPECT_EQ(kinds.json["items"][0]["accept_days"], 3);

  EXPECT_EQ(viewer.post("/api/v1/cases", rights_body()).status, 403);
  nlohmann::json missing = rights_body();
  missing.erase("applicant");
  ApiResponse bad = clerk.post("/api/v1/cases", missing);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json["error"]["field"], "applicant");
  ApiResponse created = clerk.post("/api/v1/cases", rights_body());
  ASSERT_EQ(created.status, 201) << created.body;
  nlohmann::json d = created.json;
  EXPECT_EQ(d["number"], "WQ-2026-0001");
  EXPECT_EQ(d["status"], "registered");
  EXPECT_EQ(d["status_name"], "已登记");
  EXPECT_EQ(d["deadline"]["due_date"], "2026-11-25");
  EXPECT_EQ(d["deadline"]["state"], "normal");
  EXPECT_EQ(d["applicant"]["phone"], "13812341234");  // the clerk may reveal
  EXPECT_TRUE(d["next_steps"].empty());                 // accepting is the lead's
  ApiResponse seen = viewer.get("/api/v1/cases/" + d["id"].get<std::string>());
  EXPECT_EQ(seen.json["applicant"]["phone"], "138****1234");
  ApiResponse as_lead = lead.get("/api/v1/cases/" + d["id"].get<std::string>());
  ASSERT_EQ(as_lead.json["next_steps"].size(), 2u);
  EXPECT_EQ(as_lead.json["next_steps"][1]["action"], "reject");
  EXPECT_EQ(as_lead.json["next_steps"][1]["fields"][0]["name"], "reason");

  EXPECT_EQ(act(clerk, d, "accept", {}).status, 403);
  ApiResponse out_of_order = act(lead, d, "resolve", {{"result", "x"}});
  EXPECT_EQ(out_of_order.status, 409);
  EXPECT_EQ(out_of_order.error_code(), "invalid_transition");
  ApiResponse accepted = act(lead, d, "accept", {{"note", "予以受理"}});
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  ApiResponse stale = act(clerk, d, "assign", {{"department", "县退役军人事务局"}, {"handler", "王芳"}});
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.error_code(), "stale_version");
  d = accepted.json;
  ApiResponse no_handler = act(clerk, d, "assign", {{"department", "县退役军人事务局"}});
  EXPECT_EQ(no_handler.status, 400);
  EXPECT_EQ(no_handler.json["error"]["field"], "handler");
  d = act(clerk, d, "assign", {{"department", "县退役军人事务局"}, {"handler", "王芳"}}).json;
  EXPECT_EQ(d["status"], "in_progress");
  EXPECT_EQ(d["next_steps"][0]["action"], "note");

  // Attachments: a real PDF is taken, a program named .jpg is not.
  std::string id = d["id"];
  ApiResponse pdf = clerk.upload("/api/v1/cases/" + id + "/attachments", "补发凭证.pdf", "%PDF-1.7 demo",
                                 {{"purpose", "evidence"}});
  ASSERT_EQ(pdf.status, 201) << pdf.body;
  EXPECT_EQ(pdf.json["content_type"], "application/pdf");
  ApiResponse exe = clerk.upload("/api/v1/cases/" + id + "/attachments", "照片.jpg", std::string("MZ\x90\0\3", 5));
  EXPECT_EQ(exe.status, 400);
  EXPECT_EQ(exe.error_code(), "attachment_disguised");
  ApiResponse big = clerk.upload("/api/v1/cases/" + id + "/attachments", "big.png",
                                 std::string("\x89PNG\r\n\x1a\n", 8) + std::string(10u << 20, 'x'));
  EXPECT_EQ(big.status, 413);
  ApiResponse file = viewer.get("/api/v1/cases/" + id + "/attachments/" + pdf.json["id"].get<std::string>());
  ASSERT_EQ(file.status, 200);
  EXPECT_EQ(file.body, "%PDF-1.7 demo");
  EXPECT_EQ(file.header("Content-Type"), "application/pdf");

  d = clerk.get("/api/v1/cases/" + id).json;
  ApiResponse resolved = act(clerk, d, "resolve", {{"result", "已补发"}, {"evidence_ids", {pdf.json["id"]}}});
  ASSERT_EQ(resolved.status, 200) << resolved.body;
  EXPECT_TRUE(resolved.json["deadline"].is_null());
  ApiResponse visit = act(clerk, resolved.json, "visit", {{"satisfaction", "satisfied"}});
  ASSERT_EQ(visit.status, 200) << visit.body;
  EXPECT_EQ(visit.json["status"], "closed");
  EXPECT_EQ(visit.json["status_name"], "已回访");
  std::vector<std::string> actions;
  for (const auto& e : visit.json["timeline"]) actions.push_back(e["action"]);
  EXPECT_EQ(actions, (std::vector<std::string>{"register", "accept", "assign", "attach", "resolve", "visit"}));
  EXPECT_EQ(visit.json["timeline"][3]["action_name"], "上传附件");
  EXPECT_EQ(clerk.upload("/api/v1/cases/" + id + "/attachments", "a.pdf", "%PDF-1.4").status, 409);
}

TEST_F(CasesApi, OverdueListEscalationSummaryAndExport) {
  ApiClient clerk = logged_in("fc_clerk");
  ApiClient lead = logged_in("fc_lead");
  ApiClient county = logged_in("county_lead");
  ApiResponse late = clerk.post("/api/v1/cases", rights_body("2026-11-02"));
  ASSERT_EQ(late.status, 201) << late.body;
  ASSERT_EQ(clerk.post("/api/v1/cases", rights_body()).status, 201);
  EXPECT_EQ(late.json["deadline"]["state"], "overdue");

  ApiResponse overdue = clerk.get("/api/v1/cases?deadline=overdue");
  ASSERT_EQ(overdue.status, 200) << overdue.body;
  EXPECT_EQ(overdue.json["total"], 1);
  EXPECT_EQ(clerk.get("/api/v1/cases?kind=rights&page=1&size=1").json["items"].size(), 1u);
  EXPECT_EQ(clerk.get("/api/v1/cases?deadline=later").status, 400);

  EXPECT_EQ(clerk.post("/api/v1/cases/escalate", nlohmann::json::object()).status, 403);
  ApiResponse esc = lead.post("/api/v1/cases/escalate", nlohmann::json::object());
  ASSERT_EQ(esc.status, 200) << esc.body;
  EXPECT_EQ(esc.json["escalated"], 1);
  EXPECT_EQ(esc.json["items"][0]["escalation"]["leads"][0]["display_name"], "张卫东");

  ApiResponse sum = lead.get("/api/v1/cases/summary");
  ASSERT_EQ(sum.status, 200) << sum.body;
  EXPECT_EQ(sum.json["by_deadline"]["overdue"], 1);
  EXPECT_EQ(sum.json["by_deadline"]["normal"], 1);
  EXPECT_EQ(sum.json["overdue"].size(), 1u);
  EXPECT_EQ(sum.json["escalated_to_me"].size(), 1u);
  EXPECT_EQ(county.get("/api/v1/cases/summary").json["escalated_to_me"].size(), 0u);

  ApiResponse xlsx = clerk.get("/api/v1/cases/export?kind=rights");
  ASSERT_EQ(xlsx.status, 200);
  auto sheet = io::read_xlsx_sheet(xlsx.body);
  ASSERT_TRUE(sheet.ok()) << sheet.error().message;
  ASSERT_EQ(sheet->rows.size(), 3u);
  std::vector<std::string> header;
  for (size_t i = 0; i < sheet->rows[0].size(); ++i) header.push_back(std::string(sheet->rows[0][i].text));
  EXPECT_EQ(header, (std::vector<std::string>{"序号", "登记日期", "诉求人", "事项", "责任单位", "责任人", "办理时限",
                                              "办理结果", "状态"}));
  EXPECT_EQ(std::string(sheet->rows[1][1].text), "2026-11-02");
  EXPECT_EQ(std::string(sheet->rows[1][8].text), "已登记（逾期）");

  // Accepted: it leaves the overdue list.
  ApiResponse accepted = act(lead, late.json, "accept", {});
  ASSERT_EQ(accepted.status, 200);
  EXPECT_EQ(clerk.get("/api/v1/cases?deadline=overdue").json["total"], 0);
  EXPECT_EQ(lead.get("/api/v1/cases/summary").json["escalated_to_me"].size(), 0u);
}

TEST_F(CasesApi, ACaseOfAnotherTownshipIsNotFound) {
  ApiClient county = logged_in("county_lead");
  ApiClient clerk = logged_in("fc_clerk");
  std::string other;
  ASSERT_TRUE(db_->db->read([&](store::Conn& c) -> Status {
    SY_ASSIGN(auto row, c.query_one("SELECT code FROM regions WHERE level = 'township' AND code <> '140924100000' ORDER BY code"));
    other = row->str(0);
    return ok_status();
  }).ok());
  nlohmann::json b = rights_body();
  b["region_code"] = other;
  ApiResponse created = county.post("/api/v1/cases", b);
  ASSERT_EQ(created.status, 201) << created.body;
  std::string id = created.json["id"];
  EXPECT_EQ(clerk.get("/api/v1/cases/" + id).status, 404);
  EXPECT_EQ(clerk.post("/api/v1/cases/" + id + "/actions/note", {{"note", "x"}, {"version", 1}}).status, 404);
  EXPECT_EQ(clerk.get("/api/v1/cases").json["total"], 0);
  EXPECT_EQ(clerk.post("/api/v1/cases", b).status, 404);
}

TEST_F(CasesApi, CalendarRoutes) {
  ApiClient admin = logged_in("admin");
  ApiClient clerk = logged_in("fc_clerk");
  ApiResponse years = clerk.get("/api/v1/calendar");
  ASSERT_EQ(years.status, 200) << years.body;
  ASSERT_EQ(years.json["items"].size(), 3u);
  ApiResponse y2026 = clerk.get("/api/v1/calendar/2026");
  ASSERT_EQ(y2026.status, 200);
  EXPECT_EQ(y2026.json["workdays"][0], "2026-01-04");
  EXPECT_EQ(clerk.get("/api/v1/calendar/2027").status, 404);
  ApiResponse add = clerk.get("/api/v1/calendar/add?from=2026-09-30&days=3");
  ASSERT_EQ(add.status, 200) << add.body;
  EXPECT_EQ(add.json["date"], "2026-10-10");
  ApiResponse missing = clerk.get("/api/v1/calendar/add?from=2026-12-30&days=5");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.error_code(), "calendar_missing");
  EXPECT_EQ(missing.json["error"]["message"], "缺少2027年的节假日安排，请先录入");

  nlohmann::json y2027 = {{"source", "国务院办公厅关于2027年部分节假日安排的通知"},
                          {"holidays", {"2027-01-01"}},
                          {"workdays", nlohmann::json::array()}};
  EXPECT_EQ(clerk.put("/api/v1/calendar/2027", y2027).status, 403);
  nlohmann::json wrong = y2027;
  wrong["workdays"] = {"2027-01-05"};
  ApiResponse bad = admin.put("/api/v1/calendar/2027", wrong);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json["error"]["field"], "workdays");
  ApiResponse put = admin.put("/api/v1/calendar/2027", y2027);
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.json["version"], 1);
  y2027["version"] = 5;
  EXPECT_EQ(admin.put("/api/v1/calendar/2027", y2027).status, 409);
  EXPECT_EQ(clerk.get("/api/v1/calendar/add?from=2026-12-30&days=5").json["date"], "2027-01-07");
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'calendar.update'"), 1);
}

TEST_F(CasesApi, EveryCaseRouteIsInTheOpenApiDocument) {
  ApiResponse doc = client().get("/api/v1/openapi.json");
  ASSERT_EQ(doc.status, 200);
  for (const char* path : {"/api/v1/cases", "/api/v1/cases/{id}", "/api/v1/cases/{id}/actions/{action}",
                           "/api/v1/cases/{id}/attachments", "/api/v1/cases/{id}/attachments/{aid}",
                           "/api/v1/cases/export", "/api/v1/cases/summary", "/api/v1/cases/escalate",
                           "/api/v1/cases/kinds", "/api/v1/cases/kinds/{kind}", "/api/v1/calendar",
                           "/api/v1/calendar/{year}", "/api/v1/calendar/add"})
    EXPECT_TRUE(doc.json["paths"].contains(path)) << path;
}

}  // namespace
}  // namespace sy::http
