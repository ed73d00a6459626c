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

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "payroll/money.h"

namespace sy::payroll {

struct BankRow {
  std::string name, id_number, account, bank, remark;
  Fen amount_fen = 0;
};

Status validate_bank_templates(const nlohmann::json& templates);

struct RenderedBankFile {
  std::string bytes, extension, content_type;
};
// `templates` is the setting's JSON array; an empty `template_name` means the default columns.
Result<RenderedBankFile> render_bank_file(const std::vector<BankRow>& rows, const std::string& month,
                                          const std::string& format, const nlohmann::json& templates,
                                          const std::string& template_name);

}  // namespace sy::payroll
