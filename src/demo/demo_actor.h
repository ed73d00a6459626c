// The demo's accounts as actors: the demo modules (cases, visits, assistance) record their data as
// the county's demo users would, with the permissions their roles hold in the database.
#pragma once

#include <string>

#include "audit/context.h"
#include "core/actor.h"
#include "core/result.h"

namespace sy::demo {

// The demo user `username` (say fc_clerk), or demo_no_user when the database has no such account.
Result<Actor> demo_actor(const Context& ctx, const std::string& username);

}  // namespace sy::demo
