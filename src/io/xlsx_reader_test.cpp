#include "io/xlsx_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>
#include <zlib.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

namespace sy::io {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A workbook written by libxlsxwriter (shared strings; inline strings in constant-memory mode).
std::string xlsxwriter_book(const std::function<void(lxw_workbook*)>& fill,
                            bool constant_memory = false) {
  char path[] = "/tmp/sy-xlsx-reader-test-XXXXXX";
  int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  close(fd);
  lxw_workbook_options opts{};
  opts.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE;
  lxw_workbook* wb = workbook_new_opt(path, &opts);
  fill(wb);
  EXPECT_EQ(workbook_close(wb), LXW_NO_ERROR);
  std::string bytes = slurp(path);
  unlink(path);
  return bytes;
}

// A zip made in memory by libzip; `stored` entries are not compressed.
std::string make_zip(const std::vector<std::pair<std::string, std::string>>& files) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* buf = zip_source_buffer_create(nullptr, 0, 0, &err);
  zip_source_keep(buf);
  zip_t* za = zip_open_from_source(buf, ZIP_TRUNCATE, &err);
  EXPECT_NE(za, nullptr);
  for (const auto& [name, data] : files) {
    zip_source_t* s = zip_source_buffer(za, data.data(), data.size(), 0);
    zip_int64_t idx = zip_file_add(za, name.c_str(), s, ZIP_FL_ENC_UTF_8);
    EXPECT_GE(idx, 0);
    zip_set_file_compression(za, static_cast<zip_uint64_t>(idx), ZIP_CM_DEFLATE, 9);
  }
  EXPECT_EQ(zip_close(za), 0);
  EXPECT_EQ(zip_source_open(buf), 0);
  zip_source_seek(buf, 0, SEEK_END);
  zip_int64_t size = zip_source_tell(buf);
  zip_source_seek(buf, 0, SEEK_SET);
  std::string out(static_cast<size_t>(size), '\0');
  zip_source_read(buf, out.data(), static_cast<zip_uint64_t>(size));
  zip_source_close(buf);
  zip_source_free(buf);
  zip_error_fini(&err);
  return out;
}

