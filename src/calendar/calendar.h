// The working-day calendar as stored: one row per year in calendar_years (with the notice it comes
// from) and its holidays and 调休 working days in calendar_days. 2024–2026 ship with the schema.
//
// Contract:
// - Reading needs business:read (the system actor may always); editing a year needs
//   calendar:manage, is validated by calendar::validate_year, replaces the year's days in one
//   audited transaction (`calendar.update`), and needs the year's current `version` when the year
//   already exists (stale → stale_version).
// - `load_working_calendar` reads the years a calculation may need, inside a caller's connection,
//   so cases count deadlines in the same transaction that writes them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "audit/context.h"
#include "calendar/working_days.h"
#include "core/result.h"

namespace sy::calendar {

struct YearSummary {
  int year = 0;
  std::string source;
  int holidays = 0, workdays = 0;
  Millis updated_at = 0;
  int version = 0;
};

struct YearDays {
  int year = 0;
  std::string source;
  std::vector<std::string> holidays, workdays;  // sorted YYYY-MM-DD
  int version = 0;
};

Result<std::vector<YearSummary>> list_years(const Context& ctx);
// not found → calendar_missing naming the year.
Result<YearDays> get_year(const Context& ctx, int year);
// Creates or replaces a year. `version` must be given (and current) when the year exists.
Result<YearDays> put_year(const Context& ctx, int year, const std::string& source,
                          const std::vector<std::string>& holidays, const std::vector<std::string>& workdays,
                          std::optional<int> version);

// Every stored year (they are few), for a calculation inside `c`.
Result<WorkingCalendar> load_working_calendar(store::Conn& c);

// Today's day number on the context's clock (Asia/Shanghai).
DayNumber today(const Context& ctx);

}  // namespace sy::calendar
