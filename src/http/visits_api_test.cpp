// API tests of 走访慰问 as the web pages use them (the contract in docs/API.md): a 春节 campaign for
// 烈士遗属 and 残疾军人 created, generated, assigned by village, visited with a photo (JSON base64
// and multipart), coverage rising, the 签收表 downloaded; the refusals with their statuses and
// codes; a need opening a case that names the visit; scope; the routes in the OpenAPI document —
// on SQLite or PostgreSQL.
#include <sodium.h>

#include <set>

#include "api_fixture.h"
#include "io/xlsx_reader.h"

namespace sy::http {
namespace {

using testing::ApiClient;
using testing::ApiResponse;

const std::string kJpeg("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01", 12);

std::string b64(const std::string& bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);
  return out;
}

class VisitsApi : public testing::ApiTest {
 protected:
  void add_persons(ApiClient& lead) {
    const struct {
      const char* name;
      const char* id;
      const char* village;
      nlohmann::json category;
    } people[] = {
        {"汪秀英", "140924194501011005", "140924100002", {{"category", "烈士遗属"}}},
        {"赵长山", "140924194602021013", "140924100003", {{"category", "残疾军人"}, {"disability_grade", "五级"}, {"disability_cause", "因公"}}},
        {"孙满仓", "140924194703031011", "140924101002", {{"category", "残疾军人"}, {"disability_grade", "八级"}, {"disability_cause", "因战"}}},
        {"周立新", "140924196004041017", "140924100003", {{"category", "退役士兵"}}},
    };
    for (const auto& p : people) {
      std::string id = p.id;
      id[17] = '0';
      // The last character is the check digit: ask the server which is right by trying them all.
      bool made = false;
      for (char ch : std::string("0123456789X")) {
        id[17] = ch;
        ApiResponse r = lead.post("/api/v1/persons", {{"name", p.name}, {"id_number", id}, {"region_code", p.village},
                                                      {"phone", "13812341234"}, {"category", p.category}});
        if (r.status == 201) {
          made = true;
          break;
        }
      }
      ASSERT_TRUE(made) << p.name;
    }
  }
  nlohmann::json spring_body() {
    return {{"name", "2026年冬季走访慰问"},
            {"occasion", "spring_festival"},
            {"starts_on", "2026-11-01"},
            {"ends_on", "2026-11-30"},
            {"budget_fen", 200000},
            {"groups",
             {{{"name", "烈士遗属"}, {"cash_fen", 50000}, {"gifts", "米面油一份"}, {"filter", {{"categories", {"martyr_survivor"}}}}},
              {{"name", "残疾军人"}, {"cash_fen", 30000}, {"gifts", "慰问品"}, {"filter", {{"categories", {"disabled_veteran"}}}}}}}};
  }
  nlohmann::json generated(ApiClient& lead) {
    ApiResponse created = lead.post("/api/v1/campaigns", spring_body());
    EXPECT_EQ(created.status, 201) << created.body;
    ApiResponse g = lead.post("/api/v1/campaigns/" + created.json["id"].get<std::string>() + "/generate",
                              {{"version", created.json["version"]}});
    EXPECT_EQ(g.status, 200) << g.body;
    return g.json;
  }
  nlohmann::json target_named(ApiClient& c, const std::string& campaign, const std::string& name) {
    ApiResponse list = c.get("/api/v1/campaigns/" + campaign + "/targets?size=200");
    for (const auto& t : list.json["items"])
      if (t["name"] == name) return t;
    ADD_FAILURE() << "no target " << name << ": " << list.body;
    return nlohmann::json::object();
  }
  nlohmann::json visit_body(const nlohmann::json& t) {
    return {{"target_id", t["id"]}, {"visited_on", "2026-11-20"}, {"visitors", "李明、村支书"},
            {"cash_fen", t["cash_fen"]}, {"gifts", t["gifts"]}, {"family_said", "身体还好"}, {"outcome", "visited"}};
  }
};

TEST_F(VisitsApi, SpringFestivalCampaignFromCreationToTheSignatureSheet) {
  ApiClient lead = logged_in("county_lead");
  ApiClient clerk = logged_in("fc_clerk");
  ApiClient viewer = logged_in("fc_viewer");
  add_persons(lead);

  EXPECT_EQ(viewer.post("/api/v1/campaigns", spring_body()).status, 403);
  ApiResponse created = lead.post("/api/v1/campaigns", spring_body());
  ASSERT_EQ(created.status, 201) << created.body;
  nlohmann::json k = created.json;
  EXPECT_EQ(k["status"], "draft");
  EXPECT_EQ(k["status_name"], "草稿");
  EXPECT_EQ(k["occasion_name"], "春节");
  EXPECT_EQ(k["unit"], "household");
  EXPECT_EQ(k["unit_name"], "按户");
  EXPECT_EQ(k["groups"][1]["key"], "g2");
  EXPECT_EQ(k["region_name"], "繁峙县");
  std::string id = k["id"];

  ApiResponse stale = lead.post("/api/v1/campaigns/" + id + "/generate", {{"version", k["version"].get<int>() + 1}});
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.error_code(), "stale_version");
  ApiResponse gen = lead.post("/api/v1/campaigns/" + id + "/generate", {{"version", k["version"]}});
  ASSERT_EQ(gen.status, 200) << gen.body;
  EXPECT_EQ(gen.json["status"], "active");
  EXPECT_EQ(gen.json["targets"], 3);
  EXPECT_EQ(gen.json["coverage"], 0.0);
  EXPECT_EQ(lead.post("/api/v1/campaigns/" + id + "/generate", {{"version", gen.json["version"]}}).status, 409);
  ApiResponse edit = lead.put("/api/v1/campaigns/" + id, [&] {
    nlohmann::json b = spring_body();
    b["version"] = gen.json["version"];
    return b;
  }());
  EXPECT_EQ(edit.status, 409);
  EXPECT_EQ(edit.error_code(), "invalid_state");

