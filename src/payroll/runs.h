// 发放批次 (payroll runs): a month's payments for a group of items, computed from the registry and
// the standards, approved by a second person, paid through a bank file and reconciled with the
// bank's return file.
//
// Contract:
// - Reads need business:read; making, recomputing and discarding a draft, exporting and
//   reconciling need payroll:prepare; approving needs payroll:approve and a different user than the
//   preparer (maker–checker). A run outside the actor's scope is not_found.
// - A run covers the beneficiaries in the preparer's region. Only one draft at a time per region;
//   a month already run for an overlapping region and item is refused, naming that run.
// - Making or recomputing a draft may report its progress under a token the page chose
//   (progress.h): persons processed of the persons in the region, by phase.
// - Recomputing a draft with unchanged inputs gives the same lines. Approval freezes the lines and
//   adds their payable amounts to what each person has been paid per month (payment_positions),
//   which the next run compares with what is due (entitlement.h).
// - Lines held as exceptions (no bank account, no standard, withheld) are shown, never paid, and
//   come back in the next run.
// - Export needs an approved run; reconciling needs an exported one, matches every return line to
//   a bank-file row or changes nothing, and puts failed payments into a re-issue draft.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/context.h"
#include "core/page.h"
#include "core/result.h"
#include "payroll/money.h"
#include "payroll/progress.h"

namespace sy::payroll {

struct RunSummary {
  std::int64_t id = 0;
  std::string month, kind, status, region_code, region_name;
  std::vector<std::string> items;
  std::int64_t parent_run_id = 0;   // a re-issue run: the run whose failed payments it pays again
  std::int64_t reissue_run_id = 0;  // a reconciled run: its re-issue run (not discarded), if any
  std::int64_t line_count = 0, person_count = 0, exception_count = 0, paid_count = 0, failed_count = 0;
  Fen total_fen = 0, arrears_fen = 0, recovery_fen = 0, exception_fen = 0, failed_fen = 0;
  std::string prepared_by, approved_by;
  Millis prepared_at = 0, computed_at = 0, approved_at = 0, exported_at = 0, reconciled_at = 0;
  int version = 0;
};

struct RunLine {
  std::int64_t id = 0, run_id = 0, person_id = 0, standard_id = 0;
  int seq = 0;
  std::string region_code, region_name, name, id_number, bank_name, bank_account;
  std::string item_code, item_name, kind, for_month, basis, exception, bank_status, bank_reason;
  Fen amount_fen = 0;
  std::string run_month, run_status;  // for a person's payment list
};

struct RunRequest {
  std::string month;               // YYYY-MM
  std::vector<std::string> items;  // codes or names; empty = every monthly item with a standard, and 丧葬补助费
  std::string progress;            // '' or a token under which the computation reports progress (progress.h)
  std::function<void(const RunProgress&)> observe_progress;  // tests: called after each report
};

Result<RunSummary> create_run(const Context& ctx, const RunRequest& request);
// A regular draft is computed again from the registry and the standards. A re-issue draft keeps
// its obligation (the same lines, months and amounts; positions are never touched) and takes each
// person's current name and bank details, so a corrected account is paid.
Result<RunSummary> recompute_run(const Context& ctx, std::int64_t id, int version, const std::string& progress = "");
Result<RunSummary> discard_run(const Context& ctx, std::int64_t id, int version);
Result<RunSummary> approve_run(const Context& ctx, std::int64_t id, int version);
Result<RunSummary> get_run(const Context& ctx, std::int64_t id);
Result<Page<RunSummary>> list_runs(const Context& ctx, const PageRequest& page);

struct LineQuery {
  std::int64_t run_id = 0;
  bool exceptions_only = false;
  std::string kind, q;  // q: name or ID suffix
  std::string bank;     // '' = any; paid | failed | none (a payable line without a bank result)
  PageRequest page;
};
Result<Page<RunLine>> run_lines(const Context& ctx, const LineQuery& q);

struct TotalRow {
  std::string key, name;
  std::int64_t persons = 0, lines = 0;
  Fen fen = 0;
  std::vector<Fen> funding;  // by item, when the item has a split: 中央, 省, 市, 县 (standards.h split_fen)
};
struct RunTotals {
  std::vector<TotalRow> by_item, by_village, by_kind;
};
Result<RunTotals> run_totals(const Context& ctx, std::int64_t id);

// The bank file: one row per person with a positive net payable amount, and control totals.
struct BankFile {
  std::string bytes, file_name, content_type;
  std::int64_t rows = 0;
  Fen total_fen = 0;
};
// `format` xlsx | csv ('' = the template's, else xlsx); `template_name` '' = the default columns.
Result<BankFile> export_bank_file(const Context& ctx, std::int64_t id, const std::string& format,
                                  const std::string& template_name = "");

// 花名册 for signing: per person, grouped by village with subtotals and a grand total.
Result<std::string> roster_xlsx(const Context& ctx, std::int64_t id);
Result<std::string> roster_html(const Context& ctx, std::int64_t id);

struct ReturnVerdict {
  int row = 0;
  std::string name, account, result, reason;  // result: paid | failed
  Fen amount_fen = 0;
};
struct ReconcileReport {
  int rows = 0, paid = 0, failed = 0;
  Fen paid_fen = 0, failed_fen = 0;
  std::int64_t reissue_run_id = 0;
  std::vector<ReturnVerdict> verdicts;
};
Result<ReconcileReport> reconcile_run(const Context& ctx, std::int64_t id, std::string_view bytes,
                                      const std::string& file_name);

// Every line that concerns a person, newest run first.
Result<std::vector<RunLine>> person_payments(const Context& ctx, std::int64_t person_id);

std::string line_kind_name(std::string_view kind);  // 正常发放 | 补发 | 扣回 | 一次性 | 重发

}  // namespace sy::payroll
