// Context: what every service call receives — the database, the clock, the id generator and the
// acting user. No globals: a test builds one over a temp database and a fixed clock.
#pragma once

#include "core/actor.h"
#include "core/clock.h"
#include "core/id.h"
#include "store/db.h"

namespace sy {

struct Context {
  store::Db& db;
  const Clock& clock;
  IdGenerator& ids;
  Actor actor;

  Millis now() const { return clock.now_ms(); }
};

}  // namespace sy
