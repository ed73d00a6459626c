// 涉军维权与诉求台帐: cases of four kinds (涉军维权, 部队诉求, 困难诉求, 安全隐患) with their
// category dictionary and SLA, intake, the workflow of cases/workflow.h with a timeline,
// attachments, deadlines on the working-day calendar, escalation of overdue cases to the
// township's 业务管理员, the 台帐 export and the 首页 summary.
//
// Contract:
// - Every read and write is limited to the actor's data scope; a case outside it is not_found.
//   Reading needs business:read; intake, handling and attachments business:write; 受理/不予受理,
//   下达整改 and 复查 cases:decide (workflow.h says which action needs what).
// - Every write goes through audit::mutate (one transaction with its audit row) and, for case
//   actions, adds a timeline row; an action carries the `version` it read (stale → stale_version),
//   and an action the status does not allow is invalid_transition. Bad input writes nothing.
// - Deadlines: registration + accept_days working days (stage accept); acceptance or reopening +
//   resolve_days (stage resolve); a hazard's 整改时限 is a date set by 下达整改/复查 (stage
//   rectify). A deadline that needs a year without a calendar is calendar_missing naming the year.
//   State: overdue when the due date has passed, due_soon with ≤ 2 working days left, else normal.
// - Escalation records, once per case and deadline, the overdue case and the 业务管理员 users of
//   its township (region code's first 9 digits); it adds a timeline row and an audit row.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "audit/context.h"
#include "cases/workflow.h"
#include "core/page.h"
#include "core/result.h"

namespace sy::cases {

struct Category {
  std::string code, name;
};

struct KindInfo {
  std::string code, name, prefix;
  int accept_days = 0, resolve_days = 0;
  std::vector<std::string> required;
  std::vector<Category> categories;
  int version = 0;
};

struct Applicant {
  std::string type;  // person | unit | individual | '' (hazards)
  std::int64_t person_id = 0;
  std::string name, phone, unit;
};

struct Deadline {
  std::string stage, due_date;
  std::optional<int> days_left;  // working days; unknown when a year after the due date lacks a calendar
  std::string state;             // normal | due_soon | overdue
};

struct Lead {
  std::int64_t id = 0;
  std::string display_name;
};

struct Escalation {
  Millis at = 0;
  std::string stage, due_date, township_code;
  std::vector<Lead> leads;
};

// Where a case came from when another module opened it (e.g. a 走访 visit that raised a need).
struct Source {
  std::string type;             // '' (registered directly) | visit
  std::int64_t id = 0;
  std::string data_json = "{}";  // what the case page shows about it, e.g. {campaign_id, campaign_name}
};

struct Case {
  std::int64_t id = 0;
  std::string number, kind, category, category_name, title, description;
  std::string region_code, region_name, township_code;
  Applicant applicant;
  std::string registered_on, status;
  std::string department, handler, hazard_level, measures, result, satisfaction, reject_reason;
  std::optional<Deadline> deadline;
  std::optional<Escalation> escalation;
  Source source{};
  Millis created_at = 0, updated_at = 0;
  int version = 0;
};

struct TimelineEntry {
  std::int64_t id = 0;
  Millis at = 0;
  std::string username, display_name, action, from_status, to_status, note;
  std::string data_json;
};

struct AttachmentInfo {
  std::int64_t id = 0;
  std::string file_name, content_type, purpose, uploaded_by;
  std::int64_t size = 0;
  Millis uploaded_at = 0;
};

struct CaseDetail {
  Case c;
  std::vector<TimelineEntry> timeline;
  std::vector<AttachmentInfo> attachments;
  std::vector<Step> next_steps;
};

Result<std::vector<KindInfo>> list_kinds(const Context& ctx);
// Changes a kind's SLA and (when given) its categories; needs cases:decide. Categories in use by a
// case cannot be removed (category_in_use).
Result<KindInfo> update_kind(const Context& ctx, const std::string& kind, int accept_days, int resolve_days,
                             const std::optional<std::vector<Category>>& categories, int version);

struct NewCase {
  std::string kind, category, title, description, region_code;
  Applicant applicant;
  std::string registered_on;  // '' = today
  Source source{};
};
Result<CaseDetail> create_case(const Context& ctx, const NewCase& in);
// The two halves of create_case, for a module that opens a case inside its own write (a visit that
// raises a need): `prepare_case` checks and cleans the input (reads only, outside the transaction);
// `insert_case` writes the case, its first timeline row and its audit row in the caller's
// transaction and returns the new case's id.
Result<NewCase> prepare_case(const Context& ctx, const NewCase& in);
Result<std::int64_t> insert_case(store::Conn& tx, const Context& ctx, const NewCase& prepared);
Result<CaseDetail> get_case(const Context& ctx, std::int64_t id);

struct ActionInput {
  std::string note, reason, department, handler, result, satisfaction, hazard_level, measures, due_date;
  std::optional<bool> passed;
  std::vector<std::int64_t> evidence_ids;
  int version = 0;
};
Result<CaseDetail> act(const Context& ctx, std::int64_t id, const std::string& action, const ActionInput& in);

struct CaseQuery {
  std::string kind, status, deadline, category, region, handler, q;
  PageRequest page;
};
Result<Page<Case>> list_cases(const Context& ctx, const CaseQuery& q);
// The 台帐 as .xlsx bytes (序号, 登记日期, 诉求人, 事项, 责任单位, 责任人, 办理时限, 办理结果, 状态),
// every matching case; audited as case.export.
Result<std::string> export_ledger(const Context& ctx, const CaseQuery& q);

struct NewAttachment {
  std::string file_name, purpose, bytes;
};
Result<AttachmentInfo> add_attachment(const Context& ctx, std::int64_t case_id, const NewAttachment& in);
struct AttachmentFile {
  std::string file_name, content_type, bytes;
};
Result<AttachmentFile> get_attachment(const Context& ctx, std::int64_t case_id, std::int64_t attachment_id);

struct StatusCount {
  std::string kind, status;
  std::int64_t count = 0;
};
struct Summary {
  std::vector<StatusCount> by_status;
  std::int64_t normal = 0, due_soon = 0, overdue = 0;
  std::vector<Case> overdue_cases;     // most overdue first, at most 20
  std::vector<Case> escalated_to_me;   // still overdue at the deadline they were reported for
};
Result<Summary> summary(const Context& ctx);

struct EscalationRun {
  int escalated = 0;        // newly recorded now
  std::vector<Case> overdue;  // every overdue case in scope, most overdue first
};
// Needs cases:decide (the system actor, for the scheduled job, always may).
Result<EscalationRun> escalate_overdue(const Context& ctx);

}  // namespace sy::cases
