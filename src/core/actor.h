// Actor: who is acting — the logged-in user with roles, permissions and data scope, or the system
// itself (a CLI command run by the IT person on the server).
//
// Contract: data scope is one region node's subtree (本部门及以下). `in_scope` is the one check
// every service uses for reads and writes of regional records; the system actor sees everything.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/region_code.h"

namespace sy {

struct Actor {
  std::int64_t user_id = 0;  // 0 for the system actor
  std::string username;
  std::string display_name;
  std::vector<std::string> roles;
  std::set<std::string, std::less<>> permissions;
  std::string region_code;  // 12 digits; the root of the data scope
  std::string ip;
  bool system = false;

  static Actor system_actor(std::string name = "system") {
    Actor a;
    a.username = std::move(name);
    a.system = true;
    return a;
  }
  bool has(std::string_view permission) const {
    return system || permissions.find(permission) != permissions.end();
  }
  bool in_scope(std::string_view code12) const {
    return system || region_contains(region_code, code12);
  }
  // For created_by / updated_by columns: NULL when the system acts.
  std::optional<std::int64_t> id_or_null() const {
    return user_id ? std::optional<std::int64_t>(user_id) : std::nullopt;
  }
  // What every code in scope starts with ("" for the system actor).
  std::string scope_prefix() const { return system ? std::string() : region_prefix(region_code); }
};

}  // namespace sy