  // The township sees its two targets; assign its village 东泰社区 in bulk to fc_clerk.
  ApiResponse mine_list = clerk.get("/api/v1/campaigns/" + id + "/targets");
  ASSERT_EQ(mine_list.status, 200) << mine_list.body;
  EXPECT_EQ(mine_list.json["total"], 2);
  nlohmann::json wang = mine_list.json["items"][0];
  EXPECT_EQ(wang["name"], "汪秀英");
  EXPECT_EQ(wang["region_name"], "东泰社区");
  EXPECT_EQ(wang["status_name"], "未走访");
  EXPECT_EQ(wang["categories"][0]["name"], "烈士遗属");
  EXPECT_EQ(wang["phone"], "13812341234");  // the clerk may reveal
  EXPECT_EQ(viewer.get("/api/v1/campaigns/" + id + "/targets").json["items"][0]["phone"], "138****1234");
  EXPECT_TRUE(wang["assignee"].is_null());
  ApiResponse assigned = lead.post("/api/v1/campaigns/" + id + "/assignments",
                                   {{"region_code", "140924100002"}, {"user_id", user_id("fc_clerk")}});
  ASSERT_EQ(assigned.status, 200) << assigned.body;
  EXPECT_EQ(assigned.json["assigned"], 1);
  nlohmann::json sun = target_named(lead, id, "孙满仓");
  ApiResponse out = lead.post("/api/v1/campaigns/" + id + "/assignments",
                              {{"target_ids", {sun["id"]}}, {"user_id", user_id("fc_clerk")}});
  EXPECT_EQ(out.status, 400);
  EXPECT_EQ(out.error_code(), "assignee_out_of_scope");
  ApiResponse mine = clerk.get("/api/v1/visits/mine");
  ASSERT_EQ(mine.status, 200);
  ASSERT_EQ(mine.json["total"], 1);
  EXPECT_EQ(mine.json["items"][0]["campaign_name"], "2026年冬季走访慰问");
  EXPECT_EQ(mine.json["items"][0]["campaign_id"], id);
  EXPECT_EQ(mine.json["items"][0]["starts_on"], "2026-11-01");
  EXPECT_EQ(mine.json["items"][0]["ends_on"], "2026-11-30");
  // Who may be picked for 东泰社区: the township's clerk and leader and the county's, not the viewer.
  ApiResponse who = clerk.get("/api/v1/campaigns/" + id + "/assignees?region=140924100002");
  ASSERT_EQ(who.status, 200) << who.body;
  std::set<std::string> names;
  for (const auto& u : who.json["items"]) names.insert(u["username"].get<std::string>());
  EXPECT_TRUE(names.count("fc_clerk") && names.count("fc_lead") && names.count("county_lead")) << who.body;
  EXPECT_FALSE(names.count("fc_viewer"));
  EXPECT_EQ(viewer.get("/api/v1/campaigns/" + id + "/assignees").status, 403);
  EXPECT_EQ(mine.json["items"][0]["assignee"]["display_name"], "李明");

