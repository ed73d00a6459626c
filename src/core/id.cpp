#include "core/id.h"

#include <sodium.h>

namespace sy {

namespace {
constexpr std::int64_t kEpochMs = 1704067200000LL;  // 2024-01-01T00:00:00Z
}

IdGenerator::IdGenerator(const Clock& clock, int node) : clock_(clock) {
  if (node < 0) {
    node = static_cast<int>(randombytes_uniform(1024));
  }
  node_ = node & 1023;
}

std::int64_t IdGenerator::next() {
  std::lock_guard<std::mutex> lock(mu_);
  std::int64_t ms = clock_.now_ms() - kEpochMs;
  if (ms < 0) ms = 0;
  // A fixed or backwards clock must not produce duplicates: borrow from the future instead.
  if (ms <= last_ms_) {
    ms = last_ms_;
    if (++seq_ > 4095) {
      seq_ = 0;
      ++ms;
    }
  } else {
    seq_ = 0;
  }
  last_ms_ = ms;
  return (ms << 22) | (node_ << 12) | seq_;
}

}  // namespace sy
