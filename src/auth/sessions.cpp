#include "auth/sessions.h"

#include "audit/audit.h"
#include "auth/access_config.h"
#include "auth/password.h"
#include "auth/roles.h"
#include "auth/settings.h"
#include "auth/user_row.h"
#include "core/text.h"

namespace sy::auth {
namespace {

constexpr Millis kThrottleWindowMs = 15 * 60 * 1000;
// last_seen_at is written at most once a minute per session, so reads stay reads.
constexpr Millis kTouchEveryMs = 60 * 1000;

Error bad_credentials() { return make_error("bad_credentials", "用户名或密码错误", "password"); }

// The User-Agent header as stored: at most 300 bytes of well-formed UTF-8. The header holds
// whatever the client sent, and PostgreSQL refuses text that is not UTF-8 (a cut inside a
// character included), which would fail the log-in; other bytes become '?'.
std::string clean_user_agent(std::string_view ua) {
  constexpr size_t kMax = 300;
  std::string out;
  size_t i = 0;
  while (i < ua.size()) {
    auto byte = [&](size_t k) { return static_cast<unsigned char>(ua[i + k]); };
    unsigned char c = byte(0);
    size_t len = 0;
    if (c >= 0x20 && c < 0x7F) len = 1;
    else if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c >= 0xE0 && c <= 0xEF) len = 3;
    else if (c >= 0xF0 && c <= 0xF4) len = 4;
    bool ok = len > 0 && i + len <= ua.size();
    for (size_t k = 1; ok && k < len; ++k) ok = (byte(k) & 0xC0) == 0x80;
    // No overlong forms, UTF-16 surrogates or code points above U+10FFFF.
    if (ok && len >= 3) {
      unsigned char second = byte(1);
      if ((c == 0xE0 && second < 0xA0) || (c == 0xED && second >= 0xA0) ||
          (c == 0xF0 && second < 0x90) || (c == 0xF4 && second >= 0x90)) {
        ok = false;
      }
    }
    size_t take = ok ? len : 1;
    if (out.size() + take > kMax) break;
    if (ok) {
      out.append(ua.substr(i, len));
    } else {
      out.push_back('?');
    }
    i += take;
  }
  return out;
}

std::string minutes_text(Millis ms) {
  long long m = (ms + 59999) / 60000;
  return std::to_string(m < 1 ? 1 : m);
}

}  // namespace

void LoginThrottle::prune(std::deque<Millis>& q, Millis now) {
  while (!q.empty() && q.front() <= now - kThrottleWindowMs) q.pop_front();
}

bool LoginThrottle::blocked(const std::string& ip, Millis now, int max_failures) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = failures_.find(ip);
  if (it == failures_.end()) return false;
  prune(it->second, now);
  return static_cast<int>(it->second.size()) >= max_failures;
}

void LoginThrottle::failed(const std::string& ip, Millis now) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& q = failures_[ip];
  prune(q, now);
  q.push_back(now);
  if (failures_.size() > 100000) failures_.clear();  // bound memory under a spray of addresses
}

void LoginThrottle::clear(const std::string& ip) {
  std::lock_guard<std::mutex> lock(mu_);
  failures_.erase(ip);
}