// A zip written byte by byte with zlib (run-length deflate, so 100 MB of zeros takes a moment),
// where an entry may claim an uncompressed size it does not have.
std::string raw_zip(const std::vector<std::pair<std::string, std::string>>& files,
                    const std::map<std::string, uint32_t>& claimed_sizes = {}) {
  auto put16 = [](std::string& out, uint32_t v) {
    out += static_cast<char>(v & 0xFF);
    out += static_cast<char>((v >> 8) & 0xFF);
  };
  auto put32 = [&](std::string& out, uint32_t v) {
    put16(out, v & 0xFFFF);
    put16(out, v >> 16);
  };
  std::string out;
  std::string central;
  for (const auto& [name, data] : files) {
    z_stream z{};
    EXPECT_EQ(deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_RLE), Z_OK);
    std::string packed(deflateBound(&z, data.size()), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(packed.data());
    z.avail_out = static_cast<uInt>(packed.size());
    EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
    packed.resize(z.total_out);
    deflateEnd(&z);
    uint32_t crc = static_cast<uint32_t>(
        crc32(0, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
    auto claimed = claimed_sizes.find(name);
    uint32_t size =
        claimed == claimed_sizes.end() ? static_cast<uint32_t>(data.size()) : claimed->second;
    uint32_t offset = static_cast<uint32_t>(out.size());
    put32(out, 0x04034b50);
    put16(out, 20);
    put16(out, 0x0800);
    put16(out, 8);
    put32(out, 0);
    put32(out, crc);
    put32(out, static_cast<uint32_t>(packed.size()));
    put32(out, size);
    put16(out, static_cast<uint32_t>(name.size()));
    put16(out, 0);
    out += name;
    out += packed;
    put32(central, 0x02014b50);
    put16(central, 20);
    put16(central, 20);
    put16(central, 0x0800);
    put16(central, 8);
    put32(central, 0);
    put32(central, crc);
    put32(central, static_cast<uint32_t>(packed.size()));
    put32(central, size);
    put16(central, static_cast<uint32_t>(name.size()));
    put16(central, 0);
    put16(central, 0);
    put16(central, 0);
    put16(central, 0);
    put32(central, 0);
    put32(central, offset);
    central += name;
  }
  uint32_t central_offset = static_cast<uint32_t>(out.size());
  out += central;
  put32(out, 0x06054b50);
  put16(out, 0);
  put16(out, 0);
  put16(out, static_cast<uint32_t>(files.size()));
  put16(out, static_cast<uint32_t>(files.size()));
  put32(out, static_cast<uint32_t>(central.size()));
  put32(out, central_offset);
  put16(out, 0);
  return out;
}

const char kNs[] = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

std::string sheet_xml(const std::string& sheet_data, const std::string& prolog = {}) {
  return prolog + "<worksheet xmlns=\"" + kNs + "\"><sheetData>" + sheet_data +
         "</sheetData></worksheet>";
}

// A hand-made workbook with one sheet (or more) and optional extra parts.
std::string hand_xlsx(const std::string& sheet, std::map<std::string, std::string> extra = {},
                      const std::string& workbook_pr = {},
                      const std::map<std::string, uint32_t>* claimed_sizes = nullptr) {
  std::string rels =
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
      "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
      "relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
  std::string wb_rels =
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
      "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
      "relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
      "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
      "relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
      "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
      "relationships/styles\" Target=\"styles.xml\"/></Relationships>";
  std::string wb = std::string("<workbook xmlns=\"") + kNs +
                   "\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/"
                   "relationships\">" +
                   workbook_pr + "<sheets><sheet name=\"数据\" sheetId=\"1\" r:id=\"rId1\"/>" +
                   "</sheets></workbook>";
  std::map<std::string, std::string> parts = {
      {"[Content_Types].xml", "<Types/>"},
      {"_rels/.rels", rels},
      {"xl/workbook.xml", wb},
      {"xl/_rels/workbook.xml.rels", wb_rels},
      {"xl/worksheets/sheet1.xml", sheet},
  };
  for (auto& [k, v] : extra) parts[k] = v;
  std::vector<std::pair<std::string, std::string>> files(parts.begin(), parts.end());
  return claimed_sizes ? raw_zip(files, *claimed_sizes) : make_zip(files);
}

std::filesystem::path samples_dir() {
  if (const char* env = std::getenv("SY_SAMPLES_DIR")) return env;
  // This file is <repo>/src/io/xlsx_reader_test.cpp; the samples are <repo>/../shared/samples.
  return (std::filesystem::path(__FILE__).parent_path() / ".." / ".." / ".." / "shared" / "samples")
      .lexically_normal();
}

// ---------------------------------------------------------------------------------------------

TEST(XlsxSheetData, RowPacksCellsAndAnswersEmptyPastTheEnd) {
  RowBuilder b;
  b.set(3, CellKind::kNumber, "42", 42);
  b.set(0, CellKind::kText, "甲");
  b.set(1, CellKind::kEmpty, "");
  b.set(0, CellKind::kText, "乙");  // a later write to the same column wins
  b.set(7, CellKind::kEmpty, "ignored");
  EXPECT_EQ(b.size(), 4u);
  Row row = b.build();
  EXPECT_TRUE(b.empty());
  ASSERT_EQ(row.size(), 4u);
  EXPECT_EQ(row[0].text, "乙");
  EXPECT_EQ(row[0].kind, CellKind::kText);
  EXPECT_TRUE(row[1].empty());
  EXPECT_TRUE(row[2].empty());
  EXPECT_EQ(row[3].kind, CellKind::kNumber);
  EXPECT_EQ(row[3].number, 42);
  EXPECT_EQ(row[3].text, "42");
  EXPECT_TRUE(row[4].empty());
  EXPECT_TRUE(row[1000].empty());
  Row copy = row;
  EXPECT_EQ(copy[0].text, "乙");
  EXPECT_NE(copy[0].text.data(), row[0].text.data());
  EXPECT_TRUE(Row().empty());
  EXPECT_TRUE(b.build().empty());
}

TEST(XlsxSheetData, ColumnNamesSerialsAndNumberText) {
  EXPECT_EQ(column_name(0), "A");
  EXPECT_EQ(column_name(25), "Z");
  EXPECT_EQ(column_name(26), "AA");
  EXPECT_EQ(column_name(27), "AB");
  EXPECT_EQ(column_name(199), "GR");
  EXPECT_EQ(column_name(16383), "XFD");
  EXPECT_EQ(excel_serial_to_iso(1), "1900-01-01");
  EXPECT_EQ(excel_serial_to_iso(59), "1900-02-28");
  EXPECT_EQ(excel_serial_to_iso(60), "1900-02-29");
  EXPECT_EQ(excel_serial_to_iso(61), "1900-03-01");
  EXPECT_EQ(excel_serial_to_iso(42444), "2016-03-15");
  EXPECT_EQ(excel_serial_to_iso(43831.75), "2020-01-01 18:00:00");
  EXPECT_EQ(excel_serial_to_iso(0.5), "12:00:00");
  EXPECT_EQ(excel_serial_to_iso(2958465), "9999-12-31");
  EXPECT_EQ(number_text(80140), "80140");
  EXPECT_EQ(number_text(13967735468.0), "13967735468");
  EXPECT_EQ(number_text(-3), "-3");
  EXPECT_EQ(number_text(0.1), "0.1");
  EXPECT_EQ(number_text(550.5), "550.5");
  EXPECT_EQ(number_text(1.409241956062747e+17), "1.409241956062747e+17");
  EXPECT_TRUE(valid_utf8("汉字 abc"));
  EXPECT_FALSE(valid_utf8("\xC0\xAF"));
  EXPECT_FALSE(valid_utf8("\xED\xA0\x80"));
  EXPECT_FALSE(valid_utf8("\xE6\xB1"));
}

// ---------------------------------------------------------------------------------------------

void write_roster(lxw_workbook* wb, bool constant_memory) {
  lxw_worksheet* ws = workbook_add_worksheet(wb, "花名册");
  lxw_format* date = workbook_add_format(wb);
  format_set_num_format(date, "yyyy-mm-dd");
  lxw_format* builtin_date = workbook_add_format(wb);
  format_set_num_format_index(builtin_date, 14);
  lxw_format* cn_date = workbook_add_format(wb);
  format_set_num_format(cn_date, "yyyy\"年\"m\"月\"d\"日\"");
  lxw_format* two_dp = workbook_add_format(wb);
  format_set_num_format(two_dp, "0.00");
  lxw_format* quoted_d = workbook_add_format(wb);
  format_set_num_format(quoted_d, "\"d\"0");
  lxw_format* sci = workbook_add_format(wb);
  format_set_num_format_index(sci, 11);
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);

  worksheet_merge_range(ws, 0, 0, 0, 4, "繁峙县繁城镇优抚对象花名册", bold);
  const char* headers[] = {"姓名", "身份证号", "批准时间", "金额", "是否低保"};
  for (int c = 0; c < 5; ++c)
    worksheet_write_string(ws, 1, static_cast<lxw_col_t>(c), headers[c], nullptr);
  worksheet_write_string(ws, 2, 0, "汪军", nullptr);
  worksheet_write_string(ws, 2, 1, "140924195505151351", nullptr);
  lxw_datetime dt = {2016, 3, 15, 0, 0, 0};
  worksheet_write_datetime(ws, 2, 2, &dt, date);
  worksheet_write_number(ws, 2, 3, 80140, nullptr);
  worksheet_write_boolean(ws, 2, 4, 1, nullptr);
  // Row 4 (index 3) is blank.
  worksheet_write_string(ws, 4, 0, " 程建德\xE3\x80\x80", nullptr);
  worksheet_write_number(ws, 4, 1, 140924195505151351.0, sci);
  worksheet_write_number(ws, 4, 2, 42444, builtin_date);
  worksheet_write_number(ws, 4, 3, 550.5, two_dp);
  worksheet_write_formula_num(ws, 4, 4, "=1+2", nullptr, 3);
  worksheet_write_string(ws, 5, 0, "所属村\n(社区)", nullptr);
  worksheet_write_number(ws, 5, 2, 42736, cn_date);
  worksheet_write_number(ws, 5, 3, 7, quoted_d);
  if (!constant_memory) {
    lxw_rich_string_tuple a = {bold, const_cast<char*>("西义")};
    lxw_rich_string_tuple b = {nullptr, const_cast<char*>("村")};
    lxw_rich_string_tuple* rich[] = {&a, &b, nullptr};
    worksheet_write_rich_string(ws, 5, 4, rich, nullptr);
  }
  worksheet_write_string(ws, 6, 7, "H7", nullptr);
}

void expect_roster(const SheetData& s, bool constant_memory) {
  EXPECT_EQ(s.name, "花名册");
  EXPECT_FALSE(s.hidden);
  ASSERT_EQ(s.rows.size(), 7u);
  // Merged title: the value is in the top-left cell only.
  EXPECT_EQ(s.at(1, 0).text, "繁峙县繁城镇优抚对象花名册");
  EXPECT_EQ(s.rows[0].size(), 1u);
  EXPECT_TRUE(s.at(1, 1).empty());
  EXPECT_EQ(s.at(2, 4).text, "是否低保");
  // Text stays text, however much it looks like a number.
  EXPECT_EQ(s.at(3, 1).kind, CellKind::kText);
  EXPECT_EQ(s.at(3, 1).text, "140924195505151351");
  Cell date = s.at(3, 2);
  EXPECT_EQ(date.kind, CellKind::kDate);
  EXPECT_EQ(date.number, 42444);
  EXPECT_EQ(date.text, "2016-03-15");
  EXPECT_EQ(s.at(3, 3).kind, CellKind::kNumber);
  EXPECT_EQ(s.at(3, 3).text, "80140");
  EXPECT_EQ(s.at(3, 4).kind, CellKind::kBool);
  EXPECT_EQ(s.at(3, 4).text, "TRUE");
  EXPECT_EQ(s.at(3, 4).number, 1);
  // The blank row is kept, so row numbers stay the sheet's.
  EXPECT_TRUE(s.rows[3].empty());
  EXPECT_EQ(s.at(5, 0).text, " 程建德\xE3\x80\x80");
  Cell id = s.at(5, 1);
  EXPECT_EQ(id.kind, CellKind::kNumber);
  EXPECT_NEAR(id.number, 1.40924195505151351e17, 1000);
  EXPECT_NE(id.text.find("e+17"), std::string_view::npos) << id.text;
  EXPECT_EQ(s.at(5, 2).kind, CellKind::kDate);
  EXPECT_EQ(s.at(5, 2).text, "2016-03-15");
  EXPECT_EQ(s.at(5, 3).kind, CellKind::kNumber);
  EXPECT_EQ(s.at(5, 3).text, "550.5");
  EXPECT_EQ(s.at(5, 4).kind, CellKind::kNumber);
  EXPECT_EQ(s.at(5, 4).text, "3");
  EXPECT_EQ(s.at(6, 0).text, "所属村\n(社区)");
  EXPECT_EQ(s.at(6, 2).kind, CellKind::kDate);
  EXPECT_EQ(s.at(6, 2).text, "2017-01-01");
  EXPECT_EQ(s.at(6, 3).kind, CellKind::kNumber);
  if (!constant_memory) {
    EXPECT_EQ(s.at(6, 4).text, "西义村");
  }
  EXPECT_EQ(s.rows[6].size(), 8u);
  EXPECT_EQ(s.at(7, 7).text, "H7");
  EXPECT_TRUE(s.at(7, 6).empty());
  EXPECT_TRUE(s.at(8, 0).empty());
  EXPECT_TRUE(s.at(0, 0).empty());
}

TEST(XlsxReader, ReadsSharedStringWorkbookFromLibxlsxwriter) {
  std::string bytes = xlsxwriter_book([](lxw_workbook* wb) { write_roster(wb, false); });
  auto sheets = read_xlsx(bytes);
  ASSERT_TRUE(sheets.ok()) << sheets.error().message;
  ASSERT_EQ(sheets->size(), 1u);
  expect_roster((*sheets)[0], false);
}

TEST(XlsxReader, ReadsInlineStringWorkbookFromLibxlsxwriter) {
  std::string bytes = xlsxwriter_book([](lxw_workbook* wb) { write_roster(wb, true); }, true);
  auto sheet = read_xlsx_sheet(bytes);
  ASSERT_TRUE(sheet.ok()) << sheet.error().message;
  expect_roster(*sheet, true);
}

TEST(XlsxReader, ChoosesSheetsByNameOrFirstVisible) {
  std::string bytes = xlsxwriter_book([](lxw_workbook* wb) {
    lxw_worksheet* lists = workbook_add_worksheet(wb, "下拉列表");
    worksheet_write_string(lists, 0, 0, "烈士遗属", nullptr);
    worksheet_hide(lists);
    lxw_worksheet* data = workbook_add_worksheet(wb, "数据");
    worksheet_write_string(data, 0, 0, "姓名", nullptr);
    worksheet_activate(data);
  });
  auto names = xlsx_sheet_names(bytes);
  ASSERT_TRUE(names.ok()) << names.error().message;
  EXPECT_EQ(*names, (std::vector<std::string>{"下拉列表", "数据"}));
  auto first = read_xlsx_sheet(bytes);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->name, "数据");
  EXPECT_EQ(first->at(1, 0).text, "姓名");
  auto hidden = read_xlsx_sheet(bytes, {}, "下拉列表");
  ASSERT_TRUE(hidden.ok());
  EXPECT_TRUE(hidden->hidden);
  EXPECT_EQ(hidden->at(1, 0).text, "烈士遗属");
  auto missing = read_xlsx_sheet(bytes, {}, "没有");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "sheet_not_found");
  EXPECT_EQ(missing.error().message, "找不到工作表「没有」");
  auto all = read_xlsx(bytes);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 2u);
}

