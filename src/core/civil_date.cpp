#include "core/civil_date.h"

#include <cmath>
#include <cstdio>
#include <vector>

#include "core/clock.h"

namespace sy {
namespace {

// Splits into runs of ASCII digits (full-width digits are folded first); returns the runs and
// whether anything other than digits and date separators appeared.
std::vector<std::string> digit_runs(std::string_view s, bool* other) {
  std::vector<std::string> runs;
  std::string cur;
  *other = false;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= '0' && c <= '9') {
      cur.push_back(static_cast<char>(c));
      continue;
    }
    // Full-width digits U+FF10..U+FF19: EF BC 90..99.
    if (c == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBC &&
        static_cast<unsigned char>(s[i + 2]) >= 0x90 && static_cast<unsigned char>(s[i + 2]) <= 0x99) {
      cur.push_back(static_cast<char>('0' + static_cast<unsigned char>(s[i + 2]) - 0x90));
      i += 2;
      continue;
    }
    if (!cur.empty()) runs.push_back(std::move(cur)), cur.clear();
    std::string_view rest = s.substr(i);
    if (c == '-' || c == '/' || c == '.' || c == ' ') continue;
    if (rest.starts_with("年") || rest.starts_with("月") || rest.starts_with("日") || rest.starts_with("号")) {
      i += 2;
      continue;
    }
    *other = true;
  }
  if (!cur.empty()) runs.push_back(std::move(cur));
  return runs;
}

std::optional<std::string> format(int y, int m, int d) {
  if (!is_valid_date(y, m, d) || y < 1900 || y > 2200) return std::nullopt;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return std::string(buf);
}

}  // namespace

std::optional<std::string> excel_serial_date(double serial) {
  if (!(serial >= 1 && serial < 200000)) return std::nullopt;
  long long days = static_cast<long long>(std::floor(serial));
  if (days == 60) return std::nullopt;  // 1900-02-29 never existed
  if (days > 60) --days;                // Excel counts the phantom leap day
  long long epoch_days = days_from_civil(1899, 12, 31) + days;
  // Midnight of that day in Shanghai, formatted back as a civil date.
  return format_date_shanghai(epoch_days * 86400000LL - kShanghaiOffsetMs);
}

std::optional<std::string> parse_loose_date(std::string_view text) {
  bool other = false;
  auto runs = digit_runs(text, &other);
  if (other || runs.empty()) return std::nullopt;
  if (runs.size() == 1) {
    const std::string& r = runs[0];
    if (r.size() == 8) return format(std::stoi(r.substr(0, 4)), std::stoi(r.substr(4, 2)), std::stoi(r.substr(6, 2)));
    if (r.size() == 6) return format(std::stoi(r.substr(0, 4)), std::stoi(r.substr(4, 2)), 1);
    if (r.size() == 5 || (r.size() <= 5 && r.size() >= 3)) return excel_serial_date(std::stod(r));
    return std::nullopt;
  }
  if (runs[0].size() != 4 || runs.size() > 3) return std::nullopt;
  int y = std::stoi(runs[0]);
  if (runs[1].size() > 2) return std::nullopt;
  int m = std::stoi(runs[1]);
  int d = 1;
  if (runs.size() == 3) {
    if (runs[2].size() > 2) return std::nullopt;
    d = std::stoi(runs[2]);
  }
  return format(y, m, d);
}

std::optional<std::string> parse_loose_month(std::string_view text) {
  bool other = false;
  auto runs = digit_runs(text, &other);
  if (other || runs.empty() || runs.size() > 2) return std::nullopt;
  int y, m;
  if (runs.size() == 1) {
    if (runs[0].size() != 6) return std::nullopt;
    y = std::stoi(runs[0].substr(0, 4));
    m = std::stoi(runs[0].substr(4, 2));
  } else {
    if (runs[0].size() != 4 || runs[1].size() > 2) return std::nullopt;
    y = std::stoi(runs[0]);
    m = std::stoi(runs[1]);
  }
  if (y < 1900 || y > 2200 || m < 1 || m > 12) return std::nullopt;
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04d-%02d", y, m);
  return std::string(buf);
}

}  // namespace sy
