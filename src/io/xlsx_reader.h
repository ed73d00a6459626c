// Reads the sheets of an .xlsx workbook from its bytes (Excel, WPS, LibreOffice, openpyxl,
// libxlsxwriter), into the SheetData form of io/sheet.h, for importers.
//
// Contract: nothing is written to disk; the upload is read from memory (libzip) and each sheet is
// parsed as a stream, so memory is the cells kept, not the XML. Shared and inline strings (rich
// text runs joined, phonetic runs left out), numbers, booleans, errors and formula results are
// read; a number is kDate when its cell format is a date or time (built-in 14–22, 27–36, 45–47,
// 50–58 or a custom format with y/m/d/h/s outside quotes and brackets); 1904-based workbooks are
// converted to 1900 serials. Cells are placed by their reference (A1), missing cells are empty,
// merged cells have their value in the top-left cell only. Refused with a clear Chinese message,
// never a crash or an unbounded allocation:
//   - not a zip ("xlsx_invalid"), an .xls or an encrypted workbook (an OLE file: "xlsx_legacy"),
//     a zip without a workbook ("xlsx_invalid"), an encrypted zip entry ("xlsx_encrypted");
//   - a file over max_file_bytes ("payload_too_large");
//   - zip bombs ("zip_bomb"): declared sizes are checked before inflating and the inflated bytes
//     are counted while reading, against max_uncompressed_bytes and max_compression_ratio;
//   - any DOCTYPE or entity declaration in any XML part ("xml_doctype");
//   - a value past max_rows ("too_many_rows"), past max_columns ("too_many_columns"), or more than
//     max_cells values ("too_many_cells"); each message names the sheet and the limit.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "io/sheet.h"

namespace sy::io {

// Every worksheet in workbook order (chart sheets are skipped).
Result<std::vector<SheetData>> read_xlsx(std::string_view bytes, const ReadLimits& limits = {});

// One worksheet: the one named `sheet_name`, or when it is empty the first visible worksheet.
// A name that matches no sheet is "sheet_not_found".
Result<SheetData> read_xlsx_sheet(std::string_view bytes, const ReadLimits& limits = {},
                                  std::string_view sheet_name = {});

// The same sheet, row by row (io/sheet.h RowSink): memory is the shared strings and one row.
Status read_xlsx_sheet_rows(std::string_view bytes, const ReadLimits& limits, const RowSink& sink,
                            std::string_view sheet_name = {});

// The worksheet names in workbook order, without reading any cells.
Result<std::vector<std::string>> xlsx_sheet_names(std::string_view bytes,
                                                  const ReadLimits& limits = {});

}  // namespace sy::io
