// API tests of the foundation: the real server on 127.0.0.1 (ephemeral port) over a real database —
// SQLite, or PostgreSQL when SY_TEST_PG_URL is set. The clock is fixed so timeouts can be tested.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <set>

#include "api_fixture.h"
#include "core/embedded.h"
#include "demo/demo.h"
#include "http/router.h"
#include "http/server.h"
#include "setup/setup.h"
#include "test_support.h"

namespace sy::http {
namespace {

using testing::ApiClient;
using testing::ApiResponse;
using testing::kPw;

class Api : public testing::ApiTest {};

TEST_F(Api, HealthzAnswersWithoutLogin) {
  ApiResponse r = client().get("/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json["status"], "ok");
}

TEST_F(Api, LoginSetsHardenedCookieAndReturnsCsrfToken) {
  ApiClient c = client();
  ApiResponse r = c.login("fc_clerk", kPw);
  ASSERT_EQ(r.status, 200) << r.body;
  std::string cookie = r.header("Set-Cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(cookie.find("Secure"), std::string::npos);
  EXPECT_EQ(c.cookie.size(), std::string("sy_session=").size() + 43);  // 256-bit token
  EXPECT_EQ(r.json["user"]["username"], "fc_clerk");
  EXPECT_EQ(r.json["user"]["region_name"], "繁城镇");
  EXPECT_EQ(r.json["csrf_token"].get<std::string>().size(), 43u);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'session.login'"), 1);

  ApiResponse me = c.get("/api/v1/me");
  EXPECT_EQ(me.status, 200);
  EXPECT_EQ(me.json["csrf_token"], c.csrf);
  EXPECT_EQ(me.json["region"]["name"], "繁城镇");
  auto perms = me.json["permissions"].get<std::set<std::string>>();
  EXPECT_TRUE(perms.count("region:read"));
  EXPECT_FALSE(perms.count("user:manage"));
}

TEST_F(Api, SecureCookieUnderTls) {
  ServerOptions o;
  o.secure_cookie = true;
  start(o);
  ApiResponse r = client().login("fc_clerk", kPw);
  EXPECT_NE(r.header("Set-Cookie").find("; Secure"), std::string::npos);
}

TEST_F(Api, WrongPasswordAndUnknownUserLookTheSame) {
  ApiResponse a = client().login("fc_clerk", "Wrong#Pass1");
  ApiResponse b = client().login("nobody", "Wrong#Pass1");
  EXPECT_EQ(a.status, 401);
  EXPECT_EQ(b.status, 401);
  EXPECT_EQ(a.error_code(), "bad_credentials");
  EXPECT_EQ(a.json["error"]["message"], b.json["error"]["message"]);
  EXPECT_EQ(a.json["error"]["message"], "用户名或密码错误");
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'session.login_failed'"), 2);
  EXPECT_EQ(count("SELECT count(*) FROM sessions"), 0);
}

TEST_F(Api, FiveFailuresLockTheAccountForFifteenMinutes) {
  for (int i = 0; i < 4; ++i) EXPECT_EQ(client().login("fc_clerk", "Wrong#Pass1").status, 401);
  ApiResponse fifth = client().login("fc_clerk", "Wrong#Pass1");
  EXPECT_EQ(fifth.status, 403);
  EXPECT_EQ(fifth.error_code(), "account_locked");
  ApiResponse right_but_locked = client().login("fc_clerk", kPw);
  EXPECT_EQ(right_but_locked.status, 403);
  EXPECT_EQ(right_but_locked.error_code(), "account_locked");
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'user.locked'"), 1);
  clock_.advance_ms(14 * 60000);
  EXPECT_EQ(client().login("fc_clerk", kPw).status, 403);
  clock_.advance_ms(61000);
  EXPECT_EQ(client().login("fc_clerk", kPw).status, 200);
}

TEST_F(Api, SecurityAdminUnlocksALockedAccount) {
  for (int i = 0; i < 5; ++i) client().login("fc_viewer", "Wrong#Pass1");
  EXPECT_EQ(client().login("fc_viewer", kPw).error_code(), "account_locked");
  ApiClient sec = logged_in("security");
  ApiResponse r = sec.post("/api/v1/users/" + user_id("fc_viewer") + "/unlock", nlohmann::json::object());
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(client().login("fc_viewer", kPw).status, 200);
}

TEST_F(Api, ManyFailuresFromOneAddressAreThrottled) {
  int last = 0;
  std::string code;
  for (int i = 0; i < 21; ++i) {
    ApiResponse r = client().login("ghost" + std::to_string(i), "Wrong#Pass1");
    last = r.status;
    code = r.error_code();
  }
  EXPECT_EQ(last, 429);
  EXPECT_EQ(code, "too_many_attempts");
  // Even the right password is refused from that address while throttled, and it is logged.
  EXPECT_EQ(client().login("fc_clerk", kPw).status, 429);
  EXPECT_GE(count("SELECT count(*) FROM audit_log WHERE detail LIKE '%限流%'"), 2);
}

TEST_F(Api, IdleSessionExpiresAfterThirtyMinutes) {
  ApiClient c = logged_in("fc_clerk");
  clock_.advance_ms(29 * 60000);
  EXPECT_EQ(c.get("/api/v1/me").status, 200);
  clock_.advance_ms(29 * 60000);  // activity above kept it alive
  EXPECT_EQ(c.get("/api/v1/me").status, 200);
  clock_.advance_ms(31 * 60000);
  ApiResponse r = c.get("/api/v1/me");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.error_code(), "session_expired");
  EXPECT_EQ(c.get("/api/v1/me").error_code(), "unauthenticated");
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'session.expired'"), 1);
}

TEST_F(Api, SessionEndsAfterTwelveHoursEvenWhenBusy) {
  ApiClient c = logged_in("fc_clerk");
  for (int i = 0; i < 36; ++i) {
    clock_.advance_ms(20 * 60000);
    ASSERT_EQ(c.get("/api/v1/me").status, 200) << "at " << (i + 1) * 20 << " minutes";
  }
  clock_.advance_ms(20 * 60000);  // 12 h 20 min after log-in
  EXPECT_EQ(c.get("/api/v1/me").error_code(), "session_expired");
}

TEST_F(Api, LogoutEndsTheSessionOnTheServer) {
  ApiClient c = logged_in("fc_clerk");
  std::string cookie = c.cookie;
  ApiResponse out = c.del("/api/v1/session");
  EXPECT_EQ(out.status, 204);
  EXPECT_NE(out.header("Set-Cookie").find("Max-Age=0"), std::string::npos);
  ApiClient replay = client();
  replay.cookie = cookie;  // a stolen copy of the old cookie is worthless now
  EXPECT_EQ(replay.get("/api/v1/me").status, 401);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'session.logout'"), 1);
}

TEST_F(Api, NonGetWithoutCsrfTokenIsRefusedAndWritesNothing) {
  ApiClient admin = logged_in("admin");
  std::int64_t users = count("SELECT count(*) FROM users");
  std::int64_t audits = count("SELECT count(*) FROM audit_log");
  nlohmann::json body = {{"username", "new_clerk"}, {"display_name", "王芳"},
                         {"region_code", "140924100000"}, {"password", "Strong#Pass9"}, {"roles", {"clerk"}}};
  ApiResponse missing = admin.raw("POST", "/api/v1/users", body.dump());
  EXPECT_EQ(missing.status, 403);
  EXPECT_EQ(missing.error_code(), "csrf_missing");
  ApiResponse wrong = admin.raw("POST", "/api/v1/users", body.dump(), {{"X-CSRF-Token", "forged"}});
  EXPECT_EQ(wrong.status, 403);
  EXPECT_EQ(wrong.error_code(), "csrf_mismatch");
  EXPECT_EQ(admin.raw("DELETE", "/api/v1/session", "").error_code(), "csrf_missing");
  EXPECT_EQ(count("SELECT count(*) FROM users"), users);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log"), audits);
  EXPECT_EQ(admin.post("/api/v1/users", body).status, 201);
}

TEST_F(Api, NotLoggedInGets401) {
  EXPECT_EQ(client().get("/api/v1/me").status, 401);
  EXPECT_EQ(client().get("/api/v1/regions").error_code(), "unauthenticated");
  ApiClient forged = client();
  forged.cookie = "sy_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  EXPECT_EQ(forged.get("/api/v1/me").status, 401);
}

TEST_F(Api, RegionsOutsideScopeAreNotFound) {
  ApiClient clerk = logged_in("fc_clerk");
  ApiResponse own = clerk.get("/api/v1/regions");
  ASSERT_EQ(own.status, 200);
  ASSERT_EQ(own.json["items"].size(), 1u);
  EXPECT_EQ(own.json["items"][0]["code"], "140924100000");
  ApiResponse villages = clerk.get("/api/v1/regions?parent=140924100000&size=200");
  EXPECT_EQ(villages.status, 200);
  EXPECT_EQ(villages.json["total"], count("SELECT count(*) FROM regions WHERE parent_code = '140924100000'"));
  // 砂河镇 is another township of the county.
  EXPECT_EQ(clerk.get("/api/v1/regions/140924101000").status, 404);
  EXPECT_EQ(clerk.get("/api/v1/regions?parent=140924101000").status, 404);
  EXPECT_EQ(clerk.get("/api/v1/regions?q=砂河").json["total"], 0);
  ApiResponse found = clerk.get("/api/v1/regions?q=东泰");
  ASSERT_EQ(found.json["total"], 1);
  EXPECT_EQ(found.json["items"][0]["name"], "东泰社区居委会");
  ApiResponse path = clerk.get("/api/v1/regions/140924100002");
  EXPECT_EQ(path.json["path"].size(), 3u);

  ApiClient lead = logged_in("county_lead");
  EXPECT_EQ(lead.get("/api/v1/regions/140924101000").status, 200);
}

TEST_F(Api, MalformedJsonAndBadParameters) {
  ApiClient admin = logged_in("admin");
  ApiResponse bad = admin.raw("POST", "/api/v1/users", "{\"username\": ", {{"X-CSRF-Token", admin.csrf}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.error_code(), "invalid_json");
  std::string deep(100000, '[');
  ApiResponse nested = admin.raw("POST", "/api/v1/users", deep, {{"X-CSRF-Token", admin.csrf}});
  EXPECT_EQ(nested.status, 400);
  EXPECT_EQ(nested.error_code(), "invalid_json");
  EXPECT_EQ(admin.raw("POST", "/api/v1/users", "[1,2]", {{"X-CSRF-Token", admin.csrf}}).error_code(),
            "invalid_json");
  EXPECT_EQ(admin.get("/api/v1/users?size=100000").error_code(), "invalid_page");
  EXPECT_EQ(admin.get("/api/v1/users/notanumber").status, 404);
  ApiResponse login_bad = client().raw("POST", "/api/v1/session", "not json");
  EXPECT_EQ(login_bad.status, 400);
}

TEST_F(Api, OversizeBodyGets413) {
  ApiClient admin = logged_in("admin");
  std::string big = "{\"x\":\"" + std::string(2 << 20, 'a') + "\"}";
  ApiResponse r = admin.raw("POST", "/api/v1/users", big, {{"X-CSRF-Token", admin.csrf}});
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.error_code(), "payload_too_large");
}

TEST_F(Api, UnknownRouteGets404Json) {
  ApiClient c = logged_in("fc_clerk");
  ApiResponse get = c.get("/api/v1/no-such-thing");
  EXPECT_EQ(get.status, 404);
  EXPECT_EQ(get.error_code(), "route_not_found");
  ApiResponse post = c.post("/api/v1/no-such-thing", nlohmann::json::object());
  EXPECT_EQ(post.status, 404);
  EXPECT_EQ(post.error_code(), "route_not_found");
}

TEST_F(Api, EachRoleSeesOnlyWhatItMay) {
  ApiClient clerk = logged_in("fc_clerk");
  EXPECT_EQ(clerk.get("/api/v1/users").status, 403);
  EXPECT_EQ(clerk.get("/api/v1/audit").status, 403);
  EXPECT_EQ(clerk.get("/api/v1/settings").status, 403);
  ApiClient auditor = logged_in("auditor");
  EXPECT_EQ(auditor.get("/api/v1/audit").status, 200);
  EXPECT_EQ(auditor.get("/api/v1/users").status, 403);
  EXPECT_EQ(auditor.get("/api/v1/regions").status, 403);
  ApiClient admin = logged_in("admin");
  EXPECT_EQ(admin.get("/api/v1/audit").status, 403);  // 系统管理员 does not read the audit log
  EXPECT_EQ(admin.get("/api/v1/users").status, 200);
  ApiClient sec = logged_in("security");
  EXPECT_EQ(sec.get("/api/v1/roles").status, 200);
  EXPECT_EQ(sec.get("/api/v1/settings").status, 403);
  EXPECT_EQ(sec.post("/api/v1/users", nlohmann::json::object()).status, 403);
}

TEST_F(Api, UserAdministrationKeepsSeparationOfDuties) {
  ApiClient admin = logged_in("admin");
  nlohmann::json body = {{"username", "fc_clerk2"}, {"display_name", "王芳"},
                         {"region_code", "140924100"}, {"password", "Strong#Pass9"}, {"roles", {"clerk"}}};
  ApiResponse created = admin.post("/api/v1/users", body);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json["region_code"], "140924100000");
  EXPECT_TRUE(created.json["must_change_password"].get<bool>());
  EXPECT_EQ(admin.post("/api/v1/users", body).error_code(), "username_taken");
  body["username"] = "sneaky";
  body["roles"] = {"auditor"};
  ApiResponse admin_role = admin.post("/api/v1/users", body);
  EXPECT_EQ(admin_role.status, 403);
  EXPECT_EQ(admin_role.error_code(), "forbidden_role");
  body["roles"] = {"clerk"};
  body["password"] = "password";
  ApiResponse weak = admin.post("/api/v1/users", body);
  EXPECT_EQ(weak.status, 400);
  EXPECT_EQ(weak.error_code(), "weak_password");

  std::string id = created.json["id"];
  ApiClient sec = logged_in("security");
  ApiResponse two = sec.put("/api/v1/users/" + id + "/roles", {{"roles", {"sys_admin", "auditor"}}, {"version", 1}});
  EXPECT_EQ(two.status, 400);
  EXPECT_EQ(two.error_code(), "admin_roles_exclusive");
  ApiResponse ok = sec.put("/api/v1/users/" + id + "/roles", {{"roles", {"viewer"}}, {"version", 1}});
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json["version"], 2);
  ApiResponse stale = sec.put("/api/v1/users/" + id + "/roles", {{"roles", {"clerk"}}, {"version", 1}});
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.error_code(), "stale_version");
  ApiResponse self = sec.put("/api/v1/users/" + user_id("security") + "/roles",
                             {{"roles", {"sys_admin"}}, {"version", 1}});
  EXPECT_EQ(self.status, 403);
  ApiResponse patch = admin.patch("/api/v1/users/" + id, {{"display_name", "王芳芳"}, {"version", 2}});
  EXPECT_EQ(patch.status, 200) << patch.body;
  EXPECT_EQ(patch.json["display_name"], "王芳芳");
  // Every change is in the audit log with before and after, never the password hash.
  ApiClient auditor = logged_in("auditor");
  ApiResponse log = auditor.get("/api/v1/audit?entity=user&entity_id=" + id);
  ASSERT_EQ(log.status, 200);
  EXPECT_EQ(log.json["total"], 3);
  EXPECT_EQ(log.body.find("argon2"), std::string::npos);
  EXPECT_EQ(log.json["items"][0]["action"], "user.update");
  EXPECT_EQ(log.json["items"][0]["before"]["display_name"], "王芳");
  EXPECT_EQ(log.json["items"][0]["after"]["display_name"], "王芳芳");
}

