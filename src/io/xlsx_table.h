// Writes simple tables (a header row and rows of text) as an .xlsx workbook, one sheet each.
//
// Contract: every cell is written as text, so ID numbers and bank accounts are never turned into
// numbers by Excel; the header row is bold and frozen; column widths fit the content roughly.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace sy::io {

struct Table {
  std::string sheet_name;
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
};

// The workbook's bytes.
Result<std::string> write_xlsx(const Table& table);
// Several sheets in one workbook, in order.
Result<std::string> write_xlsx_sheets(const std::vector<Table>& tables);

}  // namespace sy::io