TEST(XlsxReader, ReadsHandWrittenXmlVariants) {
  // Namespace prefixes, cells without references or out of order, phonetic runs, escapes, CDATA,
  // comments, character references, ISO dates, errors, formula strings and a 1904 workbook.
  std::string sheet =
      std::string("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n") +
      "<x:worksheet xmlns:x=\"" + kNs + "\"><x:dimension ref=\"A1:D4\"/><x:sheetData>\n" +
      "  <x:row r=\"1\"><x:c t=\"s\"><x:v>0</x:v></x:c><x:c t=\"s\"><x:v>1</x:v></x:c>"
      "<x:c r=\"D1\" t=\"inlineStr\"><x:is><x:t xml:space=\"preserve\"> a&amp;b&#x4E2D;&#25991; "
      "</x:t></x:is></x:c><x:c r=\"C1\" "
      "t=\"str\"><x:f>A1&amp;B1</x:f><x:v>甲乙</x:v></x:c></x:row>\n"
      "  <!-- a comment -->\n"
      "  <x:row><x:c r=\"A2\" s=\"1\"><x:v>42444</x:v></x:c><x:c r=\"B2\" t=\"d\">"
      "<x:v>2016-03-15T08:30:00</x:v></x:c><x:c r=\"C2\" t=\"e\"><x:v>#N/A</x:v></x:c>"
      "<x:c r=\"D2\" t=\"s\"><x:v>2</x:v></x:c></x:row>\n"
      "  <x:row r=\"4\"><x:c r=\"A4\" t=\"inlineStr\"><x:is><x:t><![CDATA[<原样>]]></x:t></x:is>"
      "</x:c><x:c r=\"B4\" t=\"b\"><x:v>0</x:v></x:c><x:c r=\"C4\" s=\"2\"><x:v>0.5</x:v></x:c>"
      "<x:c r=\"D4\" s=\"1\"/><x:c r=\"E4\" t=\"inlineStr\"><x:is/></x:c></x:row>\n"
      "  <x:row r=\"9\" spans=\"1:1\" s=\"3\" customFormat=\"1\"><x:c r=\"A9\" s=\"3\"/></x:row>\n"
      "</x:sheetData><x:mergeCells count=\"1\"><x:mergeCell ref=\"A1:B1\"/></x:mergeCells>"
      "</x:worksheet>";
  std::string sst = std::string("<sst xmlns=\"") + kNs +
                    "\" count=\"3\" uniqueCount=\"3\"><si><t>第一行_x000D_\r\n第二行</t></si>"
                    "<si><r><rPr><b/></rPr><t>繁峙</t></r><r><t>县</t></r>"
                    "<rPh sb=\"0\" eb=\"1\"><t>ハンシ</t></rPh></si><si><t/></si></sst>";
  std::string styles = std::string("<styleSheet xmlns=\"") + kNs +
                       "\"><numFmts count=\"1\"><numFmt numFmtId=\"176\" "
                       "formatCode=\"[$-804]h&quot;时&quot;mm&quot;分&quot;\"/></numFmts>"
                       "<cellXfs count=\"4\"><xf numFmtId=\"0\"/><xf numFmtId=\"31\"/>"
                       "<xf numFmtId=\"176\"/><xf numFmtId=\"49\"/></cellXfs></styleSheet>";
  std::string bytes = hand_xlsx(sheet, {{"xl/sharedStrings.xml", sst}, {"xl/styles.xml", styles}},
                                "<workbookPr date1904=\"1\"/>");
  auto r = read_xlsx_sheet(bytes);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const SheetData& s = *r;
  EXPECT_EQ(s.name, "数据");
  ASSERT_EQ(s.rows.size(), 4u);  // row 9 holds only a styled empty cell
  EXPECT_EQ(s.at(1, 0).text, "第一行\r\n第二行");
  EXPECT_EQ(s.at(1, 1).text, "繁峙县");
  EXPECT_EQ(s.at(1, 2).text, "甲乙");
  EXPECT_EQ(s.at(1, 2).kind, CellKind::kText);
  EXPECT_EQ(s.at(1, 3).text, " a&b中文 ");
  // Row 2 has no r attribute: it follows row 1. Its date is 1904-based: 42444 + 1462.
  EXPECT_EQ(s.at(2, 0).kind, CellKind::kDate);
  EXPECT_EQ(s.at(2, 0).number, 42444 + 1462);
  EXPECT_EQ(s.at(2, 0).text, "2020-03-16");
  EXPECT_EQ(s.at(2, 1).kind, CellKind::kDate);
  EXPECT_EQ(s.at(2, 1).text, "2016-03-15 08:30:00");
  EXPECT_EQ(s.at(2, 2).kind, CellKind::kError);
  EXPECT_EQ(s.at(2, 2).text, "#N/A");
  EXPECT_TRUE(s.at(2, 3).empty());  // an empty shared string
  EXPECT_TRUE(s.rows[2].empty());
  EXPECT_EQ(s.at(4, 0).text, "<原样>");
  EXPECT_EQ(s.at(4, 1).kind, CellKind::kBool);
  EXPECT_EQ(s.at(4, 1).text, "FALSE");
  EXPECT_EQ(s.at(4, 2).kind, CellKind::kDate);
  EXPECT_EQ(s.at(4, 2).text, "12:00:00");
  EXPECT_EQ(s.rows[3].size(), 3u);
}

