#include "core/id_number.h"

#include <gtest/gtest.h>

namespace sy {
namespace {

const CivilDate kToday{2026, 11, 22};

IdNumber parse_ok(std::string_view raw) {
  auto r = parse_id_number(raw, kToday);
  EXPECT_TRUE(r.ok()) << raw << ": " << (r.ok() ? "" : r.error().code + " " + r.error().message);
  return r.ok() ? r.value() : IdNumber{};
}

Error parse_error(std::string_view raw, std::optional<CivilDate> today = kToday) {
  auto r = parse_id_number(raw, today);
  EXPECT_FALSE(r.ok()) << raw << " was accepted as " << (r.ok() ? r->number : "");
  if (r.ok()) return Error{};
  EXPECT_EQ(r.error().field, "id_number");
  return r.error();
}

TEST(IdNumber, StandardTestVector) {
  IdNumber id = parse_ok("11010519491231002X");
  EXPECT_EQ(id.number, "11010519491231002X");
  EXPECT_EQ(id.address_code, "110105");
  EXPECT_EQ(id.birth_date.year, 1949);
  EXPECT_EQ(id.birth_date.month, 12);
  EXPECT_EQ(id.birth_date.day, 31);
  EXPECT_EQ(id.birth_date_iso(), "1949-12-31");
  EXPECT_FALSE(id.male);  // 17th digit 2
  EXPECT_STREQ(id.gender(), "female");
  EXPECT_STREQ(id.gender_label(), "女");
  EXPECT_FALSE(id.converted_from_15);
}

TEST(IdNumber, MaleFromOddSeventeenthDigit) {
  IdNumber id = parse_ok("140924195505151351");
  EXPECT_TRUE(id.male);
  EXPECT_STREQ(id.gender(), "male");
  EXPECT_STREQ(id.gender_label(), "男");
}

TEST(IdNumber, CheckDigit) {
  EXPECT_EQ(id_number_check_digit("11010519491231002"), 'X');
  EXPECT_EQ(id_number_check_digit("14092419550515135"), '1');
  EXPECT_EQ(id_number_check_digit("1409241955051513"), '?');
  EXPECT_EQ(id_number_check_digit("1409241955051513A"), '?');
}

TEST(IdNumber, FifteenDigitsConvertedToEighteen) {
  // The sample roster's row 15.
  IdNumber id = parse_ok("140924550515135");
  EXPECT_EQ(id.number, "140924195505151351");
  EXPECT_TRUE(id.converted_from_15);
  EXPECT_EQ(id.birth_date_iso(), "1955-05-15");
  EXPECT_TRUE(id.male);  // sequence 135
}

TEST(IdNumber, LowercaseXBecomesUppercase) {
  EXPECT_EQ(parse_ok("14092419620310049x").number, "14092419620310049X");
  EXPECT_EQ(parse_ok("11010519491231002x").number, "11010519491231002X");
}

TEST(IdNumber, FullWidthDigitsAndSpacesNormalised) {
  // The sample roster's row 12: an ASCII space, then full-width digits.
  EXPECT_EQ(parse_ok("140924 １９６００８２１２４８８").number, "140924196008212488");
  EXPECT_EQ(parse_ok("\u3000１１０１０５１９４９１２３１００２Ｘ\u3000").number,
            "11010519491231002X");
  EXPECT_EQ(parse_ok("１１０１０５１９４９１２３１００２ｘ").number, "11010519491231002X");
  EXPECT_EQ(parse_ok("  110105 19491231 002X \t\r\n").number, "11010519491231002X");
  EXPECT_EQ(parse_ok("'11010519491231002X").number, "11010519491231002X");  // Excel text marker
}

TEST(IdNumber, AddressCodeKeptEvenIfUnknown) {
  // 990000 is no region today; the code is kept as given, never rejected.
  std::string first17 = "99000019800101001";
  IdNumber id = parse_ok(first17 + id_number_check_digit(first17));
  EXPECT_EQ(id.address_code, "990000");
}

TEST(IdNumber, Empty) {
  EXPECT_EQ(parse_error("").code, "id_number_empty");
  EXPECT_EQ(parse_error("  \u3000 ").code, "id_number_empty");
  Error e = parse_error("");
  EXPECT_FALSE(e.message.empty());
}

TEST(IdNumber, Length) {
  Error e = parse_error("1101051949123100");
  EXPECT_EQ(e.code, "id_number_length");
  EXPECT_EQ(e.message, "身份证号应为18位（或15位旧号码）");
  EXPECT_EQ(parse_error("11010519491231002X1").code, "id_number_length");
  EXPECT_EQ(parse_error("1101051949123100X").code, "id_number_length");
}

TEST(IdNumber, Chars) {
  EXPECT_EQ(parse_error("11010519491231002A").code, "id_number_chars");
  EXPECT_EQ(parse_error("身份证号").code, "id_number_chars");
  EXPECT_EQ(parse_error("110105-19491231-002X").code, "id_number_chars");
  EXPECT_EQ(parse_error("1101051949123100X2").code, "id_number_chars");  // X not last
  EXPECT_EQ(parse_error("14092455051513X").code, "id_number_chars");     // 15 digits have no X
  EXPECT_EQ(parse_error("\xff\xfe").code, "id_number_chars");            // not UTF-8
}

TEST(IdNumber, BirthDateNotReal) {
  std::string first17 = "14092419660230123";  // 30 February
  Error e = parse_error(first17 + id_number_check_digit(first17));
  EXPECT_EQ(e.code, "id_number_birth_date");
  EXPECT_NE(e.message.find("1966-02-30"), std::string::npos) << e.message;
  EXPECT_EQ(parse_error("140924661301123").code, "id_number_birth_date");  // month 13, 15 digits
}

TEST(IdNumber, FebruaryTwentyNinth) {
  EXPECT_EQ(parse_ok("140924200002291233").birth_date_iso(), "2000-02-29");  // 2000 is leap
  EXPECT_EQ(parse_ok("140924198002291233").birth_date_iso(), "1980-02-29");
  EXPECT_EQ(parse_error("140924200102291230").code, "id_number_birth_date");  // 2001 is not
  EXPECT_EQ(parse_error("140924190002291233").code, "id_number_birth_date");  // 1900 is not
}

TEST(IdNumber, BirthDateInTheFuture) {
  Error e = parse_error("14092420300101123X");
  EXPECT_EQ(e.code, "id_number_birth_date");
  EXPECT_NE(e.message.find("2030-01-01"), std::string::npos) << e.message;
  // Born today is fine; tomorrow is not.
  std::string today17 = "14092420261122123";
  std::string tomorrow17 = "14092420261123123";
  EXPECT_TRUE(parse_id_number(today17 + id_number_check_digit(today17), kToday).ok());
  EXPECT_EQ(parse_error(tomorrow17 + id_number_check_digit(tomorrow17)).code,
            "id_number_birth_date");
  // Without a `today` the future check is skipped.
  EXPECT_TRUE(parse_id_number("14092420300101123X", std::nullopt).ok());
}

TEST(IdNumber, BirthDateBefore1900) {
  EXPECT_EQ(parse_error("140924189912311235").code, "id_number_birth_date");
  EXPECT_TRUE(parse_id_number("14092419000101123X", kToday).ok());
}

TEST(IdNumber, Checksum) {
  // The sample roster's row 21.
  Error e = parse_error("140924196609029880");
  EXPECT_EQ(e.code, "id_number_checksum");
  EXPECT_EQ(e.message, "身份证号校验位错误，应为 1");
  EXPECT_EQ(parse_error("110105194912310021").message, "身份证号校验位错误，应为 X");
}

TEST(IdNumber, ExcelScientificNotation) {
  for (const char* raw : {"1.40924E+17", "1.40924195505152E+17", "1.409241956062747e+17",
                          "1.40924E17", "1E+17", "１.４０９２４Ｅ＋１７"}) {
    Error e = parse_error(raw);
    EXPECT_EQ(e.code, "id_number_scientific") << raw;
    EXPECT_EQ(
        e.message,
        "身份证号被 Excel 存成了数值（科学计数法），末几位已丢失，请把该列设为文本后重新录入");
  }
  // The same cell formatted as an integer: 15 significant digits, then 000.
  Error rounded = parse_error("140924195606275000");
  EXPECT_EQ(rounded.code, "id_number_scientific");
  // ...000 with a right check digit cannot be told apart from a real number, and is one.
  EXPECT_TRUE(parse_id_number("140924195606274000", kToday).ok());
  EXPECT_EQ(parse_error("1.40924").code, "id_number_chars");
  EXPECT_EQ(parse_error("E+17").code, "id_number_chars");
}

TEST(IdNumber, AgeOn) {
  IdNumber id = parse_ok("11010519491231002X");
  EXPECT_EQ(age_on(id, 2026, 12, 30), 76);
  EXPECT_EQ(age_on(id, 2026, 12, 31), 77);
  EXPECT_EQ(age_on(id, 1949, 12, 31), 0);
  EXPECT_EQ(age_on(id, 1940, 1, 1), 0);  // before birth

  IdNumber leap = parse_ok("140924200002291233");
  EXPECT_EQ(age_on(leap, 2001, 2, 28), 0);
  EXPECT_EQ(age_on(leap, 2001, 3, 1), 1);
  EXPECT_EQ(age_on(leap, 2004, 2, 29), 4);
}

TEST(IdNumber, CivilDateShanghai) {
  // 2026-11-22T16:00:00Z is already 23 November in Shanghai.
  CivilDate d = civil_date_shanghai(1795363200000LL);
  EXPECT_EQ(d.year, 2026);
  EXPECT_EQ(d.month, 11);
  EXPECT_EQ(d.day, 23);
  CivilDate e = civil_date_shanghai(1795363200000LL - 1);
  EXPECT_EQ(e.day, 22);
}

TEST(Mask, IdNumber) {
  EXPECT_EQ(mask_id_number("140924195505151351"), "1409**********1351");
  EXPECT_EQ(mask_id_number("11010519491231002X"), "1101**********002X");
  EXPECT_EQ(mask_id_number("140924550515135"), "1409*******5135");
  EXPECT_EQ(mask_id_number("12345678"), "********");
  EXPECT_EQ(mask_id_number(""), "");
}

TEST(Mask, Account) {
  EXPECT_EQ(mask_account("6222021234567890123"), "6222***********0123");
  EXPECT_EQ(mask_account("6222 0212 3456 7890 123"), "6222***********0123");
  EXPECT_EQ(mask_account("1234"), "****");
  EXPECT_EQ(mask_account("银行账号１２３４５６７８９"),
            "银行账号*****６７８９");  // never splits a character
}

TEST(Mask, Phone) {
  EXPECT_EQ(mask_phone("13812345678"), "138****5678");
  EXPECT_EQ(mask_phone(" 138 1234 5678 "), "138****5678");
  EXPECT_EQ(mask_phone("0350-7231234"), "035*****1234");
  EXPECT_EQ(mask_phone("7231234"), "*****34");
  EXPECT_EQ(mask_phone(""), "");
}

TEST(Luhn, Valid) {
  EXPECT_TRUE(luhn_valid("79927398713"));
  EXPECT_TRUE(luhn_valid("4111111111111111"));
  EXPECT_TRUE(luhn_valid("4111 1111 1111 1111"));
  EXPECT_TRUE(luhn_valid("4111-1111-1111-1111"));
}

TEST(Luhn, Invalid) {
  EXPECT_FALSE(luhn_valid("79927398710"));
  EXPECT_FALSE(luhn_valid("4111111111111112"));
  EXPECT_FALSE(luhn_valid(""));
  EXPECT_FALSE(luhn_valid("0"));
  EXPECT_FALSE(luhn_valid("4111a111111111111"));
}

}  // namespace
}  // namespace sy
