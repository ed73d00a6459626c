// Log-in sessions (身份鉴别): log-in with lockout and per-IP throttling, server-side sessions,
// log-out.
//
// Contract:
// - Tokens are 256-bit random; only their SHA-256 is stored. A new token at every log-in.
// - A session ends after `session_idle_minutes` without use or `session_absolute_hours` after
//   log-in, at log-out, when the user is disabled, their password is reset or roles change.
// - `lockout_threshold` wrong passwords in a row lock the account for `lockout_minutes`; an IP with
//   `ip_max_failures` failures in 15 minutes is refused (`too_many_attempts`) before any password
//   check. Every success, failure, lock and log-out is audited.
// - Unknown user and wrong password give the same answer, in about the same time.
// - `authenticate` uses the cached settings and role permissions of auth/access_config.h, which
//   follow every committed change from the next request on.
#pragma once

#include <deque>
#include <map>
#include <mutex>
#include <string>

#include "audit/context.h"
#include "auth/users.h"
#include "core/result.h"

namespace sy::auth {

// Failed log-ins per client IP in a sliding 15-minute window. Shared by all requests of a server.
class LoginThrottle {
 public:
  bool blocked(const std::string& ip, Millis now, int max_failures);
  void failed(const std::string& ip, Millis now);
  void clear(const std::string& ip);

 private:
  void prune(std::deque<Millis>& q, Millis now);
  std::mutex mu_;
  std::map<std::string, std::deque<Millis>> failures_;
};

struct LoginResult {
  std::string token;  // for the cookie; never stored
  std::string csrf_token;
  std::int64_t session_id = 0;
  User user;
  bool must_change_password = false;
};

// ctx.actor is anonymous and carries the client IP.
Result<LoginResult> login(const Context& ctx, LoginThrottle& throttle, const std::string& username,
                          const std::string& password, const std::string& user_agent);

struct SessionInfo {
  std::int64_t session_id = 0;
  std::string csrf_token;
  bool must_change_password = false;
  Actor actor;
  User user;  // the user's record as get_own_user returns it, read with the session
  std::int64_t config_version = 0;  // of settings, roles and regions when the session was read
};

// Resolves a cookie token to its session and actor, or `unauthenticated` / `session_expired`.
// One database statement when settings and role permissions are cached and current (see
// auth/access_config.h); a change to either applies from the next request on.
Result<SessionInfo> authenticate(const Context& ctx, const std::string& token);
Status logout(const Context& ctx, std::int64_t session_id);

struct LoginCounts {
  std::int64_t logins_today = 0;
  std::int64_t failed_today = 0;
  std::int64_t audit_today = 0;
};
Result<LoginCounts> count_today(const Context& ctx);

}  // namespace sy::auth