  // A visit with a photo (base64): coverage rises.
  nlohmann::json body = visit_body(mine.json["items"][0]);
  body["photos"] = {{{"file_name", "IMG_001.jpg"}, {"content_base64", b64(kJpeg)}}};
  ApiResponse v = clerk.post("/api/v1/visits", body);
  ASSERT_EQ(v.status, 201) << v.body;
  EXPECT_EQ(v.json["outcome_name"], "已走访");
  EXPECT_TRUE(v.json["case_id"].is_null());
  EXPECT_TRUE(v.json["warnings"].empty());
  EXPECT_EQ(v.json["recorded_by"], "李明");
  ASSERT_EQ(v.json["photos"].size(), 1u);
  ApiResponse photo = clerk.get("/api/v1/visits/" + v.json["id"].get<std::string>() + "/photos/" +
                                v.json["photos"][0]["id"].get<std::string>());
  EXPECT_EQ(photo.status, 200);
  EXPECT_EQ(photo.body, kJpeg);
  EXPECT_EQ(photo.header("Content-Type"), "image/jpeg");
  ApiResponse after = lead.get("/api/v1/campaigns/" + id);
  EXPECT_EQ(after.json["visited"], 1);
  EXPECT_EQ(after.json["done"], 1);
  EXPECT_EQ(after.json["coverage"], 0.3333);
  EXPECT_EQ(after.json["spent_fen"], 50000);
  ApiResponse progress = lead.get("/api/v1/campaigns/" + id + "/progress");
  ASSERT_EQ(progress.status, 200) << progress.body;
  EXPECT_EQ(progress.json["budget_fen"], 200000);
  EXPECT_EQ(progress.json["by_village"][0]["region_name"], "东泰社区");
  EXPECT_EQ(progress.json["by_village"][0]["coverage"], 1.0);
  EXPECT_EQ(progress.json["by_group"][0]["spent_fen"], 50000);
  EXPECT_EQ(progress.json["by_category"][0]["code"], "martyr_survivor");
  ApiResponse visits = lead.get("/api/v1/visits?campaign_id=" + id);
  EXPECT_EQ(visits.json["items"].size(), 1u);

  // A second visit: refused unless 补访.
  ApiResponse twice = clerk.post("/api/v1/visits", visit_body(mine.json["items"][0]));
  EXPECT_EQ(twice.status, 409);
  EXPECT_EQ(twice.error_code(), "already_visited");
  EXPECT_EQ(twice.json["error"]["message"], "该户已于2026-11-20走访，如需再次走访请勾选补访");

