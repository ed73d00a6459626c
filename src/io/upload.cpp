#include "io/upload.h"

#include <cctype>

#include "io/csv_reader.h"
#include "io/xlsx_reader.h"

namespace sy::io {
namespace {
Error file_error(const std::string& message) { return make_error("invalid_file", message, "file"); }
}  // namespace

Result<SheetData> read_uploaded_sheet(std::string_view bytes, const std::string& file_name, const ReadLimits& limits) {
  if (bytes.size() > limits.max_file_bytes) {
    return make_error("file_too_large", "文件过大（上限 " + std::to_string(limits.max_file_bytes >> 20) + " MB）", "file");
  }
  std::string name = file_name;
  for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  bool zip = bytes.starts_with("PK\x03\x04");
  bool ole = bytes.starts_with("\xD0\xCF\x11\xE0");
  if (ole) return file_error("这是旧版 Excel（.xls）或加密的文件，请在 Excel 或 WPS 中“另存为” .xlsx 后再导入");
  if (name.ends_with(".xlsx") && !zip) return file_error("文件扩展名是 .xlsx，但内容不是 Excel 文件");
  if (name.ends_with(".csv") && zip) return file_error("文件扩展名是 .csv，但内容是 Excel 文件，请改用 .xlsx 扩展名");
  if (!name.empty() && !name.ends_with(".xlsx") && !name.ends_with(".csv")) {
    return file_error("只能导入 .xlsx 或 .csv 文件");
  }
  if (zip) return read_xlsx_sheet(bytes, limits);
  return read_csv(bytes, limits);
}

}  // namespace sy::io
