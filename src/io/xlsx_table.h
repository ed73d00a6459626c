// Writes simple tables (a header row and rows of text) as an .xlsx workbook, one sheet each.
//
// Contract: every cell is written as text, so ID numbers and bank accounts are never turned into
// numbers by Excel; the header row is bold and frozen; column widths fit the content roughly.
// Rows go to a temporary file as they are written (libxlsxwriter's constant-memory mode, strings
// inline), so a sheet of a million rows costs the memory of one row; XlsxStream takes them one by
// one from a caller that never holds them all.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/result.h"

namespace sy::io {

struct Table {
  std::string sheet_name;
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
};

// A workbook written sheet by sheet and row by row; finish() gives its bytes. Rows of a sheet are
// written after its add_sheet and before the next; a failure to create the workbook shows in
// finish(), and nothing is left behind on disk either way.
class XlsxStream {
 public:
  XlsxStream();
  ~XlsxStream();
  XlsxStream(const XlsxStream&) = delete;
  XlsxStream& operator=(const XlsxStream&) = delete;

  void add_sheet(const std::string& name, const std::vector<std::string>& headers);
  void add_row(const std::vector<std::string>& cells);  // cells beyond the headers are dropped
  Result<std::string> finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The workbook's bytes.
Result<std::string> write_xlsx(const Table& table);
// Several sheets in one workbook, in order.
Result<std::string> write_xlsx_sheets(const std::vector<Table>& tables);

}  // namespace sy::io