TEST_F(Api, SystemAdminCannotTakeOverTheOtherAdminAccounts) {
  ApiClient admin = logged_in("admin");
  std::string auditor = user_id("auditor");
  ApiResponse reset = admin.post("/api/v1/users/" + auditor + "/password", {{"new_password", "Taken#Over2026"}});
  EXPECT_EQ(reset.status, 403);
  EXPECT_EQ(reset.error_code(), "admin_account_protected");
  EXPECT_EQ(admin.post("/api/v1/users/" + user_id("security") + "/disable", {{"reason", "x"}, {"version", 1}}).status, 403);
  EXPECT_EQ(client().login("auditor", "Taken#Over2026").status, 401);
  EXPECT_EQ(client().login("auditor", kPw).status, 200);
  // User names are matched without regard to case at log-in, as they are unique that way.
  EXPECT_EQ(client().login("FC_Clerk", kPw).status, 200);
}

TEST_F(Api, TownClerkAdminSeesOnlyUsersInScope) {
  // A 系统管理员 bound to 繁城镇 manages only that township's accounts.
  ApiClient admin = logged_in("admin");
  ApiResponse created = admin.post("/api/v1/users", {{"username", "fc_admin"}, {"display_name", "镇管理员"},
                                                     {"region_code", "140924100000"}, {"password", "Strong#Pass9"},
                                                     {"roles", {"viewer"}}});
  ASSERT_EQ(created.status, 201);
  ApiClient sec = logged_in("security");
  ASSERT_EQ(sec.put("/api/v1/users/" + std::string(created.json["id"]) + "/roles",
                    {{"roles", {"sys_admin"}}, {"version", 1}}).status, 200);
  ApiClient town_admin = client();
  ASSERT_EQ(town_admin.login("fc_admin", "Strong#Pass9").status, 200);
  ASSERT_EQ(town_admin.post("/api/v1/me/password", {{"old_password", "Strong#Pass9"}, {"new_password", "Another#Pass7"}}).status, 204);
  ApiResponse list = town_admin.get("/api/v1/users?size=200");
  ASSERT_EQ(list.status, 200);
  for (const auto& u : list.json["items"]) {
    EXPECT_EQ(u["region_code"].get<std::string>().substr(0, 9), "140924100");
  }
  EXPECT_EQ(town_admin.get("/api/v1/users/" + user_id("county_lead")).status, 404);
  ApiResponse outside = town_admin.post("/api/v1/users", {{"username", "sh_clerk"}, {"display_name", "外镇"},
                                                          {"region_code", "140924101000"}, {"password", "Strong#Pass9"},
                                                          {"roles", {"clerk"}}});
  EXPECT_EQ(outside.error_code(), "region_out_of_scope");
}