TEST(XlsxReader, ReadsOpenpyxlStyleAbsoluteTargetsAndOutOfOrderRows) {
  std::string sheet = sheet_xml(
      "<row r=\"3\"><c r=\"B3\" t=\"inlineStr\"><is><t>三</t></is></c></row>"
      "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>一</t></is></c></row>");
  std::string wb_rels =
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
      "<Relationship Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
      "worksheet\" Target=\"/xl/worksheets/sheet1.xml\" Id=\"rId1\"/></Relationships>";
  std::string bytes = hand_xlsx(sheet, {{"xl/_rels/workbook.xml.rels", wb_rels}});
  auto r = read_xlsx_sheet(bytes);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->rows.size(), 3u);
  EXPECT_EQ(r->at(1, 0).text, "一");
  EXPECT_TRUE(r->rows[1].empty());
  EXPECT_EQ(r->at(3, 1).text, "三");
}

// ---------------------------------------------------------------------------------------------
// Bad input.

TEST(XlsxReader, RefusesWhatIsNotAnXlsx) {
  auto r = read_xlsx("姓名,身份证号\n汪军,140924195604213941\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "xlsx_invalid");
  EXPECT_EQ(r.error().message, "文件不是有效的 Excel（.xlsx）文件");
  EXPECT_FALSE(read_xlsx("").ok());
  EXPECT_FALSE(read_xlsx("PK\x03\x04garbage that is not a zip at all").ok());

  std::string ole("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
  ole += std::string(600, '\0');
  r = read_xlsx(ole);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "xlsx_legacy");
  EXPECT_NE(r.error().message.find("另存为 .xlsx"), std::string::npos);

  r = read_xlsx(make_zip({{"hello.txt", "hi"}}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "xlsx_invalid");
  EXPECT_NE(r.error().message.find("workbook.xml"), std::string::npos);

  r = read_xlsx(make_zip({{"word/document.xml", "<w:document/>"}}));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("Word"), std::string::npos);

  // A truncated workbook: the zip's central directory is gone.
  std::string good = hand_xlsx(sheet_xml("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"));
  r = read_xlsx(std::string_view(good).substr(0, good.size() / 2));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "xlsx_invalid");

  // A cell outside any row.
  r = read_xlsx(hand_xlsx(sheet_xml("<c r=\"A1\"><v>1</v></c>")));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "xlsx_invalid");

  // A sheet whose XML breaks off.
  r = read_xlsx(
      hand_xlsx("<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>x"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "xlsx_invalid");
}