Result<LoginResult> login(const Context& ctx, LoginThrottle& throttle, const std::string& username,
                          const std::string& password, const std::string& user_agent) {
  const std::string& ip = ctx.actor.ip;
  Millis now = ctx.now();
  if (trim_ascii(username).empty()) return make_error("username_required", "请输入用户名", "username");
  if (password.empty()) return make_error("password_required", "请输入密码", "password");
  if (username.size() > 64 || password.size() > 256) return bad_credentials();
  SY_ASSIGN(Settings settings, load_settings(ctx.db));

  Context as_user = ctx;
  as_user.actor.username = username;
  auto fail = [&](const std::string& detail, std::optional<std::int64_t> user_id = std::nullopt,
                  const std::string& region = {}) {
    Context c = as_user;
    if (user_id) c.actor.user_id = *user_id;
    (void)audit::record_now(c, audit::Entry{.action = "session.login_failed",
                                            .entity = "user",
                                            .entity_id = user_id ? std::to_string(*user_id) : "",
                                            .region_code = region,
                                            .result = "failed",
                                            .detail = detail});
  };

  if (throttle.blocked(ip, now, settings.ip_max_failures)) {
    fail("来源IP登录失败次数过多，已限流");
    return make_error("too_many_attempts", "登录失败次数过多，请15分钟后再试");
  }

  SY_ASSIGN(auto row, [&]() -> Result<std::optional<store::Row>> {
    std::optional<store::Row> r;
    SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
      SY_ASSIGN(r, c.query_one("SELECT id, password_hash, status, locked_until, failed_logins, "
                               "region_code, must_change_password, password_changed_at FROM users "
                               "WHERE lower(username) = lower(?)",
                               {username}));
      return ok_status();
    }));
    return r;
  }());

  if (!row) {
    verify_dummy(password);
    throttle.failed(ip, now);
    fail("用户不存在");
    return bad_credentials();
  }
  std::int64_t user_id = row->i64(0);
  std::string region = row->str(5);
  auto locked_until = row->opt_i64(3);
  if (locked_until && *locked_until > now) {
    throttle.failed(ip, now);
    fail("账户已锁定", user_id, region);
    return make_error("account_locked",
                      "密码错误次数过多，账户已锁定，请 " + minutes_text(*locked_until - now) +
                          " 分钟后再试或联系安全管理员解锁");
  }
  if (!verify_password(row->str(1), password)) {
    throttle.failed(ip, now);
    bool locked = false;
    SY_TRY(ctx.db.transact([&](store::Conn& tx) -> Status {
      SY_TRY(tx.exec("UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ?", {user_id}));
      SY_ASSIGN(std::int64_t failures,
                tx.query_int("SELECT failed_logins FROM users WHERE id = ?", {user_id}));
      if (failures >= settings.lockout_threshold) {
        locked = true;
        SY_TRY(tx.exec("UPDATE users SET failed_logins = 0, locked_until = ? WHERE id = ?",
                       {now + settings.lockout_minutes * 60000LL, user_id}));
        Context c = as_user;
        c.actor.user_id = user_id;
        SY_TRY(audit::record(tx, c,
                             audit::Entry{.action = "user.locked",
                                          .entity = "user",
                                          .entity_id = std::to_string(user_id),
                                          .region_code = region,
                                          .result = "failed",
                                          .detail = "连续 " + std::to_string(failures) +
                                                    " 次密码错误，锁定 " +
                                                    std::to_string(settings.lockout_minutes) + " 分钟"}));
      }
      return ok_status();
    }));
    fail("密码错误", user_id, region);
    if (locked) {
      return make_error("account_locked", "密码错误次数过多，账户已锁定 " +
                                              std::to_string(settings.lockout_minutes) + " 分钟");
    }
    return bad_credentials();
  }
  if (row->str(2) != "active") {
    fail("账户已停用", user_id, region);
    return make_error("account_disabled", "该账户已停用，请联系系统管理员");
  }

  LoginResult out;
  out.token = random_token();
  out.csrf_token = random_token();
  out.session_id = ctx.ids.next();
  bool expired_password = settings.password_expiry_days > 0 &&
                          row->i64(7) + settings.password_expiry_days * 86400000LL < now;
  out.must_change_password = row->i64(6) != 0 || expired_password;
  Context c = as_user;
  c.actor.user_id = user_id;
  SY_TRY(ctx.db.transact([&](store::Conn& tx) -> Status {
    SY_TRY(tx.exec("UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = ?, "
                   "last_login_ip = ?, must_change_password = ? WHERE id = ?",
                   {now, ip, out.must_change_password, user_id}));
    SY_TRY(tx.exec("INSERT INTO sessions (id, token_hash, csrf_token, user_id, ip, user_agent, "
                   "created_at, last_seen_at) VALUES (?,?,?,?,?,?,?,?)",
                   {out.session_id, token_hash(out.token), out.csrf_token, user_id, ip,
                    clean_user_agent(user_agent), now, now}));
    return audit::record(tx, c,
                         audit::Entry{.action = "session.login",
                                      .entity = "session",
                                      .entity_id = std::to_string(out.session_id),
                                      .region_code = region,
                                      .detail = expired_password ? "密码已过期，须修改" : ""});
  }));
  SY_ASSIGN(out.user, get_own_user(c));
  return out;
}

