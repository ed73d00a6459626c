#include "demo/demo_visits.h"

#include <cstdio>

#include "audit/audit.h"
#include "auth/roles.h"
#include "calendar/calendar.h"
#include "core/region_code.h"
#include "core/text.h"
#include "demo/demo_actor.h"
#include "visits/campaigns.h"
#include "visits/visits.h"

namespace sy::demo {
namespace {

constexpr Millis kDay = 24LL * 3600 * 1000;

std::vector<visits::Group> demo_groups() {
  using visits::Group;
  using visits::GroupFilter;
  return {
      Group{.key = "", .name = "烈士遗属、因公牺牲和病故军人遗属", .cash_fen = 80000, .gifts = "米面油一份",
            .filter = GroupFilter{.categories = {"martyr_survivor", "duty_death_survivor", "illness_death_survivor"}}},
      Group{.key = "", .name = "残疾军人", .cash_fen = 50000, .gifts = "米面油一份",
            .filter = GroupFilter{.categories = {"disabled_veteran"}}},
      Group{.key = "", .name = "在乡复员军人、带病回乡退役军人", .cash_fen = 50000, .gifts = "米面油一份",
            .filter = GroupFilter{.categories = {"demobilized_veteran", "ill_returned_veteran"}}},
      Group{.key = "", .name = "低保、特困的其他优抚对象", .cash_fen = 30000, .gifts = "慰问品一份",
            .filter = GroupFilter{.flags = {"dibao", "tekun"}}},
  };
}

std::string day_text(int y, int m, int d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

Millis at_day(const std::string& day) {
  // 10:00 Beijing time of that day.
  auto d = calendar::parse_day(day);
  return (static_cast<Millis>(*d) * kDay) + 2 * 3600 * 1000;
}

// Writes visits for about share_percent of a campaign's pending targets (outside skip_prefix), dated
// across its period up to last_day, a few not at home, in one transaction with one audit row.
Result<int> bulk_visits(const Context& ctx, const visits::Campaign& k, int share_percent, const std::string& last_day,
                        const std::string& skip_prefix = "") {
  int written = 0;
  SY_TRY(audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    SY_ASSIGN(store::Rows rows, tx.query("SELECT id, group_no, region_code FROM campaign_targets WHERE campaign_id = ? "
                                         "AND status = 'pending' ORDER BY id",
                                         {k.id}));
    auto from = *calendar::parse_day(k.starts_on);
    auto to = *calendar::parse_day(last_day);
    int span = static_cast<int>(to - from) + 1;
    int i = 0;
    for (const auto& r : rows) {
      ++i;
      if (!skip_prefix.empty() && r.str(2).starts_with(skip_prefix)) continue;
      int roll = (i * 37) % 100;
      if (roll >= share_percent) continue;
      bool home = roll % 17 != 3;
      std::string outcome = home ? "visited" : "not_home";
      auto group = static_cast<size_t>(r.i64(1));
      std::int64_t cash = home && group >= 1 && group <= k.groups.size() ? k.groups[group - 1].cash_fen : 0;
      std::string gifts = home && group >= 1 && group <= k.groups.size() ? k.groups[group - 1].gifts : "";
      std::string day = calendar::format_day(from + (i * 7) % span);
      std::int64_t id = ctx.ids.next();
      SY_TRY(tx.exec("INSERT INTO visits (id, campaign_id, target_id, region_code, visited_on, visitors, cash_fen, gifts, "
                     "family_said, outcome, cash_note, revisit, case_id, warnings, created_at, created_by, "
                     "recorded_by_name) VALUES (?,?,?,?,?,?,?,?,?,?,'',0,NULL,'[]',?,NULL,?)",
                     {id, k.id, r.i64(0), r.str(2), day, "村两委、驻村工作队", cash, gifts,
                      home ? "身体尚好，感谢党和政府的关怀" : "", outcome, at_day(day), "演示数据"}));
      SY_TRY(tx.exec("UPDATE campaign_targets SET status = ?, visit_id = ?, version = version + 1 WHERE id = ?",
                     {outcome, id, r.i64(0)}));
      ++written;
    }
    entry = audit::Entry{.action = "visit.record", .entity = "campaign", .entity_id = std::to_string(k.id),
                         .region_code = k.region_code, .after = nlohmann::json{{"demo", true}, {"visits", written}}};
    return ok_status();
  }));
  return written;
}

}  // namespace

