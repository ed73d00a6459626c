// Payroll for the demo county: the published national standards of 2018 and 2019 (DOMAIN.md §4,
// facts, no invented figures), proof of life for most recipients, and the three months before the
// clock's month prepared by the town clerk, approved by the town lead, the oldest exported and
// reconciled with a few failed payments (so a re-issue draft exists). The current month is left for
// the user to run.
//
// Contract: runs through the same services a user's actions do; deterministic for a given clock.
#pragma once

#include "audit/context.h"
#include "core/result.h"

namespace sy::demo {

struct DemoPayrollReport {
  int standards = 0;
  int runs = 0;
};

// `town_code` is the town whose clerk (fc_clerk) and lead (fc_lead) prepare and approve.
Result<DemoPayrollReport> add_demo_payroll(const Context& ctx);

}  // namespace sy::demo
