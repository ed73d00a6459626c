#include "core/id.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <thread>
#include <vector>

#include "test_support.h"

namespace sy {
namespace {

constexpr std::int64_t kEpochMs = 1704067200000LL;  // 2024-01-01T00:00:00Z, as id.h documents

TEST(IdTest, LayoutCarriesTimeAndNode) {
  FixedClock clock(testing::test_now());
  IdGenerator ids(clock, 5);
  std::int64_t id = ids.next();
  EXPECT_GT(id, 0);
  EXPECT_EQ(id >> 22, testing::test_now() - kEpochMs);
  EXPECT_EQ((id >> 12) & 1023, 5);
  EXPECT_EQ(id & 4095, 0);
  EXPECT_EQ(ids.next() & 4095, 1);
}

TEST(IdTest, StrictlyIncreasingOnAFixedClockBeyondOneMillisecondOfSequence) {
  FixedClock clock(testing::test_now());
  IdGenerator ids(clock, 1);
  std::int64_t prev = 0;
  for (int i = 0; i < 10000; ++i) {  // more than the 4096 a millisecond holds
    std::int64_t id = ids.next();
    ASSERT_GT(id, prev) << i;
    prev = id;
  }
  // Borrowed milliseconds stay close to the clock.
  EXPECT_LE((prev >> 22) - (testing::test_now() - kEpochMs), 3);
}

TEST(IdTest, IncreasingWhenTheClockGoesBackwards) {
  FixedClock clock(testing::test_now());
  IdGenerator ids(clock, 2);
  std::int64_t a = ids.next();
  clock.advance_ms(-60 * 60 * 1000);
  std::int64_t b = ids.next();
  EXPECT_GT(b, a);
  clock.advance_ms(2 * 60 * 60 * 1000);
  std::int64_t c = ids.next();
  EXPECT_GT(c, b);
  EXPECT_EQ(c >> 22, testing::test_now() + 60 * 60 * 1000 - kEpochMs);
}

TEST(IdTest, ClockBeforeTheEpochStillGivesPositiveIds) {
  FixedClock clock(0);
  IdGenerator ids(clock, 3);
  std::int64_t a = ids.next(), b = ids.next();
  EXPECT_GT(a, 0);
  EXPECT_GT(b, a);
}

TEST(IdTest, GeneratorsOnDifferentNodesDiffer) {
  FixedClock clock(testing::test_now());
  IdGenerator a(clock, 1), b(clock, 2);
  EXPECT_NE(a.next(), b.next());
  IdGenerator wraps(clock, 1024 + 9);
  EXPECT_EQ((wraps.next() >> 12) & 1023, 9);
  IdGenerator random_node(clock);
  EXPECT_GT(random_node.next(), 0);
}

TEST(IdTest, ThreadSafeAndUnique) {
  FixedClock clock(testing::test_now());
  IdGenerator ids(clock, 4);
  constexpr int kThreads = 4, kEach = 5000;
  std::vector<std::vector<std::int64_t>> got(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) got[t].push_back(ids.next());
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::int64_t> all;
  for (const auto& v : got) {
    EXPECT_TRUE(std::is_sorted(v.begin(), v.end()));
    all.insert(v.begin(), v.end());
  }
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kEach));
}

}  // namespace
}  // namespace sy
