// Synthetic beneficiaries for the demo county: every village gets plausible people, written as a
// roster and loaded through the real roster import, so the demo exercises the same path as users.
//
// Contract: deterministic for a given seed; all people are synthetic; ID numbers are valid for the
// county's address code; ages fit the categories (在乡复员军人 past 90, 60周岁以上农村籍退役士兵
// born before 1966, 义务兵家庭 young parents); a few of each status.
#pragma once

#include "audit/context.h"
#include "core/result.h"

namespace sy::demo {

struct DemoPersonsReport {
  int persons = 0;
  int villages = 0;
};

Result<DemoPersonsReport> add_demo_persons(const Context& ctx, const std::string& county_code,
                                           unsigned seed = 20261122);

}  // namespace sy::demo
