#include "core/clock.h"

#include <chrono>
#include <cstdio>

namespace sy {

Millis SystemClock::now_ms() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

OffsetClock::OffsetClock(Millis start) : offset_(start - SystemClock().now_ms()) {}
Millis OffsetClock::now_ms() const { return SystemClock().now_ms() + offset_; }

// Civil-date arithmetic over 400-year eras (the Gregorian cycle), valid for any year.
std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(yoe + era * 400) + (m <= 2);
}

bool is_valid_date(int y, int m, int d) {
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int max = kDays[m - 1];
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) max = 29;
  return d <= max;
}

static void split_local(Millis at, int& y, unsigned& mo, unsigned& d, int& h, int& mi, int& s) {
  Millis local = at + kShanghaiOffsetMs;
  std::int64_t secs = local >= 0 ? local / 1000 : (local - 999) / 1000;
  std::int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  std::int64_t rem = secs - days * 86400;
  civil_from_days(days, y, mo, d);
  h = static_cast<int>(rem / 3600);
  mi = static_cast<int>(rem % 3600 / 60);
  s = static_cast<int>(rem % 60);
}

std::string format_iso_shanghai(Millis at) {
  int y, h, mi, s;
  unsigned mo, d;
  split_local(at, y, mo, d, h, mi, s);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d+08:00", y, mo, d, h, mi, s);
  return buf;
}

std::string format_date_shanghai(Millis at) {
  int y, h, mi, s;
  unsigned mo, d;
  split_local(at, y, mo, d, h, mi, s);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, mo, d);
  return buf;
}

static bool read_int(std::string_view t, size_t pos, size_t len, int& out) {
  if (pos + len > t.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + len; ++i) {
    if (t[i] < '0' || t[i] > '9') return false;
    out = out * 10 + (t[i] - '0');
  }
  return true;
}

std::optional<Millis> parse_time_shanghai(std::string_view t) {
  int y, mo, d, h = 0, mi = 0, s = 0;
  if (t.size() < 10 || !read_int(t, 0, 4, y) || t[4] != '-' || !read_int(t, 5, 2, mo) ||
      t[7] != '-' || !read_int(t, 8, 2, d) || !is_valid_date(y, mo, d))
    return std::nullopt;
  size_t pos = 10;
  Millis offset = kShanghaiOffsetMs;
  if (pos < t.size()) {
    if (t[pos] != 'T' && t[pos] != ' ') return std::nullopt;
    if (!read_int(t, pos + 1, 2, h) || t.size() < pos + 6 || t[pos + 3] != ':' ||
        !read_int(t, pos + 4, 2, mi))
      return std::nullopt;
    pos += 6;
    if (pos < t.size() && t[pos] == ':') {
      if (!read_int(t, pos + 1, 2, s)) return std::nullopt;
      pos += 3;
    }
    if (pos < t.size()) {
      if (t[pos] == 'Z' && pos + 1 == t.size()) {
        offset = 0;
      } else if ((t[pos] == '+' || t[pos] == '-') && t.size() == pos + 6 && t[pos + 3] == ':') {
        int oh, om;
        if (!read_int(t, pos + 1, 2, oh) || !read_int(t, pos + 4, 2, om)) return std::nullopt;
        offset = (oh * 3600LL + om * 60LL) * 1000 * (t[pos] == '-' ? -1 : 1);
      } else {
        return std::nullopt;
      }
    }
    if (h > 23 || mi > 59 || s > 59) return std::nullopt;
  }
  std::int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return (days * 86400 + h * 3600LL + mi * 60LL + s) * 1000 - offset;
}

}  // namespace sy
