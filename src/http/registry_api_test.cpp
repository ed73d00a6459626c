// API tests of the registry: roster upload through the API as the web page does it, search,
// scope, masking and reveal, status, history, export and template — on SQLite or PostgreSQL.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "api_fixture.h"

namespace sy::http {
namespace {

using testing::ApiClient;
using testing::ApiResponse;

class PersonsApi : public testing::ApiTest {};

std::string sample(const char* name) {
  std::filesystem::path dir = std::getenv("SY_SAMPLES_DIR") ? std::getenv("SY_SAMPLES_DIR")
                                                             : std::filesystem::path(__FILE__).parent_path() /
                                                                   "../../../shared/samples";
  std::ifstream in(dir / name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const char* kCsv =
    "姓名,身份证号,优抚类别,伤残等级,伤残性质,所属村(社区),联系电话,银行账号\r\n"
    "汪军,11010519491231002X,烈属,,,东泰社区,13967735468,6217994526859693844\r\n"
    "曾杰,140924196305140994,残疾军人,二级,因公,西义村,15873262229,\r\n";

TEST_F(PersonsApi, UploadSampleRosterThenFindByPinyinInitials) {
  std::string bytes = sample("roster_fancheng.xlsx");
  if (bytes.empty()) GTEST_SKIP() << "../shared/samples not present: sample acceptance skipped";
  ApiClient clerk = logged_in("fc_clerk");
  ApiResponse dry = clerk.upload("/api/v1/persons/import", "roster_fancheng.xlsx", bytes, {{"dry_run", "1"}});
  ASSERT_EQ(dry.status, 200) << dry.body;
  EXPECT_EQ(dry.json["created"], 35);
  EXPECT_EQ(count("SELECT count(*) FROM persons"), 0);
  ApiResponse r = clerk.upload("/api/v1/persons/import", "roster_fancheng.xlsx", bytes);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["rows"], 40);
  EXPECT_EQ(r.json["created"], 35);
  EXPECT_EQ(r.json["rejected"], 5);
  EXPECT_EQ(r.json["errors"].size(), 5u);
  EXPECT_FALSE(r.json["error_workbook"].get<std::string>().empty());
  ApiResponse wj = clerk.get("/api/v1/persons?q=wj");
  ASSERT_EQ(wj.status, 200);
  ASSERT_EQ(wj.json["total"], 1);
  EXPECT_EQ(wj.json["items"][0]["name"], "汪军");
  EXPECT_EQ(wj.json["items"][0]["id_number"], "1409**********3941");  // masked in lists
  EXPECT_EQ(clerk.get("/api/v1/persons?q=3941").json["total"], 1);    // ID suffix
  EXPECT_EQ(clerk.get("/api/v1/persons?category=残疾军人&size=100").json["total"], 8);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'person.import'"), 1);
  ApiResponse home = clerk.get("/api/v1/dashboard");
  EXPECT_EQ(home.json["persons"]["active"], 35);
  EXPECT_EQ(home.json["persons"]["disabled_veterans"], 8);
}

TEST_F(PersonsApi, ScopeMaskingRevealStatusAndHistory) {
  ApiClient lead = logged_in("county_lead");
  ApiResponse created = lead.post("/api/v1/persons", {{"name", "王五"}, {"id_number", "140924195505151351"},
                                                      {"region_code", "140924101002"},  // 惠民社区, 砂河镇
                                                      {"category", {{"category", "带病回乡退伍军人"}}}});
  ASSERT_EQ(created.status, 201) << created.body;
  std::string outside = created.json["id"];
  ApiClient clerk = logged_in("fc_clerk");
  EXPECT_EQ(clerk.get("/api/v1/persons/" + outside).status, 404);
  ASSERT_EQ(clerk.upload("/api/v1/persons/import", "a.csv", kCsv).json["created"], 2);
  ApiResponse dup = clerk.post("/api/v1/persons", {{"name", "汪军"}, {"id_number", "11010519491231002x"},
                                                   {"region_code", "140924100002"}, {"category", {{"category", "烈属"}}}});
  EXPECT_EQ(dup.status, 400);
  EXPECT_EQ(dup.error_code(), "duplicate_id_number");
  EXPECT_NE(dup.json["error"]["message"].get<std::string>().find("汪军"), std::string::npos);

  ApiResponse list = clerk.get("/api/v1/persons?q=汪");
  ASSERT_EQ(list.json["total"], 1);
  std::string id = list.json["items"][0]["id"];
  ApiResponse person = clerk.get("/api/v1/persons/" + id);
  EXPECT_EQ(person.json["phone"], "139****5468");
  EXPECT_EQ(person.json["bank_account"], "6217***********3844");
  ApiResponse reveal = clerk.post("/api/v1/persons/" + id + "/reveal", {{"field", "id_number"}});
  EXPECT_EQ(reveal.json["value"], "11010519491231002X");
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'person.reveal'"), 1);
  ApiClient viewer = logged_in("fc_viewer");
  EXPECT_EQ(viewer.post("/api/v1/persons/" + id + "/reveal", {{"field", "id_number"}}).status, 403);
  EXPECT_EQ(viewer.put("/api/v1/persons/" + id, {{"phone", "1"}, {"version", 1}}).status, 403);

  ApiResponse stale = clerk.put("/api/v1/persons/" + id, {{"phone", "13800000000"}, {"version", 7}});
  EXPECT_EQ(stale.status, 409);
  ApiResponse edit = clerk.put("/api/v1/persons/" + id, {{"phone", "13800000000"}, {"version", 1}});
  ASSERT_EQ(edit.status, 200) << edit.body;
  ApiResponse no_date = clerk.post("/api/v1/persons/" + id + "/status", {{"status", "deceased"}, {"version", 2}});
  EXPECT_EQ(no_date.error_code(), "status_date_required");
  ApiResponse died = clerk.post("/api/v1/persons/" + id + "/status",
                                {{"status", "deceased"}, {"date", "2026-11-15"}, {"reason", "病故"}, {"version", 2}});
  ASSERT_EQ(died.status, 200) << died.body;
  EXPECT_EQ(died.json["status_name"], "死亡");
  std::string household = person.json["household_id"];
  ApiResponse hh = clerk.get("/api/v1/households/" + household);
  ASSERT_EQ(hh.status, 200) << hh.body;
  EXPECT_EQ(hh.json["members"].size(), 1u);
  EXPECT_EQ(hh.json["head_name"], "汪军");
  ApiResponse flagged = clerk.put("/api/v1/households/" + household, {{"is_dibao", true}, {"version", 1}});
  ASSERT_EQ(flagged.status, 200) << flagged.body;
  EXPECT_TRUE(flagged.json["is_dibao"].get<bool>());
  EXPECT_EQ(clerk.get("/api/v1/persons?dibao=1").json["total"], 1);
  EXPECT_EQ(clerk.get("/api/v1/households?dibao=1").json["total"], 1);
  EXPECT_EQ(clerk.put("/api/v1/households/" + household, {{"is_dibao", false}, {"version", 1}}).status, 409);
  EXPECT_EQ(clerk.get("/api/v1/households/" + std::string(created.json["household_id"])).status, 404);
  ApiResponse history = clerk.get("/api/v1/persons/" + id + "/history");
  ASSERT_EQ(history.json["items"].size(), 3u);
  EXPECT_EQ(history.json["items"][0]["action"], "status");
  EXPECT_EQ(history.json["items"][1]["changes"][0]["field"], "phone");
  EXPECT_EQ(history.json["items"][1]["changes"][0]["new"], "13800000000");
  // A viewer sees the same history with sensitive values masked.
  ApiResponse masked = viewer.get("/api/v1/persons/" + id + "/history");
  ASSERT_EQ(masked.status, 200);
  EXPECT_EQ(masked.json["items"][1]["changes"][0]["new"], "138****0000");
  EXPECT_EQ(masked.body.find("11010519491231002X"), std::string::npos);
  EXPECT_EQ(masked.body.find("13967735468"), std::string::npos);
}

TEST_F(PersonsApi, ExportImportsBackUnchangedAndTemplateHasTheHeaders) {
  ApiClient clerk = logged_in("fc_clerk");
  ASSERT_EQ(clerk.upload("/api/v1/persons/import", "a.csv", kCsv).json["created"], 2);
  ApiResponse xlsx = clerk.get("/api/v1/persons/export");
  ASSERT_EQ(xlsx.status, 200);
  EXPECT_EQ(xlsx.body.substr(0, 2), "PK");
  ApiResponse back = clerk.upload("/api/v1/persons/import", "export.xlsx", xlsx.body);
  ASSERT_EQ(back.status, 200) << back.body;
  EXPECT_EQ(back.json["unchanged"], 2);
  EXPECT_EQ(back.json["updated"], 0);
  EXPECT_EQ(back.json["rejected"], 0);
  ApiResponse tpl = clerk.get("/api/v1/persons/template");
  EXPECT_EQ(tpl.status, 200);
  EXPECT_EQ(tpl.body.substr(0, 2), "PK");
  ApiResponse bad = clerk.upload("/api/v1/persons/import", "x.xlsx", "not a zip at all");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.error_code(), "invalid_file");
  EXPECT_EQ(count("SELECT count(*) FROM persons"), 2);
}

TEST_F(PersonsApi, UploadCapsAreSettingsAnAdministratorChanges) {
  ApiClient admin = logged_in("admin");
  ApiClient clerk = logged_in("fc_clerk");
  ApiResponse settings = admin.get("/api/v1/settings");
  EXPECT_EQ(settings.json["import_web_max_mb"], 50);
  EXPECT_EQ(settings.json["import_web_max_rows"], 100000);
  ASSERT_EQ(admin.put("/api/v1/settings", {{"import_web_max_mb", 1}, {"import_web_max_rows", 100}}).status, 200);

  // Over the size cap: 413, naming the cap and the setting.
  ApiResponse big = clerk.upload("/api/v1/persons/import", "big.csv", std::string(kCsv) + std::string(3 << 19, ' '));
  EXPECT_EQ(big.status, 413) << big.body;
  EXPECT_EQ(big.error_code(), "payload_too_large");
  EXPECT_NE(big.json["error"]["message"].get<std::string>().find("上限 1 MB（系统设置 import_web_max_mb）"),
            std::string::npos)
      << big.body;
  // Over the row cap: 400 with the cap, and nothing written even though the first rows were good.
  std::string rows = kCsv;
  for (int i = 0; i < 150; ++i) rows += "某人,ID" + std::to_string(i) + ",烈属,东泰社区\r\n";  // each rejected
  ApiResponse many = clerk.upload("/api/v1/persons/import", "many.csv", rows);
  EXPECT_EQ(many.status, 400) << many.body;
  EXPECT_EQ(many.error_code(), "too_many_rows");
  EXPECT_NE(many.json["error"]["message"].get<std::string>().find("100 行"), std::string::npos) << many.body;
  EXPECT_EQ(count("SELECT count(*) FROM persons"), 0);

  ASSERT_EQ(admin.put("/api/v1/settings", {{"import_web_max_rows", 200}}).status, 200);
  ApiResponse ok = clerk.upload("/api/v1/persons/import", "many.csv", rows);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json["created"], 2);
  EXPECT_EQ(ok.json["rows"], 152);
}

}  // namespace
}  // namespace sy::http