TEST_F(Api, DisablingAUserEndsTheirSessions) {
  ApiClient clerk = logged_in("fc_clerk");
  ApiClient admin = logged_in("admin");
  std::string id = user_id("fc_clerk");
  EXPECT_EQ(admin.post("/api/v1/users/" + id + "/disable", {{"version", 1}}).error_code(), "missing_field");
  ApiResponse r = admin.post("/api/v1/users/" + id + "/disable", {{"reason", "调离"}, {"version", 1}});
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["status"], "disabled");
  EXPECT_EQ(clerk.get("/api/v1/me").status, 401);
  EXPECT_EQ(client().login("fc_clerk", kPw).error_code(), "account_disabled");
  EXPECT_EQ(admin.post("/api/v1/users/" + id + "/enable", {{"version", 2}}).status, 200);
  EXPECT_EQ(client().login("fc_clerk", kPw).status, 200);
}

TEST_F(Api, ResetPasswordForcesAChangeAtNextLogin) {
  ApiClient admin = logged_in("admin");
  std::string id = user_id("fc_viewer");
  ASSERT_EQ(admin.post("/api/v1/users/" + id + "/password", {{"new_password", "Temp#Pass123"}}).status, 204);
  ApiClient viewer = client();
  ApiResponse login = viewer.login("fc_viewer", "Temp#Pass123");
  ASSERT_EQ(login.status, 200);
  EXPECT_TRUE(login.json["must_change_password"].get<bool>());
  ApiResponse blocked = viewer.get("/api/v1/dashboard");
  EXPECT_EQ(blocked.status, 403);
  EXPECT_EQ(blocked.error_code(), "password_change_required");
  EXPECT_EQ(viewer.get("/api/v1/me").status, 200);
  ApiResponse same = viewer.post("/api/v1/me/password", {{"old_password", "Temp#Pass123"}, {"new_password", "Temp#Pass123"}});
  EXPECT_EQ(same.status, 400);
  ApiResponse wrong = viewer.post("/api/v1/me/password", {{"old_password", "nope"}, {"new_password", "Fresh#Pass456"}});
  EXPECT_EQ(wrong.error_code(), "wrong_password");
  EXPECT_EQ(viewer.post("/api/v1/me/password", {{"old_password", "Temp#Pass123"}, {"new_password", "Fresh#Pass456"}}).status, 204);
  EXPECT_EQ(viewer.get("/api/v1/dashboard").status, 200);
}

