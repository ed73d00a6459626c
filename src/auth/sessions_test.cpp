#include "auth/sessions.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "audit/audit.h"
#include "auth/password.h"
#include "auth/roles.h"
#include "auth/settings.h"
#include "store/migrate.h"
#include "test_support.h"

namespace sy::auth {
namespace {

constexpr const char* kCounty = "140924000000";    // 繁峙县
constexpr const char* kFancheng = "140924100000";  // 繁城镇
constexpr const char* kPassword = "Fanshi#2026";
constexpr Millis kMinute = 60 * 1000;
constexpr Millis kHour = 60 * kMinute;
constexpr Millis kDay = 24 * kHour;

class SessionsTest : public ::testing::Test {
 protected:
  SessionsTest() : clock_(sy::testing::test_now()), ids_(clock_, 1) {}
  void SetUp() override {
    t_ = sy::testing::make_test_db();
    ASSERT_TRUE(store::migrate(db()).ok());
    Millis now = clock_.now_ms();
    ASSERT_TRUE(db().transact([&](store::Conn& tx) -> Status {
      SY_TRY(seed_roles(tx, now));
      SY_TRY(tx.exec("INSERT INTO regions (code, name, short_name, level, parent_code, created_at, "
                     "updated_at) VALUES (?,?,?,?,?,?,?)",
                     {kCounty, "繁峙县", "繁峙县", "county", nullptr, now, now}));
      SY_TRY(tx.exec("INSERT INTO regions (code, name, short_name, level, parent_code, created_at, "
                     "updated_at) VALUES (?,?,?,?,?,?,?)",
                     {kFancheng, "繁城镇", "繁城镇", "township", kCounty, now, now}));
      return ok_status();
    }).ok());
    clerk_ = make("fc_clerk", {"clerk"});
  }
  store::Db& db() { return *t_->db; }
  Context sys() { return Context{db(), clock_, ids_, Actor::system_actor("init")}; }
  Context from_ip(const std::string& ip = "10.0.0.50") {
    Actor a;
    a.ip = ip;
    return Context{db(), clock_, ids_, a};
  }
  // The context a request of this session runs in.
  Context in_session(const SessionInfo& s) { return Context{db(), clock_, ids_, s.actor}; }

  User make(const std::string& username, std::vector<std::string> roles, bool must_change = false) {
    auto u = create_user(sys(), NewUser{.username = username,
                                        .display_name = "李明",
                                        .region_code = kFancheng,
                                        .password = kPassword,
                                        .roles = std::move(roles),
                                        .must_change_password = must_change});
    EXPECT_TRUE(u.ok()) << u.error().message;
    return u.ok() ? *u : User{};
  }
  Result<LoginResult> try_login(const std::string& password, const std::string& ip = "10.0.0.50",
                                const std::string& username = "fc_clerk") {
    return login(from_ip(ip), throttle_, username, password, "Mozilla/5.0 测试");
  }
  LoginResult must_login(const std::string& password = kPassword) {
    auto r = try_login(password);
    EXPECT_TRUE(r.ok()) << r.error().code;
    return r.ok() ? *r : LoginResult{};
  }
  std::string auth_code(const std::string& token) {
    auto r = authenticate(from_ip(), token);
    return r.ok() ? "ok" : r.error().code;
  }
  std::optional<store::Row> session_row(std::int64_t id) {
    std::optional<store::Row> row;
    EXPECT_TRUE(db().read([&](store::Conn& c) -> Status {
      SY_ASSIGN(row, c.query_one("SELECT ended_at, end_reason, last_seen_at FROM sessions WHERE id = ?",
                                 {id}));
      return ok_status();
    }).ok());
    return row;
  }
  std::string end_reason(std::int64_t session_id) {
    auto row = session_row(session_id);
    return row ? row->str(1) : "<no session>";
  }
  std::vector<audit::Row> audit_for(const std::string& action) {
    auto page = audit::search(sys(), audit::Query{.action = action, .page = {.page = 1, .size = 100}});
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->items : std::vector<audit::Row>{};
  }
  void set(const nlohmann::json& changes) {
    auto r = update_settings(sys(), changes);
    ASSERT_TRUE(r.ok()) << r.error().message;
  }

