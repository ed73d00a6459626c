// API tests of 结对帮扶 as the web pages use them: pair a helper with a household, record inputs and
// follow-ups, read the pair with its timeline and the totals, close it; the refusals with their
// statuses and fields (400 unknown codes, negative amounts, early dates; 404 out of scope; 409
// stale version, closed pair) write nothing; labels beside codes; masking; audit; OpenAPI.
#include "api_fixture.h"

namespace sy::http {
namespace {

using testing::ApiClient;
using testing::ApiResponse;

class AssistanceApi : public testing::ApiTest {
 protected:
  // A registry person of `village` (a household of one); returns the household id.
  std::string household(ApiClient& c, const std::string& name, const std::string& id_number,
                        const std::string& village = "140924100002") {
    ApiResponse r = c.post("/api/v1/persons", {{"name", name}, {"id_number", id_number}, {"region_code", village},
                                               {"category", {{"category", "烈属"}}}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json["household_id"].is_string() ? r.json["household_id"].get<std::string>() : "";
  }
  nlohmann::json pair_body(const std::string& household_id) {
    return {{"household_id", household_id},
            {"helper", {{"type", "department"}, {"name", "县退役军人事务局"}, {"contact", "王芳"}, {"phone", "13912341234"}}},
            {"project", "industry"},
            {"description", "扶持养殖肉牛5头"},
            {"started_on", "2026-03-01"},
            {"baseline_income", 1800000}};
  }
  std::string path(const nlohmann::json& d, const std::string& tail = "") {
    return "/api/v1/assistance-pairs/" + d["id"].get<std::string>() + tail;
  }
  std::int64_t writes() {
    return count("SELECT count(*) FROM assistance_pairs") + count("SELECT count(*) FROM assistance_inputs") +
           count("SELECT count(*) FROM assistance_follow_ups") + count("SELECT COALESCE(sum(version), 0) FROM assistance_pairs") +
           count("SELECT count(*) FROM audit_log WHERE entity = 'assistance_pair'");
  }
};

TEST_F(AssistanceApi, PairRecordSeeTotalsAndClose) {
  ApiClient clerk = logged_in("fc_clerk");
  ApiClient viewer = logged_in("fc_viewer");
  std::string hh = household(clerk, "汪军", "11010519491231002X");
  ASSERT_FALSE(hh.empty());

  ApiResponse codes = viewer.get("/api/v1/assistance-pairs/codes");
  ASSERT_EQ(codes.status, 200) << codes.body;
  EXPECT_EQ(codes.json["projects"].size(), 6u);
  EXPECT_EQ(codes.json["projects"][0]["name"], "产业");
  EXPECT_EQ(codes.json["helper_types"][2]["name"], "驻军单位");

  EXPECT_EQ(viewer.post("/api/v1/assistance-pairs", pair_body(hh)).status, 403);
  ApiResponse created = clerk.post("/api/v1/assistance-pairs", pair_body(hh));
  ASSERT_EQ(created.status, 201) << created.body;
  nlohmann::json d = created.json;
  EXPECT_TRUE(d["id"].is_string());
  EXPECT_EQ(d["household_id"], hh);
  EXPECT_EQ(d["status"], "active");
  EXPECT_EQ(d["status_name"], "帮扶中");
  EXPECT_EQ(d["project_name"], "产业");
  EXPECT_EQ(d["helper"]["type_name"], "部门");
  EXPECT_EQ(d["helper"]["phone"], "13912341234");  // the clerk may reveal
  EXPECT_EQ(d["beneficiary_name"], "汪军");
  EXPECT_EQ(d["region_name"], "东泰社区");
  EXPECT_EQ(d["household"]["head_name"], "汪军");
  EXPECT_EQ(d["timeline"].size(), 1u);
  EXPECT_EQ(d["timeline"][0]["type_name"], "结对");
  EXPECT_EQ(viewer.get(path(d)).json["helper"]["phone"], "139****1234");

  ApiResponse input = clerk.post(path(d, "/inputs"), {{"kind", "funds"}, {"given_on", "2026-04-10"}, {"amount", 500000},
                                                      {"description", "购买肉牛"}, {"version", d["version"]}});
  ASSERT_EQ(input.status, 201) << input.body;
  d = input.json;
  ApiResponse labour = clerk.post(path(d, "/inputs"), {{"kind", "labour"}, {"given_on", "2026-03-20"}, {"labour_days", 6},
                                                       {"version", d["version"]}});
  ASSERT_EQ(labour.status, 201) << labour.body;
  d = labour.json;
  ApiResponse follow = clerk.post(path(d, "/follow-ups"), {{"visited_on", "2026-10-12"}, {"note", "存栏7头"},
                                                          {"income", 2600000}, {"version", d["version"]}});
  ASSERT_EQ(follow.status, 201) << follow.body;
  d = follow.json;
  EXPECT_EQ(d["totals"]["funds"], 500000);
  EXPECT_EQ(d["totals"]["labour_days"], 6);
  EXPECT_EQ(d["totals"]["income_change"], 800000);
  std::vector<std::string> lines;
  for (const auto& e : d["timeline"]) lines.push_back(e["type"].get<std::string>() + " " + e["on"].get<std::string>());
  EXPECT_EQ(lines, (std::vector<std::string>{"start 2026-03-01", "input 2026-03-20", "input 2026-04-10",
                                             "follow_up 2026-10-12"}));
  EXPECT_EQ(d["timeline"][1]["input"]["kind_name"], "劳务");
  EXPECT_EQ(d["timeline"][3]["follow_up"]["recorded_by"], "李明");

  ApiResponse list = viewer.get("/api/v1/assistance-pairs?status=active&project=industry");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.json["total"], 1);
  EXPECT_EQ(list.json["items"][0]["helper"]["phone"], "139****1234");
  EXPECT_EQ(viewer.get("/api/v1/assistance-pairs?q=" + std::string("%E7%8E%8B%E8%8A%B3")).json["total"], 1);  // 王芳
  EXPECT_EQ(viewer.get("/api/v1/assistance-pairs?project=tourism").status, 400);

  ApiResponse sum = viewer.get("/api/v1/assistance-pairs/summary");
  ASSERT_EQ(sum.status, 200) << sum.body;
  EXPECT_EQ(sum.json["active"], 1);
  EXPECT_EQ(sum.json["funds"], 500000);
  EXPECT_EQ(sum.json["labour_days"], 6);
  EXPECT_EQ(sum.json["income"]["pairs"], 1);
  EXPECT_EQ(sum.json["income"]["average_change"], 800000);
  EXPECT_EQ(sum.json["by_project"][0]["project_name"], "产业");
  EXPECT_EQ(sum.json["by_project"][0]["active"], 1);

  ApiResponse patched = clerk.patch(path(d), {{"helper", {{"type", "unit"}, {"name", "驻地某部雷达站"}}}, {"version", d["version"]}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.json["helper"]["type_name"], "驻军单位");
  ApiResponse stale = clerk.post(path(d, "/close"), {{"outcome", "已脱困"}, {"version", d["version"]}});
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.error_code(), "stale_version");
  d = patched.json;
  ApiResponse closed = clerk.post(path(d, "/close"), {{"closed_on", "2026-11-20"}, {"outcome", "年收入增加8000元"},
                                                      {"version", d["version"]}});
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(closed.json["status_name"], "已结束");
  EXPECT_EQ(closed.json["timeline"].back()["type"], "close");
  d = closed.json;
  std::int64_t before = writes();
  ApiResponse late = clerk.post(path(d, "/inputs"), {{"kind", "funds"}, {"amount", 100}, {"version", d["version"]}});
  EXPECT_EQ(late.status, 409);
  EXPECT_EQ(late.error_code(), "invalid_state");
  EXPECT_NE(late.json["error"]["message"].get<std::string>().find("已于2026-11-20结束"), std::string::npos);
  EXPECT_EQ(clerk.post(path(d, "/follow-ups"), {{"note", "x"}, {"version", d["version"]}}).status, 409);
  EXPECT_EQ(writes(), before);
  EXPECT_EQ(viewer.get("/api/v1/assistance-pairs/summary").json["closed"], 1);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE entity = 'assistance_pair'"), 6);
}

TEST_F(AssistanceApi, BadInputAnswersWithCodeAndFieldAndWritesNothing) {
  ApiClient clerk = logged_in("fc_clerk");
  ApiClient county = logged_in("county_lead");
  std::string hh = household(clerk, "汪军", "11010519491231002X");
  std::string far = household(county, "王五", "140924195505151351", "140924101002");  // 砂河镇
  nlohmann::json d = clerk.post("/api/v1/assistance-pairs", pair_body(hh)).json;
  std::int64_t before = writes();
  auto expect = [&](ApiResponse r, int status, const std::string& code, const std::string& field) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.error_code(), code) << r.body;
    EXPECT_EQ(r.json["error"].value("field", ""), field) << r.body;
    EXPECT_FALSE(r.json["error"].value("message", "").empty());
  };
  nlohmann::json b = pair_body(hh);
  b["project"] = "tourism";
  expect(clerk.post("/api/v1/assistance-pairs", b), 400, "unknown_project", "project");
  b = pair_body(hh);
  b["helper"]["type"] = "company";
  expect(clerk.post("/api/v1/assistance-pairs", b), 400, "unknown_helper_type", "helper.type");
  b = pair_body(hh);
  b["baseline_income"] = -100;
  expect(clerk.post("/api/v1/assistance-pairs", b), 400, "invalid_amount", "baseline_income");
  b["baseline_income"] = 12.5;
  expect(clerk.post("/api/v1/assistance-pairs", b), 400, "invalid_amount", "baseline_income");
  expect(clerk.post("/api/v1/assistance-pairs", pair_body(far)), 404, "not_found", "household_id");
  b = pair_body(hh);
  b.erase("household_id");
  expect(clerk.post("/api/v1/assistance-pairs", b), 400, "field_required", "household_id");
  expect(clerk.post("/api/v1/assistance-pairs", pair_body(hh)), 409, "pair_exists", "household_id");

