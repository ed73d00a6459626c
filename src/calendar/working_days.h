// Working days (工作日): the pure calculation over a set of yearly holiday calendars, with no
// database and no clock, so every rule is tested directly.
//
// Contract:
// - A day is a working day when it is a Monday–Friday that is not a listed holiday, or a Saturday
//   or Sunday listed as a 调休 working day of its year.
// - Every answer needs the calendar of each year it touches: a year without one is the error
//   `calendar_missing` whose message names the year ("缺少2027年的节假日安排，请先录入"), never a
//   guess from weekends alone.
// - Dates are 'YYYY-MM-DD' text at the edges and day numbers (days since 1970-01-01) inside.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sy::calendar {

using DayNumber = std::int64_t;

std::optional<DayNumber> parse_day(std::string_view yyyy_mm_dd);
std::string format_day(DayNumber d);
int year_of(DayNumber d);
// 1 = Monday … 7 = Sunday.
int weekday(DayNumber d);

struct YearCalendar {
  int year = 0;
  std::string source;              // the notice it comes from
  std::set<DayNumber> holidays;    // days off (weekdays and weekends inside a holiday)
  std::set<DayNumber> workdays;    // 调休: weekend days that are working days
};

// Checks one year's lists: every date in the year, none in both lists, 调休 days on a weekend.
// Errors: calendar_invalid with field "holidays" or "workdays".
Status validate_year(const YearCalendar& y);

Error missing_year(int year);

class WorkingCalendar {
 public:
  void add_year(YearCalendar y) { years_[y.year] = std::move(y); }
  bool has_year(int year) const { return years_.count(year) > 0; }

  Result<bool> is_working_day(DayNumber d) const;
  // The n-th working day after `from` (n ≥ 1; `from` itself does not count). n = 0 is `from`.
  Result<DayNumber> add_working_days(DayNumber from, int n) const;
  // Working days after `today` up to and including `due`: 0 when due is today or the next
  // working day is after due; negative when `due` has passed (working days since due, as −n).
  Result<int> working_days_left(DayNumber today, DayNumber due) const;

 private:
  std::map<int, YearCalendar> years_;
};

}  // namespace sy::calendar
