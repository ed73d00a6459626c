#include "io/csv_reader.h"

#include <gtest/gtest.h>
#include <iconv.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace sy::io {
namespace {

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::filesystem::path samples_dir() {
  if (const char* env = std::getenv("SY_SAMPLES_DIR")) return env;
  // This file is <repo>/src/io/csv_reader_test.cpp; the samples are <repo>/../shared/samples.
  return (std::filesystem::path(__FILE__).parent_path() / ".." / ".." / ".." / "shared" / "samples")
      .lexically_normal();
}

// UTF-8 text re-encoded with iconv (as Excel on Chinese Windows would save it).
std::string encode(const std::string& utf8, const char* charset) {
  iconv_t cd = iconv_open(charset, "UTF-8");
  EXPECT_NE(cd, reinterpret_cast<iconv_t>(-1));
  std::string in = utf8;
  std::string out(utf8.size() * 4 + 16, '\0');
  char* src = in.data();
  size_t src_left = in.size();
  char* dst = out.data();
  size_t dst_left = out.size();
  EXPECT_NE(iconv(cd, &src, &src_left, &dst, &dst_left), static_cast<size_t>(-1));
  iconv_close(cd);
  out.resize(out.size() - dst_left);
  return out;
}

TEST(CsvReader, ReadsUtf8WithBomQuotesAndBlankLines) {
  std::string csv =
      "\xEF\xBB\xBF姓名,备注,电话\r\n"
      "汪军,\"含逗号,和\"\"引号\"\"\r\n和换行\",13967735468\r\n"
      "\r\n"
      "李四,,\r\n"
      ",,\r\n"
      "\r\n";
  auto r = read_csv(csv);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const SheetData& s = *r;
  EXPECT_EQ(s.name, "");
  ASSERT_EQ(s.rows.size(), 4u);        // trailing blank and all-empty records dropped
  EXPECT_EQ(s.at(1, 0).text, "姓名");  // no BOM in the first header
  EXPECT_EQ(s.at(1, 2).text, "电话");
  EXPECT_EQ(s.at(2, 1).text, "含逗号,和\"引号\"\n和换行");
  EXPECT_EQ(s.at(2, 2).kind, CellKind::kText);
  EXPECT_EQ(s.at(2, 2).text, "13967735468");
  EXPECT_TRUE(s.rows[2].empty());
  EXPECT_EQ(s.at(4, 0).text, "李四");
  EXPECT_EQ(s.rows[3].size(), 1u);
  EXPECT_TRUE(s.at(4, 1).empty());
}

TEST(CsvReader, HandlesLineEndsAndTheLastLineWithoutOne) {
  for (std::string eol : {"\n", "\r\n", "\r"}) {
    std::string csv = "a,b" + eol + eol + "c,d" + eol + "e";
    auto r = read_csv(csv);
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->rows.size(), 4u);
    EXPECT_EQ(r->at(1, 1).text, "b");
    EXPECT_TRUE(r->rows[1].empty());
    EXPECT_EQ(r->at(3, 0).text, "c");
    EXPECT_EQ(r->at(4, 0).text, "e");
  }
  auto r = read_csv("a,b,\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->rows.size(), 1u);
  EXPECT_EQ(r->rows[0].size(), 2u);
  r = read_csv("");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->rows.empty());
}

TEST(CsvReader, KeepsFieldsAsWrittenAndUnwrapsExcelsGuard) {
  auto r = read_csv(
      " 程建德\xE3\x80\x80,5'10\",=\"0123\",\"=\"\"140924195505151351\"\"\",1.40924E+17\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->at(1, 0).text, " 程建德\xE3\x80\x80");
  EXPECT_EQ(r->at(1, 1).text, "5'10\"");
  EXPECT_EQ(r->at(1, 2).text, "0123");
  EXPECT_EQ(r->at(1, 3).text, "140924195505151351");
  EXPECT_EQ(r->at(1, 4).text, "1.40924E+17");
  EXPECT_EQ(r->at(1, 4).kind, CellKind::kText);
}

TEST(CsvReader, DecodesGb18030) {
  std::string utf8 =
      "姓名,所属村(社区),备注\r\n"
      "汪军,东泰社区,\"住址含逗号,已加引号\"\r\n"
      "㐀€,繁峙县,𠀀\r\n";
  std::string gb = encode(utf8, "GB18030");
  ASSERT_NE(gb, utf8);
  auto r = read_csv(gb);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->rows.size(), 3u);
  EXPECT_EQ(r->at(1, 1).text, "所属村(社区)");
  EXPECT_EQ(r->at(2, 2).text, "住址含逗号,已加引号");
  EXPECT_EQ(r->at(3, 0).text, "㐀€");
  EXPECT_EQ(r->at(3, 2).text, "𠀀");
}