  FixedClock clock_;
  IdGenerator ids_;
  LoginThrottle throttle_;
  std::unique_ptr<sy::testing::TestDb> t_;
  User clerk_;
};

TEST_F(SessionsTest, LoginOpensASessionThatAuthenticates) {
  auto r = try_login(kPassword);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->token.size(), 43u);
  EXPECT_EQ(r->csrf_token.size(), 43u);
  EXPECT_NE(r->token, r->csrf_token);
  EXPECT_GT(r->session_id, 0);
  EXPECT_FALSE(r->must_change_password);
  EXPECT_EQ(r->user.username, "fc_clerk");
  EXPECT_EQ(r->user.last_login_at, sy::testing::test_now());
  EXPECT_EQ(r->user.last_login_ip, "10.0.0.50");

  auto info = authenticate(from_ip("10.0.0.51"), r->token);
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->session_id, r->session_id);
  EXPECT_EQ(info->csrf_token, r->csrf_token);
  EXPECT_FALSE(info->must_change_password);
  EXPECT_EQ(info->actor.user_id, clerk_.id);
  EXPECT_EQ(info->actor.username, "fc_clerk");
  EXPECT_EQ(info->actor.region_code, kFancheng);
  EXPECT_EQ(info->actor.ip, "10.0.0.51");
  EXPECT_EQ(info->actor.roles, (std::vector<std::string>{"clerk"}));
  EXPECT_TRUE(info->actor.has("business:write"));
  EXPECT_FALSE(info->actor.has("user:manage"));
  EXPECT_FALSE(info->actor.system);

  auto rows = audit_for("session.login");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].username, "fc_clerk");
  EXPECT_EQ(rows[0].user_id, clerk_.id);
  EXPECT_EQ(rows[0].ip, "10.0.0.50");
  EXPECT_EQ(rows[0].entity_id, std::to_string(r->session_id));
}

TEST_F(SessionsTest, TokenIsStoredOnlyAsItsHash) {
  LoginResult r = must_login();
  ASSERT_FALSE(r.token.empty());
  ASSERT_TRUE(db().read([&](store::Conn& c) -> Status {
    SY_ASSIGN(store::Rows rows, c.query("SELECT * FROM sessions"));
    EXPECT_EQ(rows.size(), 1u);
    for (const auto& row : rows) {
      for (size_t i = 0; i < row.size(); ++i) {
        EXPECT_EQ(row.str(i).find(r.token), std::string::npos) << "column " << i;
      }
    }
    SY_ASSIGN(auto hashed, c.query_one("SELECT token_hash FROM sessions WHERE id = ?", {r.session_id}));
    EXPECT_TRUE(hashed.has_value());
    if (hashed) {
      EXPECT_EQ(hashed->str(0), token_hash(r.token));
    }
    // Nor does the audit log hold it.
    SY_ASSIGN(store::Rows audit_rows, c.query("SELECT * FROM audit_log"));
    for (const auto& row : audit_rows) {
      for (size_t i = 0; i < row.size(); ++i) {
        EXPECT_EQ(row.str(i).find(r.token), std::string::npos) << "audit column " << i;
      }
    }
    return ok_status();
  }).ok());
}

TEST_F(SessionsTest, NewTokenAtEveryLogin) {
  LoginResult a = must_login(), b = must_login();
  EXPECT_NE(a.token, b.token);
  EXPECT_NE(a.csrf_token, b.csrf_token);
  EXPECT_NE(a.session_id, b.session_id);
  EXPECT_EQ(auth_code(a.token), "ok");
  EXPECT_EQ(auth_code(b.token), "ok");
}

TEST_F(SessionsTest, UnknownUserAndWrongPasswordLookTheSame) {
  auto unknown = try_login(kPassword, "10.0.0.50", "nobody");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, "bad_credentials");
  auto wrong = try_login("Wrong#pass1");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, "bad_credentials");
  EXPECT_EQ(unknown.error().message, wrong.error().message);
  EXPECT_EQ(unknown.error().field, wrong.error().field);

  auto failed = audit_for("session.login_failed");
  ASSERT_EQ(failed.size(), 2u);
  for (const auto& row : failed) EXPECT_EQ(row.result, "failed");
  EXPECT_EQ(failed[1].username, "nobody");
  EXPECT_FALSE(failed[1].user_id.has_value());
  EXPECT_EQ(failed[0].username, "fc_clerk");
  EXPECT_EQ(failed[0].user_id, clerk_.id);
}

