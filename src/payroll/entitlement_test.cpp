// The calculation alone, on DOMAIN.md §5's worked examples (fen), and its edge rules.
#include "payroll/entitlement.h"

#include <gtest/gtest.h>

namespace sy::payroll {
namespace {

MonthIndex M(const char* s) { return *parse_month(s); }

const std::vector<BenefitItem>& items() {
  static const std::vector<BenefitItem> v = {
      {"disability_pension", "残疾抚恤金", {"disabled_veteran"}, "monthly", 0, "", 10},
      {"survivor_pension", "定期抚恤金", {"martyr_survivor", "duty_death_survivor", "illness_death_survivor"}, "monthly", 0, "", 20},
      {"living_allowance", "定期生活补助",
       {"ill_returned_veteran", "war_veteran", "nuclear_test_veteran", "rural_veteran_60", "elderly_martyr_child"}, "monthly", 0, "", 30},
      {"funeral_subsidy", "丧葬补助费", {"martyr_survivor", "disabled_veteran", "war_veteran"}, "one_off", 0, "", 60},
  };
  return v;
}

std::vector<StandardRow> standards_2018() {
  return {
      {1, "disability_pension", "disabled_veteran", "combat", 1, "", "yearly", 8014000, "2018-08-01", ""},
      {2, "disability_pension", "disabled_veteran", "illness", 1, "", "yearly", 7506000, "2018-08-01", ""},
      {3, "survivor_pension", "martyr_survivor", "", 0, "", "yearly", 2544000, "2018-08-01", ""},
      {4, "living_allowance", "ill_returned_veteran", "", 0, "", "monthly", 55000, "2018-08-01", ""},
      {5, "living_allowance", "rural_veteran_60", "", 0, "", "monthly_per_year_served", 3500, "2018-08-01", ""},
  };
}
std::vector<StandardRow> standards_2018_2019() {
  auto v = standards_2018();
  v.push_back({11, "disability_pension", "disabled_veteran", "combat", 1, "", "yearly", 8815000, "2019-08-01", ""});
  v.push_back({12, "disability_pension", "disabled_veteran", "illness", 1, "", "yearly", 8257000, "2019-08-01", ""});
  v.push_back({13, "survivor_pension", "martyr_survivor", "", 0, "", "yearly", 2798000, "2019-08-01", ""});
  v.push_back({14, "living_allowance", "ill_returned_veteran", "", 0, "", "monthly", 60000, "2019-08-01", ""});
  v.push_back({15, "living_allowance", "rural_veteran_60", "", 0, "", "monthly_per_year_served", 4000, "2019-08-01", ""});
  return v;
}

PersonFacts person(const std::string& category, int grade = 0, const std::string& cause = "",
                   const std::string& approved = "2000-01-01") {
  PersonFacts p;
  p.id = 1;
  p.region_code = "140924100201";
  p.name = "测试";
  p.birth_date = "1950-05-05";
  p.bank_account = "6217000010001234567";
  p.categories.push_back({category, grade, cause, approved, "active"});
  return p;
}

Fen total(const std::vector<Line>& lines) {
  Fen t = 0;
  for (const auto& l : lines)
    if (l.exception.empty()) t += l.amount_fen;
  return t;
}

// What a run pays is what the next run sees as paid.
void pay(std::map<std::string, PaidMonths>& paid, const std::vector<Line>& lines) {
  for (const auto& l : lines)
    if (l.exception.empty()) paid[l.item_code][l.for_month] += l.amount_fen;
}

TEST(Money, ParsesYuanExactlyAndRefusesJunk) {
  EXPECT_EQ(parse_yuan("80140"), 8014000);
  EXPECT_EQ(parse_yuan("550.5"), 55050);
  EXPECT_EQ(parse_yuan("1,234.56"), 123456);
  EXPECT_EQ(parse_yuan("￥600"), 60000);
  EXPECT_EQ(parse_yuan("-2331.67"), -233167);
  EXPECT_EQ(parse_yuan("550.500"), 55050);
  EXPECT_FALSE(parse_yuan("550.555"));
  EXPECT_FALSE(parse_yuan("五百"));
  EXPECT_FALSE(parse_yuan(""));
  EXPECT_FALSE(parse_yuan("12a"));
  EXPECT_EQ(format_yuan(733458), "7334.58");
  EXPECT_EQ(format_yuan(-233167), "-2331.67");
  EXPECT_EQ(format_yuan(5), "0.05");
}

TEST(Money, ShareOfYearRoundsHalfUp) {
  EXPECT_EQ(share_of_year(8014000, 1), 667833);   // 667833.33
  EXPECT_EQ(share_of_year(8815000, 1), 734583);   // 734583.33
  EXPECT_EQ(share_of_year(2798000, 1), 233167);   // 233166.67
  EXPECT_EQ(share_of_year(2798000, 6), 1399000);
  EXPECT_EQ(share_of_year(6, 1), 1);              // 0.5 → 1
  EXPECT_EQ(share_of_year(-6, 1), -1);
}

TEST(WorkedExample, OneBackPayWhenTheStandardComesLate) {
  auto p = person("disabled_veteran", 1, "combat");
  PayRules rules{.first_month = M("2019-08")};
  std::map<std::string, PaidMonths> paid;
  StandardsTable old_table(standards_2018());
  auto aug = compute_lines(p, items(), old_table, rules, M("2019-08"), paid);
  ASSERT_EQ(aug.size(), 1u);
  EXPECT_EQ(aug[0].amount_fen, 667833);
  pay(paid, aug);
  auto sep = compute_lines(p, items(), old_table, rules, M("2019-09"), paid);
  ASSERT_EQ(sep.size(), 1u);
  EXPECT_EQ(sep[0].amount_fen, 667833);
  pay(paid, sep);

  StandardsTable table(standards_2018_2019());
  auto oct = compute_lines(p, items(), table, rules, M("2019-10"), paid);
  ASSERT_EQ(oct.size(), 3u);
  EXPECT_EQ(oct[0].kind, "arrears");
  EXPECT_EQ(oct[0].for_month, M("2019-08"));
  EXPECT_EQ(oct[0].amount_fen, 734583 - 667833);
  EXPECT_EQ(oct[1].for_month, M("2019-09"));
  EXPECT_EQ(oct[1].amount_fen, 66750);
  EXPECT_EQ(oct[2].kind, "regular");
  EXPECT_EQ(oct[2].amount_fen, 734583);
  EXPECT_EQ(oct[2].standard_id, 11);
  EXPECT_EQ(total(oct), 868083);
  EXPECT_NE(oct[0].basis.find("补发2019年8月"), std::string::npos) << oct[0].basis;
}

TEST(WorkedExample, TwoDeathRecordedLateIsRecoveredAndTheFuneralSubsidyPaidOnce) {
  auto p = person("martyr_survivor");
  PayRules rules{.first_month = M("2019-11")};
  StandardsTable table(standards_2018_2019());
  std::map<std::string, PaidMonths> paid;
  auto nov = compute_lines(p, items(), table, rules, M("2019-11"), paid);
  ASSERT_EQ(nov.size(), 1u);
  EXPECT_EQ(nov[0].amount_fen, 233167);
  pay(paid, nov);
  auto dec = compute_lines(p, items(), table, rules, M("2019-12"), paid);
  pay(paid, dec);
  EXPECT_EQ(total(dec), 233167);

  p.status = "deceased";
  p.status_date = "2019-11-15";
  auto jan = compute_lines(p, items(), table, rules, M("2020-01"), paid);
  ASSERT_EQ(jan.size(), 2u);
  EXPECT_EQ(jan[0].kind, "recovery");
  EXPECT_EQ(jan[0].for_month, M("2019-12"));
  EXPECT_EQ(jan[0].amount_fen, -233167);
  EXPECT_EQ(jan[1].kind, "one_off");
  EXPECT_EQ(jan[1].item_code, "funeral_subsidy");
  EXPECT_EQ(jan[1].amount_fen, 1399000);
  pay(paid, jan);
  EXPECT_TRUE(compute_lines(p, items(), table, rules, M("2020-02"), paid).empty());
}

TEST(WorkedExample, DeathRecordedInTimePaysTheMonthOfDeath) {
  auto p = person("martyr_survivor");
  p.status = "deceased";
  p.status_date = "2019-11-15";
  PayRules rules{.first_month = M("2019-11")};
  StandardsTable table(standards_2018_2019());
  auto nov = compute_lines(p, items(), table, rules, M("2019-11"), {});
  ASSERT_EQ(nov.size(), 2u);
  EXPECT_EQ(nov[0].amount_fen, 233167);
  EXPECT_EQ(nov[1].amount_fen, 1399000);
}

TEST(WorkedExample, ThreeSuspendedMonthsArePaidBackWhenLifted) {
  auto p = person("ill_returned_veteran");
  PayRules rules{.first_month = M("2019-08")};
  StandardsTable table(standards_2018_2019());
  std::map<std::string, PaidMonths> paid;
  pay(paid, compute_lines(p, items(), table, rules, M("2019-08"), paid));
  p.withheld_from = M("2019-09");
  p.withheld_reason = "暂停发放：未完成生存认证";
  for (const char* m : {"2019-09", "2019-10"}) {
    auto lines = compute_lines(p, items(), table, rules, M(m), paid);
    ASSERT_EQ(lines.size(), 1u) << m;
    EXPECT_EQ(lines[0].exception, "暂停发放：未完成生存认证");
    EXPECT_EQ(lines[0].amount_fen, 60000);
    pay(paid, lines);
  }
  p.withheld_from.reset();
  auto nov = compute_lines(p, items(), table, rules, M("2019-11"), paid);
  ASSERT_EQ(nov.size(), 3u);
  EXPECT_EQ(total(nov), 180000);
}

TEST(WorkedExample, FourPaidFromTheMonthAfterApproval) {
  auto p = person("disabled_veteran", 1, "illness", "2019-06-20");
  PayRules rules{.first_month = M("2019-06")};
  StandardsTable table(standards_2018_2019());
  std::map<std::string, PaidMonths> paid;
  EXPECT_TRUE(compute_lines(p, items(), table, rules, M("2019-06"), paid).empty());
  auto jul = compute_lines(p, items(), table, rules, M("2019-07"), paid);
  ASSERT_EQ(jul.size(), 1u);
  EXPECT_EQ(jul[0].amount_fen, 625500);
  pay(paid, jul);
  auto aug = compute_lines(p, items(), table, rules, M("2019-08"), paid);
  ASSERT_EQ(aug.size(), 1u);
  EXPECT_EQ(aug[0].amount_fen, 688083);
}

TEST(WorkedExample, FivePerYearServed) {
  auto p = person("rural_veteran_60");
  p.enlisted_on = "1970-12-01";
  p.discharged_on = "1976-03-01";  // 5 whole years
  PayRules rules{.first_month = M("2019-08")};
  StandardsTable table(standards_2018_2019());
  auto aug = compute_lines(p, items(), table, rules, M("2019-08"), {});
  ASSERT_EQ(aug.size(), 1u);
  EXPECT_EQ(aug[0].amount_fen, 20000);
  EXPECT_NE(aug[0].basis.find("服役5年"), std::string::npos) << aug[0].basis;
  rules.part_year_counts = true;
  EXPECT_EQ(compute_lines(p, items(), table, rules, M("2019-08"), {})[0].amount_fen, 24000);
}

TEST(Entitlement, SixtyPlusStartsTheMonthAfterTheBirthday) {
  auto p = person("rural_veteran_60");
  p.birth_date = "1959-09-10";
  p.enlisted_on = "1978-03-01";
  p.discharged_on = "1981-03-01";
  PayRules rules{.first_month = M("2019-08")};
  StandardsTable table(standards_2018_2019());
  EXPECT_TRUE(compute_lines(p, items(), table, rules, M("2019-09"), {}).empty());
  auto oct = compute_lines(p, items(), table, rules, M("2019-10"), {});
  ASSERT_EQ(oct.size(), 1u);
  EXPECT_EQ(oct[0].amount_fen, 12000);
}

TEST(Entitlement, NoStandardAndNoBankAccountAreHeldWithTheReason) {
  auto p = person("disabled_veteran", 7, "combat");
  PayRules rules{.first_month = M("2019-08")};
  StandardsTable table(standards_2018_2019());
  auto lines = compute_lines(p, items(), table, rules, M("2019-08"), {});
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].exception.find("无匹配的待遇标准"), std::string::npos);
  EXPECT_EQ(lines[0].amount_fen, 0);