TEST(CsvReader, DecodesUtf16WithBomAndTabSeparatedUnicodeText) {
  std::string utf8 = "姓名\t身份证号\r\n汪军\t140924195604213941\r\n";
  std::string le = "\xFF\xFE" + encode(utf8, "UTF-16LE");
  auto r = read_csv(le);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->rows.size(), 2u);
  EXPECT_EQ(r->at(1, 1).text, "身份证号");
  EXPECT_EQ(r->at(2, 1).text, "140924195604213941");
  std::string be = "\xFE\xFF" + encode("a,𠀀\n", "UTF-16BE");
  r = read_csv(be);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->at(1, 1).text, "𠀀");
  // Without a BOM, when digits and punctuation show it.
  r = read_csv(encode("姓名,身份证号,电话\n汪军,140924195604213941,13967735468\n", "UTF-16LE"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->at(1, 1).text, "身份证号");
  EXPECT_EQ(r->at(2, 2).text, "13967735468");
}

TEST(CsvReader, RefusesUndecodableBytes) {
  auto r = read_csv("姓名,性别\n\x81\x20\xFF\xFF,\x80\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "csv_encoding");
  EXPECT_NE(r.error().message.find("无法识别文件编码"), std::string::npos);
  EXPECT_NE(r.error().message.find("UTF-8 或 GB18030"), std::string::npos);
  r = read_csv("\xEF\xBB\xBF\xC0\xAF");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "csv_encoding");
  r = read_csv(std::string("\xFF\xFE\x00\xD8", 4));  // a lone surrogate
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "csv_encoding");
}

TEST(CsvReader, RefusesWhatIsNotACsv) {
  auto r = read_csv(std::string("PK\x03\x04\x14\x00", 6));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "csv_not_text");
  EXPECT_NE(r.error().message.find(".xlsx"), std::string::npos);
  r = read_csv(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00", 10));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "csv_not_text");
  r = read_csv(std::string("a,b\n\x00\x01\x02", 7));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "csv_not_text");
  r = read_csv("a,b\n\"open,c\nd,e\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "csv_unterminated_quote");
  EXPECT_EQ(r.error().message, "第 2 行有未闭合的引号，请检查该行");
}

TEST(CsvReader, RefusesPastItsLimits) {
  ReadLimits limits;
  limits.max_rows = 3;
  limits.max_columns = 3;
  EXPECT_TRUE(read_csv("a\nb\nc\n\n\n", limits).ok());
  auto r = read_csv("a\nb\nc\nd\n", limits);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "too_many_rows");
  EXPECT_EQ(r.error().message, "文件超过行数上限（3 行），请拆分后分批导入");
  EXPECT_TRUE(read_csv("a,b,c,,,,,\n", limits).ok());
  r = read_csv("a,b,c,d\n", limits);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "too_many_columns");
  EXPECT_EQ(r.error().message, "第 1 行的 D 列超出列数上限（3 列）");
  limits.max_file_bytes = 4;
  r = read_csv("a,b,c\n", limits);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "payload_too_large");
}

TEST(CsvSamples, RosterGb18030HasTwelveRowsAndAQuotedComma) {
  auto path = samples_dir() / "roster_gb18030.csv";
  if (!std::filesystem::exists(path))
    GTEST_SKIP() << "no sample at " << path << " (SY_SAMPLES_DIR)";
  auto r = read_csv(slurp(path));
  ASSERT_TRUE(r.ok()) << r.error().message;
  const SheetData& s = *r;
  ASSERT_EQ(s.rows.size(), 13u);
  EXPECT_EQ(s.at(1, 0).text, "姓名");
  EXPECT_EQ(s.at(1, 2).text, "身份证号");
  EXPECT_EQ(s.at(1, 8).text, "所属村(社区)");
  EXPECT_EQ(s.at(1, 14).text, "备注");
  int quoted_commas = 0;
  for (size_t row = 2; row <= 13; ++row) {
    EXPECT_FALSE(s.at(row, 0).empty()) << row;
    EXPECT_EQ(s.at(row, 2).text.size(), 18u) << row;
    EXPECT_LE(s.rows[row - 1].size(), 15u) << row;
    if (s.at(row, 14).text.find(',') != std::string_view::npos) ++quoted_commas;
  }
  EXPECT_EQ(quoted_commas, 1);
  EXPECT_EQ(s.at(2, 0).text, "乔敏国");
  EXPECT_EQ(s.at(2, 2).text, "14092419461124790X");
  EXPECT_EQ(s.at(6, 14).text, "住址含逗号,已加引号");
  EXPECT_EQ(s.at(13, 0).text, "程军");
}

}  // namespace
}  // namespace sy::io
