// 待遇标准: benefit items (data, seeded by the schema) and the standards that price them, with
// their history, import and export in the format of the standards workbook.
//
// Contract:
// - Reads need business:read; writes need standards:manage and are audited.
// - A standard's key is (item, category, cause, grade, region prefix, effective date); an active row
//   with the same key is an overlap and is refused. A correction replaces a row: the old one is kept
//   as 'replaced' (history), the new one names it, in one transaction.
// - The item must serve the category; 残疾军人 rows name a grade and a cause (因病 only grades 1–6);
//   others name neither. Amounts are exact yuan (two decimals at most), greater than zero.
// - Import is all-or-nothing: any rejected row (with its sheet row, column and reason) means nothing
//   is written; rows equal to an active standard are unchanged.
// - Errors name the field by its JSON key (item, category, cause, grade, unit, amount,
//   effective_from, region), the sheet column in the message (and, for import rows, `column`).
// - Standards are listed in the items' order (benefit_items.sort), then category, cause, grade,
//   effective date, region.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "audit/context.h"
#include "core/result.h"
#include "payroll/entitlement.h"

namespace sy::payroll {

// Text as a form or a sheet gives it: names or codes.
struct StandardInput {
  std::string item, category, cause, grade, unit, amount, effective_from, region, note;
};

struct StandardView {
  StandardRow row;
  std::string item_name, category_name, cause_name, grade_name, unit_name, region_name;
  std::string status;  // active | replaced
  std::int64_t replaces_id = 0;
  Millis created_at = 0;
  std::string created_by;
  Millis replaced_at = 0;
};

struct StandardQuery {
  std::string item, category;
  bool include_replaced = false;
};

// 资金分担: the shares of 中央, 省, 市 and 县 in an item, in whole percent, kept on the item as
// "中央:80,省:10,市:5,县:5". All zero means not set. A set split sums to 100.
struct FundingSplit {
  int central = 0, province = 0, city = 0, county = 0;
  bool empty() const { return central == 0 && province == 0 && city == 0 && county == 0; }
};
FundingSplit parse_funding(std::string_view text);
std::string funding_text(const FundingSplit& f);
// Each share 0–100, together 100 (or all zero); the field names the share at fault (funding.central…).
Status validate_funding(const FundingSplit& f);
// The amount in shares, exact to the fen: 中央, 省 and 市 rounded toward zero, 县 the rest.
std::vector<Fen> split_fen(Fen amount, const FundingSplit& f);
// Needs standards:manage; audited (benefit_item.funding). `item` is a code or a name.
Result<BenefitItem> set_item_funding(const Context& ctx, const std::string& item, const FundingSplit& f);

Result<std::vector<BenefitItem>> list_items(const Context& ctx);
Result<std::vector<StandardView>> list_standards(const Context& ctx, const StandardQuery& q);
Result<StandardView> create_standard(const Context& ctx, const StandardInput& in);
Result<StandardView> correct_standard(const Context& ctx, std::int64_t id, const StandardInput& in);

struct StandardsProblem {
  int row = 0;
  std::string column, field, message;  // column: the sheet's header (项目…); field: the JSON key (item…)
};
struct StandardsImportReport {
  int rows = 0, created = 0, unchanged = 0, rejected = 0;
  bool dry_run = false;
  std::vector<StandardsProblem> problems;
};
Result<StandardsImportReport> import_standards(const Context& ctx, std::string_view bytes,
                                               const std::string& file_name, bool dry_run);
// The active standards (and with `include_replaced` their history) as the import workbook.
Result<std::string> export_standards(const Context& ctx, bool include_replaced);
const std::vector<std::string>& standards_headers();

// For the calculation, inside a caller's read.
Result<std::vector<BenefitItem>> load_items(store::Conn& c);
Result<std::vector<StandardRow>> load_active_standards(store::Conn& c);

std::string unit_name(std::string_view unit);  // 按年 | 按月 | 按服役年限每月

}  // namespace sy::payroll