Result<DemoVisitsReport> add_demo_visits(const Context& base) {
  DemoVisitsReport report;
  const Millis now = base.now();
  FixedClock clock(now);
  Context ctx{base.db, clock, base.ids, base.actor};
  std::string today = calendar::format_day(calendar::today(base));
  int y = std::stoi(today.substr(0, 4)), m = std::stoi(today.substr(5, 2));

  struct Past {
    std::string name, occasion, from, to;
  };
  int sy = today > day_text(y, 2, 20) ? y : y - 1;
  int ay = today > day_text(y, 8, 10) ? y : y - 1;
  std::vector<Past> past = {{std::to_string(sy) + "年春节走访慰问", "spring_festival", day_text(sy, 1, 20), day_text(sy, 2, 12)},
                            {std::to_string(ay) + "年“八一”走访慰问", "army_day", day_text(ay, 7, 20), day_text(ay, 8, 5)}};
  if (past[0].to > past[1].to) std::swap(past[0], past[1]);
  for (const auto& p : past) {
    clock.set(at_day(p.from) - 5 * kDay);
    SY_ASSIGN(visits::Campaign k,
              visits::create_campaign(ctx, visits::CampaignInput{.name = p.name, .occasion = p.occasion,
                                                                 .starts_on = p.from, .ends_on = p.to, .unit = "household",
                                                                 .region_code = "", .budget_fen = 0,
                                                                 .groups = demo_groups()}));
    auto generated = visits::generate_campaign(ctx, k.id, k.version);
    if (!generated.ok()) {
      if (generated.error().code == "no_targets") return report;  // an empty registry
      return generated.error();
    }
    k = *generated;
    // The budget: every target at its standard.
    SY_TRY(base.db.transact([&](store::Conn& tx) -> Status {
      std::int64_t budget = 0;
      for (size_t i = 0; i < k.groups.size(); ++i) {
        SY_ASSIGN(std::int64_t n, tx.query_int("SELECT count(*) FROM campaign_targets WHERE campaign_id = ? AND group_no = ?",
                                               {k.id, static_cast<std::int64_t>(i + 1)}));
        budget += n * k.groups[i].cash_fen;
      }
      SY_TRY(tx.exec("UPDATE campaigns SET budget_fen = ? WHERE id = ?", {budget, k.id}));
      return ok_status();
    }));
    clock.set(at_day(p.to) + kDay);
    SY_ASSIGN(int n, bulk_visits(ctx, k, 94, p.to));
    report.visits += n;
    clock.set(at_day(p.to) + 3 * kDay);
    SY_ASSIGN(k, visits::get_campaign(ctx, k.id));
    SY_TRY(visits::close_campaign(ctx, k.id, k.version));
    ++report.campaigns;
  }

  // The current campaign: started ten days ago, about half done; fc_clerk's township assigned to them.
  std::string occasion = (m == 12 || m <= 2) ? "spring_festival" : (m == 7 || m == 8) ? "army_day" : "support_month";
  std::string name = occasion == "spring_festival" ? std::to_string(m == 12 ? y + 1 : y) + "年春节走访慰问"
                     : occasion == "army_day"       ? std::to_string(y) + "年“八一”走访慰问"
                                                    : std::to_string(y) + "年双拥月走访慰问";
  auto today_n = calendar::today(base);
  std::string from = calendar::format_day(today_n - 10), to = calendar::format_day(today_n + 20);
  clock.set(now - 12 * kDay);
  SY_ASSIGN(visits::Campaign k,
            visits::create_campaign(ctx, visits::CampaignInput{.name = name, .occasion = occasion, .starts_on = from,
                                                               .ends_on = to, .unit = "household", .region_code = "",
                                                               .budget_fen = 0, .groups = demo_groups()}));
  SY_ASSIGN(k, visits::generate_campaign(ctx, k.id, k.version));
  SY_ASSIGN(Actor clerk_actor, demo_actor(base, "fc_clerk"));
  std::string town = clerk_actor.region_code;
  // Budget as above.
  SY_TRY(base.db.transact([&](store::Conn& tx) -> Status {
    std::int64_t budget = 0;
    for (size_t i = 0; i < k.groups.size(); ++i) {
      SY_ASSIGN(std::int64_t n, tx.query_int("SELECT count(*) FROM campaign_targets WHERE campaign_id = ? AND group_no = ?",
                                             {k.id, static_cast<std::int64_t>(i + 1)}));
      budget += n * k.groups[i].cash_fen;
    }
    SY_TRY(tx.exec("UPDATE campaigns SET budget_fen = ? WHERE id = ?", {budget, k.id}));
    return ok_status();
  }));
  clock.set(now - 11 * kDay);
  SY_TRY(visits::assign_targets(ctx, k.id, visits::Assignment{.target_ids = {}, .region_code = town,
                                                              .user_id = clerk_actor.user_id,
                                                              .department = std::string("乡镇退役军人服务站"),
                                                              .leader = std::nullopt}));
  SY_ASSIGN(k, visits::get_campaign(ctx, k.id));
  clock.set(now - kDay);
  // Outside fc_clerk's township, about half visited in bulk.
  SY_ASSIGN(int n, bulk_visits(ctx, k, 50, calendar::format_day(today_n - 1), region_prefix(town)));
  report.visits += n;
  // In the township: a few visits recorded by fc_clerk through the service, one raising a need.
  Context as_clerk{base.db, clock, base.ids, clerk_actor};
  SY_ASSIGN(auto mine, visits::my_targets(as_clerk, "pending", PageRequest{.page = 1, .size = 200}));
  int recorded = 0;
  for (size_t i = 0; i < mine.items.size() && recorded < 3; i += 2) {
    const auto& t = mine.items[i];
    clock.set(now - (3 - recorded) * kDay);
    visits::NewVisit v{.target_id = t.id, .visited_on = calendar::format_day(calendar::today(as_clerk)),
                       .visitors = "李明、村支书", .cash_fen = t.cash_fen, .gifts = t.gifts,
                       .family_said = recorded == 1 ? "老人腿脚不便，希望帮助申请医疗救助" : "身体尚好，感谢关怀",
                       .outcome = "visited", .cash_note = "", .revisit = false, .need = std::nullopt, .photos = {}};
    if (recorded == 1) v.need = visits::Need{"申请医疗救助", "走访时老人反映腿脚不便、看病花费较大，希望帮助申请医疗救助", "medical"};
    auto done = visits::record_visit(as_clerk, v);
    if (!done.ok() && done.error().code == "calendar_missing") {  // no calendar for the case's deadline: no case
      v.need.reset();
      done = visits::record_visit(as_clerk, v);
    }
    if (!done.ok()) return done.error();
    ++recorded;
    ++report.visits;
  }
  ++report.campaigns;
  return report;
}

}  // namespace sy::demo