Result<SessionInfo> authenticate(const Context& ctx, const std::string& token) {
  if (token.empty() || token.size() > 100) {
    return make_error("unauthenticated", "未登录或会话已失效，请重新登录");
  }
  // One statement: the session, its user's whole record (for /me) and the config version that
  // says whether the cached settings and permissions are current.
  static const std::string kQuery =
      std::string("SELECT s.id, s.csrf_token, s.created_at, s.last_seen_at, s.ended_at, ") +
      kConfigVersionColumn + ", " + kUserColumns +
      " FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN regions r ON r.code = "
      "u.region_code WHERE s.token_hash = ?";
  constexpr size_t kUserFirst = 6;
  Millis now = ctx.now();
  SessionInfo info;
  std::optional<store::Row> row;
  std::shared_ptr<const AccessConfig> config;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(row, c.query_one(kQuery, {token_hash(token)}));
    if (!row) return ok_status();
    SY_ASSIGN(config, access_config(ctx.db, c, row->i64(5)));
    return ok_status();
  }));
  if (!row || !row->is_null(4)) {
    return make_error("unauthenticated", "未登录或会话已失效，请重新登录");
  }
  info.user = user_from_row(*row, kUserFirst);
  if (info.user.status != "active") {
    return make_error("unauthenticated", "未登录或会话已失效，请重新登录");
  }
  info.session_id = row->i64(0);
  info.csrf_token = row->str(1);
  info.config_version = config->version;
  const Settings& settings = config->settings;
  Millis created = row->i64(2), last_seen = row->i64(3);
  const char* expired = nullptr;
  if (now - last_seen > settings.session_idle_minutes * 60000LL) expired = "idle";
  if (now - created > settings.session_absolute_hours * 3600000LL) expired = "absolute";
  Actor& a = info.actor;
  a.user_id = info.user.id;
  a.username = info.user.username;
  a.display_name = info.user.display_name;
  a.region_code = info.user.region_code;
  a.ip = ctx.actor.ip;
  a.roles = info.user.roles;
  for (const auto& r : a.roles) {
    auto it = config->role_permissions.find(r);
    if (it != config->role_permissions.end()) a.permissions.insert(it->second.begin(), it->second.end());
  }
  if (expired) {
    Context c = ctx;
    c.actor = a;
    SY_TRY(ctx.db.transact([&](store::Conn& tx) -> Status {
      SY_ASSIGN(std::int64_t n, tx.exec("UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ? "
                                        "AND ended_at IS NULL",
                                        {now, expired, info.session_id}));
      if (n == 0) return ok_status();
      return audit::record(tx, c,
                           audit::Entry{.action = "session.expired",
                                        .entity = "session",
                                        .entity_id = std::to_string(info.session_id),
                                        .region_code = a.region_code,
                                        .detail = std::string(expired) == "idle" ? "空闲超时"
                                                                                 : "超过最长会话时间"});
    }));
    return make_error("session_expired", "会话已超时，请重新登录");
  }
  info.must_change_password = info.user.must_change_password;
  if (now - last_seen >= kTouchEveryMs) {
    SY_TRY(ctx.db.transact([&](store::Conn& tx) -> Status {
      SY_TRY(tx.exec("UPDATE sessions SET last_seen_at = ? WHERE id = ?", {now, info.session_id}));
      return ok_status();
    }));
  }
  return info;
}

Status logout(const Context& ctx, std::int64_t session_id) {
  return audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    SY_TRY(tx.exec("UPDATE sessions SET ended_at = ?, end_reason = 'logout' WHERE id = ? AND "
                   "ended_at IS NULL",
                   {ctx.now(), session_id}));
    entry = audit::Entry{.action = "session.logout",
                         .entity = "session",
                         .entity_id = std::to_string(session_id),
                         .region_code = ctx.actor.region_code};
    return ok_status();
  });
}

Result<LoginCounts> count_today(const Context& ctx) {
  LoginCounts out;
  Millis now = ctx.now();
  Millis local = now + kShanghaiOffsetMs;
  Millis day_start = local - ((local % 86400000) + 86400000) % 86400000 - kShanghaiOffsetMs;
  store::Params p = {day_start, store::like_prefix(ctx.actor.scope_prefix())};
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    const char* scope = " AND (region_code LIKE ? ESCAPE '\\' OR region_code = '')";
    SY_ASSIGN(out.logins_today,
              c.query_int(std::string("SELECT count(*) FROM audit_log WHERE at >= ? AND action = "
                                      "'session.login'") + scope, p));
    SY_ASSIGN(out.failed_today,
              c.query_int(std::string("SELECT count(*) FROM audit_log WHERE at >= ? AND action = "
                                      "'session.login_failed'") + scope, p));
    SY_ASSIGN(out.audit_today,
              c.query_int(std::string("SELECT count(*) FROM audit_log WHERE at >= ?") + scope, p));
    return ok_status();
  }));
  return out;
}

}  // namespace sy::auth
