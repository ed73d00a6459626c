// Reads a CSV file from its bytes into the SheetData form of io/sheet.h, for importers.
//
// Contract: the encoding is found from the bytes: a UTF-8 BOM, a UTF-16 LE or BE BOM, else UTF-8
// when the bytes are valid UTF-8, else GB18030 (what Excel and WPS write on Chinese Windows); bytes
// that decode in none of these are "csv_encoding". Fields follow RFC 4180: quoted fields may hold
// commas, doubled quotes and line breaks (which become LF); CRLF, LF and lone CR end records; a
// quote inside an unquoted field is kept as written; a quote left open is "csv_unterminated_quote"
// naming its row.
// Records become rows (rows[i] is record i+1), blank lines are kept as empty rows, trailing blank
// lines are dropped. A header line with tabs and no commas makes the file tab-separated (Excel's
// "Unicode text"). Excel's ="0123" guard (written to keep leading zeros) is unwrapped to 0123.
// Every non-empty field is kText exactly as written (no trimming, no number conversion); an empty
// field is an empty cell. Also refused: a file over max_file_bytes ("payload_too_large"), an .xlsx
// or .xls given as CSV or any binary file ("csv_not_text"), a value past max_rows or max_columns.
#pragma once

#include <string_view>

#include "core/result.h"
#include "io/sheet.h"

namespace sy::io {

Result<SheetData> read_csv(std::string_view bytes, const ReadLimits& limits = {});

// The same, row by row (io/sheet.h RowSink): memory is the decoded text and one row.
Status read_csv_rows(std::string_view bytes, const ReadLimits& limits, const RowSink& sink);

}  // namespace sy::io
