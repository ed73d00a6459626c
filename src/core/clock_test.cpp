#include "core/clock.h"

#include <gtest/gtest.h>

namespace sy {
namespace {

constexpr Millis kHour = 3600 * 1000;

TEST(ClockTest, FormatsInShanghaiTime) {
  // 2026-11-22T02:00:00Z is 10:00 in Shanghai.
  Millis at = days_from_civil(2026, 11, 22) * 86400000 + 2 * kHour;
  EXPECT_EQ(format_iso_shanghai(at), "2026-11-22T10:00:00+08:00");
  EXPECT_EQ(format_date_shanghai(at), "2026-11-22");
}

TEST(ClockTest, ShanghaiDateChangesAtLocalMidnight) {
  Millis utc_16 = days_from_civil(2026, 11, 21) * 86400000 + 16 * kHour;
  EXPECT_EQ(format_date_shanghai(utc_16), "2026-11-22");
  EXPECT_EQ(format_iso_shanghai(utc_16), "2026-11-22T00:00:00+08:00");
  EXPECT_EQ(format_date_shanghai(utc_16 - 1), "2026-11-21");
  EXPECT_EQ(format_iso_shanghai(utc_16 - 1000), "2026-11-21T23:59:59+08:00");
}

TEST(ClockTest, FormatsInstantsBeforeTheEpoch) {
  EXPECT_EQ(format_iso_shanghai(0), "1970-01-01T08:00:00+08:00");
  EXPECT_EQ(format_iso_shanghai(-1000), "1970-01-01T07:59:59+08:00");
  EXPECT_EQ(format_iso_shanghai(-9 * kHour), "1969-12-31T23:00:00+08:00");
  EXPECT_EQ(format_date_shanghai(-9 * kHour), "1969-12-31");
}

TEST(ClockTest, ParsesDateAsShanghaiMidnight) {
  auto t = parse_time_shanghai("2026-11-22");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(*t, days_from_civil(2026, 11, 21) * 86400000 + 16 * kHour);
  EXPECT_EQ(format_iso_shanghai(*t), "2026-11-22T00:00:00+08:00");
}

TEST(ClockTest, ParsesTimesWithAndWithoutOffsets) {
  Millis shanghai = *parse_time_shanghai("2026-11-22T10:00:00+08:00");
  EXPECT_EQ(parse_time_shanghai("2026-11-22T10:00:00"), shanghai);
  EXPECT_EQ(parse_time_shanghai("2026-11-22T10:00"), shanghai);
  EXPECT_EQ(parse_time_shanghai("2026-11-22 10:00:00"), shanghai);
  EXPECT_EQ(parse_time_shanghai("2026-11-22T02:00:00Z"), shanghai);
  EXPECT_EQ(parse_time_shanghai("2026-11-22T02:00:00+00:00"), shanghai);
  EXPECT_EQ(parse_time_shanghai("2026-11-21T20:30:00-05:30"), shanghai);
  EXPECT_EQ(parse_time_shanghai("2026-11-22T10:00:59"), shanghai + 59000);
}

TEST(ClockTest, RefusesMalformedOrImpossibleTimes) {
  for (const char* bad :
       {"", "abc", "2026-11", "2026/11/22", "2026-13-01", "2026-02-30", "2025-02-29",
        "2026-11-22x", "2026-11-22T", "2026-11-22T24:00", "2026-11-22T10:60", "2026-11-22T10:00:60",
        "2026-11-22T10:00:00+0800", "2026-11-22T10:00:00Zjunk", "2026-11-22T1:00", "０２６-11-22"}) {
    EXPECT_FALSE(parse_time_shanghai(bad).has_value()) << bad;
  }
}

TEST(ClockTest, FormatAndParseRoundTrip) {
  for (Millis at : {Millis{0}, Millis{1764000000000}, Millis{-86400000}, Millis{4102444799000}}) {
    auto back = parse_time_shanghai(format_iso_shanghai(at));
    ASSERT_TRUE(back.has_value()) << at;
    EXPECT_EQ(*back, at);
  }
}

TEST(ClockTest, CivilDayArithmetic) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
  EXPECT_EQ(days_from_civil(2024, 3, 1) - days_from_civil(2024, 2, 28), 2);  // leap year
  EXPECT_EQ(days_from_civil(2100, 3, 1) - days_from_civil(2100, 2, 28), 1);  // not a leap year
}

TEST(ClockTest, ValidatesDates) {
  EXPECT_TRUE(is_valid_date(2024, 2, 29));
  EXPECT_TRUE(is_valid_date(2000, 2, 29));
  EXPECT_FALSE(is_valid_date(2100, 2, 29));
  EXPECT_FALSE(is_valid_date(2026, 2, 29));
  EXPECT_TRUE(is_valid_date(2026, 12, 31));
  EXPECT_FALSE(is_valid_date(2026, 4, 31));
  EXPECT_FALSE(is_valid_date(2026, 0, 1));
  EXPECT_FALSE(is_valid_date(2026, 1, 0));
  EXPECT_FALSE(is_valid_date(0, 1, 1));
  EXPECT_FALSE(is_valid_date(10000, 1, 1));
}

TEST(ClockTest, FixedClockMovesOnlyWhenTold) {
  FixedClock clock(1000);
  EXPECT_EQ(clock.now_ms(), 1000);
  EXPECT_EQ(clock.now_ms(), 1000);
  clock.advance_ms(15 * 60 * 1000);
  EXPECT_EQ(clock.now_ms(), 1000 + 15 * 60 * 1000);
  clock.set(42);
  EXPECT_EQ(clock.now_ms(), 42);
}

TEST(ClockTest, OffsetClockStartsAtTheChosenInstant) {
  Millis start = *parse_time_shanghai("2030-01-01T08:00:00+08:00");
  OffsetClock clock(start);
  Millis a = clock.now_ms();
  Millis b = clock.now_ms();
  EXPECT_GE(a, start);
  EXPECT_LT(a - start, 60 * 1000);  // runs at real speed from `start`, not from today
  EXPECT_GE(b, a);
}

}  // namespace
}  // namespace sy
