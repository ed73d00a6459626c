// API tests of what the server keeps in memory between requests — settings, role permissions and
// the user's own region: a change applies from the very next request, whether it comes through the
// web, from another process writing the same database (the command line), or as plain SQL. Runs
// on SQLite, or on PostgreSQL when SY_TEST_PG_URL is set.
#include <gtest/gtest.h>

#include <set>

#include "api_fixture.h"
#include "store/db.h"

namespace sy::http {
namespace {

using testing::ApiClient;
using testing::ApiResponse;

class SessionCacheApi : public testing::ApiTest {
 protected:
  std::set<std::string> permissions(ApiClient& c) {
    ApiResponse me = c.get("/api/v1/me");
    EXPECT_EQ(me.status, 200) << me.body;
    std::set<std::string> out;
    if (me.status == 200) {
      for (const auto& p : me.json["permissions"]) out.insert(p.get<std::string>());
    }
    return out;
  }
  int role_version(ApiClient& sec, const std::string& code) {
    ApiResponse roles = sec.get("/api/v1/roles");
    EXPECT_EQ(roles.status, 200) << roles.body;
    for (const auto& r : roles.json["items"]) {
      if (r["code"] == code) return r["version"].get<int>();
    }
    ADD_FAILURE() << "no role " << code;
    return 0;
  }
  // Another process on the same database: its own connections, its own caches.
  std::unique_ptr<store::Db> other_process() {
    auto db = store::Db::open(db_->url);
    EXPECT_TRUE(db.ok()) << db.error().message;
    return db.ok() ? std::move(*db) : nullptr;
  }
  void sql(store::Db& db, const std::string& statement) {
    Status st = db.transact([&](store::Conn& tx) -> Status {
      SY_TRY(tx.exec(statement));
      return ok_status();
    });
    ASSERT_TRUE(st.ok()) << statement << ": " << st.error().message;
  }
};

TEST_F(SessionCacheApi, RolePermissionChangeAppliesToTheNextRequest) {
  ApiClient clerk = logged_in("fc_clerk");
  ASSERT_TRUE(permissions(clerk).contains("business:read"));
  ASSERT_EQ(clerk.get("/api/v1/persons").status, 200);

  ApiClient sec = logged_in("security");
  ApiResponse put = sec.put("/api/v1/roles/clerk",
                            {{"permissions", {"dashboard:read", "region:read"}},
                             {"version", role_version(sec, "clerk")}});
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(permissions(clerk), (std::set<std::string>{"dashboard:read", "region:read"}));
  EXPECT_EQ(clerk.get("/api/v1/persons").status, 403);

  put = sec.put("/api/v1/roles/clerk", {{"permissions", {"dashboard:read", "business:read"}},
                                        {"version", role_version(sec, "clerk")}});
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(clerk.get("/api/v1/persons").status, 200);
  EXPECT_EQ(permissions(clerk), (std::set<std::string>{"dashboard:read", "business:read"}));
}

TEST_F(SessionCacheApi, SettingChangeAppliesToTheNextRequest) {
  ApiClient clerk = logged_in("fc_clerk");
  ApiClient admin = logged_in("admin");
  clock_.advance_ms(10 * 60000);
  ASSERT_EQ(clerk.get("/api/v1/me").status, 200);  // 30 idle minutes allowed, and cached
  ApiResponse put = admin.put("/api/v1/settings", {{"session_idle_minutes", 5}});
  ASSERT_EQ(put.status, 200) << put.body;
  clock_.advance_ms(6 * 60000);
  ApiResponse me = clerk.get("/api/v1/me");
  EXPECT_EQ(me.status, 401);
  EXPECT_EQ(me.error_code(), "session_expired");
}

TEST_F(SessionCacheApi, ChangesByAnotherProcessApplyToTheNextRequest) {
  ApiClient clerk = logged_in("fc_clerk");
  ASSERT_TRUE(permissions(clerk).contains("business:read"));
  auto cli = other_process();
  ASSERT_TRUE(cli);
  sql(*cli, "UPDATE roles SET permissions = 'dashboard:read' WHERE code = 'clerk'");
  EXPECT_EQ(permissions(clerk), (std::set<std::string>{"dashboard:read"}));
  EXPECT_EQ(clerk.get("/api/v1/persons").status, 403);

  clock_.advance_ms(3 * 60000);
  ASSERT_EQ(clerk.get("/api/v1/me").status, 200);
  sql(*cli, "UPDATE settings SET value = '2' WHERE key = 'session_idle_minutes'");
  if (count("SELECT count(*) FROM settings WHERE key = 'session_idle_minutes'") == 0) {
    sql(*cli, "INSERT INTO settings (key, value, updated_at) VALUES ('session_idle_minutes', '2', 0)");
  }
  clock_.advance_ms(3 * 60000);
  EXPECT_EQ(clerk.get("/api/v1/me").error_code(), "session_expired");
}

TEST_F(SessionCacheApi, RegionChangeAppliesToTheNextMe) {
  ApiClient clerk = logged_in("fc_clerk");
  ApiResponse me = clerk.get("/api/v1/me");
  ASSERT_EQ(me.status, 200) << me.body;
  std::string code = me.json["region"]["code"];
  std::string name = me.json["region"]["name"];
  EXPECT_EQ(me.json["user"]["region_name"], name);
  auto cli = other_process();
  ASSERT_TRUE(cli);
  sql(*cli, "UPDATE regions SET name = '繁城镇（更名）', short_name = '繁城' WHERE code = '" + code + "'");
  me = clerk.get("/api/v1/me");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json["region"]["name"], "繁城镇（更名）");
  EXPECT_EQ(me.json["region"]["short_name"], "繁城");
  EXPECT_EQ(me.json["user"]["region_name"], "繁城镇（更名）");
}

// /me answers from what authenticate read: the same user record GET /users/{id} shows, and the
// same text the JSON library would write.
TEST_F(SessionCacheApi, MeShowsTheSameUserRecordAsTheUserList) {
  ApiClient clerk = logged_in("fc_clerk");
  ApiResponse me = clerk.get("/api/v1/me");
  ASSERT_EQ(me.status, 200) << me.body;
  ApiClient admin = logged_in("admin");
  ApiResponse user = admin.get("/api/v1/users/" + user_id("fc_clerk"));
  ASSERT_EQ(user.status, 200) << user.body;
  EXPECT_EQ(me.json["user"], user.json);
  EXPECT_EQ(me.json["csrf_token"], clerk.csrf);
  EXPECT_FALSE(me.json["must_change_password"].get<bool>());
  EXPECT_EQ(me.json["region"]["code"], user.json["region_code"]);
  EXPECT_EQ(me.json["region"]["level"], "township");
  EXPECT_EQ(me.json["region"]["has_children"], true);
  // Written by hand, but the same bytes as the JSON library's own dump.
  EXPECT_EQ(me.body, me.json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace
}  // namespace sy::http