TEST_F(SessionsTest, EmptyOrOversizedInput) {
  EXPECT_EQ(try_login(kPassword, "10.0.0.50", "  ").error().code, "username_required");
  EXPECT_EQ(try_login("").error().code, "password_required");
  EXPECT_EQ(try_login(std::string(300, 'x')).error().code, "bad_credentials");
  EXPECT_EQ(auth_code(""), "unauthenticated");
  EXPECT_EQ(auth_code("not-a-token"), "unauthenticated");
  EXPECT_EQ(auth_code(std::string(200, 'a')), "unauthenticated");
}

TEST_F(SessionsTest, FiveWrongPasswordsLockForFifteenMinutes) {
  for (int i = 1; i <= 4; ++i) {
    auto r = try_login("Wrong#pass1");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "bad_credentials") << i;
  }
  auto fifth = try_login("Wrong#pass1");
  ASSERT_FALSE(fifth.ok());
  EXPECT_EQ(fifth.error().code, "account_locked");
  ASSERT_EQ(audit_for("user.locked").size(), 1u);

  // Locked: the right password does not help.
  auto locked = try_login(kPassword);
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.error().code, "account_locked");
  clock_.advance_ms(14 * kMinute);
  auto still = try_login(kPassword);
  ASSERT_FALSE(still.ok());
  EXPECT_EQ(still.error().code, "account_locked");
  EXPECT_NE(still.error().message.find("1 分钟"), std::string::npos) << still.error().message;

  clock_.advance_ms(kMinute);  // 15 minutes after the lock
  auto after = try_login(kPassword);
  ASSERT_TRUE(after.ok()) << after.error().code;
  EXPECT_FALSE(after->user.locked_until.has_value());
}

TEST_F(SessionsTest, SuccessResetsTheFailureCount) {
  for (int i = 0; i < 4; ++i) EXPECT_EQ(try_login("Wrong#pass1").error().code, "bad_credentials");
  must_login();
  for (int i = 0; i < 4; ++i) EXPECT_EQ(try_login("Wrong#pass1").error().code, "bad_credentials");
  EXPECT_TRUE(try_login(kPassword).ok());
}

TEST_F(SessionsTest, LockoutFollowsSettings) {
  set({{"lockout_threshold", 3}, {"lockout_minutes", 60}});
  EXPECT_EQ(try_login("Wrong#pass1").error().code, "bad_credentials");
  EXPECT_EQ(try_login("Wrong#pass1").error().code, "bad_credentials");
  EXPECT_EQ(try_login("Wrong#pass1").error().code, "account_locked");
  clock_.advance_ms(59 * kMinute);
  EXPECT_EQ(try_login(kPassword).error().code, "account_locked");
  clock_.advance_ms(kMinute);
  EXPECT_TRUE(try_login(kPassword).ok());
}

TEST_F(SessionsTest, PerIpThrottle) {
  set({{"ip_max_failures", 5}});
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(try_login(kPassword, "10.9.9.9", "nobody" + std::to_string(i)).error().code,
              "bad_credentials");
  }
  // Refused before any password check, even with the right one.
  auto blocked = try_login(kPassword, "10.9.9.9");
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error().code, "too_many_attempts");
  auto throttled_rows = audit_for("session.login_failed");
  ASSERT_FALSE(throttled_rows.empty());
  EXPECT_EQ(throttled_rows[0].ip, "10.9.9.9");
  EXPECT_NE(throttled_rows[0].detail.find("限流"), std::string::npos);

  // Other addresses are unaffected, and the account itself was not locked.
  EXPECT_TRUE(try_login(kPassword, "10.0.0.77").ok());
  // The window slides: 15 minutes after the failures, the address may try again.
  clock_.advance_ms(14 * kMinute);
  EXPECT_EQ(try_login(kPassword, "10.9.9.9").error().code, "too_many_attempts");
  clock_.advance_ms(kMinute);
  EXPECT_TRUE(try_login(kPassword, "10.9.9.9").ok());
}

TEST_F(SessionsTest, DisabledAccount) {
  User admin = make("admin", {"sys_admin"});
  Actor a;
  a.user_id = admin.id;
  a.username = "admin";
  a.region_code = admin.region_code;
  for (const auto& p : find_role("sys_admin")->default_permissions) a.permissions.insert(p);
  ASSERT_TRUE(disable_user(Context{db(), clock_, ids_, a}, clerk_.id, "调离", 1).ok());
  auto r = try_login(kPassword);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "account_disabled");
  // A wrong password on a disabled account gives nothing away.
  EXPECT_EQ(try_login("Wrong#pass1").error().code, "bad_credentials");
}