  auto q = person("disabled_veteran", 1, "combat");
  q.bank_account = "";
  lines = compute_lines(q, items(), table, rules, M("2019-08"), {});
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].exception, "未登记银行账号");
  EXPECT_EQ(lines[0].amount_fen, 734583);
  q.bank_account = "62170000x";
  EXPECT_NE(compute_lines(q, items(), table, rules, M("2019-08"), {})[0].exception.find("格式无效"), std::string::npos);
}

TEST(Entitlement, SettledMonthsAreNeverPaidAgain) {
  auto p = person("disabled_veteran", 1, "combat");
  p.paid_through = "2019-09";
  PayRules rules{.first_month = M("2019-08")};
  StandardsTable table(standards_2018_2019());
  auto oct = compute_lines(p, items(), table, rules, M("2019-10"), {});
  ASSERT_EQ(oct.size(), 1u);
  EXPECT_EQ(oct[0].kind, "regular");
  // Without paid-through, a missed month is paid as arrears.
  p.paid_through = "";
  EXPECT_EQ(compute_lines(p, items(), table, rules, M("2019-10"), {}).size(), 3u);
}

TEST(Entitlement, LocalTopUpIsAddedToTheNationalStandard) {
  auto rows = standards_2018_2019();
  rows.push_back({20, "living_allowance", "ill_returned_veteran", "", 0, "140924", "monthly", 5000, "2019-01-01", ""});
  rows.push_back({21, "living_allowance", "ill_returned_veteran", "", 0, "140925", "monthly", 9900, "2019-01-01", ""});
  StandardsTable table(rows);
  auto p = person("ill_returned_veteran");
  auto lines = compute_lines(p, items(), table, PayRules{.first_month = M("2019-08")}, M("2019-08"), {});
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].amount_fen, 65000);
  EXPECT_EQ(lines[0].standard_id, 14);
}

TEST(Entitlement, PaidScheduleRoundTrips) {
  PaidMonths m{{M("2019-08"), 667833}, {M("2019-09"), 667833}, {M("2019-10"), 734583}, {M("2019-12"), -5}};
  std::string text = encode_paid(m);
  EXPECT_EQ(text, "2019-08..2019-09:667833;2019-10:734583;2019-12:-5");
  EXPECT_EQ(decode_paid(text), m);
}

}  // namespace
}  // namespace sy::payroll
