// IdGenerator: 64-bit record ids made by the application, so both database backends hold the same
// ids and rows can be created before they are written.
//
// Layout (positive int64): 41 bits of milliseconds since 2024-01-01 UTC | 10 bits node | 12 bits
// sequence. Ids from one generator strictly increase; generators on different app instances differ
// in the node bits (random per process unless set). Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>

#include "core/clock.h"

namespace sy {

class IdGenerator {
 public:
  explicit IdGenerator(const Clock& clock, int node = -1);
  std::int64_t next();

 private:
  const Clock& clock_;
  std::int64_t node_;
  std::mutex mu_;
  std::int64_t last_ms_ = 0;
  std::int64_t seq_ = 0;
};

}  // namespace sy
