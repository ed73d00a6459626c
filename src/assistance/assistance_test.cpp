// 结对帮扶 on the backend under test with a fixed clock (2026-11-22): a clerk pairs a helper with a
// household, records inputs and follow-ups, sees the timeline and the totals, closes the pair;
// every refusal (unknown codes, negative amounts, dates before the start or in the future, a
// household out of scope, a stale version, a closed pair) writes nothing; scope and roles.
#include "assistance/assistance.h"

#include <gtest/gtest.h>

#include "core/id_number.h"
#include "registry/persons.h"
#include "test_support.h"

namespace sy::assistance {
namespace {

const char* kVillage = "140924100002";  // 东泰社区, 繁城镇

class Assistance : public ::testing::Test {
 protected:
  void SetUp() override { db_ = testing::make_demo_db(clock_, ids_); }

  // The demo user with the permissions of their role.
  Context as(const std::string& username) {
    return Context{*db_->db, clock_, ids_, testing::account_actor(*db_->db, username)};
  }
  Context system() { return Context{*db_->db, clock_, ids_, Actor::system_actor()}; }
  std::int64_t count(const std::string& sql) {
    std::int64_t n = -1;
    EXPECT_TRUE(db_->db->read([&](store::Conn& c) -> Status {
      SY_ASSIGN(n, c.query_int(sql));
      return ok_status();
    }).ok());
    return n;
  }
  // A registry person (and so a household of one) in `village`; returns the household id.
  std::int64_t household(const std::string& name, const std::string& village, int n) {
    char first17[32];
    std::snprintf(first17, sizeof first17, "140924%04d0101%03d", 1940 + n % 50, 100 + n % 50);
    registry::PersonFields f;
    f.name = name;
    f.id_number = std::string(first17) + id_number_check_digit(first17);
    f.region_code = village;
    f.category = registry::CategoryFields{.category = "在乡复员军人"};
    auto p = registry::create_person(system(), f);
    EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error().message);
    return p.ok() ? p->household_id : 0;
  }
  std::string other_village() {
    std::string code;
    EXPECT_TRUE(db_->db->read([&](store::Conn& c) -> Status {
      SY_ASSIGN(auto row, c.query_one("SELECT code FROM regions WHERE level = 'village' AND code NOT LIKE '140924100%' "
                                      "ORDER BY code"));
      code = row->str(0);
      return ok_status();
    }).ok());
    return code;
  }
  NewPair pair_for(std::int64_t household_id, std::string project = "industry") {
    return NewPair{.household_id = household_id,
                   .helper = Helper{.type = "department", .name = "县退役军人事务局", .contact = "王芳", .phone = "13912341234"},
                   .project = std::move(project),
                   .description = "扶持养殖肉牛",
                   .started_on = "2026-03-01",
                   .baseline_income = 1800000};
  }
  template <typename T>
  T must(Result<T> r) {
    EXPECT_TRUE(r.ok()) << r.error().code << " " << r.error().message;
    return r.ok() ? std::move(*r) : T{};
  }
  std::int64_t writes() {
    return count("SELECT count(*) FROM assistance_pairs") * 1000000 + count("SELECT count(*) FROM assistance_inputs") * 1000 +
           count("SELECT count(*) FROM assistance_follow_ups") + count("SELECT sum(version) FROM assistance_pairs") * 7 +
           count("SELECT count(*) FROM audit_log WHERE entity = 'assistance_pair'") * 13;
  }