  // The 签收表: .xlsx grouped by village with a grand total; printable HTML.
  ApiResponse sheet = lead.get("/api/v1/campaigns/" + id + "/signature-sheet");
  ASSERT_EQ(sheet.status, 200) << sheet.body;
  auto rows = io::read_xlsx_sheet(sheet.body);
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->rows.size(), 8u);  // header, 3 villages × (target + subtotal), total
  EXPECT_EQ(std::string(rows->rows[0][1].text), "姓名");
  EXPECT_EQ(std::string(rows->rows[0][5].text), "签收人签字");
  EXPECT_EQ(std::string(rows->rows[2][1].text), "东泰社区 小计（1人）");
  EXPECT_EQ(std::string(rows->rows.back()[1].text), "总计（3人）");
  EXPECT_EQ(std::string(rows->rows.back()[3].text), "1100.00");
  ApiResponse html = lead.get("/api/v1/campaigns/" + id + "/signature-sheet?format=html");
  EXPECT_EQ(html.status, 200);
  EXPECT_NE(html.body.find("东泰社区 小计"), std::string::npos);
  ApiResponse roster = lead.get("/api/v1/campaigns/" + id + "/roster");
  EXPECT_EQ(roster.status, 200);

  // Closing ends the recording.
  ApiResponse closed = lead.post("/api/v1/campaigns/" + id + "/close", {{"version", after.json["version"]}});
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(closed.json["status_name"], "已结束");
  ApiResponse late = lead.post("/api/v1/visits", visit_body(sun));
  EXPECT_EQ(late.status, 409);
  EXPECT_EQ(late.error_code(), "invalid_state");
  EXPECT_EQ(clerk.get("/api/v1/visits/mine").json["total"], 0);
}

TEST_F(VisitsApi, BadVisitsAreRefusedWithTheirCodes) {
  ApiClient lead = logged_in("county_lead");
  add_persons(lead);
  nlohmann::json k = generated(lead);
  std::string id = k["id"];
  nlohmann::json zhao = target_named(lead, id, "赵长山");

  nlohmann::json over = visit_body(zhao);
  over["cash_fen"] = 40000;
  ApiResponse r = lead.post("/api/v1/visits", over);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.error_code(), "cash_over_standard");
  nlohmann::json not_image = visit_body(zhao);
  not_image["photos"] = {{{"file_name", "a.jpg"}, {"content_base64", b64("MZ program")}}};
  r = lead.post("/api/v1/visits", not_image);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.error_code(), "photo_type");
  nlohmann::json big = visit_body(zhao);
  big["photos"] = {{{"file_name", "big.jpg"}, {"content_base64", b64(kJpeg + std::string(10u << 20, 'x'))}}};
  r = lead.post("/api/v1/visits", big);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.error_code(), "photo_too_large");
  nlohmann::json many = visit_body(zhao);
  many["photos"] = nlohmann::json::array();
  for (int i = 0; i < 7; ++i) many["photos"].push_back({{"file_name", "p.jpg"}, {"content_base64", b64(kJpeg)}});
  r = lead.post("/api/v1/visits", many);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.error_code(), "photo_limit");
  EXPECT_EQ(count("SELECT count(*) FROM visits"), 0);

  // Outside the period: kept, with a warning; a need opens a 困难诉求 that names the visit.
  nlohmann::json early = visit_body(zhao);
  early["visited_on"] = "2026-10-28";
  early["cash_fen"] = 40000;
  early["cash_note"] = "经镇党委同意加发";
  early["need"] = {{"title", "看病报销困难"}, {"description", "老伤复发，希望解决看病报销"}};
  r = lead.post("/api/v1/visits", early);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json["warnings"][0]["code"], "outside_period");
  ASSERT_TRUE(r.json["case_id"].is_string());
  ApiResponse c = lead.get("/api/v1/cases/" + r.json["case_id"].get<std::string>());
  ASSERT_EQ(c.status, 200) << c.body;
  EXPECT_EQ(c.json["kind"], "hardship");
  EXPECT_EQ(c.json["applicant"]["name"], "赵长山");
  EXPECT_EQ(c.json["source"]["type"], "visit");
  EXPECT_EQ(c.json["source"]["id"], r.json["id"]);
  EXPECT_EQ(c.json["source"]["campaign_id"], id);
  EXPECT_EQ(c.json["source"]["campaign_name"], "2026年冬季走访慰问");

  // Multipart: a photo file and the fields; 补访 allowed.
  nlohmann::json zhao_now = target_named(lead, id, "赵长山");
  EXPECT_EQ(zhao_now["status"], "visited");
  ApiResponse mp = lead.upload("/api/v1/visits", "IMG_002.jpg", kJpeg,
                               {{"target_id", zhao_now["id"].get<std::string>()}, {"visited_on", "2026-11-21"},
                                {"visitors", "张强"}, {"outcome", "visited"}, {"cash_fen", "0"}, {"revisit", "true"}});
  ASSERT_EQ(mp.status, 201) << mp.body;
  EXPECT_EQ(mp.json["revisit"], true);
  ASSERT_EQ(mp.json["photos"].size(), 1u);
  EXPECT_EQ(mp.json["photos"][0]["file_name"], "IMG_002.jpg");

  // Filters matching nobody: 400 no_targets, nothing written.
  nlohmann::json nobody = spring_body();
  nobody["groups"] = {{{"name", "军转干部"}, {"cash_fen", 10000}, {"filter", {{"categories", {"transferred_officer"}}}}}};
  ApiResponse draft = lead.post("/api/v1/campaigns", nobody);
  ApiResponse none = lead.post("/api/v1/campaigns/" + draft.json["id"].get<std::string>() + "/generate",
                               {{"version", draft.json["version"]}});
  EXPECT_EQ(none.status, 400);
  EXPECT_EQ(none.error_code(), "no_targets");
  EXPECT_EQ(none.json["error"]["message"], "没有符合条件的优抚对象，未生成走访对象");
  nlohmann::json backwards = spring_body();
  backwards["ends_on"] = "2026-10-01";
  EXPECT_EQ(lead.post("/api/v1/campaigns", backwards).error_code(), "invalid_period");
  nlohmann::json no_groups = spring_body();
  no_groups["groups"] = nlohmann::json::array();
  EXPECT_EQ(lead.post("/api/v1/campaigns", no_groups).error_code(), "no_groups");
}