TEST_F(SessionsTest, IdleTimeout) {
  LoginResult r = must_login();
  clock_.advance_ms(29 * kMinute);
  EXPECT_EQ(auth_code(r.token), "ok");  // use keeps the session alive
  clock_.advance_ms(30 * kMinute);      // exactly 30 idle minutes: still alive
  EXPECT_EQ(auth_code(r.token), "ok");
  clock_.advance_ms(30 * kMinute + 1);
  EXPECT_EQ(auth_code(r.token), "session_expired");
  EXPECT_EQ(end_reason(r.session_id), "idle");
  EXPECT_EQ(auth_code(r.token), "unauthenticated");
  auto rows = audit_for("session.expired");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].entity_id, std::to_string(r.session_id));
  EXPECT_EQ(rows[0].username, "fc_clerk");
}

TEST_F(SessionsTest, IdleTimeoutFollowsSettings) {
  set({{"session_idle_minutes", 5}});
  LoginResult r = must_login();
  clock_.advance_ms(5 * kMinute);
  EXPECT_EQ(auth_code(r.token), "ok");
  clock_.advance_ms(5 * kMinute + 1);
  EXPECT_EQ(auth_code(r.token), "session_expired");
}

TEST_F(SessionsTest, AbsoluteTimeoutEvenWithActivity) {
  LoginResult r = must_login();
  // Active every 20 minutes for 12 hours.
  for (int i = 1; i <= 36; ++i) {
    clock_.advance_ms(20 * kMinute);
    ASSERT_EQ(auth_code(r.token), "ok") << "after " << i * 20 << " minutes";
  }
  clock_.advance_ms(1);
  EXPECT_EQ(auth_code(r.token), "session_expired");
  EXPECT_EQ(end_reason(r.session_id), "absolute");
  // A new log-in works and starts a new 12 hours.
  LoginResult again = must_login();
  EXPECT_EQ(auth_code(again.token), "ok");
}

TEST_F(SessionsTest, LastSeenIsWrittenAtMostOnceAMinute) {
  LoginResult r = must_login();
  clock_.advance_ms(30 * 1000);
  EXPECT_EQ(auth_code(r.token), "ok");
  EXPECT_EQ(session_row(r.session_id)->i64(2), sy::testing::test_now());
  clock_.advance_ms(30 * 1000);
  EXPECT_EQ(auth_code(r.token), "ok");
  EXPECT_EQ(session_row(r.session_id)->i64(2), sy::testing::test_now() + kMinute);
}

TEST_F(SessionsTest, LogoutEndsTheSession) {
  LoginResult r = must_login();
  LoginResult other = must_login();
  auto info = authenticate(from_ip(), r.token);
  ASSERT_TRUE(info.ok());
  Status out = logout(in_session(*info), info->session_id);
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(auth_code(r.token), "unauthenticated");
  EXPECT_EQ(end_reason(r.session_id), "logout");
  EXPECT_EQ(auth_code(other.token), "ok");  // only this session ends
  auto rows = audit_for("session.logout");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].username, "fc_clerk");
  EXPECT_EQ(rows[0].entity_id, std::to_string(r.session_id));
}

TEST_F(SessionsTest, MustChangePasswordAfterReset) {
  User admin = make("admin", {"sys_admin"});
  Actor a;
  a.user_id = admin.id;
  a.username = "admin";
  a.region_code = admin.region_code;
  for (const auto& p : find_role("sys_admin")->default_permissions) a.permissions.insert(p);
  ASSERT_TRUE(reset_password(Context{db(), clock_, ids_, a}, clerk_.id, "Reset#2026x").ok());

  LoginResult r = must_login("Reset#2026x");
  EXPECT_TRUE(r.must_change_password);
  auto info = authenticate(from_ip(), r.token);
  ASSERT_TRUE(info.ok());
  EXPECT_TRUE(info->must_change_password);

  Status changed = change_own_password(in_session(*info), "Reset#2026x", "Changed#2026y", r.session_id);
  ASSERT_TRUE(changed.ok()) << changed.error().message;
  auto after = authenticate(from_ip(), r.token);
  ASSERT_TRUE(after.ok());
  EXPECT_FALSE(after->must_change_password);
  EXPECT_FALSE(must_login("Changed#2026y").must_change_password);
}

