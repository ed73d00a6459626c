// The working-day calculation on the 2026 calendar of DOMAIN.md §10: weekends, holidays, 调休
// working weekends, the end of a year without the next year's calendar, and the checks on a year.
#include "calendar/working_days.h"

#include <gtest/gtest.h>

namespace sy::calendar {
namespace {

DayNumber day(const char* s) { return *parse_day(s); }

YearCalendar year_2026() {
  YearCalendar y;
  y.year = 2026;
  y.source = "国办发明电〔2025〕7号";
  const std::pair<const char*, const char*> off[] = {{"2026-01-01", "2026-01-03"}, {"2026-02-15", "2026-02-23"},
                                                      {"2026-04-04", "2026-04-06"}, {"2026-05-01", "2026-05-05"},
                                                      {"2026-06-19", "2026-06-21"}, {"2026-09-25", "2026-09-27"},
                                                      {"2026-10-01", "2026-10-07"}};
  for (auto [a, b] : off)
    for (DayNumber d = day(a); d <= day(b); ++d) y.holidays.insert(d);
  for (const char* w : {"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"})
    y.workdays.insert(day(w));
  return y;
}

WorkingCalendar cal_2026() {
  WorkingCalendar c;
  c.add_year(year_2026());
  return c;
}

std::string add(const WorkingCalendar& c, const char* from, int n) {
  auto r = c.add_working_days(day(from), n);
  return r.ok() ? format_day(*r) : "error: " + r.error().message;
}

TEST(WorkingDays, DatesRoundTripAndWeekdays) {
  EXPECT_EQ(format_day(day("2026-11-22")), "2026-11-22");
  EXPECT_EQ(weekday(day("2026-11-22")), 7);  // Sunday
  EXPECT_EQ(weekday(day("2026-11-23")), 1);
  EXPECT_EQ(year_of(day("2026-12-31")), 2026);
  EXPECT_FALSE(parse_day("2026-02-30"));
  EXPECT_FALSE(parse_day("2026/11/22"));
}

TEST(WorkingDays, WeekendsAreSkipped) {
  auto c = cal_2026();
  EXPECT_EQ(add(c, "2026-11-20", 1), "2026-11-23");  // Friday + 1 → Monday
  EXPECT_EQ(add(c, "2026-11-21", 1), "2026-11-23");  // from a Saturday
  EXPECT_EQ(add(c, "2026-11-16", 5), "2026-11-23");
  EXPECT_EQ(add(c, "2026-11-16", 0), "2026-11-16");
}

TEST(WorkingDays, NationalDayHolidayAndItsMakeUpSaturday) {
  auto c = cal_2026();
  EXPECT_EQ(add(c, "2026-09-30", 1), "2026-10-08");  // 10/1–10/7 off
  EXPECT_EQ(add(c, "2026-09-30", 2), "2026-10-09");
  EXPECT_EQ(add(c, "2026-09-30", 3), "2026-10-10");  // Saturday, a 调休 working day
  EXPECT_EQ(add(c, "2026-09-30", 4), "2026-10-12");
  EXPECT_EQ(add(c, "2026-09-24", 1), "2026-09-28");  // 9/25 (Friday) is a holiday
}

TEST(WorkingDays, SpringFestival) {
  auto c = cal_2026();
  EXPECT_EQ(add(c, "2026-02-13", 1), "2026-02-14");  // Saturday worked
  EXPECT_EQ(add(c, "2026-02-13", 2), "2026-02-24");  // 2/15–2/23 off
  EXPECT_TRUE(*c.is_working_day(day("2026-02-28")));
  EXPECT_FALSE(*c.is_working_day(day("2026-02-16")));
}

TEST(WorkingDays, AYearWithoutCalendarIsAnErrorNamingTheYear) {
  auto c = cal_2026();
  EXPECT_EQ(add(c, "2026-12-28", 3), "2026-12-31");
  auto r = c.add_working_days(day("2026-12-28"), 4);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "calendar_missing");
  EXPECT_EQ(r.error().message, "缺少2027年的节假日安排，请先录入");
  auto w = c.is_working_day(day("2025-06-03"));
  ASSERT_FALSE(w.ok());
  EXPECT_NE(w.error().message.find("2025"), std::string::npos);
}

TEST(WorkingDays, WorkingDaysLeft) {
  auto c = cal_2026();
  EXPECT_EQ(*c.working_days_left(day("2026-11-22"), day("2026-11-24")), 2);
  EXPECT_EQ(*c.working_days_left(day("2026-11-22"), day("2026-11-22")), 0);
  EXPECT_EQ(*c.working_days_left(day("2026-11-22"), day("2026-11-26")), 4);
  EXPECT_EQ(*c.working_days_left(day("2026-11-22"), day("2026-11-20")), -1);  // only the weekend since
  EXPECT_EQ(*c.working_days_left(day("2026-11-22"), day("2026-11-18")), -2);
  EXPECT_EQ(*c.working_days_left(day("2026-09-30"), day("2026-10-09")), 2);
  EXPECT_FALSE(c.working_days_left(day("2026-12-30"), day("2027-01-05")).ok());
}

TEST(WorkingDays, ValidateYear) {
  YearCalendar y = year_2026();
  EXPECT_TRUE(validate_year(y).ok());
  YearCalendar weekday_worked = y;
  weekday_worked.workdays.insert(day("2026-11-23"));  // a Monday
  auto e = validate_year(weekday_worked);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().field, "workdays");
  YearCalendar outside = y;
  outside.holidays.insert(day("2027-01-01"));
  EXPECT_EQ(validate_year(outside).error().field, "holidays");
  YearCalendar both = y;
  both.holidays.insert(day("2026-10-10"));
  EXPECT_EQ(validate_year(both).error().code, "calendar_invalid");
}

}  // namespace
}  // namespace sy::calendar