TEST_F(Api, FirstAdminMustChangePasswordAtFirstLogin) {
  db_ = testing::make_test_db();
  auto init = setup::initialize(*db_->db, clock_, ids_,
                                setup::InitOptions{.county = "140924", .admin_password = "First#Pass2026"});
  ASSERT_TRUE(init.ok()) << init.error().message;
  start({});
  ApiClient admin = client();
  ApiResponse login = admin.login("admin", "First#Pass2026");
  ASSERT_EQ(login.status, 200);
  EXPECT_TRUE(login.json["must_change_password"].get<bool>());
  EXPECT_EQ(admin.get("/api/v1/users").error_code(), "password_change_required");
  ASSERT_EQ(admin.post("/api/v1/me/password", {{"old_password", "First#Pass2026"}, {"new_password", "Second#Pass2026"}}).status, 204);
  EXPECT_EQ(admin.get("/api/v1/users").status, 200);
}

TEST_F(Api, DashboardCountsAreReal) {
  ApiClient clerk = logged_in("fc_clerk");
  ApiResponse r = clerk.get("/api/v1/dashboard");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json["counts"]["townships"], 1);
  EXPECT_EQ(r.json["counts"]["villages"], count("SELECT count(*) FROM regions WHERE code LIKE '140924100%' AND level = 'village'"));
  EXPECT_EQ(r.json["counts"]["users"], 3);  // fc_lead, fc_clerk, fc_viewer
  EXPECT_EQ(r.json["counts"]["logins_today"], 1);
  EXPECT_EQ(r.json["persons"]["active"], 0);  // the test county's registry is empty
  EXPECT_TRUE(logged_in("admin").get("/api/v1/dashboard").json["persons"].is_null());  // no business data
  ApiClient lead = logged_in("county_lead");
  ApiResponse county = lead.get("/api/v1/dashboard");
  EXPECT_EQ(county.json["counts"]["townships"], count("SELECT count(*) FROM regions WHERE level = 'township'"));
  EXPECT_EQ(county.json["counts"]["users"], 7);
}