  expect(clerk.post(path(d, "/inputs"), {{"kind", "funds"}, {"amount", -500}, {"version", d["version"]}}), 400,
         "invalid_amount", "amount");
  expect(clerk.post(path(d, "/inputs"), {{"kind", "gift"}, {"amount", 500}, {"version", d["version"]}}), 400,
         "unknown_input_kind", "kind");
  expect(clerk.post(path(d, "/inputs"), {{"kind", "funds"}, {"amount", "500"}, {"version", d["version"]}}), 400,
         "invalid_amount", "amount");
  expect(clerk.post(path(d, "/follow-ups"), {{"visited_on", "2026-02-27"}, {"note", "早于结对"}, {"version", d["version"]}}),
         400, "invalid_date", "visited_on");
  expect(clerk.post(path(d, "/inputs"), {{"kind", "funds"}, {"amount", 500}}), 400, "missing_version", "version");

  // Out of scope reads and writes answer 404, like a pair that does not exist.
  nlohmann::json theirs = county.post("/api/v1/assistance-pairs", pair_body(far)).json;
  before = writes();
  EXPECT_EQ(clerk.get(path(theirs)).status, 404);
  EXPECT_EQ(clerk.post(path(theirs, "/close"), {{"outcome", "x"}, {"version", 1}}).status, 404);
  EXPECT_EQ(clerk.get("/api/v1/assistance-pairs/99999").status, 404);
  EXPECT_EQ(clerk.get("/api/v1/assistance-pairs").json["total"], 1);
  EXPECT_EQ(county.get("/api/v1/assistance-pairs").json["total"], 2);
  EXPECT_EQ(writes(), before);
}

TEST_F(AssistanceApi, EveryRouteIsInTheOpenApiDocument) {
  ApiResponse doc = client().get("/api/v1/openapi.json");
  ASSERT_EQ(doc.status, 200);
  for (const char* p : {"/api/v1/assistance-pairs", "/api/v1/assistance-pairs/{id}", "/api/v1/assistance-pairs/summary",
                        "/api/v1/assistance-pairs/codes", "/api/v1/assistance-pairs/{id}/inputs",
                        "/api/v1/assistance-pairs/{id}/follow-ups", "/api/v1/assistance-pairs/{id}/close"})
    EXPECT_TRUE(doc.json["paths"].contains(p)) << p;
  EXPECT_TRUE(doc.json["paths"]["/api/v1/assistance-pairs/{id}"].contains("patch"));
}

}  // namespace
}  // namespace sy::http
