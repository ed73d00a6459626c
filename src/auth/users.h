// User accounts (用户管理): create, edit, disable and enable, reset and change passwords, assign
// roles, unlock; list within scope.
//
// Contract:
// - sys_admin (user:manage) creates and edits accounts and may give business roles only;
//   sec_admin (role:manage) assigns any roles and unlocks; nobody changes their own roles.
// - Every record a caller touches must lie in their data scope, else not_found.
// - Updates carry the version the caller read; a stale one is `stale_version` (HTTP 409).
// - Disabling a user or resetting their password ends their sessions. Nothing is deleted.
// - Every change is audited with before/after (never the password hash).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "audit/context.h"
#include "core/page.h"
#include "core/result.h"

namespace sy::auth {

struct User {
  std::int64_t id = 0;
  std::string username;
  std::string display_name;
  std::string region_code;
  std::string region_name;
  std::vector<std::string> roles;
  std::string status;  // active | disabled
  std::string status_reason;
  bool must_change_password = false;
  std::optional<Millis> locked_until;
  std::optional<Millis> last_login_at;
  std::string last_login_ip;
  Millis password_changed_at = 0;
  Millis created_at = 0;
  Millis updated_at = 0;
  int version = 0;
};

nlohmann::json user_to_json(const User& u);
// The same JSON as text, byte for byte what user_to_json(u).dump() gives, written directly: for
// GET /api/v1/me, where building and dumping the nlohmann object cost more than the rest of the
// request's own work.
std::string user_json_text(const User& u);

struct NewUser {
  std::string username;
  std::string display_name;
  std::string region_code;
  std::string password;
  std::vector<std::string> roles;
  bool must_change_password = true;
};

Result<User> create_user(const Context& ctx, const NewUser& in);
// The same inside a caller's transaction (system set-up).
Result<User> create_user_tx(store::Conn& tx, const Context& ctx, const NewUser& in);
Result<User> get_user(const Context& ctx, std::int64_t id);
// The acting user's own record (no permission needed: /me, log-in).
Result<User> get_own_user(const Context& ctx);
Result<User> find_user_by_name(const Context& ctx, const std::string& username);

struct UserQuery {
  std::string q;       // username or display name contains
  std::string status;  // active | disabled | ""
  PageRequest page;
};
Result<Page<User>> list_users(const Context& ctx, const UserQuery& q);

struct UserChanges {
  std::optional<std::string> display_name;
  std::optional<std::string> region_code;
  int version = 0;
};
Result<User> update_user(const Context& ctx, std::int64_t id, const UserChanges& changes);
Result<User> disable_user(const Context& ctx, std::int64_t id, const std::string& reason, int version);
Result<User> enable_user(const Context& ctx, std::int64_t id, int version);
// Sets a new password that the user must change at next log-in.
Status reset_password(const Context& ctx, std::int64_t id, const std::string& new_password);
Result<User> set_roles(const Context& ctx, std::int64_t id, const std::vector<std::string>& roles,
                       int version);
Result<User> unlock_user(const Context& ctx, std::int64_t id);
// The actor changes their own password; other sessions of theirs end, `keep_session` stays.
Status change_own_password(const Context& ctx, const std::string& old_password,
                           const std::string& new_password, std::int64_t keep_session);

// Ends every open session of a user inside the caller's transaction.
Status end_user_sessions(store::Conn& tx, std::int64_t user_id, Millis now, const std::string& reason,
                         std::int64_t except_session = 0);

struct UserCounts {
  std::int64_t total = 0;
  std::int64_t active = 0;
};
Result<UserCounts> count_users(const Context& ctx);

}  // namespace sy::auth
