// 生存认证 (proof of life): a yearly check per recipient of a periodic payment. When the rules set a
// deadline, recipients not checked for the year by then are withheld from the next run (and paid
// back once checked); the list shows who is overdue.
//
// Contract: recording needs business:write and a person in scope; one check per person and year (a
// second one replaces it). Import is all-or-nothing, by ID number, with a verdict per row; audited.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "audit/context.h"
#include "core/page.h"
#include "core/result.h"

namespace sy::payroll {

struct ProofOfLife {
  std::int64_t person_id = 0;
  int year = 0;
  std::string verified_on, method, note;
};
Status record_proof_of_life(const Context& ctx, const ProofOfLife& p);

struct ProofImportReport {
  int rows = 0, recorded = 0, rejected = 0;
  struct Problem {
    int row = 0;
    std::string column, message;
  };
  std::vector<Problem> problems;
};
// Columns: 身份证号 (required), 认证日期 (required), 认证年度 (default: the date's year), 认证方式, 备注.
Result<ProofImportReport> import_proof_of_life(const Context& ctx, std::string_view bytes, const std::string& file_name);

struct ProofStatus {
  std::int64_t person_id = 0;
  std::string name, id_number, region_code, region_name, category_names;
  std::string verified_on, method;  // '' when not checked for the year
  bool overdue = false;             // the deadline has passed without a check
};
struct ProofQuery {
  int year = 0;
  bool only_missing = false;
  PageRequest page;
};
struct ProofList {
  Page<ProofStatus> page;
  std::string deadline;  // YYYY-MM-DD or '' when the rules set none
  std::int64_t checked = 0, missing = 0;
};
// Recipients of periodic payments (active persons in scope with a paying category) and their check.
Result<ProofList> list_proof_of_life(const Context& ctx, const ProofQuery& q);

}  // namespace sy::payroll
