// Roster import (花名册导入): an .xlsx from Excel or WPS, or a .csv in UTF-8 or GB18030, into the
// registry, with a verdict for every row.
//
// Contract:
// - The header row is found under any title rows; columns are matched by the header names and
//   synonyms rosters use (DOMAIN.md §9), in any order; 序号, blank rows and footer rows (合计,
//   制表人, 审核人 …) are skipped.
// - Each data row is created, updated (same ID: given cells overwrite, empty cells keep what is
//   stored), unchanged, or rejected with its sheet row number, column and a Chinese reason.
// - An ID that Excel stored as a number has lost digits and is rejected; a second row with an ID
//   already seen in the file is rejected, naming the first row.
// - The whole import is one transaction: a failure part-way writes nothing; `dry_run` writes
//   nothing; an import that changes nothing writes nothing (not even an audit row).
// - A file over the channel's size cap is "payload_too_large"; a sheet with a value past the
//   channel's row cap is "too_many_rows"; both name the cap and the setting, and write nothing.
#pragma once

#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "audit/context.h"
#include "core/result.h"
#include "io/sheet.h"

namespace sy::registry {

// Where a roster comes from: its file size and row caps are the settings of that channel
// (auth::Settings import_web_* / import_cli_*), so an administrator can change them.
enum class ImportChannel { kWeb, kCommandLine };

struct ImportOptions {
  std::string file_name;  // to check that the content matches the extension
  std::string town;       // 6/9/12-digit code of the township (or county) villages are matched in
  bool dry_run = false;
  ImportChannel channel = ImportChannel::kWeb;
  // On SQLite, once an import has created this many persons (and at least as many as the table
  // held before), the search indexes are dropped and built again at the end instead of taking a
  // million inserts at random places (DECISIONS.md); tests set it low to exercise that phase.
  int bulk_after_rows = 50000;
  // The reader's other limits (columns, zip-bomb guards); max_file_bytes and max_rows come from
  // the channel's settings, and the cell and inflated-size budgets grow with the row cap.
  io::ReadLimits limits;
};

struct RowVerdict {
  int row = 0;          // sheet row number, as the user sees it
  std::string verdict;  // created | updated | unchanged | rejected
  std::string column;   // the header of the column at fault
  std::string code;
  std::string message;
  std::vector<std::string> warnings;
};

struct ImportReport {
  int rows = 0, created = 0, updated = 0, unchanged = 0, rejected = 0;
  int header_row = 0;
  std::deque<RowVerdict> verdicts;                   // one per data row (a deque: never moved)
  std::vector<std::string> headers;                  // as written in the file
  std::vector<std::vector<std::string>> rejected_rows;  // their cells, for the error workbook
  bool dry_run = false;
};

Result<ImportReport> import_persons(const Context& ctx, std::string_view bytes, const ImportOptions& options);

// The rejected rows with a 错误原因 column, ready to fix and import again.
Result<std::string> error_workbook(const ImportReport& report);

// The import template's headers, in order (what export writes too).
const std::vector<std::string>& template_headers();

}  // namespace sy::registry
