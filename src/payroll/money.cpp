#include "payroll/money.h"

#include <cstdio>

#include "core/text.h"

namespace sy::payroll {

std::optional<Fen> parse_yuan(std::string_view text) {
  std::string s;
  for (size_t i = 0; i < text.size();) {
    unsigned char ch = static_cast<unsigned char>(text[i]);
    // Skip ASCII spaces, commas, the yuan signs ¥ (C2 A5) and ￥ (EF BF A5), and full-width spaces.
    if (ch == ' ' || ch == ',' || ch == '\t') { ++i; continue; }
    if (text.substr(i, 2) == "\xC2\xA5") { i += 2; continue; }
    if (text.substr(i, 3) == "\xEF\xBF\xA5" || text.substr(i, 3) == "\xE3\x80\x80") { i += 3; continue; }
    if (text.substr(i, 3) == "\xE5\x85\x83" && i + 3 == text.size()) { i += 3; continue; }  // trailing 元
    s.push_back(static_cast<char>(ch));
    ++i;
  }
  if (s.empty()) return std::nullopt;
  bool negative = false;
  size_t p = 0;
  if (s[0] == '-' || s[0] == '+') {
    negative = s[0] == '-';
    p = 1;
  }
  Fen whole = 0;
  int int_digits = 0;
  while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
    if (++int_digits > 13) return std::nullopt;
    whole = whole * 10 + (s[p++] - '0');
  }
  Fen cents = 0;
  int decimals = 0;
  if (p < s.size() && s[p] == '.') {
    ++p;
    while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
      if (++decimals > 2) {
        // Trailing zeros past the fen are harmless (Excel writes 550.50000000000001 rarely, 550.500 often).
        if (s[p] != '0') return std::nullopt;
        ++p;
        continue;
      }
      cents = cents * 10 + (s[p++] - '0');
    }
    if (decimals == 1) cents *= 10;
  }
  if (p != s.size() || (int_digits == 0 && decimals == 0)) return std::nullopt;
  Fen v = whole * 100 + cents;
  return negative ? -v : v;
}

std::string format_yuan(Fen fen) {
  bool negative = fen < 0;
  std::uint64_t a = negative ? static_cast<std::uint64_t>(-(fen + 1)) + 1 : static_cast<std::uint64_t>(fen);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s%llu.%02llu", negative ? "-" : "", static_cast<unsigned long long>(a / 100),
                static_cast<unsigned long long>(a % 100));
  return buf;
}

Fen share_of_year(Fen yearly, int months) {
  // round_half_up(S·k/12) in integers; half-up away from zero for negative corrections too.
  Fen n = yearly * months;
  Fen q = n / 12, r = n % 12;
  if (r < 0) r = -r;
  if (2 * r >= 12) q += n >= 0 ? 1 : -1;
  return q;
}

std::optional<MonthIndex> parse_month(std::string_view s) {
  if (s.size() != 7 || s[4] != '-') return std::nullopt;
  int y = 0, m = 0;
  for (int i = 0; i < 4; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    y = y * 10 + (s[i] - '0');
  }
  for (int i = 5; i < 7; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    m = m * 10 + (s[i] - '0');
  }
  if (y < 1900 || y > 2200 || m < 1 || m > 12) return std::nullopt;
  return y * 12 + (m - 1);
}

MonthIndex month_of_date(std::string_view d) {
  auto m = parse_month(d.substr(0, 7));
  return m ? *m : 0;
}

std::string month_text(MonthIndex m) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", m / 12, m % 12 + 1);
  return buf;
}

std::string first_day(MonthIndex m) { return month_text(m) + "-01"; }

std::string month_label(MonthIndex m) {
  return std::to_string(m / 12) + "年" + std::to_string(m % 12 + 1) + "月";
}

}  // namespace sy::payroll