TEST_F(Api, AuditIsSearchableAndExportableButNotWritable) {
  logged_in("fc_clerk");
  client().login("fc_clerk", "Wrong#Pass1");
  ApiClient auditor = logged_in("auditor");
  ApiResponse failed = auditor.get("/api/v1/audit?action=session.login_failed");
  ASSERT_EQ(failed.status, 200);
  EXPECT_EQ(failed.json["total"], 1);
  EXPECT_EQ(failed.json["items"][0]["username"], "fc_clerk");
  EXPECT_EQ(failed.json["items"][0]["ip"], "127.0.0.1");
  EXPECT_EQ(failed.json["items"][0]["result"], "failed");
  ApiResponse today = auditor.get("/api/v1/audit?from=2026-11-22&to=2026-11-22&size=5");
  EXPECT_EQ(today.json["size"], 5);
  EXPECT_GE(today.json["total"].get<int>(), 3);
  EXPECT_EQ(auditor.get("/api/v1/audit?from=2026-13-01").error_code(), "invalid_date");
  ApiResponse xlsx = auditor.get("/api/v1/audit/export?username=fc_clerk");
  ASSERT_EQ(xlsx.status, 200);
  EXPECT_EQ(xlsx.body.substr(0, 2), "PK");
  EXPECT_NE(xlsx.header("Content-Type").find("spreadsheetml"), std::string::npos);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'audit.export'"), 1);
  // No route changes or deletes audit rows; the database refuses it too.
  for (const auto& route : server_->router().routes()) {
    EXPECT_FALSE(route.spec.path.starts_with("/api/v1/audit") && route.spec.method != "GET") << route.spec.path;
  }
  Status st = db_->db->transact([](store::Conn& c) -> Status {
    SY_TRY(c.exec("DELETE FROM audit_log"));
    return ok_status();
  });
  EXPECT_FALSE(st.ok());
}

