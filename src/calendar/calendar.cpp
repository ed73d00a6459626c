#include "calendar/calendar.h"

#include <algorithm>

#include "audit/audit.h"
#include "core/text.h"

namespace sy::calendar {
namespace {

Result<std::optional<YearDays>> read_year(store::Conn& c, int year) {
  SY_ASSIGN(auto row, c.query_one("SELECT source, version FROM calendar_years WHERE year = ?", {year}));
  if (!row) return std::optional<YearDays>();
  YearDays y;
  y.year = year;
  y.source = row->str(0);
  y.version = static_cast<int>(row->i64(1));
  SY_ASSIGN(store::Rows days, c.query("SELECT day, kind FROM calendar_days WHERE year = ? ORDER BY day", {year}));
  for (const auto& d : days) (d.str(1) == "holiday" ? y.holidays : y.workdays).push_back(d.str(0));
  return std::optional<YearDays>(std::move(y));
}

nlohmann::json year_json(const YearDays& y) {
  return {{"source", y.source}, {"holidays", y.holidays}, {"workdays", y.workdays}};
}

}  // namespace

DayNumber today(const Context& ctx) { return *parse_day(format_date_shanghai(ctx.now())); }

Result<std::vector<YearSummary>> list_years(const Context& ctx) {
  if (!ctx.actor.has("business:read") && !ctx.actor.has("calendar:manage"))
    return make_error("forbidden", "您的角色无权查看工作日历");
  std::vector<YearSummary> out;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(store::Rows rows,
              c.query("SELECT y.year, y.source, y.updated_at, y.version, "
                      "(SELECT count(*) FROM calendar_days d WHERE d.year = y.year AND d.kind = 'holiday'), "
                      "(SELECT count(*) FROM calendar_days d WHERE d.year = y.year AND d.kind = 'workday') "
                      "FROM calendar_years y ORDER BY y.year"));
    for (const auto& r : rows) {
      out.push_back(YearSummary{.year = static_cast<int>(r.i64(0)),
                                .source = r.str(1),
                                .holidays = static_cast<int>(r.i64(4)),
                                .workdays = static_cast<int>(r.i64(5)),
                                .updated_at = r.i64(2),
                                .version = static_cast<int>(r.i64(3))});
    }
    return ok_status();
  }));
  return out;
}

Result<YearDays> get_year(const Context& ctx, int year) {
  if (!ctx.actor.has("business:read") && !ctx.actor.has("calendar:manage"))
    return make_error("forbidden", "您的角色无权查看工作日历");
  std::optional<YearDays> out;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(out, read_year(c, year));
    return ok_status();
  }));
  if (!out) return missing_year(year);
  return *out;
}

Result<YearDays> put_year(const Context& ctx, int year, const std::string& source,
                          const std::vector<std::string>& holidays, const std::vector<std::string>& workdays,
                          std::optional<int> version) {
  if (!ctx.actor.has("calendar:manage")) return make_error("forbidden", "您的角色无权维护节假日安排");
  YearCalendar y;
  y.year = year;
  y.source = std::string(trim_ascii(source));
  if (y.source.empty()) return make_error("field_required", "请填写依据（如国务院办公厅通知的名称和文号）", "source");
  for (const auto& h : holidays) {
    auto d = parse_day(h);
    if (!d) return make_error("calendar_invalid", "放假日期“" + h + "”应为 YYYY-MM-DD", "holidays");
    y.holidays.insert(*d);
  }
  for (const auto& w : workdays) {
    auto d = parse_day(w);
    if (!d) return make_error("calendar_invalid", "调休上班日期“" + w + "”应为 YYYY-MM-DD", "workdays");
    y.workdays.insert(*d);
  }
  SY_TRY(validate_year(y));
  YearDays result;
  SY_TRY(audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    SY_ASSIGN(std::optional<YearDays> before, read_year(tx, year));
    if (before) {
      if (!version) return make_error("field_required", "该年度已有节假日安排，修改时请提供 version", "version");
      SY_ASSIGN(std::int64_t n, tx.exec("UPDATE calendar_years SET source = ?, updated_at = ?, updated_by = ?, "
                                        "version = version + 1 WHERE year = ? AND version = ?",
                                        {y.source, ctx.now(), ctx.actor.id_or_null(), year, *version}));
      if (n == 0) return make_error("stale_version", "该年度的节假日安排已被他人修改，请刷新后重试", "version");
      SY_TRY(tx.exec("DELETE FROM calendar_days WHERE year = ?", {year}));
    } else {
      SY_TRY(tx.exec("INSERT INTO calendar_years (year, source, updated_at, updated_by) VALUES (?,?,?,?)",
                     {year, y.source, ctx.now(), ctx.actor.id_or_null()}));
    }
    for (DayNumber d : y.holidays)
      SY_TRY(tx.exec("INSERT INTO calendar_days (day, year, kind) VALUES (?,?,'holiday')", {format_day(d), year}));
    for (DayNumber d : y.workdays)
      SY_TRY(tx.exec("INSERT INTO calendar_days (day, year, kind) VALUES (?,?,'workday')", {format_day(d), year}));
    SY_ASSIGN(std::optional<YearDays> after, read_year(tx, year));
    result = *after;
    entry = audit::Entry{.action = "calendar.update",
                         .entity = "calendar",
                         .entity_id = std::to_string(year),
                         .before = before ? std::optional<nlohmann::json>(year_json(*before)) : std::nullopt,
                         .after = year_json(result)};
    return ok_status();
  }));
  return result;
}

Result<WorkingCalendar> load_working_calendar(store::Conn& c) {
  WorkingCalendar cal;
  std::map<int, YearCalendar> years;
  SY_ASSIGN(store::Rows ys, c.query("SELECT year, source FROM calendar_years"));
  for (const auto& r : ys) {
    YearCalendar& y = years[static_cast<int>(r.i64(0))];
    y.year = static_cast<int>(r.i64(0));
    y.source = r.str(1);
  }
  SY_ASSIGN(store::Rows days, c.query("SELECT day, year, kind FROM calendar_days"));
  for (const auto& r : days) {
    auto d = parse_day(r.str(0));
    if (!d) continue;
    YearCalendar& y = years[static_cast<int>(r.i64(1))];
    (r.str(2) == "holiday" ? y.holidays : y.workdays).insert(*d);
  }
  for (auto& [year, y] : years) cal.add_year(std::move(y));
  return cal;
}

}  // namespace sy::calendar