TEST(XlsxReader, RefusesFilesOverTheSizeCap) {
  std::string good = hand_xlsx(sheet_xml("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"));
  ReadLimits limits;
  limits.max_file_bytes = 100;
  auto r = read_xlsx(good, limits);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "payload_too_large");
}

TEST(XlsxReader, RefusesAZipBombQuicklyByItsRatio) {
  std::string zeros(100u << 20, '\0');
  std::map<std::string, uint32_t> honest;
  std::string bytes = hand_xlsx(zeros, {}, {}, &honest);
  EXPECT_LT(bytes.size(), 400u << 10);
  auto start = std::chrono::steady_clock::now();
  auto r = read_xlsx(bytes);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  start)
                .count();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "zip_bomb");
  EXPECT_NE(r.error().message.find("压缩比超过 200 倍"), std::string::npos) << r.error().message;
  EXPECT_LT(ms, 500);
}

TEST(XlsxReader, RefusesAZipBombThatLiesAboutItsSize) {
  std::string sheet =
      sheet_xml("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>" + std::string(10u << 20, ' '));
  std::map<std::string, uint32_t> lies = {{"xl/worksheets/sheet1.xml", 4000}};
  std::string bytes = hand_xlsx(sheet, {}, {}, &lies);
  auto r = read_xlsx(bytes);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "xlsx_invalid");
  EXPECT_NE(r.error().message.find("xl/worksheets/sheet1.xml"), std::string::npos)
      << r.error().message;
}

