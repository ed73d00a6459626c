// 户 (households): the family unit visits go to — its head (户主), its members, and the
// 低保 / 特困 / 空巢 flags.
//
// Contract: reads need business:read, writes business:write; a household or person outside the
// actor's scope is not_found. Every write carries the version the caller read (the person's for a
// move, the household's for a flag edit or a new head), is audited with before and after, and a
// change of household or head is also written to the history of each person it concerns.
// Membership rules:
// - A person belongs to exactly one household; a person joins only a household of the same village
//   (or township) they are registered in.
// - The head may not leave a household that still has other members: choose a new head first.
// - A household whose last member leaves is kept with status "dissolved" (nothing is deleted), is
//   left out of household lists and cannot be joined.
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
  int version = 0;  // the person's, for a move or split of this member
};

struct HouseholdView {
  Household household;
  std::string status = "active";  // active | dissolved (no members left)
  std::vector<HouseholdMember> members;
};

struct HouseholdQuery {
  std::string region_code;
  std::optional<bool> dibao, tekun, kongchao;
  PageRequest page;
};

Result<HouseholdView> get_household(const Context& ctx, std::int64_t id);
// Active households only (a dissolved one has no members).
Result<Page<Household>> list_households(const Context& ctx, const HouseholdQuery& q);

struct HouseholdChanges {
  std::optional<std::string> address, note;
  std::optional<bool> is_dibao, is_tekun, is_kongchao;
  int version = 0;
};
Result<HouseholdView> update_household(const Context& ctx, std::int64_t id, const HouseholdChanges& changes);

// Moves a person (at `person_version`) into another existing household; returns that household.
Result<HouseholdView> join_household(const Context& ctx, std::int64_t household_id, std::int64_t person_id,
                                     int person_version);
// Moves a person (at `person_version`) out into a new household of their own, of which they are
// head; the new household takes the person's village and address, with no flags set.
Result<HouseholdView> split_household(const Context& ctx, std::int64_t person_id, int person_version);
// Makes a member the head of their household (at the household's `version`).
Result<HouseholdView> set_household_head(const Context& ctx, std::int64_t household_id, std::int64_t person_id,
                                         int version);

}  // namespace sy::registry
