#include "core/text.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sy {
namespace {

using Strings = std::vector<std::string>;

TEST(TextTest, TrimAscii) {
  EXPECT_EQ(trim_ascii("  abc \t\r\n"), "abc");
  EXPECT_EQ(trim_ascii("abc"), "abc");
  EXPECT_EQ(trim_ascii(" a b "), "a b");
  EXPECT_EQ(trim_ascii(""), "");
  EXPECT_EQ(trim_ascii(" \t\r\n "), "");
  // Full-width space (U+3000) is not ASCII whitespace and stays.
  EXPECT_EQ(trim_ascii(" 张三\xE3\x80\x80"), "张三\xE3\x80\x80");
}

TEST(TextTest, Split) {
  EXPECT_EQ(split("a,b,c", ','), (Strings{"a", "b", "c"}));
  EXPECT_EQ(split("", ','), (Strings{""}));
  EXPECT_EQ(split(",", ','), (Strings{"", ""}));
  EXPECT_EQ(split("a,,b,", ','), (Strings{"a", "", "b", ""}));
  EXPECT_EQ(split("繁城镇|砂河镇", '|'), (Strings{"繁城镇", "砂河镇"}));
}

TEST(TextTest, JoinIsTheInverseOfSplit) {
  EXPECT_EQ(join({}, ","), "");
  EXPECT_EQ(join({"a"}, ","), "a");
  EXPECT_EQ(join({"a", "b", "c"}, ", "), "a, b, c");
  for (const char* s : {"a,b", "", ",x,", "clerk,viewer"}) {
    EXPECT_EQ(join(split(s, ','), ","), s);
  }
}

TEST(TextTest, ToHex) {
  EXPECT_EQ(to_hex(""), "");
  EXPECT_EQ(to_hex("abc"), "616263");
  EXPECT_EQ(to_hex(std::string("\x00\xff\x10", 3)), "00ff10");
  EXPECT_EQ(to_hex("东"), "e4b89c");
}

TEST(TextTest, CsvLinePlainAndQuoted) {
  EXPECT_EQ(parse_csv_line("140924,\"繁峙县\",1409,14"), (Strings{"140924", "繁峙县", "1409", "14"}));
  EXPECT_EQ(parse_csv_line("\"a,b\",c"), (Strings{"a,b", "c"}));
  EXPECT_EQ(parse_csv_line("\"say \"\"hi\"\"\",x"), (Strings{"say \"hi\"", "x"}));
  EXPECT_EQ(parse_csv_line("\"\""), (Strings{""}));
}

TEST(TextTest, CsvLineEmptyFieldsAndLineEndings) {
  EXPECT_EQ(parse_csv_line(""), (Strings{""}));
  EXPECT_EQ(parse_csv_line(",,"), (Strings{"", "", ""}));
  EXPECT_EQ(parse_csv_line("a,b\r"), (Strings{"a", "b"}));
  // A carriage return inside quotes is data.
  EXPECT_EQ(parse_csv_line("\"a\rb\""), (Strings{"a\rb"}));
}

TEST(Text, StripSpacesDropsAsciiAndFullWidthSpacesAnywhere) {
  EXPECT_EQ(strip_spaces(" 一 级\t"), "一级");
  EXPECT_EQ(strip_spaces("\xE3\x80\x80身份证号\r\n"), "身份证号");
  EXPECT_EQ(strip_spaces(""), "");
}

}  // namespace
}  // namespace sy

namespace sy {
namespace {

TEST(HtmlEscape, EscapesTheFiveCharactersAndKeepsChinese) {
  EXPECT_EQ(html_escape("汪军 <b>&\"'"), "汪军 &lt;b&gt;&amp;&quot;&#39;");
  EXPECT_EQ(html_escape(""), "");
}

TEST(Base64, RoundTripsBytesAndRefusesWhatIsNotBase64) {
  std::string bytes("\x89PNG\r\n\x1a\n\0\xff", 10);
  std::string text = base64_encode(bytes);
  EXPECT_EQ(text, "iVBORw0KGgoA/w==");
  EXPECT_EQ(base64_decode(text), bytes);
  EXPECT_EQ(base64_decode("iVBORw0K\r\nGgoA/w==", " \r\n"), bytes);  // line breaks a client added
  EXPECT_FALSE(base64_decode("iVBORw0K\r\nGgoA/w==").has_value());   // not skipped unless asked
  EXPECT_FALSE(base64_decode("not base64!").has_value());
  EXPECT_EQ(base64_encode(""), "");
}

}  // namespace
}  // namespace sy
