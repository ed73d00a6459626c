#include "demo/demo_actor.h"

#include <map>
#include <set>

#include "auth/roles.h"
#include "core/text.h"

namespace sy::demo {

Result<Actor> demo_actor(const Context& ctx, const std::string& username) {
  Actor a;
  std::map<std::string, std::set<std::string, std::less<>>> perms;
  bool found = false;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(perms, auth::load_role_permissions(c));
    SY_ASSIGN(auto row, c.query_one("SELECT id, display_name, region_code, roles FROM users WHERE username = ?", {username}));
    if (!row) return ok_status();
    found = true;
    a.user_id = row->i64(0);
    a.display_name = row->str(1);
    a.region_code = row->str(2);
    a.roles = split(row->str(3), ',');
    return ok_status();
  }));
  if (!found) return make_error("demo_no_user", "演示账号不存在：" + username);
  a.username = username;
  a.ip = "demo";
  for (const auto& r : a.roles)
    for (const auto& p : perms[r]) a.permissions.insert(p);
  return a;
}

}  // namespace sy::demo
