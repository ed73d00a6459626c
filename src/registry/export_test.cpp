#include "registry/export.h"

#include <gtest/gtest.h>
#include <zip.h>

#include "io/xlsx_reader.h"
#include "registry/import.h"

namespace sy::registry {
namespace {

std::string entry(const std::string& xlsx, const char* name) {
  zip_error_t err;
  zip_source_t* src = zip_source_buffer_create(xlsx.data(), xlsx.size(), 0, &err);
  zip_t* z = zip_open_from_source(src, ZIP_RDONLY, &err);
  if (!z) return {};
  std::string out;
  if (zip_file_t* f = zip_fopen(z, name, 0)) {
    char buf[4096];
    zip_int64_t n;
    while ((n = zip_fread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    zip_fclose(f);
  }
  zip_close(z);
  return out;
}

TEST(ImportTemplate, HasTheHeadersAnExampleAndDropDownLists) {
  auto bytes = import_template();
  ASSERT_TRUE(bytes.ok());
  auto sheet = io::read_xlsx_sheet(*bytes);
  ASSERT_TRUE(sheet.ok());
  ASSERT_GE(sheet->rows.size(), 2u);
  const auto& headers = template_headers();
  for (size_t c = 0; c < headers.size(); ++c) EXPECT_EQ(sheet->rows[0][c].text, headers[c]);
  EXPECT_EQ(sheet->rows[1][1].text, "11010519491231002X");
  EXPECT_EQ(sheet->rows[1][1].kind, io::CellKind::kText);  // the ID column is text
  std::string xml = entry(*bytes, "xl/worksheets/sheet1.xml");
  EXPECT_NE(xml.find("<dataValidation type=\"list\""), std::string::npos);
  EXPECT_NE(xml.find("字典!$A$1:$A$15"), std::string::npos);  // 15 categories
  EXPECT_NE(xml.find("字典!$B$1:$B$10"), std::string::npos);  // 一级…十级
}

}  // namespace
}  // namespace sy::registry