TEST(XlsxReader, RefusesMoreThanTheUncompressedTotal) {
  std::string bytes = xlsxwriter_book([](lxw_workbook* wb) { write_roster(wb, false); });
  ReadLimits limits;
  limits.max_uncompressed_bytes = 2000;
  auto r = read_xlsx(bytes, limits);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "zip_bomb");
  EXPECT_NE(r.error().message.find("上限"), std::string::npos);
}

TEST(XlsxReader, RefusesDoctypeAndEntities) {
  std::string laughs =
      "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 "
      "\"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>";
  auto r = read_xlsx(hand_xlsx(sheet_xml(
      "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&lol2;</t></is></c></row>", laughs)));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "xml_doctype");

  std::string xxe =
      "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>";
  std::string sst = xxe + "<sst xmlns=\"" + kNs + "\"><si><t>&x;</t></si></sst>";
  r = read_xlsx(hand_xlsx(sheet_xml("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"),
                          {{"xl/sharedStrings.xml", sst}}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "xml_doctype");

  std::string wb = xxe + "<workbook xmlns=\"" + kNs + "\"><sheets/></workbook>";
  r = read_xlsx(hand_xlsx(sheet_xml(""), {{"xl/workbook.xml", wb}}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "xml_doctype");
  EXPECT_NE(r.error().message.find("DOCTYPE"), std::string::npos);
}

TEST(XlsxReader, RefusesTooManyRowsColumnsAndCells) {
  std::string bytes = xlsxwriter_book([](lxw_workbook* wb) {
    lxw_worksheet* ws = workbook_add_worksheet(wb, "名单");
    for (lxw_row_t r = 0; r < 20; ++r) {
      for (lxw_col_t c = 0; c < 6; ++c) worksheet_write_number(ws, r, c, r * 10 + c, nullptr);
    }
    lxw_format* f = workbook_add_format(wb);
    format_set_bold(f);
    worksheet_write_blank(ws, 0, 300, f);  // formatting alone past the limit does not count
  });
  ReadLimits limits;
  limits.max_rows = 20;
  limits.max_columns = 6;
  auto ok = read_xlsx(bytes, limits);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ((*ok)[0].rows.size(), 20u);

  limits.max_rows = 10;
  auto r = read_xlsx(bytes, limits);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "too_many_rows");
  EXPECT_EQ(r.error().message, "工作表「名单」超过行数上限（10 行），请拆分后分批导入");

  limits.max_rows = 100;
  limits.max_columns = 5;
  r = read_xlsx(bytes, limits);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "too_many_columns");
  EXPECT_EQ(r.error().message, "工作表「名单」第 1 行的 F 列超出列数上限（5 列）");

  limits.max_columns = 200;
  limits.max_cells = 100;  // also bounds the shared strings kept
  r = read_xlsx(bytes, limits);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "too_many_cells");
}

