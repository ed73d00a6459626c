// An uploaded spreadsheet (.xlsx or .csv) read into its first visible sheet, after checking that the
// content is what the file name says.
//
// Contract: refuses, with a Chinese message and code invalid_file or file_too_large (field "file"),
// an old .xls or encrypted workbook, an .xlsx that is not a zip, a .csv that is a zip, any other
// extension, and a file over limits.max_file_bytes. An empty file name skips the extension check
// and goes by content.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "io/sheet.h"

namespace sy::io {

Result<SheetData> read_uploaded_sheet(std::string_view bytes, const std::string& file_name, const ReadLimits& limits);

}  // namespace sy::io
