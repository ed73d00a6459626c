// Clock: where "now" comes from. Services never read the system time directly; they ask the
// context's Clock, so tests and `--now` / SY_NOW can fix it. Times are Unix milliseconds; civil
// dates and times shown to users are in Asia/Shanghai (UTC+8, no daylight saving).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sy {

using Millis = std::int64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Millis now_ms() const = 0;
};

class SystemClock : public Clock {
 public:
  Millis now_ms() const override;
};

// A clock that stands still at a given instant, or advances only when told.
class FixedClock : public Clock {
 public:
  explicit FixedClock(Millis at) : at_(at) {}
  Millis now_ms() const override { return at_; }
  void set(Millis at) { at_ = at; }
  void advance_ms(Millis d) { at_ += d; }

 private:
  Millis at_;
};

// A clock that runs at real speed from a chosen starting instant (`--now` for a server).
class OffsetClock : public Clock {
 public:
  explicit OffsetClock(Millis start);
  Millis now_ms() const override;

 private:
  Millis offset_;
};

constexpr Millis kShanghaiOffsetMs = 8LL * 3600 * 1000;

// "2026-11-22T19:30:00+08:00".
std::string format_iso_shanghai(Millis at);
// "2026-11-22".
std::string format_date_shanghai(Millis at);
// Parses "YYYY-MM-DD" (midnight Shanghai), "YYYY-MM-DDTHH:MM[:SS]" (Shanghai unless an offset or Z
// follows). Empty on anything else.
std::optional<Millis> parse_time_shanghai(std::string_view text);
// Days since 1970-01-01 for a civil date, and back (proleptic Gregorian).
std::int64_t days_from_civil(int y, unsigned m, unsigned d);
void civil_from_days(std::int64_t days, int& y, unsigned& m, unsigned& d);
bool is_valid_date(int y, int m, int d);

}  // namespace sy
