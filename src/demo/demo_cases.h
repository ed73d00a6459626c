// 诉求台帐 for the demo county: a dozen cases of the four kinds in the first township, taken through
// the workflow on the dates they would have happened (registered weeks before the demo clock, some
// handled, some closed, some overdue), then escalated as the scheduled job would.
//
// Contract: runs through the same services a user's actions do, acting as fc_clerk and fc_lead;
// deterministic for a given clock. When the calendar lacks a year the dates need, no case is added
// (count 0) rather than guessing working days.
#pragma once

#include "audit/context.h"
#include "core/result.h"

namespace sy::demo {

struct DemoCasesReport {
  int cases = 0;
  int overdue = 0;
};

Result<DemoCasesReport> add_demo_cases(const Context& ctx);

}  // namespace sy::demo
