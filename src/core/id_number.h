// 居民身份证号码 (GB 11643-1999) and the other identifiers shown masked: bank accounts and phones.
//
// Contract: `parse_id_number` accepts what people type or what a spreadsheet cell holds and
// returns the normalized 18-character number with what it encodes, or an Error with field
// "id_number" and one of the codes id_number_empty, id_number_scientific, id_number_chars,
// id_number_length, id_number_birth_date, id_number_checksum. Normalisation: spaces anywhere
// (ASCII, full-width U+3000, no-break) and a leading apostrophe (Excel's text marker) are removed;
// full-width digits and Ｘ/ｘ become ASCII; x becomes X; a 15-digit number (first generation: 6 +
// YYMMDD + 3, no check digit) becomes 18 digits by inserting "19" and computing the check digit.
// Text that is Excel's rendering of a number (1.40924E+17, or 15 digits then 000 with a wrong check
// digit) is id_number_scientific: the last digits are lost, so it is never accepted. The birth
// date must exist, not be before 1900, and not be after `today` when given. The address code
// (first 6 digits) is kept as given: it is the code in force when the number was issued, so codes
// missing from today's region list are never rejected. Checks run in the order of the codes above.
//
// Masking helpers work on code points and never fail; they are for display, not for validation.
// A failed Luhn check on a bank account is a warning only: some accounts (passbooks, 社保卡 on
// some banks) legitimately fail it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"

namespace sy {

// A civil (calendar) date, proleptic Gregorian; month 1–12, day 1–31.
struct CivilDate {
  int year = 0;
  int month = 0;
  int day = 0;
};

struct IdNumber {
  std::string number;        // 18 characters: 17 digits and a check digit 0–9 or X
  std::string address_code;  // first 6 digits, as given
  CivilDate birth_date;
  bool male = false;               // 17th digit odd
  bool converted_from_15 = false;  // the input was a 15-digit first-generation number

  const char* gender() const { return male ? "male" : "female"; }  // as stored in Person
  const char* gender_label() const { return male ? "男" : "女"; }
  std::string birth_date_iso() const;  // "1949-12-31"
};

// `today` (Asia/Shanghai, from the context's clock) bounds the birth date; std::nullopt skips that
// one check.
Result<IdNumber> parse_id_number(std::string_view raw, std::optional<CivilDate> today);

// The GB 11643 check digit ('0'–'9' or 'X') of the first 17 digits; '?' unless given 17 digits.
char id_number_check_digit(std::string_view first17);

// Whole years of age (周岁) on the given day; 0 before the first birthday (and before birth).
// Someone born on 29 February turns a year older on 1 March in common years.
int age_on(const IdNumber& id, int year, int month, int day);

// The civil date in Asia/Shanghai of a Unix-millisecond instant (for `today` from a Clock).
CivilDate civil_date_shanghai(Millis at);

// "11010519491231002X" → "1101**********002X": the first 4 and last 4 kept. Spaces are dropped
// first; 8 characters or fewer are masked entirely.
std::string mask_id_number(std::string_view id18);
// "6222021234567890123" → "6222***********0123": the first 4 and last 4 kept, as above.
std::string mask_account(std::string_view account);
// "13812345678" → "138****5678": the first 3 and last 4 kept; under 8 characters only the last
// 2 are kept ("1234567" → "*****67").
std::string mask_phone(std::string_view phone);

// Luhn (mod 10) check of a bank card number. ASCII spaces and hyphens between digits are ignored;
// false for anything else that is not a digit, or fewer than 2 digits.
bool luhn_valid(std::string_view digits);

}  // namespace sy