TEST_F(Api, SettingsAreValidatedAndAudited) {
  ApiClient admin = logged_in("admin");
  ApiResponse bad = admin.put("/api/v1/settings", {{"password_min_length", 4}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json["error"]["field"], "password_min_length");
  ApiResponse ok = admin.put("/api/v1/settings", {{"password_min_length", 12}});
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.json["password_min_length"], 12);
  ApiResponse weak = admin.post("/api/v1/users", {{"username", "shortpw"}, {"display_name", "短密码"},
                                                  {"region_code", "140924100000"}, {"password", "Strong#Pas9"}});
  EXPECT_EQ(weak.error_code(), "weak_password");
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'settings.update'"), 1);

  // The settings page reads every field's label, group and range from the server.
  ApiResponse fields = admin.get("/api/v1/settings/fields");
  ASSERT_EQ(fields.status, 200);
  ASSERT_EQ(fields.json["items"].size(), ok.json.size());
  EXPECT_EQ(fields.json["items"][0]["key"], "password_min_length");
  EXPECT_EQ(fields.json["items"][0]["min"], 8);
  EXPECT_EQ(fields.json["items"][0]["label"], "密码最小长度");
  EXPECT_EQ(fields.json["items"].back()["group"], "导入");
  EXPECT_EQ(logged_in("fc_clerk").get("/api/v1/settings/fields").status, 403);
}

