// The payroll calculation for one person (DOMAIN.md §5): what is due for each month, compared with
// what was already paid, as lines — regular, 补发 (arrears), 扣回 (recovery), one-off — each with its
// basis in words. Pure: no database, no clock; the same inputs always give the same lines.
//
// Contract (defaults; PayRules carries the settings):
// - A category is paid from the month after its approval through the month of death, cancellation
//   or moving away; 60周岁以上农村籍退役士兵 not before the month after the 60th birthday.
// - The standard for a month is the one in force on its 1st: per key (item, category, cause, grade)
//   the national row ('' prefix) with the latest effective date, plus every local top-up row whose
//   prefix matches the person's village (each its latest). Yearly S pays round_half_up(S/12) a month;
//   monthly S pays S; per-year-served S pays S × whole years served.
// - Months before max(first month the system pays, paid-through + 1) are settled and never looked at.
// - Withheld months (suspension, proof of life overdue) are not paid and not corrected while the
//   person is withheld; the run month shows a held line with the reason. Once lifted, they are due
//   again and come back as 补发.
// - A month is never paid twice: for each earlier month the line is due − paid (补发 if positive,
//   扣回 if negative), one line per month, naming it. A month with no standard is held in the run month
//   and not corrected in earlier months.
// - On death, the funeral subsidy (6 months of the periodic standard; 12 months of 残疾抚恤金 for a
//   disabled veteran who died of illness) is one one-off line, once.
// - A missing or malformed bank account holds every line of the person, with the reason.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "payroll/money.h"

namespace sy::payroll {

struct BenefitItem {
  std::string code, name;
  std::vector<std::string> categories;
  std::string frequency;  // monthly | quarterly | yearly | one_off
  int max_grade = 0;
  std::string funding;
  int sort = 0;
};

struct StandardRow {
  std::int64_t id = 0;
  std::string item_code, category, cause;  // cause '' = any
  int grade = 0;                            // 0 = any
  std::string region_prefix;                // '' = 全国
  std::string unit;                         // yearly | monthly | monthly_per_year_served
  Fen amount_fen = 0;
  std::string effective_from;               // YYYY-MM-DD
  std::string note;
};

// Active standards, indexed for the calculation.
class StandardsTable {
 public:
  explicit StandardsTable(std::vector<StandardRow> rows);
  // Rows in force on the 1st of `month` for this key and village: the national row first (if any),
  // then top-ups. Empty when nothing applies.
  std::vector<const StandardRow*> in_force(const std::string& item, const std::string& category,
                                           const std::string& cause, int grade, const std::string& region_code,
                                           MonthIndex month) const;
  bool has_item(const std::string& item) const;

 private:
  std::map<std::pair<std::string, std::string>, std::vector<StandardRow>> by_key_;  // sorted by date
};

struct PayRules {
  MonthIndex first_month = 0;              // the first month the system pays
  int funeral_months = 6;
  int funeral_months_disabled_illness = 12;
  bool part_year_counts = false;           // per-year-served: a started year counts as whole
};

struct CategoryFacts {
  std::string category;
  int grade = 0;
  std::string cause;
  std::string approved_on;  // YYYY-MM-DD or ''
  std::string status = "active";
};

struct PersonFacts {
  std::int64_t id = 0;
  std::string region_code, name, id_number, birth_date;
  std::string status = "active", status_date, status_reason;
  std::string enlisted_on, discharged_on, paid_through;  // paid_through: YYYY-MM or ''
  std::string bank_name, bank_account;
  std::vector<CategoryFacts> categories;
  std::optional<MonthIndex> withheld_from;  // suspension or proof of life overdue
  std::string withheld_reason;
};

// Net amounts already paid per month, for one item.
using PaidMonths = std::map<MonthIndex, Fen>;

struct Line {
  std::string item_code;
  std::string kind;  // regular | arrears | recovery | one_off
  MonthIndex for_month = 0;
  std::int64_t standard_id = 0;
  Fen amount_fen = 0;
  std::string basis;
  std::string exception;  // '' = payable
};

std::vector<Line> compute_lines(const PersonFacts& person, const std::vector<BenefitItem>& items,
                                const StandardsTable& standards, const PayRules& rules, MonthIndex run_month,
                                const std::map<std::string, PaidMonths>& paid);

// A bank account the bank can pay into: 10–30 digits after spaces are removed.
bool bank_account_usable(const std::string& account);

// Run-length text form of PaidMonths, as stored: "2019-08..2019-09:667833;2019-10:734583".
std::string encode_paid(const PaidMonths& months);
PaidMonths decode_paid(const std::string& text);

}  // namespace sy::payroll
