// 走访慰问活动 (holiday visit campaigns): a campaign names an occasion (春节, 八一, 双拥月, 其他), a
// period, target groups chosen by registry filters with a standard per group (cash in fen, gifts)
// and a budget. Generating it snapshots its targets from the registry; targets are then assigned to
// cadres, departments and leaders, visited (visits.h), and counted for progress and the lists.
//
// Contract:
// - Reading needs business:read, everything else business:write. A campaign is seen by users whose
//   scope lies inside its area or contains it; its targets, figures and lists are always limited to
//   the reader's scope. Changing a campaign (edit, generate, append, close) needs its whole area in
//   scope. A campaign or target outside what the actor may see is not_found.
// - Status: draft (editable) → active (generated) → closed. Edit only in draft, generate only a
//   draft, append only to an active campaign, close an active one; otherwise invalid_state. Every
//   change carries the version read (stale_version) and is audited in its transaction.
// - Generate snapshots (visits/target_snapshot.h: two streams read once, matched in memory) every
//   active person in the campaign's area who matches a group: one target per household (its
//   representative: the best-priority matching member, the head first) or per person when unit =
//   person. A target belongs to the first group (in the campaign's order) it matches. Names,
//   members, categories, village, address and phone are copied, so later registry edits change
//   nothing. Filters that match nobody → no_targets, nothing written.
// - A group's filter: categories (any of), grades and causes (of a matching category), flags (the
//   household has any of 低保/特困/空巢), region_codes (villages or townships, any of). Empty lists
//   do not restrict.
// - Assignment to a user needs the user to hold business:write and have every affected village in
//   scope, else assignee_out_of_scope naming the user and the village.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "audit/context.h"
#include "core/page.h"
#include "core/result.h"

namespace sy::visits {

struct GroupFilter {
  std::vector<std::string> categories{}, causes{}, flags{}, region_codes{};
  std::vector<int> grades{};
};

struct Group {
  std::string key{}, name{};
  std::int64_t cash_fen = 0;
  std::string gifts{};
  GroupFilter filter{};
};

struct Campaign {
  std::int64_t id = 0;
  std::string name{}, occasion{}, region_code{}, region_name{}, starts_on{}, ends_on{}, unit{}, status{};
  std::int64_t budget_fen = 0;
  std::vector<Group> groups{};
  // Figures within the reader's scope.
  std::int64_t targets = 0, done = 0, visited = 0, spent_fen = 0;
  Millis generated_at = 0, created_at = 0;
  int version = 0;
};

struct CampaignInput {
  std::string name{}, occasion{}, starts_on{}, ends_on{}, unit{}, region_code{};
  std::int64_t budget_fen = 0;
  std::vector<Group> groups{};
};

std::string occasion_name(const std::string& code);
std::string campaign_status_name(const std::string& code);
std::string unit_name(const std::string& code);
std::string target_status_name(const std::string& code);  // also the visit outcome names
std::string flag_name(const std::string& code);
bool is_outcome(const std::string& code);

Result<Campaign> create_campaign(const Context& ctx, const CampaignInput& in);
Result<Campaign> update_campaign(const Context& ctx, std::int64_t id, const CampaignInput& in, int version);
Result<Campaign> get_campaign(const Context& ctx, std::int64_t id);

struct CampaignQuery {
  std::string status{}, occasion{}, year{};
  PageRequest page{};
};
Result<Page<Campaign>> list_campaigns(const Context& ctx, const CampaignQuery& q);

Result<Campaign> generate_campaign(const Context& ctx, std::int64_t id, int version);
Result<Campaign> close_campaign(const Context& ctx, std::int64_t id, int version);

struct Skipped {
  std::int64_t person_id = 0;
  std::string reason{};
};
struct AppendResult {
  int appended = 0;
  std::vector<Skipped> skipped{};
};
// Adds persons on purpose after generation; a person (or their household, by household) already a
// target, outside scope, or not active is skipped with the reason.
Result<AppendResult> append_targets(const Context& ctx, std::int64_t id, const std::vector<std::int64_t>& person_ids,
                                    const std::string& group_key);

struct Target {
  std::int64_t id = 0, campaign_id = 0;
  std::string campaign_name{}, campaign_starts_on{}, campaign_ends_on{};
  std::string group_key{}, group_name{};
  std::int64_t cash_fen = 0;
  std::string gifts{};
  std::int64_t household_id = 0, person_id = 0;
  std::string name{};
  std::vector<std::string> members{}, categories{};
  std::string region_code{}, region_name{}, address{}, phone{};
  std::int64_t assignee_id = 0;
  std::string assignee_name{}, department{}, leader{}, status{};
  std::int64_t visit_id = 0;
  bool appended = false;
  int version = 0;
};

struct TargetQuery {
  std::string region{}, status{}, group{}, assignee{}, q{};
  PageRequest page{};
};
// Village then name order.
Result<Page<Target>> list_targets(const Context& ctx, std::int64_t campaign_id, const TargetQuery& q);
// 我的走访: targets assigned to the actor in active campaigns.
Result<Page<Target>> my_targets(const Context& ctx, const std::string& status, PageRequest page);
// One target (for a visit), with its campaign's status and period; not_found outside scope.
Result<Target> get_target(const Context& ctx, std::int64_t target_id);

struct Assignee {
  std::int64_t user_id = 0;
  std::string username{}, display_name{}, region_code{}, region_name{};
};
// Who may be given visits: active users holding business:write whose scope covers `region` (a
// village or township in the actor's scope), or, without a region, whose scope overlaps the
// actor's. Needs business:write; at most 500, by region then name.
Result<std::vector<Assignee>> list_assignees(const Context& ctx, std::int64_t campaign_id, const std::string& region);

struct Assignment {
  std::vector<std::int64_t> target_ids{};
  std::string region_code{};  // bulk: every target in this village or township
  std::int64_t user_id = 0;
  std::optional<std::string> department{}, leader{};
};
Result<std::int64_t> assign_targets(const Context& ctx, std::int64_t campaign_id, const Assignment& a);

struct Tally {
  std::string code{}, name{};
  std::int64_t targets = 0, visited = 0, spent_fen = 0;
};
struct Progress {
  std::int64_t targets = 0, done = 0, visited = 0, budget_fen = 0, spent_fen = 0;
  std::vector<Tally> by_village{}, by_group{}, by_category{};
  std::vector<Target> not_visited{};  // once the period has ended, at most 200
  bool ended = false;
};
Result<Progress> campaign_progress(const Context& ctx, std::int64_t id);

// 慰问名单 and 签收表: grouped by village with subtotals and a grand total; audited as exports.
Result<std::string> roster_xlsx(const Context& ctx, std::int64_t id);
Result<std::string> roster_html(const Context& ctx, std::int64_t id);
Result<std::string> signature_xlsx(const Context& ctx, std::int64_t id);
Result<std::string> signature_html(const Context& ctx, std::int64_t id);

// Money in fen as yuan with two decimals ("500.00").
std::string yuan(std::int64_t fen);

}  // namespace sy::visits
