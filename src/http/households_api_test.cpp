// API tests of 户 membership and of the warnings a person write returns: a clerk puts a spouse into
// another household, chooses the head and moves someone out, as the person page does it; bad input
// answers in Chinese and writes nothing; a bank account failing the Luhn check is saved with a
// warning — on SQLite or PostgreSQL.
#include "api_fixture.h"

namespace sy::http {
namespace {

using testing::ApiClient;
using testing::ApiResponse;

class HouseholdsApi : public testing::ApiTest {
 protected:
  nlohmann::json add(ApiClient& c, const std::string& name, const std::string& id_number,
                     const std::string& village = "140924100002") {
    ApiResponse r = c.post("/api/v1/persons", {{"name", name}, {"id_number", id_number}, {"region_code", village},
                                               {"category", {{"category", "烈属"}}}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json;
  }
};

TEST_F(HouseholdsApi, JoinChooseHeadAndSplitAsThePersonPageDoes) {
  ApiClient clerk = logged_in("fc_clerk");
  nlohmann::json wang = add(clerk, "汪军", "11010519491231002X");
  nlohmann::json li = add(clerk, "李秀英", "140924195505151351");
  std::string home = wang["household_id"], hers = li["household_id"];
  std::string li_id = li["id"], wang_id = wang["id"];

  ApiResponse joined = clerk.post("/api/v1/households/" + home + "/members", {{"person_id", li_id}, {"version", 1}});
  ASSERT_EQ(joined.status, 200) << joined.body;
  ASSERT_EQ(joined.json["members"].size(), 2u);
  EXPECT_EQ(joined.json["head_name"], "汪军");
  EXPECT_EQ(joined.json["members"][1]["name"], "李秀英");
  EXPECT_EQ(joined.json["members"][1]["head"], false);
  EXPECT_EQ(clerk.get("/api/v1/persons/" + li_id).json["household_id"], home);
  ApiResponse old = clerk.get("/api/v1/households/" + hers);
  EXPECT_EQ(old.json["status"], "dissolved");
  EXPECT_EQ(old.json["members"].size(), 0u);
  EXPECT_EQ(clerk.get("/api/v1/households").json["total"], 1);  // the empty one is not listed

  // The same move again with the version read before it: 409.
  ApiResponse stale = clerk.post("/api/v1/households/" + home + "/members", {{"person_id", li_id}, {"version", 1}});
  EXPECT_EQ(stale.status, 409);

  // The head cannot move out while his wife is there.
  int wang_version = clerk.get("/api/v1/persons/" + wang_id).json["version"];
  ApiResponse head_leaves = clerk.post("/api/v1/persons/" + wang_id + "/household/split", {{"version", wang_version}});
  EXPECT_EQ(head_leaves.status, 400);
  EXPECT_EQ(head_leaves.error_code(), "head_must_change");

  int hv = joined.json["version"];
  ApiResponse headed = clerk.post("/api/v1/households/" + home + "/head", {{"person_id", li_id}, {"version", hv}});
  ASSERT_EQ(headed.status, 200) << headed.body;
  EXPECT_EQ(headed.json["head_name"], "李秀英");
  EXPECT_EQ(clerk.post("/api/v1/households/" + home + "/head", {{"person_id", wang_id}, {"version", hv}}).status, 409);

  ApiResponse split = clerk.post("/api/v1/persons/" + wang_id + "/household/split", {{"version", wang_version}});
  ASSERT_EQ(split.status, 201) << split.body;
  EXPECT_EQ(split.json["head_name"], "汪军");
  EXPECT_EQ(split.json["members"].size(), 1u);
  EXPECT_EQ(clerk.get("/api/v1/households").json["total"], 2);

  ApiResponse history = clerk.get("/api/v1/persons/" + wang_id + "/history");
  ASSERT_EQ(history.status, 200);
  EXPECT_EQ(history.json["items"][0]["action"], "household");
  EXPECT_EQ(history.json["items"][0]["changes"][0]["label"], "所属户");
  EXPECT_EQ(history.json["items"][1]["changes"][0]["label"], "户主");
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE entity = 'household' AND action IN "
                  "('household.join', 'household.head', 'household.split')"),
            3);