  FixedClock clock_{testing::test_now()};
  IdGenerator ids_{clock_};
  std::unique_ptr<testing::TestDb> db_;
};

TEST_F(Assistance, PairRecordFollowUpCloseWithTimelineAndTotals) {
  Context clerk = as("fc_clerk");
  std::int64_t hh = household("汪军", kVillage, 1);
  PairDetail d = must(create_pair(clerk, pair_for(hh)));
  EXPECT_EQ(d.pair.status, "active");
  EXPECT_EQ(d.pair.beneficiary_name, "汪军");
  EXPECT_EQ(d.pair.region_code, kVillage);
  EXPECT_EQ(d.pair.region_name, "东泰社区");
  ASSERT_TRUE(d.household.has_value());
  EXPECT_EQ(d.household->household.head_name, "汪军");
  EXPECT_EQ(d.pair.version, 1);

  // Recorded out of date order: the timeline sorts by date.
  d = must(add_input(clerk, d.pair.id, NewInput{.kind = "funds", .given_on = "2026-05-10", .amount = 500000,
                                               .labour_days = 0, .description = "购买肉牛", .version = d.pair.version}));
  d = must(add_input(clerk, d.pair.id, NewInput{.kind = "labour", .given_on = "2026-03-15", .amount = 0,
                                               .labour_days = 6, .description = "搭建牛棚", .version = d.pair.version}));
  d = must(add_input(clerk, d.pair.id, NewInput{.kind = "technical", .given_on = "2026-04-01", .amount = 0,
                                               .labour_days = 0, .description = "请畜牧站讲解防疫", .version = d.pair.version}));
  d = must(add_follow_up(clerk, d.pair.id, NewFollowUp{.visited_on = "2026-10-12", .note = "存栏7头", .income = 2600000,
                                                      .version = d.pair.version}));
  d = must(add_follow_up(clerk, d.pair.id, NewFollowUp{.visited_on = "2026-06-20", .note = "长势良好", .income = 2000000,
                                                      .version = d.pair.version}));
  d = must(add_follow_up(clerk, d.pair.id, NewFollowUp{.visited_on = "2026-11-01", .note = "未估收入", .income = {},
                                                      .version = d.pair.version}));
  EXPECT_EQ(d.pair.version, 7);
  EXPECT_EQ(d.pair.funds, 500000);
  EXPECT_EQ(d.pair.labour_days, 6);
  EXPECT_EQ(d.pair.technical, 1);
  EXPECT_EQ(d.pair.follow_ups, 3);
  EXPECT_EQ(d.pair.latest_income, 2600000);  // the latest follow-up that has an income
  EXPECT_EQ(d.pair.last_activity_on, "2026-11-01");
  std::vector<std::string> order;
  for (const auto& e : timeline(d)) order.push_back(e.type + ":" + e.on);
  EXPECT_EQ(order, (std::vector<std::string>{"start:2026-03-01", "input:2026-03-15", "input:2026-04-01",
                                             "input:2026-05-10", "follow_up:2026-06-20", "follow_up:2026-10-12",
                                             "follow_up:2026-11-01"}));

  // A second pair without a baseline does not count in the income change.
  std::int64_t hh2 = household("李秀英", kVillage, 2);
  NewPair second = pair_for(hh2, "education");
  second.baseline_income.reset();
  PairDetail d2 = must(create_pair(clerk, second));
  d2 = must(add_follow_up(clerk, d2.pair.id, NewFollowUp{.visited_on = "2026-11-02", .note = "孩子已入学",
                                                        .income = 900000, .version = d2.pair.version}));
  Summary s = must(summary(clerk));
  EXPECT_EQ(s.active, 2);
  EXPECT_EQ(s.closed, 0);
  EXPECT_EQ(s.funds, 500000);
  EXPECT_EQ(s.labour_days, 6);
  EXPECT_EQ(s.technical, 1);
  EXPECT_EQ(s.follow_ups, 4);
  EXPECT_EQ(s.income_pairs, 1);
  EXPECT_EQ(s.income_change_total, 800000);
  EXPECT_EQ(s.income_change_average, 800000);
  ASSERT_EQ(s.by_project.size(), 6u);
  EXPECT_EQ(s.by_project[0].project, "industry");
  EXPECT_EQ(s.by_project[0].active, 1);
  EXPECT_EQ(s.by_project[2].project, "education");
  EXPECT_EQ(s.by_project[2].total, 1);

  // Closing: not before the last entry; then the pair takes no more writes.
  auto early = close_pair(clerk, d.pair.id, Closing{.closed_on = "2026-10-31", .outcome = "已脱困", .version = d.pair.version});
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code, "invalid_date");
  EXPECT_EQ(early.error().field, "closed_on");
  d = must(close_pair(clerk, d.pair.id, Closing{.closed_on = "2026-11-20", .outcome = "年收入增加8000元", .version = d.pair.version}));
  EXPECT_EQ(d.pair.status, "closed");
  EXPECT_EQ(timeline(d).back().type, "close");
  std::int64_t before = writes();
  auto more = add_input(clerk, d.pair.id, NewInput{.kind = "funds", .given_on = "", .amount = 100, .labour_days = 0,
                                                   .description = "", .version = d.pair.version});
  ASSERT_FALSE(more.ok());
  EXPECT_EQ(more.error().code, "invalid_state");
  EXPECT_EQ(add_follow_up(clerk, d.pair.id, NewFollowUp{.visited_on = "", .note = "x", .income = {}, .version = d.pair.version})
                .error().code, "invalid_state");
  EXPECT_EQ(close_pair(clerk, d.pair.id, Closing{.closed_on = "", .outcome = "x", .version = d.pair.version}).error().code,
            "invalid_state");
  EXPECT_EQ(update_pair(clerk, d.pair.id, PairChanges{.helper = {}, .keep_helper_phone = false, .project = {}, .description = std::string("x"),
                                                      .started_on = {}, .baseline_income = {}, .version = d.pair.version})
                .error().code, "invalid_state");
  EXPECT_EQ(writes(), before);
  s = must(summary(clerk));
  EXPECT_EQ(s.active, 1);
  EXPECT_EQ(s.closed, 1);
  // Each write left one audit row with the acting user.
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE entity = 'assistance_pair' AND action = 'assistance_pair.input'"), 3);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE entity = 'assistance_pair' AND action = 'assistance_pair.close' "
                  "AND username = 'fc_clerk'"), 1);
}