TEST_F(SessionsTest, ChangeOwnPasswordEndsOtherSessionsButKeepsThisOne) {
  LoginResult mine = must_login();
  LoginResult phone = must_login();
  auto info = authenticate(from_ip(), mine.token);
  ASSERT_TRUE(info.ok());
  Context me = in_session(*info);

  Status wrong_old = change_own_password(me, "Wrong#pass1", "Changed#2026y", mine.session_id);
  ASSERT_FALSE(wrong_old.ok());
  EXPECT_EQ(wrong_old.error().code, "wrong_password");
  EXPECT_EQ(wrong_old.error().field, "old_password");
  Status same = change_own_password(me, kPassword, kPassword, mine.session_id);
  ASSERT_FALSE(same.ok());
  EXPECT_EQ(same.error().code, "weak_password");
  Status weak = change_own_password(me, kPassword, "abc", mine.session_id);
  ASSERT_FALSE(weak.ok());
  EXPECT_EQ(weak.error().code, "weak_password");
  EXPECT_EQ(weak.error().field, "new_password");
  EXPECT_EQ(auth_code(phone.token), "ok");

  Status ok = change_own_password(me, kPassword, "Changed#2026y", mine.session_id);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(auth_code(mine.token), "ok");
  EXPECT_EQ(auth_code(phone.token), "unauthenticated");
  EXPECT_EQ(end_reason(phone.session_id), "password_changed");
  EXPECT_EQ(try_login(kPassword).error().code, "bad_credentials");
  EXPECT_TRUE(try_login("Changed#2026y").ok());
  EXPECT_EQ(audit_for("user.change_password").size(), 1u);

  Context nobody = from_ip();
  EXPECT_EQ(change_own_password(nobody, kPassword, "Other#2026z", 0).error().code, "unauthenticated");
}

TEST_F(SessionsTest, PasswordExpiryForcesAChange) {
  set({{"password_expiry_days", 90}});
  clock_.advance_ms(89 * kDay);
  EXPECT_FALSE(must_login().must_change_password);
  clock_.advance_ms(2 * kDay);
  LoginResult r = must_login();
  EXPECT_TRUE(r.must_change_password);
  auto info = authenticate(from_ip(), r.token);
  ASSERT_TRUE(info.ok());
  EXPECT_TRUE(info->must_change_password);
  auto rows = audit_for("session.login");
  ASSERT_FALSE(rows.empty());
  EXPECT_NE(rows[0].detail.find("过期"), std::string::npos);

  // A change restarts the clock.
  ASSERT_TRUE(change_own_password(in_session(*info), kPassword, "Changed#2026y", r.session_id).ok());
  EXPECT_FALSE(must_login("Changed#2026y").must_change_password);
}

TEST_F(SessionsTest, ExpiryOffByDefault) {
  clock_.advance_ms(3650 * kDay);
  EXPECT_FALSE(must_login().must_change_password);
}

// Whether `s` is well-formed UTF-8 (what PostgreSQL accepts as text).
bool valid_utf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
                            : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

TEST_F(SessionsTest, UserAgentIsKeptShortAndValid) {
  // The header is whatever the client sent: a long one cut inside a character, or bytes that are
  // not UTF-8 at all, must not make the log-in fail on either backend.
  for (const std::string& ua : {std::string(299, 'a') + "浏览器", std::string("Bad\xff\xfe\xc3(agent"),
                                std::string("Mozilla/5.0 (X11) 火狐")}) {
    auto r = login(from_ip(), throttle_, "fc_clerk", kPassword, ua);
    ASSERT_TRUE(r.ok()) << r.error().code << " " << r.error().message;
    ASSERT_TRUE(db().read([&](store::Conn& c) -> Status {
      SY_ASSIGN(auto row, c.query_one("SELECT user_agent FROM sessions WHERE id = ?", {r->session_id}));
      EXPECT_TRUE(row.has_value());
      if (row) {
        std::string stored = row->str(0);
        EXPECT_LE(stored.size(), 300u);
        EXPECT_TRUE(valid_utf8(stored)) << stored;
        EXPECT_TRUE(stored.starts_with(ua.substr(0, 3)));
        if (valid_utf8(ua) && ua.size() <= 300) {
          EXPECT_EQ(stored, ua);
        }
      }
      return ok_status();
    }).ok());
  }
}

TEST_F(SessionsTest, CountsToday) {
  must_login();
  (void)try_login("Wrong#pass1");
  Actor county;
  county.user_id = 1;
  county.region_code = kCounty;
  auto counts = count_today(Context{db(), clock_, ids_, county});
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->logins_today, 1);
  EXPECT_EQ(counts->failed_today, 1);
  EXPECT_GE(counts->audit_today, 2);
  clock_.advance_ms(kDay);
  auto tomorrow = count_today(Context{db(), clock_, ids_, county});
  ASSERT_TRUE(tomorrow.ok());
  EXPECT_EQ(tomorrow->logins_today, 0);
}

