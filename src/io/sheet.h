// The in-memory form of a spreadsheet read from an uploaded file (.xlsx or .csv), for importers.
//
// Contract: `rows[i]` is the sheet's row i+1, so an importer reports the row number the user sees;
// blank rows inside the sheet are kept as empty rows, trailing blank rows are dropped. Columns are
// 0-based (0 is A); a row's size() ends at its last non-empty cell, and reading any column past it
// gives an empty cell. Values are kept as the file holds them, never converted:
//   - text stays text: "140924195505151351" typed as text is kText with exactly those characters;
//   - a number stays a number: an ID that Excel stored as 1.40924E+17 is kNumber, and its `text`
//   shows
//     the digits it really kept ("1.409241956062747e+17"), so it can never pass for an ID;
//   - a number whose cell format is a date or time (built-in or custom) is kDate: `number` is the
//     Excel serial (1900 date system, 42444 = 2016-03-15) and `text` is ISO ("2016-03-15", with
//     " HH:MM:SS" when it has a time of day, or "HH:MM:SS" alone for a pure time);
//   - kBool has text "TRUE"/"FALSE" and number 1/0; kError has the error text ("#N/A").
// kNumber text is canonical: integers below 10^15 as plain digits ("13967735468", "80140"), larger
// ones in shortest scientific form, fractions in shortest round-trip form ("0.1", "550.5").
// Whitespace is never trimmed here; an empty string is an empty cell. All text is valid UTF-8.
// A Row packs its cells into one allocation, so 1,000,000 rows of 15 columns stay a few hundred MB.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sy::io {

// How much an uploaded spreadsheet may hold. Every limit, when exceeded, is a clear error that
// names it; importers pass the configured values (the limits are settings).
struct ReadLimits {
  size_t max_file_bytes = 50 << 20;            // the uploaded file itself
  size_t max_rows = 1'100'000;                 // highest sheet row number holding a value
  size_t max_columns = 200;                    // highest column holding a value (200 = GR)
  size_t max_uncompressed_bytes = 1ull << 30;  // all zip entries read, inflated, together
  double max_compression_ratio = 200;          // per zip entry, once it passes 1 MB
  size_t max_cells = 40'000'000;               // non-empty cells in the whole workbook
};

enum class CellKind : uint8_t { kEmpty, kText, kNumber, kDate, kBool, kError };

// One cell: a view into its Row, valid while the Row lives.
struct Cell {
  CellKind kind = CellKind::kEmpty;
  std::string_view text;
  double number = 0;  // kNumber, kDate (serial), kBool (0/1); 0 otherwise

  bool empty() const { return kind == CellKind::kEmpty; }
};

// The cells of one row, packed together. Copyable; cheap to move.
class Row {
 public:
  Row() = default;
  Row(const Row& other);
  Row& operator=(const Row& other);
  Row(Row&&) noexcept = default;
  Row& operator=(Row&&) noexcept = default;

  // Columns up to and including the last non-empty cell.
  size_t size() const;
  bool empty() const { return size() == 0; }
  // The cell in `column` (0-based); an empty cell past size().
  Cell operator[](size_t column) const;

 private:
  friend class RowBuilder;
  std::unique_ptr<char[]> data_;
};

// Collects one row's cells in any column order (a later cell in the same column replaces an earlier
// one), then packs them into a Row.
class RowBuilder {
 public:
  void set(size_t column, CellKind kind, std::string_view text, double number = 0);
  // Columns up to and including the last non-empty cell set so far.
  size_t size() const { return width_; }
  bool empty() const { return width_ == 0; }
  // The packed row; the builder is cleared for the next one.
  Row build();
  void clear();

 private:
  struct Pending {
    uint32_t column;
    CellKind kind;
    uint32_t offset;
    uint32_t length;
    double number;
  };
  std::vector<Pending> cells_;
  std::string text_;
  size_t width_ = 0;
};

struct SheetData {
  std::string name;     // the sheet tab's name; empty for CSV
  bool hidden = false;  // hidden or very hidden in Excel
  std::vector<Row> rows;

  // The cell at a 1-based sheet row number and 0-based column; empty when outside the data.
  Cell at(size_t row_number, size_t column) const;
};

// The streaming form, for files too large to hold as SheetData: the readers' *_rows functions
// pass each non-empty row, in file order, with its 1-based sheet row number (what rows[n-1] would
// hold), and never keep more than the row being read. An error the sink returns stops reading
// and is what the reader returns; so is a reader error after rows were already passed.
using RowSink = std::function<Status(size_t row_number, const Row& row)>;

// A sink that stores rows into `sheet` (the readers' SheetData functions are built on it).
RowSink collect_rows(SheetData& sheet);

// "A", "Z", "AA", "AB" … for a 0-based column, as Excel labels it (for messages).
std::string column_name(size_t column);

// Canonical text of an Excel date serial (1900 system): "2016-03-15", "2016-03-15 08:30:00" or
// "08:30:00". Serial 60 is Excel's fictitious 1900-02-29.
std::string excel_serial_to_iso(double serial);

// The kNumber text of a value (see the contract above).
std::string number_text(double value);

// Whether the bytes are well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool valid_utf8(std::string_view s);

}  // namespace sy::io