TEST(XlsxReader, RefusesAnEncryptedZipEntry) {
  std::string sheet = sheet_xml("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>");
  std::string plain = hand_xlsx(sheet);
  // Re-pack with the sheet encrypted, when this libzip can encrypt.
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* buf = zip_source_buffer_create(nullptr, 0, 0, &err);
  zip_source_keep(buf);
  zip_t* za = zip_open_from_source(buf, ZIP_TRUNCATE, &err);
  ASSERT_NE(za, nullptr);
  std::string wb = std::string("<workbook xmlns=\"") + kNs +
                   "\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/"
                   "relationships\"><sheets><sheet name=\"a\" sheetId=\"1\" r:id=\"rId1\"/>"
                   "</sheets></workbook>";
  std::string rels =
      "<Relationships><Relationship Id=\"rId1\" Type=\"x/worksheet\" "
      "Target=\"worksheets/sheet1.xml\"/></Relationships>";
  zip_file_add(za, "xl/workbook.xml", zip_source_buffer(za, wb.data(), wb.size(), 0), 0);
  zip_file_add(za, "xl/_rels/workbook.xml.rels", zip_source_buffer(za, rels.data(), rels.size(), 0),
               0);
  zip_int64_t idx = zip_file_add(za, "xl/worksheets/sheet1.xml",
                                 zip_source_buffer(za, sheet.data(), sheet.size(), 0), 0);
  if (zip_file_set_encryption(za, static_cast<zip_uint64_t>(idx), ZIP_EM_AES_256, "secret") != 0) {
    zip_discard(za);
    zip_source_free(buf);
    GTEST_SKIP() << "libzip without encryption support";
  }
  ASSERT_EQ(zip_close(za), 0);
  ASSERT_EQ(zip_source_open(buf), 0);
  zip_source_seek(buf, 0, SEEK_END);
  std::string bytes(static_cast<size_t>(zip_source_tell(buf)), '\0');
  zip_source_seek(buf, 0, SEEK_SET);
  zip_source_read(buf, bytes.data(), bytes.size());
  zip_source_close(buf);
  zip_source_free(buf);
  auto r = read_xlsx(bytes);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "xlsx_encrypted");
  ASSERT_TRUE(read_xlsx(plain).ok());
}

