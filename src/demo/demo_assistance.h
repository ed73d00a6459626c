// 一助一 / 结对帮扶 for the demo county: a dozen pairs in the first township — departments, cadres
// and garrison units paired with registry households on each kind of project — with the funds,
// labour, technical help and follow-ups (with income estimates) they would have recorded over the
// past months; three pairs closed with their outcome.
//
// Contract: runs through the same service a clerk's actions do, acting as fc_clerk on the dates
// the entries would have happened; deterministic for a given clock. Without registry households in
// the township it adds nothing.
#pragma once

#include "audit/context.h"
#include "core/result.h"

namespace sy::demo {

struct DemoAssistanceReport {
  int pairs = 0;
  int closed = 0;
};

Result<DemoAssistanceReport> add_demo_assistance(const Context& ctx);

}  // namespace sy::demo