TEST_F(Assistance, BadInputIsRefusedAndWritesNothing) {
  Context clerk = as("fc_clerk");
  std::int64_t hh = household("汪军", kVillage, 1);
  std::int64_t far = household("赵大山", other_village(), 3);
  PairDetail d = must(create_pair(clerk, pair_for(hh)));
  std::int64_t before = writes();
  auto code_of = [](const auto& r) { return r.ok() ? std::string("ok") : r.error().code + "/" + r.error().field; };

  NewPair p = pair_for(hh, "tourism");
  EXPECT_EQ(code_of(create_pair(clerk, p)), "unknown_project/project");
  p = pair_for(hh, "housing");
  p.helper.type = "company";
  EXPECT_EQ(code_of(create_pair(clerk, p)), "unknown_helper_type/helper.type");
  p = pair_for(hh, "housing");
  p.helper.name = "  ";
  EXPECT_EQ(code_of(create_pair(clerk, p)), "field_required/helper.name");
  p = pair_for(hh, "housing");
  p.baseline_income = -1;
  EXPECT_EQ(code_of(create_pair(clerk, p)), "invalid_amount/baseline_income");
  p = pair_for(hh, "housing");
  p.started_on = "2026-11-23";
  EXPECT_EQ(code_of(create_pair(clerk, p)), "invalid_date/started_on");
  EXPECT_EQ(code_of(create_pair(clerk, pair_for(far, "housing"))), "not_found/household_id");
  EXPECT_EQ(code_of(create_pair(clerk, pair_for(987654321, "housing"))), "not_found/household_id");
  EXPECT_EQ(code_of(create_pair(clerk, pair_for(hh))), "pair_exists/household_id");

  int v = d.pair.version;
  auto input = [&](NewInput in) { return code_of(add_input(clerk, d.pair.id, in)); };
  EXPECT_EQ(input({.kind = "funds", .given_on = "2026-04-01", .amount = -500, .labour_days = 0, .description = "", .version = v}),
            "invalid_amount/amount");
  EXPECT_EQ(input({.kind = "funds", .given_on = "2026-04-01", .amount = 0, .labour_days = 0, .description = "", .version = v}),
            "invalid_amount/amount");
  EXPECT_EQ(input({.kind = "labour", .given_on = "2026-04-01", .amount = 0, .labour_days = -2, .description = "", .version = v}),
            "invalid_amount/labour_days");
  EXPECT_EQ(input({.kind = "technical", .given_on = "2026-04-01", .amount = 0, .labour_days = 0, .description = " ", .version = v}),
            "field_required/description");
  EXPECT_EQ(input({.kind = "gift", .given_on = "2026-04-01", .amount = 100, .labour_days = 0, .description = "", .version = v}),
            "unknown_input_kind/kind");
  EXPECT_EQ(input({.kind = "funds", .given_on = "2026-02-28", .amount = 100, .labour_days = 0, .description = "", .version = v}),
            "invalid_date/given_on");
  EXPECT_EQ(input({.kind = "funds", .given_on = "2026-13-01", .amount = 100, .labour_days = 0, .description = "", .version = v}),
            "invalid_date/given_on");
  EXPECT_EQ(input({.kind = "funds", .given_on = "2026-04-01", .amount = 100, .labour_days = 0, .description = "", .version = v + 1}),
            "stale_version/version");
  auto follow = [&](NewFollowUp in) { return code_of(add_follow_up(clerk, d.pair.id, in)); };
  EXPECT_EQ(follow({.visited_on = "2026-02-01", .note = "早于结对", .income = {}, .version = v}), "invalid_date/visited_on");
  EXPECT_EQ(follow({.visited_on = "2026-11-23", .note = "明天", .income = {}, .version = v}), "invalid_date/visited_on");
  EXPECT_EQ(follow({.visited_on = "2026-05-01", .note = "", .income = {}, .version = v}), "field_required/note");
  EXPECT_EQ(follow({.visited_on = "2026-05-01", .note = "收入", .income = -1, .version = v}), "invalid_amount/income");
  EXPECT_EQ(code_of(close_pair(clerk, d.pair.id, Closing{.closed_on = "2026-01-01", .outcome = "x", .version = v})),
            "invalid_date/closed_on");
  EXPECT_EQ(code_of(close_pair(clerk, d.pair.id, Closing{.closed_on = "", .outcome = "", .version = v})),
            "field_required/outcome");
  EXPECT_EQ(code_of(update_pair(clerk, d.pair.id, PairChanges{.helper = {}, .keep_helper_phone = false, .project = std::string("travel"),
                                                               .description = {}, .started_on = {},
                                                               .baseline_income = {}, .version = v})),
            "unknown_project/project");
  EXPECT_EQ(writes(), before);

  // A start moved after the first entry is refused; before it, accepted.
  d = must(add_input(clerk, d.pair.id, NewInput{.kind = "funds", .given_on = "2026-04-01", .amount = 100,
                                               .labour_days = 0, .description = "", .version = v}));
  EXPECT_EQ(code_of(update_pair(clerk, d.pair.id, PairChanges{.helper = {}, .keep_helper_phone = false, .project = {}, .description = {},
                                                               .started_on = std::string("2026-04-02"),
                                                               .baseline_income = {}, .version = d.pair.version})),
            "invalid_date/started_on");
  d = must(update_pair(clerk, d.pair.id, PairChanges{.helper = {}, .keep_helper_phone = false, .project = std::string("employment"), .description = {},
                                                     .started_on = std::string("2026-02-15"),
                                                     .baseline_income = std::optional<std::int64_t>(), .version = d.pair.version}));
  EXPECT_EQ(d.pair.project, "employment");
  EXPECT_EQ(d.pair.started_on, "2026-02-15");
  EXPECT_FALSE(d.pair.baseline_income.has_value());
}