TEST(XlsxReader, RefusesInvalidUtf8Text) {
  auto r = read_xlsx(hand_xlsx(
      sheet_xml("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>\xC0\xAF</t></is></c></row>")));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "xlsx_invalid");
}

// ---------------------------------------------------------------------------------------------
// The sample files in ../shared/samples.

TEST(XlsxSamples, RosterFanchengReadsAsTheOfficeWroteIt) {
  auto path = samples_dir() / "roster_fancheng.xlsx";
  if (!std::filesystem::exists(path))
    GTEST_SKIP() << "no sample at " << path << " (SY_SAMPLES_DIR)";
  auto r = read_xlsx(slurp(path));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 1u);
  const SheetData& s = (*r)[0];
  EXPECT_EQ(s.name, "优抚对象花名册");
  ASSERT_EQ(s.rows.size(), 44u);
  EXPECT_EQ(s.at(1, 0).text, "繁峙县繁城镇优抚对象花名册");
  EXPECT_TRUE(s.at(1, 1).empty());
  EXPECT_EQ(s.at(2, 0).text, "填报单位：繁城镇人民政府");
  EXPECT_EQ(s.at(3, 0).text, "序号");
  EXPECT_EQ(s.at(3, 1).text, "姓名");
  EXPECT_EQ(s.at(3, 3).text, "公民身份号码");
  EXPECT_EQ(s.at(3, 9).text, "所属村（社区）");
  EXPECT_EQ(s.at(3, 14).text, "批准时间");
  EXPECT_EQ(s.at(3, 18).text, "备注");
  for (size_t row = 4; row <= 44; ++row) {
    if (row == 34) continue;
    EXPECT_FALSE(s.at(row, 1).empty()) << "row " << row;
    EXPECT_EQ(s.at(row, 0).kind, CellKind::kNumber) << "row " << row;
  }
  EXPECT_TRUE(s.rows[33].empty());
  EXPECT_EQ(s.at(4, 1).text, "汪军");
  EXPECT_EQ(s.at(4, 3).text, "140924195604213941");
  EXPECT_TRUE(s.at(4, 7).empty());  // an inline string cell with no text
  EXPECT_EQ(s.at(9, 3).text, "14092419620310049x");
  EXPECT_EQ(s.at(12, 3).text, "140924 １９６００８２１２４８８");
  EXPECT_EQ(s.at(15, 3).text, "140924550515135");
  Cell id18 = s.at(18, 3);
  EXPECT_EQ(id18.kind, CellKind::kNumber);
  EXPECT_EQ(id18.text, "1.409241956062747e+17");
  Cell approved30 = s.at(30, 14);
  EXPECT_EQ(approved30.kind, CellKind::kDate);
  EXPECT_EQ(approved30.number, 42444);
  EXPECT_EQ(approved30.text, "2016-03-15");
  EXPECT_EQ(s.at(33, 14).kind, CellKind::kText);
  EXPECT_EQ(s.at(33, 14).text, "2019.10");
  EXPECT_EQ(s.at(37, 14).text, "2017年6月");
  EXPECT_EQ(s.at(40, 1).text, " 程建德\xE3\x80\x80");
  EXPECT_EQ(s.at(27, 9).text, "不存在村");
  EXPECT_EQ(s.at(44, 1).text, "姜秀");
}

TEST(XlsxSamples, StandardsWorkbookIsReadable) {
  auto path = samples_dir() / "standards_2018_2019.xlsx";
  if (!std::filesystem::exists(path))
    GTEST_SKIP() << "no sample at " << path << " (SY_SAMPLES_DIR)";
  auto r = read_xlsx_sheet(slurp(path));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->name, "抚恤补助标准");
  ASSERT_EQ(r->rows.size(), 22u);
  EXPECT_EQ(r->at(1, 0).text, "项目");
  EXPECT_EQ(r->at(1, 5).text, "标准(元)");
  EXPECT_EQ(r->at(2, 0).text, "残疾抚恤金");
  EXPECT_EQ(r->at(2, 5).kind, CellKind::kNumber);
  EXPECT_EQ(r->at(2, 5).number, 80140);
  EXPECT_EQ(r->at(2, 6).text, "2018-08-01");
  EXPECT_EQ(r->at(22, 1).text, "烈士老年子女");
}

}  // namespace
}  // namespace sy::io
