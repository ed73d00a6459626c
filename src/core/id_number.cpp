#include "core/id_number.h"

#include <unicode/utf8.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <vector>

namespace sy {
namespace {

constexpr const char* kField = "id_number";

bool is_space(UChar32 c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0x3000 || c == 0xA0 ||
         c == 0x200B || c == 0xFEFF;
}

void append_utf8(std::string& out, UChar32 c) {
  char buf[U8_MAX_LENGTH];
  int32_t n = 0;
  UBool error = false;
  U8_APPEND(buf, n, U8_MAX_LENGTH, c, error);
  if (!error) out.append(buf, static_cast<size_t>(n));
}

// The code points of `s` (invalid UTF-8 becomes U+FFFD), spaces dropped.
std::vector<UChar32> code_points_without_spaces(std::string_view s) {
  std::vector<UChar32> out;
  const int32_t n = static_cast<int32_t>(std::min<size_t>(s.size(), INT32_MAX));
  int32_t i = 0;
  while (i < n) {
    UChar32 c;
    U8_NEXT(s.data(), i, n, c);
    if (c < 0) c = 0xFFFD;
    if (!is_space(c)) out.push_back(c);
  }
  return out;
}

// Spaces removed, full-width ASCII folded to ASCII, x → X, a leading apostrophe dropped.
std::string normalize(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (UChar32 c : code_points_without_spaces(raw)) {
    if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;  // full-width forms of ASCII
    if (c == 'x') c = 'X';
    append_utf8(out, c);
  }
  if (!out.empty() && out.front() == '\'') out.erase(0, 1);
  return out;
}

// Excel keeps 15 significant digits of a number: an ID typed into a numeric cell shows as
// 1.40924E+17, or, formatted as an integer, as its first 15 digits followed by 000.
Error excel_number_error() {
  return make_error("id_number_scientific",
                    "身份证号被 Excel 存成了数值（科学计数法），末几位已丢失，"
                    "请把该列设为文本后重新录入",
                    kField);
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// What Excel shows for a long number it stored as a double: 1.40924E+17, 1.409241956062747e+17.
bool looks_scientific(std::string_view s) {
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    return i > start;
  };
  if (!digits()) return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    digits();
  }
  if (i >= s.size() || (s[i] != 'E' && s[i] != 'e')) return false;
  ++i;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  return digits() && i == s.size();
}

int read_int(std::string_view s, size_t pos, size_t len) {
  int v = 0;
  for (size_t k = pos; k < pos + len; ++k) v = v * 10 + (s[k] - '0');
  return v;
}

std::string iso_date(int y, int m, int d) {
  char buf[40];  // room for any three ints, though callers pass dates
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

bool before(const CivilDate& a, const CivilDate& b) {
  if (a.year != b.year) return a.year < b.year;
  if (a.month != b.month) return a.month < b.month;
  return a.day < b.day;
}

// Keeps the first `front` and last `back` code points of `s` (spaces removed), '*' between.
std::string mask_middle(std::string_view s, size_t front, size_t back) {
  std::vector<UChar32> cps = code_points_without_spaces(s);
  std::string out;
  for (size_t i = 0; i < cps.size(); ++i) {
    if (i < front || i + back >= cps.size()) {
      append_utf8(out, cps[i]);
    } else {
      out.push_back('*');
    }
  }
  return out;
}

size_t count_code_points(std::string_view s) { return code_points_without_spaces(s).size(); }

}  // namespace

std::string IdNumber::birth_date_iso() const {
  return iso_date(birth_date.year, birth_date.month, birth_date.day);
}

char id_number_check_digit(std::string_view first17) {
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static constexpr char kCheck[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
  if (first17.size() != 17) return '?';
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    if (!is_digit(first17[i])) return '?';
    sum += (first17[i] - '0') * kWeights[i];
  }
  return kCheck[sum % 11];
}

Result<IdNumber> parse_id_number(std::string_view raw, std::optional<CivilDate> today) {
  std::string s = normalize(raw);
  if (s.empty()) return make_error("id_number_empty", "请填写身份证号", kField);
  if (looks_scientific(s)) return excel_number_error();
  if (!std::all_of(s.begin(), s.end(), [](char c) { return is_digit(c) || c == 'X'; })) {
    return make_error("id_number_chars", "身份证号只能由数字和末位的 X 组成", kField);
  }
  if (s.size() != 18 && s.size() != 15) {
    return make_error("id_number_length", "身份证号应为18位（或15位旧号码）", kField);
  }
  size_t x = s.find('X');
  if (x != std::string::npos && !(s.size() == 18 && x == 17)) {
    return make_error("id_number_chars", "身份证号中的 X 只能是18位号码的最后一位", kField);
  }

  IdNumber id;
  if (s.size() == 15) {
    std::string first17 = s.substr(0, 6) + "19" + s.substr(6);
    id.number = first17 + id_number_check_digit(first17);
    id.converted_from_15 = true;
  } else {
    id.number = s;
  }
  id.address_code = id.number.substr(0, 6);
  id.birth_date =
      CivilDate{read_int(id.number, 6, 4), read_int(id.number, 10, 2), read_int(id.number, 12, 2)};
  id.male = (id.number[16] - '0') % 2 == 1;

  const CivilDate& b = id.birth_date;
  std::string shown = iso_date(b.year, b.month, b.day);
  if (!is_valid_date(b.year, b.month, b.day)) {
    return make_error("id_number_birth_date", "身份证号中的出生日期 " + shown + " 不是有效日期",
                      kField);
  }
  if (b.year < 1900) {
    return make_error("id_number_birth_date", "身份证号中的出生日期 " + shown + " 早于1900年",
                      kField);
  }
  if (today && before(*today, b)) {
    return make_error("id_number_birth_date", "身份证号中的出生日期 " + shown + " 晚于今天",
                      kField);
  }

  if (!id.converted_from_15) {
    char expected = id_number_check_digit(std::string_view(id.number).substr(0, 17));
    if (id.number[17] != expected) {
      // A failed check on ...000 is Excel's rounding, not a typo.
      if (id.number.ends_with("000")) return excel_number_error();
      return make_error("id_number_checksum", std::string("身份证号校验位错误，应为 ") + expected,
                        kField);
    }
  }
  return id;
}

int age_on(const IdNumber& id, int year, int month, int day) {
  const CivilDate& b = id.birth_date;
  int age = year - b.year;
  if (before(CivilDate{year, month, day}, CivilDate{year, b.month, b.day})) --age;
  return std::max(age, 0);
}

CivilDate civil_date_shanghai(Millis at) {
  std::string d = format_date_shanghai(at);  // "YYYY-MM-DD"
  CivilDate out;
  if (std::sscanf(d.c_str(), "%d-%d-%d", &out.year, &out.month, &out.day) != 3) return CivilDate{};
  return out;
}

std::string mask_id_number(std::string_view id18) {
  if (count_code_points(id18) <= 8) return std::string(count_code_points(id18), '*');
  return mask_middle(id18, 4, 4);
}

std::string mask_account(std::string_view account) {
  if (count_code_points(account) <= 8) return std::string(count_code_points(account), '*');
  return mask_middle(account, 4, 4);
}

std::string mask_phone(std::string_view phone) {
  size_t n = count_code_points(phone);
  if (n < 8) return mask_middle(phone, 0, std::min<size_t>(2, n));
  return mask_middle(phone, 3, 4);
}

bool luhn_valid(std::string_view digits) {
  int sum = 0;
  int count = 0;
  for (size_t k = digits.size(); k-- > 0;) {
    char c = digits[k];
    if (c == ' ' || c == '-') continue;
    if (!is_digit(c)) return false;
    int d = c - '0';
    if (count % 2 == 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    ++count;
  }
  return count >= 2 && sum % 10 == 0;
}

}  // namespace sy
