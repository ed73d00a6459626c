// 走访慰问 for the demo county: last 春节's and last 八一's campaigns, finished (closed, most targets
// visited), and a current one half done, with the first township's targets assigned to fc_clerk so
// 我的走访 has content and a few visits recorded through the service (one raising a 困难诉求).
//
// Contract: campaigns are created, generated and closed through the same services a user's actions
// use; the bulk of the past visits is written in one transaction per campaign with one audit row
// saying so (demo data), so the demo stays quick. Deterministic for a given clock.
#pragma once

#include "audit/context.h"
#include "core/result.h"

namespace sy::demo {

struct DemoVisitsReport {
  int campaigns = 0;
  int visits = 0;
};

Result<DemoVisitsReport> add_demo_visits(const Context& ctx);

}  // namespace sy::demo
