#include "auth/user_row.h"

#include "core/text.h"

namespace sy::auth {

#define SY_USER_COLUMNS                                                                        \
  "u.id, u.username, u.display_name, u.region_code, r.name, u.roles, u.status, "              \
  "u.status_reason, u.must_change_password, u.locked_until, u.last_login_at, u.last_login_ip, " \
  "u.password_changed_at, u.created_at, u.updated_at, u.version"

const char kUserColumns[] = SY_USER_COLUMNS;
const char kUserSelect[] =
    "SELECT " SY_USER_COLUMNS " FROM users u LEFT JOIN regions r ON r.code = u.region_code";

#undef SY_USER_COLUMNS

User user_from_row(const store::Row& row, std::size_t first) {
  auto col = [first](std::size_t i) { return first + i; };
  User u;
  u.id = row.i64(col(0));
  u.username = row.str(col(1));
  u.display_name = row.str(col(2));
  u.region_code = row.str(col(3));
  u.region_name = row.str(col(4));
  for (auto& r : split(row.str(col(5)), ',')) {
    if (!r.empty()) u.roles.push_back(r);
  }
  u.status = row.str(col(6));
  u.status_reason = row.str(col(7));
  u.must_change_password = row.i64(col(8)) != 0;
  u.locked_until = row.opt_i64(col(9));
  u.last_login_at = row.opt_i64(col(10));
  u.last_login_ip = row.str(col(11));
  u.password_changed_at = row.i64(col(12));
  u.created_at = row.i64(col(13));
  u.updated_at = row.i64(col(14));
  u.version = static_cast<int>(row.i64(col(15)));
  return u;
}

}  // namespace sy::auth