TEST_F(Api, SecurityHeadersOnEveryResponse) {
  for (const char* path : {"/healthz", "/api/v1/me", "/", "/system/region"}) {
    ApiResponse r = client().get(path);
    EXPECT_NE(r.header("Content-Security-Policy").find("object-src 'none'"), std::string::npos) << path;
    EXPECT_NE(r.header("Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos) << path;
    EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff") << path;
    EXPECT_FALSE(r.header("Referrer-Policy").empty()) << path;
  }
  EXPECT_EQ(client().get("/api/v1/me").header("Cache-Control"), "no-store");
  EXPECT_EQ(client().get("/assets/missing-file.js").status, 404);
}

TEST_F(Api, WebAssetsAreCompressedOnceAndDecodeToTheOriginal) {
  const embedded::File* biggest = nullptr;
  for (const auto& f : embedded::web()) {
    std::string name = f.name;
    if (name.ends_with(".js") && (!biggest || f.bytes().size() > biggest->bytes().size())) biggest = &f;
  }
  if (!biggest) GTEST_SKIP() << "web app not built into this binary (web/dist missing at build time)";
  httplib::Client c("127.0.0.1", port_);
  c.set_decompress(false);
  auto r = c.Get(std::string("/") + biggest->name, {{"Accept-Encoding", "gzip, deflate, br"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value_count("Content-Encoding"), 1u);
  EXPECT_EQ(r->get_header_value("Content-Encoding"), "gzip");
  EXPECT_LT(r->body.size(), biggest->bytes().size() / 2);
  auto plain = embedded::gunzip(r->body);
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(*plain, biggest->bytes());
  EXPECT_NE(r->get_header_value("Cache-Control").find("immutable"), std::string::npos);
  auto raw = c.Get(std::string("/") + biggest->name);
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->body, biggest->bytes());
  EXPECT_FALSE(raw->has_header("Content-Encoding"));
  auto route = c.Get("/system/region");  // a client-side route gets the app's page
  ASSERT_TRUE(route);
  EXPECT_NE(route->body.find("<div id=\"app\""), std::string::npos);
}

TEST_F(Api, OpenApiDocumentMatchesTheRouter) {
  ApiResponse doc = client().get("/api/v1/openapi.json");
  ASSERT_EQ(doc.status, 200);
  EXPECT_EQ(doc.json["openapi"], "3.0.3");
  std::set<std::string> documented, routed;
  for (auto& [path, ops] : doc.json["paths"].items()) {
    for (auto& [method, op] : ops.items()) documented.insert(method + " " + path);
  }
  for (const auto& r : server_->router().routes()) {
    std::string m = r.spec.method;
    for (auto& ch : m) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    routed.insert(m + " " + r.spec.path);
  }
  EXPECT_EQ(documented, routed);
  // Every documented operation is really served: none answers route_not_found.
  ApiClient c = client();
  for (const auto& op : documented) {
    std::string method = op.substr(0, op.find(' '));
    std::string path = op.substr(op.find(' ') + 1);
    for (size_t b; (b = path.find('{')) != std::string::npos;) path.replace(b, path.find('}') - b + 1, "1");
    for (auto& ch : method) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    ApiResponse r = c.raw(method, path, "{}");
    EXPECT_NE(r.error_code(), "route_not_found") << op;
    EXPECT_GT(r.status, 0) << op;
  }
}

// Opens `n` keep-alive connections that each made one request and then sit idle.
std::vector<int> idle_connections(int port, int n) {
  std::vector<int> fds;
  for (int i = 0; i < n; ++i) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      close(fd);
      continue;
    }
    std::string req = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n";
    if (write(fd, req.data(), req.size()) < 0) {
      close(fd);
      continue;
    }
    char buf[1024];
    if (read(fd, buf, sizeof buf) <= 0) {
      close(fd);
      continue;
    }
    fds.push_back(fd);
  }
  return fds;
}

TEST_F(Api, IdleKeepAliveConnectionsDoNotStarveNewClients) {
  ServerOptions o;
  o.keep_alive_timeout_s = 60;  // the idle clients stay for the whole test: no timeout rescues us
  start(o);
  std::vector<int> idle = idle_connections(port_, 256);
  ASSERT_EQ(idle.size(), 256u);
  httplib::Client fresh("127.0.0.1", port_);
  fresh.set_connection_timeout(2, 0);
  fresh.set_read_timeout(2, 0);
  auto r = fresh.Get("/healthz");
  ASSERT_TRUE(r) << "a new client was not served while 256 idle connections were open";
  EXPECT_EQ(r->status, 200);
  ApiClient c = logged_in("fc_clerk");
  EXPECT_EQ(c.get("/api/v1/me").status, 200);
  for (int fd : idle) close(fd);
}

}  // namespace
}  // namespace sy::http