  // A viewer may look but not move anyone.
  ApiClient viewer = logged_in("fc_viewer");
  EXPECT_EQ(viewer.get("/api/v1/households/" + home).status, 200);
  EXPECT_EQ(viewer.post("/api/v1/households/" + home + "/members", {{"person_id", wang_id}, {"version", 3}}).status,
            403);
}

TEST_F(HouseholdsApi, BadInputIsRefusedInChineseAndWritesNothing) {
  ApiClient clerk = logged_in("fc_clerk");
  nlohmann::json wang = add(clerk, "汪军", "11010519491231002X");
  nlohmann::json zhao = add(clerk, "赵刚", "140924195505151351", "140924100003");  // 府新社区
  std::string home = wang["household_id"], zhao_id = zhao["id"];
  std::int64_t audit = count("SELECT count(*) FROM audit_log");
  std::int64_t history = count("SELECT count(*) FROM person_history");

  ApiResponse no_person = clerk.post("/api/v1/households/" + home + "/members", {{"version", 1}});
  EXPECT_EQ(no_person.status, 400);
  EXPECT_EQ(no_person.error_code(), "person_required");
  EXPECT_EQ(no_person.json["error"]["field"], "person_id");
  ApiResponse junk = clerk.post("/api/v1/households/" + home + "/members", {{"person_id", "12ab"}, {"version", 1}});
  EXPECT_EQ(junk.error_code(), "person_required");
  ApiResponse no_version = clerk.post("/api/v1/households/" + home + "/members", {{"person_id", zhao_id}});
  EXPECT_EQ(no_version.error_code(), "missing_version");
  ApiResponse village = clerk.post("/api/v1/households/" + home + "/members", {{"person_id", zhao_id}, {"version", 1}});
  EXPECT_EQ(village.status, 400);
  EXPECT_EQ(village.error_code(), "household_other_village");
  EXPECT_NE(village.json["error"]["message"].get<std::string>().find("只能加入同一村（社区）的户"), std::string::npos);
  ApiResponse nobody = clerk.post("/api/v1/households/" + home + "/members", {{"person_id", "999"}, {"version", 1}});
  EXPECT_EQ(nobody.status, 404);
  ApiResponse no_house = clerk.post("/api/v1/households/999/head", {{"person_id", zhao_id}, {"version", 1}});
  EXPECT_EQ(no_house.status, 404);
  ApiResponse alone = clerk.post("/api/v1/persons/" + zhao_id + "/household/split", {{"version", 1}});
  EXPECT_EQ(alone.error_code(), "already_own_household");
  ApiResponse not_json = clerk.raw("POST", "/api/v1/persons/" + zhao_id + "/household/split", "{",
                                   {{"Content-Type", "application/json"}, {"X-CSRF-Token", clerk.csrf}});
  EXPECT_EQ(not_json.status, 400);

  EXPECT_EQ(count("SELECT count(*) FROM audit_log"), audit);
  EXPECT_EQ(count("SELECT count(*) FROM person_history"), history);
  EXPECT_EQ(count("SELECT count(*) FROM households"), 2);

  // Another township's clerk does not see the household at all.
  ApiClient lead = logged_in("county_lead");
  nlohmann::json far = add(lead, "王五", "140924196305140994", "140924101002");  // 惠民社区, 砂河镇
  std::string far_id = far["id"];
  EXPECT_EQ(clerk.post("/api/v1/households/" + home + "/members", {{"person_id", far_id}, {"version", 1}}).status,
            404);
  EXPECT_EQ(clerk.post("/api/v1/persons/" + far_id + "/household/split", {{"version", 1}}).status, 404);
}

TEST_F(HouseholdsApi, RoutesAreInTheOpenApiDocument) {
  ApiResponse doc = client().get("/api/v1/openapi.json");
  ASSERT_EQ(doc.status, 200);
  const auto& paths = doc.json["paths"];
  EXPECT_TRUE(paths.contains("/api/v1/households/{id}/members"));
  EXPECT_TRUE(paths.contains("/api/v1/households/{id}/head"));
  EXPECT_TRUE(paths.contains("/api/v1/persons/{id}/household/split"));
}

TEST_F(HouseholdsApi, BankAccountFailingLuhnIsSavedWithAWarning) {
  ApiClient clerk = logged_in("fc_clerk");
  ApiResponse created = clerk.post("/api/v1/persons", {{"name", "汪军"}, {"id_number", "11010519491231002X"},
                                                       {"region_code", "140924100002"},
                                                       {"bank_account", "6217 9945 2685 9693 845"},
                                                       {"category", {{"category", "烈属"}}}});
  ASSERT_EQ(created.status, 201) << created.body;
  ASSERT_EQ(created.json["warnings"].size(), 1u);
  EXPECT_EQ(created.json["warnings"][0], "银行账号未通过校验（Luhn），请核对");
  std::string id = created.json["id"];
  ApiResponse full = clerk.post("/api/v1/persons/" + id + "/reveal", {{"field", "bank_account"}});
  EXPECT_EQ(full.json["value"], "6217994526859693845");  // saved as typed, without spaces

  ApiResponse fixed = clerk.put("/api/v1/persons/" + id, {{"bank_account", "6217994526859693844"}, {"version", 1}});
  ASSERT_EQ(fixed.status, 200) << fixed.body;
  EXPECT_TRUE(fixed.json["warnings"].empty());
  ApiResponse again = clerk.put("/api/v1/persons/" + id, {{"bank_account", "6217994526859693845"}, {"version", 2}});
  ASSERT_EQ(again.status, 200) << again.body;
  ASSERT_EQ(again.json["warnings"].size(), 1u);
  ApiResponse phone_only = clerk.put("/api/v1/persons/" + id, {{"phone", "13800000000"}, {"version", 3}});
  ASSERT_EQ(phone_only.status, 200) << phone_only.body;
  EXPECT_TRUE(phone_only.json["warnings"].empty());  // the account was not part of this write
  // A short account (passbook) is not Luhn-checked.
  ApiResponse passbook = clerk.put("/api/v1/persons/" + id, {{"bank_account", "14012345"}, {"version", 4}});
  ASSERT_EQ(passbook.status, 200) << passbook.body;
  EXPECT_TRUE(passbook.json["warnings"].empty());
}

}  // namespace
}  // namespace sy::http