TEST_F(Assistance, ScopeAndRoles) {
  std::int64_t near = household("汪军", kVillage, 1);
  std::int64_t far = household("赵大山", other_village(), 3);
  Context county = as("county_lead");
  PairDetail mine = must(create_pair(as("fc_clerk"), pair_for(near)));
  PairDetail theirs = must(create_pair(county, pair_for(far)));
  Context clerk = as("fc_clerk");
  EXPECT_EQ(get_pair(clerk, theirs.pair.id).error().code, "not_found");
  EXPECT_EQ(add_input(clerk, theirs.pair.id, NewInput{.kind = "funds", .given_on = "", .amount = 1, .labour_days = 0,
                                                      .description = "", .version = 1})
                .error().code, "not_found");
  EXPECT_EQ(must(list_pairs(clerk, PairQuery{})).total, 1);
  EXPECT_EQ(must(list_pairs(county, PairQuery{})).total, 2);
  EXPECT_EQ(must(summary(clerk)).active, 1);
  EXPECT_EQ(must(summary(county)).active, 2);
  EXPECT_EQ(summary(clerk, other_village()).error().code, "not_found");
  EXPECT_EQ(must(list_pairs(county, PairQuery{.status = "", .project = "", .helper_type = "", .region = "", .q = "赵大山",
                                             .household_id = 0, .page = {}})).total, 1);

  Context viewer = as("fc_viewer");
  EXPECT_TRUE(get_pair(viewer, mine.pair.id).ok());
  EXPECT_EQ(add_follow_up(viewer, mine.pair.id, NewFollowUp{.visited_on = "", .note = "x", .income = {}, .version = 1})
                .error().code, "forbidden");
  EXPECT_EQ(create_pair(viewer, pair_for(near, "other")).error().code, "forbidden");
}

TEST_F(Assistance, AverageIncomeChangeRoundsHalfAwayFromZero) {
  Context clerk = as("fc_clerk");
  std::vector<std::int64_t> changes = {-301, -100, 100};  // sum -301, average -100.33 → -100
  int n = 0;
  for (std::int64_t change : changes) {
    PairDetail d = must(create_pair(clerk, pair_for(household("户" + std::to_string(n), kVillage, 10 + n))));
    ++n;
    must(add_follow_up(clerk, d.pair.id, NewFollowUp{.visited_on = "2026-06-01", .note = "回访",
                                                    .income = 1800000 + change, .version = d.pair.version}));
  }
  Summary s = must(summary(clerk));
  EXPECT_EQ(s.income_pairs, 3);
  EXPECT_EQ(s.income_change_total, -301);
  EXPECT_EQ(s.income_change_average, -100);
}

}  // namespace
}  // namespace sy::assistance
