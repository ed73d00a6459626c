// 户 (households): the family unit visits go to, with the 低保 / 特困 / 空巢 flags.
//
// Contract: reads need business:read, writes business:write; a household outside the actor's
// scope is not_found; updates carry the version read and are audited with before and after.
#pragma once

#include "audit/context.h"
#include "core/page.h"
#include "core/result.h"
#include "registry/person.h"

namespace sy::registry {

struct HouseholdMember {
  std::int64_t id = 0;
  std::string name;
  std::string status;
  bool head = false;
};

struct HouseholdView {
  Household household;
  std::vector<HouseholdMember> members;
};

struct HouseholdQuery {
  std::string region_code;
  std::optional<bool> dibao, tekun, kongchao;
  PageRequest page;
};

Result<HouseholdView> get_household(const Context& ctx, std::int64_t id);
Result<Page<Household>> list_households(const Context& ctx, const HouseholdQuery& q);

struct HouseholdChanges {
  std::optional<std::string> address, note;
  std::optional<bool> is_dibao, is_tekun, is_kongchao;
  int version = 0;
};
Result<HouseholdView> update_household(const Context& ctx, std::int64_t id, const HouseholdChanges& changes);

}  // namespace sy::registry
