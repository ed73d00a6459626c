// The bank file (银行代发文件) as bytes: the default columns, or a bank's column template kept in the
// settings (`payroll.bank_templates`), as .xlsx or .csv (UTF-8 with BOM, CRLF). The data rows stand
// alone (DOMAIN.md §11: no 合计 row among them); the control totals (笔数, 总金额) go on a 汇总 sheet of
// the .xlsx and in BankFile's counts, and a template may ask for a trailing 合计 line instead.
//
// Contract: `validate_bank_templates` accepts a JSON array of
//   {"name": "农业银行", "format": "csv"|"xlsx"|"", "control_row": false,
//    "columns": [{"header": "户名", "field": "name"}, …]}
// with fields seq, name, id_number, account, bank, amount (yuan, two decimals), amount_fen, remark,
// month; it names the first problem in Chinese. Rendering never changes amounts: the control row's
// 笔数 and 总金额 are the rows' count and sum.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "io/xlsx_table.h"
#include "payroll/money.h"

namespace sy::payroll {

// One payee's row; the views need only live through add().
struct BankRow {
  std::string_view name, id_number, account, bank, remark;
  Fen amount_fen = 0;
};

Status validate_bank_templates(const nlohmann::json& templates);

struct RenderedBankFile {
  std::string bytes, extension, content_type;
};

// The bank file written row by row, so a run of a million payees is never held twice: open()
// picks the template and format (or names the problem), add() takes each payee in file order,
// finish() adds the control totals and gives the bytes.
class BankFileWriter {
 public:
  // `templates` is the setting's JSON array; an empty `template_name` means the default columns.
  static Result<std::unique_ptr<BankFileWriter>> open(const std::string& month, const std::string& format,
                                                      const nlohmann::json& templates, const std::string& template_name);
  // How many rows are coming (a hint): a CSV file is given its room at once instead of growing by
  // copies. Room that is not written costs no memory.
  void expect_rows(std::int64_t rows);
  void add(const BankRow& row);
  Result<RenderedBankFile> finish();

 private:
  BankFileWriter() = default;
  // The row's cells into cells_ (their strings keep their capacity from row to row).
  void cells_of(const BankRow& row);
  void line(const std::vector<std::string>& cells);  // CSV

  std::string month_, format_;
  bool control_row_ = false;
  std::vector<std::string> headers_, fields_;
  std::int64_t rows_ = 0;
  Fen total_ = 0;
  std::string csv_;
  std::unique_ptr<io::XlsxStream> xlsx_;
  std::vector<std::string> cells_;
};

}  // namespace sy::payroll
