// 一助一 / 结对帮扶: a helper (a department, a cadre, or a garrison unit — named in text until the
// co-building module) paired with a registry household on a project (产业, 就业, 教育, 医疗, 住房,
// 其他); the inputs the helper gives over time (funds, labour, technical help), the follow-ups that
// record how the household is doing (with its estimated yearly income), and the closing outcome.
//
// Contract:
// - Reads need business:read, writes business:write. Every read and write is limited to the
//   actor's data scope through the household's village; a pair or household outside it is
//   not_found. The household is read through registry/households.h only.
// - Every write goes through audit::mutate (one transaction with its audit row), carries the pair's
//   `version` it read (stale → stale_version; each write adds one), and writes nothing on bad input.
// - A closed pair takes no more writes: invalid_state. Entries and the closing date lie between
//   the pair's start and today; money is integer fen, never negative; labour is whole person-days.
// - Income change of a pair = its latest follow-up income (by date) minus the baseline income
//   given at pairing, counted only for pairs with both.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "audit/context.h"
#include "core/page.h"
#include "core/result.h"
#include "registry/households.h"

namespace sy::assistance {

// Largest amount accepted anywhere (fen): 1 billion yuan, far above any real pair.
inline constexpr std::int64_t kMaxFen = 100'000'000'000;
inline constexpr int kMaxLabourDays = 100'000;

struct Code {
  std::string code, name;
};
const std::vector<Code>& projects();      // industry 产业, employment 就业, education 教育, medical 医疗, housing 住房, other 其他
const std::vector<Code>& helper_types();  // department 部门, cadre 干部, unit 驻军单位
const std::vector<Code>& input_kinds();   // funds 资金, labour 劳务, technical 技术帮扶
const std::vector<Code>& statuses();      // active 帮扶中, closed 已结束
// The Chinese label of a code of one of the lists above ('' for '', the code itself when unknown).
std::string label(const std::vector<Code>& list, const std::string& code);

struct Helper {
  std::string type, name, contact, phone;
};

struct Pair {
  std::int64_t id = 0;
  std::string region_code, region_name;
  std::int64_t household_id = 0;
  std::string beneficiary_name;  // the household head when paired
  Helper helper;
  std::string project, description, started_on;
  std::optional<std::int64_t> baseline_income;
  std::string status, closed_on, outcome;
  // What the pair has received so far.
  std::int64_t funds = 0, labour_days = 0, technical = 0, follow_ups = 0;
  std::optional<std::int64_t> latest_income;  // of the latest follow-up that has one
  std::string last_activity_on;                // latest input or follow-up date ('' when none)
  Millis created_at = 0, updated_at = 0;
  int version = 0;
};

struct Input {
  std::int64_t id = 0;
  std::string kind, given_on;
  std::int64_t amount = 0;  // fen (funds)
  int labour_days = 0;      // person-days (labour)
  std::string description;
  Millis created_at = 0;
  std::string created_by;
};

struct FollowUp {
  std::int64_t id = 0;
  std::string visited_on, note;
  std::optional<std::int64_t> income;
  Millis created_at = 0;
  std::string created_by;
};

// One line of a pair's timeline: start, input, follow_up or close, in date order (start first and
// close last on their days; entries of one day in the order they were recorded).
struct TimelineEntry {
  std::string type, on;
  const Input* input = nullptr;
  const FollowUp* follow_up = nullptr;
};

struct PairDetail {
  Pair pair;
  std::optional<registry::HouseholdView> household;  // as the registry holds it now
  std::vector<Input> inputs;                          // by date
  std::vector<FollowUp> follow_ups;                   // by date
};
// Points into `d`: keep `d` alive and unchanged while using the entries.
std::vector<TimelineEntry> timeline(const PairDetail& d);

struct NewPair {
  std::int64_t household_id = 0;
  Helper helper;
  std::string project, description;
  std::string started_on;  // '' = today
  std::optional<std::int64_t> baseline_income;
};
Result<PairDetail> create_pair(const Context& ctx, const NewPair& in);
Result<PairDetail> get_pair(const Context& ctx, std::int64_t id);

// Fields to change (unset = keep); only while active.
struct PairChanges {
  std::optional<Helper> helper;
  bool keep_helper_phone = false;  // with `helper`: keep the stored phone (the caller saw it masked)
  std::optional<std::string> project, description, started_on;
  std::optional<std::optional<std::int64_t>> baseline_income;  // set to a value or cleared
  int version = 0;
};
Result<PairDetail> update_pair(const Context& ctx, std::int64_t id, const PairChanges& in);

struct NewInput {
  std::string kind, given_on;  // given_on '' = today
  std::int64_t amount = 0;
  int labour_days = 0;
  std::string description;
  int version = 0;
};
Result<PairDetail> add_input(const Context& ctx, std::int64_t pair_id, const NewInput& in);

struct NewFollowUp {
  std::string visited_on, note;  // visited_on '' = today
  std::optional<std::int64_t> income;
  int version = 0;
};
Result<PairDetail> add_follow_up(const Context& ctx, std::int64_t pair_id, const NewFollowUp& in);

struct Closing {
  std::string closed_on, outcome;  // closed_on '' = today
  int version = 0;
};
Result<PairDetail> close_pair(const Context& ctx, std::int64_t pair_id, const Closing& in);

struct PairQuery {
  std::string status, project, helper_type, region, q;  // q: helper, household head or description
  std::int64_t household_id = 0;
  PageRequest page;
};
// Newest pairing first.
Result<Page<Pair>> list_pairs(const Context& ctx, const PairQuery& q);

struct ProjectCount {
  std::string project;
  std::int64_t active = 0, total = 0;
};
struct Summary {
  std::int64_t active = 0, closed = 0;
  std::vector<ProjectCount> by_project;  // every project, in the order of projects()
  std::int64_t funds = 0, labour_days = 0, technical = 0, follow_ups = 0;
  std::int64_t income_pairs = 0;         // pairs with a baseline and a follow-up income
  std::int64_t income_change_total = 0;  // fen, summed over those pairs
  std::int64_t income_change_average = 0;  // fen, rounded half away from zero; 0 when none
};
// Totals over every pair in scope (or in `region`, a township or village in scope).
Result<Summary> summary(const Context& ctx, const std::string& region = "");

}  // namespace sy::assistance
