// The case workflow as data: which actions each status allows, for which kind, with which
// permission and which fields — the one table the service enforces and the API shows as
// `next_steps`. Pure: no database, no clock.
//
// Contract:
// - rights, unit_request, hardship: registered → accept → accepted | reject → rejected;
//   accepted → assign → in_progress; in_progress → note (stays) | resolve → resolved;
//   resolved → visit → closed (satisfied, basically_satisfied) | in_progress (dissatisfied).
// - hazard: registered → rectify → rectifying; rectifying → note (stays) | submit_review →
//   reviewing; reviewing → review → closed (passed) | rectifying (failed).
// - Nothing else is a transition. `allowed` says whether an action may start from a status;
//   the outcome of visit and review depends on the body and is decided by the service.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/actor.h"

namespace sy::cases {

struct StepField {
  std::string name, label, type;  // type: text | date | choice | bool | attachments
  bool required = false;
  std::vector<std::pair<std::string, std::string>> options;  // choice: code, name
};

struct Step {
  std::string action, name, permission;
  std::vector<StepField> fields;
};

bool is_hazard(std::string_view kind);
bool is_known_kind(std::string_view kind);
bool is_known_action(std::string_view action);
// Whether `action` may start from `status` for a case of `kind` (ignoring who acts).
bool allowed(std::string_view kind, std::string_view status, std::string_view action);
// The permission an action needs.
std::string action_permission(std::string_view action);
// The steps `actor` may take from `status`.
std::vector<Step> next_steps(std::string_view kind, std::string_view status, const Actor& actor);
// A status at which no clock runs and nothing more happens.
bool is_final(std::string_view status);

std::string kind_name(std::string_view kind);
std::string status_name(std::string_view kind, std::string_view status);
std::string action_name(std::string_view action);
std::string stage_name(std::string_view stage);
std::string deadline_state_name(std::string_view state);
std::string satisfaction_name(std::string_view code);
std::string hazard_level_name(std::string_view code);
std::string applicant_type_name(std::string_view code);
std::string purpose_name(std::string_view code);

}  // namespace sy::cases
