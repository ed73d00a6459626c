#include "core/handoff.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

namespace sy {
namespace {

TEST(Handoff, EveryItemArrivesInOrderThroughASmallQueue) {
  std::vector<int> got;
  Status st = run_handoff<int>(
      2,
      [](const HandOn<int>& hand_on) -> Status {
        for (int i = 0; i < 1000; ++i) SY_TRY(hand_on(int{i}));
        return ok_status();
      },
      [&](int& i) -> Status {
        got.push_back(i);
        return ok_status();
      });
  ASSERT_TRUE(st.ok()) << st.error().message;
  ASSERT_EQ(got.size(), 1000u);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(got[static_cast<size_t>(i)], i);
}

TEST(Handoff, AConsumerErrorStopsTheProducerAndIsTheAnswer) {
  std::atomic<int> made{0};
  std::string producer_saw;
  Status st = run_handoff<int>(
      4,
      [&](const HandOn<int>& hand_on) -> Status {
        for (int i = 0; i < 1'000'000; ++i) {
          Status handed = hand_on(int{i});
          if (!handed.ok()) {
            producer_saw = handed.error().code;
            return handed;
          }
          ++made;
        }
        return ok_status();
      },
      [](int& i) -> Status { return i == 10 ? make_error("db_error", "写入失败") : ok_status(); });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "db_error");
  EXPECT_EQ(producer_saw, "cancelled");
  EXPECT_LT(made.load(), 1000);
}

TEST(Handoff, AProducerErrorIsTheAnswerAndNothingAfterItIsConsumed) {
  std::vector<int> got;
  Status st = run_handoff<int>(
      8,
      [](const HandOn<int>& hand_on) -> Status {
        SY_TRY(hand_on(1));
        return make_error("bad_input", "读取失败");
      },
      [&](int& i) -> Status {
        got.push_back(i);
        return ok_status();
      });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "bad_input");
  EXPECT_LE(got.size(), 1u);
}

TEST(Handoff, ExceptionsOfEitherSideReachTheCaller) {
  EXPECT_THROW(run_handoff<int>(
                   1, [](const HandOn<int>&) -> Status { throw std::runtime_error("producer"); },
                   [](int&) -> Status { return ok_status(); }),
               std::runtime_error);
  EXPECT_THROW(run_handoff<int>(
                   1,
                   [](const HandOn<int>& hand_on) -> Status {
                     for (int i = 0; i < 100; ++i) SY_TRY(hand_on(int{i}));
                     return ok_status();
                   },
                   [](int& i) -> Status {
                     if (i == 3) throw std::runtime_error("consumer");
                     return ok_status();
                   }),
               std::runtime_error);
}

}  // namespace
}  // namespace sy