TEST_F(SessionsTest, AuthenticateCarriesTheWholeUserRecord) {
  auto r = must_login();
  auto info = authenticate(from_ip(), r.token);
  ASSERT_TRUE(info.ok()) << info.error().message;
  auto own = get_own_user(in_session(*info));
  ASSERT_TRUE(own.ok());
  EXPECT_EQ(user_to_json(info->user), user_to_json(*own));
  EXPECT_EQ(info->user.region_name, "繁城镇");
  EXPECT_GT(info->config_version, 0);
}

TEST_F(SessionsTest, RolePermissionChangeAppliesToTheNextAuthenticate) {
  auto r = must_login();
  auto before = authenticate(from_ip(), r.token);  // caches the permissions
  ASSERT_TRUE(before.ok());
  EXPECT_TRUE(before->actor.has("business:write"));
  auto roles = list_roles(sys());
  ASSERT_TRUE(roles.ok());
  int version = 0;
  for (const auto& role : *roles) {
    if (role.code == "clerk") version = role.version;
  }
  auto changed = update_role_permissions(sys(), "clerk", {"dashboard:read", "business:read"}, version);
  ASSERT_TRUE(changed.ok()) << changed.error().message;
  auto after = authenticate(from_ip(), r.token);
  ASSERT_TRUE(after.ok());
  EXPECT_FALSE(after->actor.has("business:write"));
  EXPECT_TRUE(after->actor.has("business:read"));
  EXPECT_EQ(after->actor.permissions, (std::set<std::string, std::less<>>{"dashboard:read", "business:read"}));
  EXPECT_GT(after->config_version, before->config_version);
}

TEST_F(SessionsTest, SettingChangeAppliesToTheNextAuthenticate) {
  auto r = must_login();
  clock_.advance_ms(10 * kMinute);
  EXPECT_EQ(auth_code(r.token), "ok");  // caches the settings: 30 idle minutes
  clock_.advance_ms(10 * kMinute);
  set({{"session_idle_minutes", 5}});
  EXPECT_EQ(auth_code(r.token), "session_expired");
  EXPECT_EQ(end_reason(r.session_id), "idle");
}

// The command line runs in another process with its own connections; a second Db on the same
// database stands in for it, and plain SQL for a hand-made fix.
TEST_F(SessionsTest, ChangesFromAnotherProcessApplyToTheNextAuthenticate) {
  auto r = must_login();
  ASSERT_EQ(auth_code(r.token), "ok");
  auto other = store::Db::open(t_->url);
  ASSERT_TRUE(other.ok()) << other.error().message;
  ASSERT_TRUE((*other)->transact([](store::Conn& tx) -> Status {
    SY_TRY(tx.exec("UPDATE roles SET permissions = 'dashboard:read' WHERE code = 'clerk'"));
    return ok_status();
  }).ok());
  auto info = authenticate(from_ip(), r.token);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->actor.permissions, (std::set<std::string, std::less<>>{"dashboard:read"}));

  clock_.advance_ms(3 * kMinute);
  ASSERT_EQ(auth_code(r.token), "ok");
  ASSERT_TRUE((*other)->transact([](store::Conn& tx) -> Status {
    SY_TRY(tx.exec("INSERT INTO settings (key, value, updated_at) VALUES ('session_idle_minutes', "
                   "'2', 0)"));
    return ok_status();
  }).ok());
  clock_.advance_ms(3 * kMinute);
  EXPECT_EQ(auth_code(r.token), "session_expired");
}

TEST(LoginThrottleTest, SlidingWindowPerAddress) {
  LoginThrottle t;
  Millis now = sy::testing::test_now();
  for (int i = 0; i < 3; ++i) t.failed("a", now + i * kMinute);
  EXPECT_TRUE(t.blocked("a", now + 3 * kMinute, 3));
  EXPECT_FALSE(t.blocked("a", now + 3 * kMinute, 4));
  EXPECT_FALSE(t.blocked("b", now + 3 * kMinute, 1));
  // The first failure leaves the window 15 minutes after it.
  EXPECT_FALSE(t.blocked("a", now + 15 * kMinute, 3));
  t.clear("a");
  EXPECT_FALSE(t.blocked("a", now + 15 * kMinute, 1));
}

}  // namespace
}  // namespace sy::auth
