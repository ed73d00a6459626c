#include "calendar/working_days.h"

#include "core/clock.h"

namespace sy::calendar {

std::optional<DayNumber> parse_day(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (t[i] < '0' || t[i] > '9') return std::nullopt;
  int y = std::stoi(std::string(t.substr(0, 4)));
  int m = std::stoi(std::string(t.substr(5, 2)));
  int d = std::stoi(std::string(t.substr(8, 2)));
  if (!is_valid_date(y, m, d)) return std::nullopt;
  return days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}


std::string format_day(DayNumber z) {
  int y;
  unsigned m, d;
  civil_from_days(z, y, m, d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
  return buf;
}

int year_of(DayNumber z) {
  int y;
  unsigned m, d;
  civil_from_days(z, y, m, d);
  return y;
}

int weekday(DayNumber d) {
  // 1970-01-01 was a Thursday (4).
  std::int64_t w = (d % 7 + 7) % 7;  // 0 = Thursday
  return static_cast<int>((w + 3) % 7) + 1;
}

Error missing_year(int year) {
  return make_error("calendar_missing", "缺少" + std::to_string(year) + "年的节假日安排，请先录入");
}

Status validate_year(const YearCalendar& y) {
  if (y.year < 2000 || y.year > 2100) return make_error("calendar_invalid", "年份应在2000至2100之间", "year");
  for (DayNumber d : y.holidays) {
    if (year_of(d) != y.year)
      return make_error("calendar_invalid", "放假日期" + format_day(d) + "不在" + std::to_string(y.year) + "年内",
                        "holidays");
    if (y.workdays.count(d))
      return make_error("calendar_invalid", format_day(d) + "不能既是放假日又是调休上班日", "holidays");
  }
  for (DayNumber d : y.workdays) {
    if (year_of(d) != y.year)
      return make_error("calendar_invalid", "调休上班日期" + format_day(d) + "不在" + std::to_string(y.year) + "年内",
                        "workdays");
    if (weekday(d) < 6)
      return make_error("calendar_invalid", "调休上班日" + format_day(d) + "不是周六或周日", "workdays");
  }
  return ok_status();
}

Result<bool> WorkingCalendar::is_working_day(DayNumber d) const {
  auto it = years_.find(year_of(d));
  if (it == years_.end()) return missing_year(year_of(d));
  if (it->second.holidays.count(d)) return false;
  if (it->second.workdays.count(d)) return true;
  return weekday(d) < 6;
}

Result<DayNumber> WorkingCalendar::add_working_days(DayNumber from, int n) const {
  if (n < 0) return make_error("invalid_days", "工作日天数不能为负数");
  DayNumber d = from;
  while (n > 0) {
    ++d;
    SY_ASSIGN(bool working, is_working_day(d));
    if (working) --n;
  }
  return d;
}

Result<int> WorkingCalendar::working_days_left(DayNumber today, DayNumber due) const {
  int n = 0;
  if (due >= today) {
    for (DayNumber d = today + 1; d <= due; ++d) {
      SY_ASSIGN(bool working, is_working_day(d));
      if (working) ++n;
    }
    return n;
  }
  for (DayNumber d = due + 1; d <= today; ++d) {
    SY_ASSIGN(bool working, is_working_day(d));
    if (working) --n;
  }
  // Overdue by at least one day even when the days since were all off.
  return n == 0 ? -1 : n;
}

}  // namespace sy::calendar
