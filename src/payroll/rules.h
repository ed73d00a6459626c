// The payment rules an office may set (DOMAIN.md §5 defaults), kept in the settings table under
// "payroll.*" keys.
//
// Contract: `load_rules` gives defaults for keys never set. `first_month` is empty until the first
// run is made, which fixes it to that run's month unless an administrator set it before.
// Proof of life (proof_of_life.h): when `proof_of_life_deadline` ("MM-DD") is set, a recipient
// without a check for a year by that day is withheld from the next month until checked.
#pragma once

#include <nlohmann/json.hpp>

#include "audit/context.h"
#include "core/result.h"
#include "payroll/entitlement.h"

namespace sy::payroll {

struct RulesSettings {
  std::string first_month;             // YYYY-MM; '' = the month of the first run
  int funeral_months = 6;
  int funeral_months_disabled_illness = 12;
  bool part_year_counts = false;
  std::string proof_of_life_deadline;  // "MM-DD"; '' = not checked
  nlohmann::json bank_templates = nlohmann::json::array();  // bank_file.h
};

Result<RulesSettings> load_rules(store::Conn& c);
nlohmann::json rules_json(const RulesSettings& r);
// Needs settings:manage or standards:manage; validates each value; audited.
Result<RulesSettings> update_rules(const Context& ctx, const nlohmann::json& changes);
// Fixes payroll.first_month inside a caller's transaction when it is still unset.
Status fix_first_month(store::Conn& tx, const Context& ctx, const std::string& month);

}  // namespace sy::payroll