TEST_F(VisitsApi, RoutesAreInTheOpenApiDocumentAndListsFilter) {
  ApiClient lead = logged_in("county_lead");
  ApiResponse doc = client().get("/api/v1/openapi.json");
  ASSERT_EQ(doc.status, 200);
  for (const char* path : {"/api/v1/campaigns", "/api/v1/campaigns/{id}/generate", "/api/v1/campaigns/{id}/assignments",
                           "/api/v1/campaigns/{id}/signature-sheet", "/api/v1/visits", "/api/v1/visits/mine",
                           "/api/v1/visits/{id}/photos/{photo_id}"})
    EXPECT_TRUE(doc.json["paths"].contains(path)) << path;
  add_persons(lead);
  nlohmann::json k = generated(lead);
  ApiResponse list = lead.get("/api/v1/campaigns?status=active&year=2026");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.json["total"], 1);
  EXPECT_EQ(list.json["items"][0]["targets"], 3);
  EXPECT_EQ(lead.get("/api/v1/campaigns?status=closed").json["total"], 0);
  ApiResponse unassigned = lead.get("/api/v1/campaigns/" + k["id"].get<std::string>() + "/targets?assignee=none&region=140924100000");
  EXPECT_EQ(unassigned.json["total"], 2);
  ApiResponse searched = lead.get("/api/v1/campaigns/" + k["id"].get<std::string>() + "/targets?q=" + "%E5%AD%99");  // 孙
  EXPECT_EQ(searched.json["total"], 1);
  EXPECT_EQ(lead.get("/api/v1/campaigns/999").status, 404);
}

}  // namespace
}  // namespace sy::http
