// Payroll runs on the backend under test: the worked examples of DOMAIN.md §5 through real runs
// (standards imported from a workbook, persons in the registry, approval by a second user), the
// rules against paying a month twice, bank file, reconciliation and re-issue.
#include "payroll/runs.h"

#include <gtest/gtest.h>

#include "core/id_number.h"
#include "io/csv_reader.h"
#include "io/xlsx_reader.h"
#include "io/xlsx_table.h"
#include "payroll/rules.h"
#include "payroll/standards.h"
#include "registry/persons.h"
#include "setup/setup.h"
#include "store/migrate.h"
#include "test_support.h"

namespace sy::payroll {
namespace {

// The published national figures of 2018 and 2019 (DOMAIN.md §4), in the standards format.
std::string standards_workbook(bool with_2019) {
  io::Table t{"待遇标准", standards_headers(), {}};
  auto add = [&](std::vector<std::string> r) { t.rows.push_back(std::move(r)); };
  add({"残疾抚恤金", "残疾军人", "因战", "一级", "按年", "80140", "2018-08-01", "全国", ""});
  add({"残疾抚恤金", "残疾军人", "因病", "一级", "按年", "75060", "2018-08-01", "全国", ""});
  add({"定期抚恤金", "烈士遗属", "", "", "按年", "25440", "2018-08-01", "全国", ""});
  add({"定期生活补助", "带病回乡退役军人", "", "", "按月", "550", "2018-08-01", "全国", ""});
  add({"定期生活补助", "60周岁以上农村籍退役士兵", "", "", "按服役年限每月", "35", "2018-08-01", "全国", ""});
  if (with_2019) {
    add({"残疾抚恤金", "残疾军人", "因战", "一级", "按年", "88150", "2019-08-01", "全国", ""});
    add({"残疾抚恤金", "残疾军人", "因病", "一级", "按年", "82570", "2019-08-01", "全国", ""});
    add({"定期抚恤金", "烈士遗属", "", "", "按年", "27980", "2019-08-01", "全国", ""});
    add({"定期生活补助", "带病回乡退役军人", "", "", "按月", "600", "2019-08-01", "全国", ""});
    add({"定期生活补助", "60周岁以上农村籍退役士兵", "", "", "按服役年限每月", "40", "2019-08-01", "全国", ""});
  }
  return *io::write_xlsx(t);
}

std::string id_number(int serial) {
  char first17[18];
  std::snprintf(first17, sizeof first17, "14092419500101%03d", serial);
  return std::string(first17) + id_number_check_digit(first17);
}

class PayrollRuns : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::make_test_db();
    auto init = setup::initialize(*db_->db, clock_, ids_,
                                  setup::InitOptions{.county = "140924", .admin_password = "First#Pass2026"});
    ASSERT_TRUE(init.ok()) << init.error().message;
    // Two real users: a clerk who prepares and a lead who approves.
    ASSERT_TRUE(db_->db->transact([&](store::Conn& tx) -> Status {
      for (auto [id, name, role] : {std::tuple{901, "fc_clerk", "clerk"}, std::tuple{902, "fc_lead", "biz_admin"}})
        SY_TRY(tx.exec("INSERT INTO users (id, username, display_name, region_code, roles, password_hash, "
                       "password_changed_at, created_at, updated_at) VALUES (?,?,?,?,?,'x',0,0,0)",
                       {id, name, name, "140924000000", role}));
      return ok_status();
    }).ok());
  }
  Context as(std::int64_t user_id, std::set<std::string, std::less<>> perms) {
    Actor a;
    a.user_id = user_id;
    a.username = user_id == 901 ? "fc_clerk" : "fc_lead";
    a.region_code = "140924000000";
    a.permissions = std::move(perms);
    return Context{*db_->db, clock_, ids_, a};
  }
  Context clerk() { return as(901, {"business:read", "business:write", "sensitive:reveal", "payroll:prepare"}); }
  Context lead() {
    return as(902, {"business:read", "business:write", "sensitive:reveal", "payroll:prepare", "payroll:approve",
                    "standards:manage"});
  }

  std::int64_t add_person(int serial, const char* category, const char* grade = "", const char* cause = "",
                          const char* approved = "2000-01-01", const char* account = "6217000010001234567") {
    registry::PersonFields f;
    f.name = "测试" + std::to_string(serial);
    f.id_number = id_number(serial);
    f.region_code = "140924100201";
    f.bank_name = "农业银行";
    f.bank_account = std::string(account);
    f.enlisted_on = "1970-12-01";
    f.discharged_on = "1976-03-01";
    f.category = registry::CategoryFields{std::string(category), std::string(grade), std::string(cause), std::string(approved)};
    auto p = registry::create_person(clerk(), f);
    EXPECT_TRUE(p.ok()) << p.error().message;
    return p.ok() ? p->id : 0;
  }
  void import_standards(bool with_2019) {
    auto r = payroll::import_standards(lead(), standards_workbook(with_2019), "standards.xlsx", false);
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_EQ(r->rejected, 0) << r->problems[0].message;
  }
  RunSummary run_and_approve(const std::string& month) {
    auto run = create_run(clerk(), RunRequest{.month = month});
    EXPECT_TRUE(run.ok()) << run.error().message;
    if (!run.ok()) return {};
    auto approved = approve_run(lead(), run->id, run->version);
    EXPECT_TRUE(approved.ok()) << approved.error().message;
    return approved.ok() ? *approved : *run;
  }
  std::vector<RunLine> lines(std::int64_t run_id) {
    auto page = run_lines(clerk(), LineQuery{.run_id = run_id, .page = {1, 200}});
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->items : std::vector<RunLine>{};
  }
  Fen person_total(std::int64_t run_id, std::int64_t person) {
    Fen t = 0;
    for (const auto& l : lines(run_id))
      if (l.person_id == person && l.exception.empty()) t += l.amount_fen;
    return t;
  }

  FixedClock clock_{testing::test_now()};
  IdGenerator ids_{clock_};
  std::unique_ptr<testing::TestDb> db_;
};

TEST_F(PayrollRuns, WorkedExampleOneBackPayAfterTheStandardIsEntered) {
  import_standards(false);
  auto p = add_person(1, "残疾军人", "一级", "因战");
  auto aug = run_and_approve("2019-08");
  EXPECT_EQ(person_total(aug.id, p), 667833);
  auto sep = run_and_approve("2019-09");
  EXPECT_EQ(person_total(sep.id, p), 667833);
  import_standards(true);  // the 2018 rows are unchanged, the 2019 rows are new
  auto oct = create_run(clerk(), RunRequest{.month = "2019-10"});
  ASSERT_TRUE(oct.ok()) << oct.error().message;
  EXPECT_EQ(person_total(oct->id, p), 868083);
  EXPECT_EQ(oct->arrears_fen, 133500);
  auto ls = lines(oct->id);
  ASSERT_EQ(ls.size(), 3u);
  EXPECT_EQ(ls[0].kind, "arrears");
  EXPECT_EQ(ls[0].for_month, "2019-08");
  EXPECT_EQ(ls[1].for_month, "2019-09");
  EXPECT_EQ(ls[2].kind, "regular");
  EXPECT_EQ(ls[2].amount_fen, 734583);
}

TEST_F(PayrollRuns, WorkedExampleTwoLateDeathIsRecovered) {
  import_standards(true);
  auto p = add_person(2, "烈士遗属");
  run_and_approve("2019-11");
  auto dec = run_and_approve("2019-12");
  EXPECT_EQ(person_total(dec.id, p), 233167);
  auto person = registry::get_person(clerk(), p);
  ASSERT_TRUE(person.ok());
  auto st = registry::change_status(clerk(), p, registry::StatusChange{"deceased", "2019-11-15", "病故"}, person->version);
  ASSERT_TRUE(st.ok()) << st.error().message;
  auto jan = create_run(clerk(), RunRequest{.month = "2020-01"});
  ASSERT_TRUE(jan.ok()) << jan.error().message;
  auto ls = lines(jan->id);
  ASSERT_EQ(ls.size(), 2u);
  EXPECT_EQ(ls[0].kind, "recovery");
  EXPECT_EQ(ls[0].for_month, "2019-12");
  EXPECT_EQ(ls[0].amount_fen, -233167);
  EXPECT_EQ(ls[1].item_code, "funeral_subsidy");
  EXPECT_EQ(ls[1].amount_fen, 1399000);
  EXPECT_EQ(jan->recovery_fen, -233167);
}

TEST_F(PayrollRuns, WorkedExampleThreeSuspensionIsPaidBack) {
  import_standards(true);
  auto p = add_person(3, "带病回乡退役军人");
  run_and_approve("2019-08");
  auto person = registry::get_person(clerk(), p);
  auto st = registry::change_status(clerk(), p, registry::StatusChange{"suspended", "2019-09-01", "未完成生存认证"}, person->version);
  ASSERT_TRUE(st.ok()) << st.error().message;
  for (const char* m : {"2019-09", "2019-10"}) {
    auto run = run_and_approve(m);
    EXPECT_EQ(person_total(run.id, p), 0) << m;
    EXPECT_EQ(run.exception_count, 1) << m;
  }
  auto st2 = registry::change_status(clerk(), p, registry::StatusChange{"active", "2019-11-05", ""}, st->version);
  ASSERT_TRUE(st2.ok()) << st2.error().message;
  auto nov = create_run(clerk(), RunRequest{.month = "2019-11"});
  ASSERT_TRUE(nov.ok());
  EXPECT_EQ(person_total(nov->id, p), 180000);
}

TEST_F(PayrollRuns, WorkedExamplesFourAndFive) {
  import_standards(true);
  auto ill = add_person(4, "残疾军人", "一级", "因病", "2019-06-20");
  auto rural = add_person(5, "60周岁以上农村籍退役士兵");
  auto jul = run_and_approve("2019-07");
  EXPECT_EQ(person_total(jul.id, ill), 625500);
  EXPECT_EQ(person_total(jul.id, rural), 17500);  // 35 × 5 years under the 2018 standard
  auto aug = run_and_approve("2019-08");
  EXPECT_EQ(person_total(aug.id, ill), 688083);
  EXPECT_EQ(person_total(aug.id, rural), 20000);
}

TEST_F(PayrollRuns, RecomputingADraftGivesTheSameLines) {
  import_standards(true);
  add_person(6, "残疾军人", "一级", "因战");
  add_person(7, "烈士遗属", "", "", "2000-01-01", "");
  add_person(8, "残疾军人", "五级", "因公");
  auto run = create_run(clerk(), RunRequest{.month = "2019-08"});
  ASSERT_TRUE(run.ok());
  auto before = lines(run->id);
  auto again = recompute_run(clerk(), run->id, run->version);
  ASSERT_TRUE(again.ok()) << again.error().message;
  auto after = lines(run->id);
  ASSERT_EQ(before.size(), after.size());
  for (size_t i = 0; i < before.size(); ++i) {
    EXPECT_EQ(before[i].person_id, after[i].person_id);
    EXPECT_EQ(before[i].amount_fen, after[i].amount_fen);
    EXPECT_EQ(before[i].basis, after[i].basis);
    EXPECT_EQ(before[i].exception, after[i].exception);
  }
  EXPECT_EQ(again->total_fen, run->total_fen);
  // The one without a bank account and the one without a standard are held, with reasons.
  EXPECT_EQ(again->exception_count, 2);
  int held = 0;
  for (const auto& l : after) {
    if (l.exception == "未登记银行账号") ++held;
    if (l.exception.find("无匹配的待遇标准") != std::string::npos) ++held;
  }
  EXPECT_EQ(held, 2);
}

// On SQLite a run computes on a second connection while its own writes (when the pool has one to
// spare); with a pool of one it does both on one. The lines are the same either way.
TEST_F(PayrollRuns, OneConnectionOrTwoGiveTheSameLines) {
  import_standards(true);
  for (int i = 0; i < 40; ++i) add_person(100 + i, i % 3 ? "残疾军人" : "烈士遗属", i % 3 ? "五级" : "", i % 3 ? "因公" : "");
  auto run = create_run(clerk(), RunRequest{.month = "2019-08"});
  ASSERT_TRUE(run.ok()) << run.error().message;
  auto two = lines(run->id);
  ASSERT_EQ(two.size(), 40u);
  auto single = store::Db::open(db_->url, store::DbOptions{.pool_size = 1});
  ASSERT_TRUE(single.ok()) << single.error().message;
  Context one = clerk();
  Context on_one{**single, clock_, ids_, one.actor};
  auto again = recompute_run(on_one, run->id, run->version);
  ASSERT_TRUE(again.ok()) << again.error().message;
  auto after = lines(run->id);
  ASSERT_EQ(after.size(), two.size());
  for (size_t i = 0; i < two.size(); ++i) {
    EXPECT_EQ(after[i].seq, two[i].seq);
    EXPECT_EQ(after[i].person_id, two[i].person_id);
    EXPECT_EQ(after[i].amount_fen, two[i].amount_fen);
    EXPECT_EQ(after[i].basis, two[i].basis);
  }
  EXPECT_EQ(again->total_fen, run->total_fen);
  EXPECT_EQ(again->line_count, run->line_count);
}

// Lines come village by village, by name within a village, and by id between persons of the same
// name; the bank file follows that order.
TEST_F(PayrollRuns, LinesAreInVillageNameAndIdOrder) {
  import_standards(true);
  // Ids are not always in insertion order (another app instance, a clock set back): the person of
  // the same name added last gets the smaller id here, and still comes first.
  FixedClock earlier{testing::test_now() - 86400000};
  IdGenerator earlier_ids{earlier, 7};
  auto add = [&](int serial, const char* name, const char* village, bool early_id = false) {
    registry::PersonFields f;
    f.name = name;
    f.id_number = id_number(serial);
    f.region_code = village;
    f.bank_name = "农业银行";
    f.bank_account = "62170000100012345" + std::to_string(10 + serial);
    f.category = registry::CategoryFields{"带病回乡退役军人", "", "", "2000-01-01"};
    Context ctx = clerk();
    Context early{ctx.db, earlier, earlier_ids, ctx.actor};
    auto p = registry::create_person(early_id ? early : ctx, f);
    EXPECT_TRUE(p.ok()) << p.error().message;
    return p.ok() ? p->id : 0;
  };
  auto wang_added_first = add(21, "王军", "140924100201");
  auto li = add(22, "李明", "140924100201");
  auto wang_added_last = add(23, "王军", "140924100201", true);
  auto zhao = add(24, "赵强", "140924100002");
  ASSERT_LT(wang_added_last, wang_added_first);
  auto run = run_and_approve("2019-08");
  std::vector<std::int64_t> order;
  for (const auto& l : lines(run.id)) order.push_back(l.person_id);
  EXPECT_EQ(order, (std::vector<std::int64_t>{zhao, li, wang_added_last, wang_added_first}));
  auto file = export_bank_file(clerk(), run.id, "csv");
  ASSERT_TRUE(file.ok()) << file.error().message;
  size_t z = file->bytes.find("赵强"), l = file->bytes.find("李明"), w = file->bytes.find("王军");
  EXPECT_LT(z, l);
  EXPECT_LT(l, w);
  EXPECT_EQ(file->rows, 4);
}

TEST_F(PayrollRuns, MakerCheckerAndAMonthIsNeverRunTwice) {
  import_standards(true);
  add_person(9, "残疾军人", "一级", "因战");
  auto run = create_run(lead(), RunRequest{.month = "2019-08"});
  ASSERT_TRUE(run.ok());
  auto own = approve_run(lead(), run->id, run->version);
  ASSERT_FALSE(own.ok());
  EXPECT_EQ(own.error().code, "maker_checker");
  auto no_right = approve_run(clerk(), run->id, run->version);
  ASSERT_FALSE(no_right.ok());
  EXPECT_EQ(no_right.error().code, "forbidden");
  auto second_draft = create_run(clerk(), RunRequest{.month = "2019-09"});
  ASSERT_FALSE(second_draft.ok());
  EXPECT_EQ(second_draft.error().code, "draft_exists");
  auto unapproved_export = export_bank_file(clerk(), run->id, "xlsx");
  ASSERT_FALSE(unapproved_export.ok());
  EXPECT_EQ(unapproved_export.error().code, "run_not_approved");

  // The clerk's approval is refused above; a second user approves.
  ASSERT_TRUE(approve_run(as(901, {"business:read", "payroll:approve"}), run->id, run->version).ok());
  auto twice = create_run(clerk(), RunRequest{.month = "2019-08"});
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, "month_already_run");
  auto earlier = create_run(clerk(), RunRequest{.month = "2019-07"});
  ASSERT_FALSE(earlier.ok());
  EXPECT_EQ(earlier.error().code, "month_before_last_run");
  auto approved = get_run(clerk(), run->id);
  auto recompute = recompute_run(clerk(), run->id, approved->version);
  ASSERT_FALSE(recompute.ok());
  EXPECT_EQ(recompute.error().code, "run_not_draft");
}

TEST_F(PayrollRuns, BankFileReconciliationAndReissue) {
  import_standards(true);
  auto a = add_person(10, "残疾军人", "一级", "因战", "2000-01-01", "6217000010001234567");
  auto b = add_person(11, "带病回乡退役军人", "", "", "2000-01-01", "6228480010002345678");
  auto run = run_and_approve("2019-08");
  auto csv = export_bank_file(clerk(), run.id, "csv");
  ASSERT_TRUE(csv.ok()) << csv.error().message;
  EXPECT_EQ(csv->rows, 2);
  EXPECT_EQ(csv->total_fen, 734583 + 60000);
  auto sheet = io::read_csv(csv->bytes);
  ASSERT_TRUE(sheet.ok());
  EXPECT_EQ(sheet->rows[0][5].text, "金额(元)");
  EXPECT_EQ(sheet->rows[1][5].text, "7345.83");
  EXPECT_EQ(sheet->rows.size(), 3u);  // data rows only; the totals travel beside them
  auto xlsx = export_bank_file(clerk(), run.id, "xlsx");
  ASSERT_TRUE(xlsx.ok());
  auto summary = io::read_xlsx_sheet(xlsx->bytes, {}, "汇总");
  ASSERT_TRUE(summary.ok()) << summary.error().message;
  EXPECT_EQ(summary->rows[2][1].text, "2");
  EXPECT_EQ(summary->rows[3][1].text, "7945.83");

  // A return file that names an account not in the run changes nothing.
  io::Table bad{"回盘", {"姓名", "银行账号", "金额(元)", "处理结果", "失败原因"},
                {{"测试10", "6217000010001234567", "7345.83", "成功", ""}, {"别人", "6200000000000000000", "600.00", "成功", ""}}};
  auto rejected = reconcile_run(clerk(), run.id, *io::write_xlsx(bad), "return.xlsx");
  ASSERT_FALSE(rejected.ok());
  EXPECT_EQ(rejected.error().code, "return_mismatch");
  EXPECT_NE(rejected.error().message.find("找不到"), std::string::npos);
  EXPECT_EQ(get_run(clerk(), run.id)->status, "approved");

  io::Table ret{"回盘", {"姓名", "银行账号", "金额(元)", "处理结果", "失败原因"},
                {{"测试10", "6217000010001234567", "7345.83", "成功", ""},
                 {"测试11", "6228480010002345678", "600.00", "失败", "账户已销户"}}};
  auto rec = reconcile_run(clerk(), run.id, *io::write_xlsx(ret), "return.xlsx");
  ASSERT_TRUE(rec.ok()) << rec.error().message;
  EXPECT_EQ(rec->paid, 1);
  EXPECT_EQ(rec->failed, 1);
  ASSERT_NE(rec->reissue_run_id, 0);
  auto reissue = get_run(clerk(), rec->reissue_run_id);
  ASSERT_TRUE(reissue.ok());
  EXPECT_EQ(reissue->kind, "reissue");
  EXPECT_EQ(reissue->total_fen, 60000);
  auto rl = lines(rec->reissue_run_id);
  ASSERT_EQ(rl.size(), 1u);
  EXPECT_EQ(rl[0].person_id, b);
  EXPECT_NE(rl[0].basis.find("账户已销户"), std::string::npos);
  auto again = reconcile_run(clerk(), run.id, *io::write_xlsx(ret), "return.xlsx");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "run_reconciled");
  // The original names its re-issue run, and the re-issue run its original.
  EXPECT_EQ(get_run(clerk(), run.id)->reissue_run_id, rec->reissue_run_id);
  EXPECT_EQ(reissue->parent_run_id, run.id);
  // Lines by the bank's result.
  auto by_bank = [&](const char* bank) {
    auto page = run_lines(clerk(), LineQuery{.run_id = run.id, .bank = bank, .page = {1, 200}});
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->total : -1;
  };
  EXPECT_EQ(by_bank("paid"), 1);
  EXPECT_EQ(by_bank("failed"), 1);
  EXPECT_EQ(by_bank("none"), 0);
  EXPECT_EQ(by_bank(""), 2);
  auto bad_filter = run_lines(clerk(), LineQuery{.run_id = run.id, .bank = "maybe", .page = {1, 200}});
  ASSERT_FALSE(bad_filter.ok());
  EXPECT_EQ(bad_filter.error().field, "bank");

  // The clerk corrects the account; recomputing the re-issue draft pays the same obligation to it.
  auto person = registry::get_person(clerk(), b);
  ASSERT_TRUE(person.ok());
  registry::PersonFields fix;
  fix.bank_account = "6228480010009999995";
  ASSERT_TRUE(registry::update_person(clerk(), b, fix, person->version).ok());
  auto positions_of = [&](std::int64_t person) {
    std::string out;
    EXPECT_TRUE(db_->db->read([&](store::Conn& c) -> Status {
                    SY_ASSIGN(store::Rows rows, c.query("SELECT item_code, schedule FROM payment_positions WHERE person_id = ? "
                                                        "ORDER BY item_code", {person}));
                    for (const auto& r : rows) out += r.str(0) + "=" + r.str(1) + ";";
                    return ok_status();
                  }).ok());
    return out;
  };
  std::string positions_before = positions_of(b);
  EXPECT_FALSE(positions_before.empty());
  auto refreshed = recompute_run(clerk(), reissue->id, reissue->version);
  ASSERT_TRUE(refreshed.ok()) << refreshed.error().message;
  EXPECT_EQ(refreshed->total_fen, 60000);
  EXPECT_EQ(refreshed->line_count, 1);
  auto rl2 = lines(reissue->id);
  ASSERT_EQ(rl2.size(), 1u);
  EXPECT_EQ(rl2[0].bank_account, "6228480010009999995");
  EXPECT_EQ(rl2[0].amount_fen, rl[0].amount_fen);
  EXPECT_EQ(rl2[0].for_month, rl[0].for_month);
  EXPECT_EQ(rl2[0].exception, "");
  auto approved_reissue = approve_run(lead(), reissue->id, refreshed->version);
  ASSERT_TRUE(approved_reissue.ok()) << approved_reissue.error().message;
  EXPECT_EQ(positions_of(b), positions_before);
  auto reissue_csv = export_bank_file(clerk(), reissue->id, "csv");
  ASSERT_TRUE(reissue_csv.ok());
  EXPECT_NE(reissue_csv->bytes.find("6228480010009999995"), std::string::npos);

  // The next month is not disturbed by the failed payment: it was owed once and is re-issued once.
  // A re-issue draft does not block the next regular run.
  auto sep = create_run(clerk(), RunRequest{.month = "2019-09"});
  ASSERT_TRUE(sep.ok()) << sep.error().message;
  EXPECT_EQ(person_total(sep->id, b), 60000);
  EXPECT_EQ(person_total(sep->id, a), 734583);
  EXPECT_EQ(sep->arrears_fen, 0);
}

TEST_F(PayrollRuns, ProgressIsReportedAndSeenByAnotherInstance) {
  import_standards(true);
  for (int i = 0; i < 5; ++i) add_person(20 + i, "带病回乡退役军人");
  // On PostgreSQL a second server process of the same database answers the poll; SQLite is one
  // process per file, so there the computing process answers from memory.
  std::unique_ptr<store::Db> other;
  if (db_->postgres) {
    auto opened = store::Db::open(db_->url);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    other = std::move(*opened);
  }
  store::Db& asked = other ? *other : *db_->db;
  const std::string token = "run-progress-0001";
  std::vector<std::string> phases;
  bool saw_saving = false;
  RunRequest req{.month = "2019-08", .progress = token, .observe_progress = [&](const RunProgress& p) {
                   if (phases.empty() || phases.back() != p.phase) phases.push_back(p.phase);
                   if (p.phase != "save") return;
                   // While the run's transaction is still open.
                   auto seen = get_progress(Context{asked, clock_, ids_, clerk().actor}, token);
                   ASSERT_TRUE(seen.ok()) << seen.error().message;
                   EXPECT_EQ(seen->phase, "save");
                   EXPECT_EQ(seen->done, 5);
                   EXPECT_EQ(seen->total, 5);
                   EXPECT_EQ(seen->run_id, 0);
                   saw_saving = true;
                 }};
  auto run = create_run(clerk(), req);
  ASSERT_TRUE(run.ok()) << run.error().message;
  EXPECT_TRUE(saw_saving);
  EXPECT_EQ(phases, (std::vector<std::string>{"prepare", "compute", "save", "done"}));
  auto done = get_progress(Context{asked, clock_, ids_, clerk().actor}, token);
  ASSERT_TRUE(done.ok()) << done.error().message;
  EXPECT_EQ(done->phase, "done");
  EXPECT_EQ(done->run_id, run->id);
  // Only the user who started it may look.
  auto others = get_progress(lead(), token);
  ASSERT_FALSE(others.ok());
  EXPECT_EQ(others.error().code, "not_found");
  // A failed run reports why.
  auto twice = create_run(clerk(), RunRequest{.month = "2019-08", .progress = "run-progress-0002"});
  ASSERT_FALSE(twice.ok());
  auto failed = get_progress(clerk(), "run-progress-0002");
  ASSERT_TRUE(failed.ok());
  EXPECT_EQ(failed->phase, "failed");
  EXPECT_EQ(failed->message, twice.error().message);
  auto bad = create_run(clerk(), RunRequest{.month = "2019-09", .progress = "短"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "progress");
}

TEST_F(PayrollRuns, BankTemplateFromTheSettingsShapesTheFile) {
  import_standards(true);
  add_person(13, "残疾军人", "一级", "因战");
  auto bad = update_rules(lead(), nlohmann::json{{"bank_templates", {{{"name", "农行"}, {"columns", {{{"header", "户名"}, {"field", "wife"}}}}}}}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("取值未知"), std::string::npos);
  auto rules = update_rules(
      lead(), nlohmann::json{{"bank_templates",
                              {{{"name", "农行"},
                                {"format", "csv"},
                                {"control_row", true},
                                {"columns", {{{"header", "账号"}, {"field", "account"}},
                                             {{"header", "户名"}, {"field", "name"}},
                                             {{"header", "金额"}, {"field", "amount_fen"}}}}}}}});
  ASSERT_TRUE(rules.ok()) << rules.error().message;
  auto run = run_and_approve("2019-08");
  auto file = export_bank_file(clerk(), run.id, "", "农行");
  ASSERT_TRUE(file.ok()) << file.error().message;
  EXPECT_TRUE(file->file_name.ends_with(".csv"));
  auto sheet = io::read_csv(file->bytes);
  ASSERT_TRUE(sheet.ok());
  EXPECT_EQ(sheet->rows[0][0].text, "账号");
  EXPECT_EQ(sheet->rows[1][0].text, "6217000010001234567");
  EXPECT_EQ(sheet->rows[1][2].text, "734583");
  EXPECT_EQ(sheet->rows[2][0].text, "合计");
  EXPECT_EQ(sheet->rows[2][2].text, "734583");
  auto unknown = export_bank_file(clerk(), run.id, "", "工行");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, "unknown_template");
}

TEST_F(PayrollRuns, PersonPaymentsListTheirLines) {
  import_standards(true);
  auto p = add_person(12, "残疾军人", "一级", "因战");
  run_and_approve("2019-08");
  auto pays = person_payments(clerk(), p);
  ASSERT_TRUE(pays.ok());
  ASSERT_EQ(pays->size(), 1u);
  EXPECT_EQ((*pays)[0].amount_fen, 734583);
  EXPECT_EQ((*pays)[0].run_month, "2019-08");
  EXPECT_EQ((*pays)[0].item_name, "残疾抚恤金");
}

// The lines' foreign keys are checked at commit on SQLite (deferred, migration 0011) and at once on
// PostgreSQL: either way a line for a run or person that does not exist never lands.
TEST_F(PayrollRuns, LineForAMissingPersonOrRunIsRefused) {
  std::int64_t person = add_person(1, "disabled_veteran", "1", "combat");
  import_standards(true);
  RunSummary run = run_and_approve("2019-10");
  auto insert_line = [&](std::int64_t run_id, std::int64_t person_id) {
    return db_->db->transact([&](store::Conn& tx) -> Status {
      SY_TRY(tx.exec("INSERT INTO payroll_lines (id, run_id, seq, person_id, region_code, name, id_number, bank_name, "
                     "bank_account, item_code, kind, for_month, amount_fen, basis) "
                     "VALUES (?,?,1,?,'140924100201','x','x','x','x','disability_pension','regular','2019-10',1,'x')",
                     {ids_.next(), run_id, person_id}));
      return ok_status();
    });
  };
  EXPECT_FALSE(insert_line(run.id, 987654321).ok());
  EXPECT_FALSE(insert_line(987654321, person).ok());
  EXPECT_TRUE(insert_line(run.id, person).ok());  // the same line with both in place lands
  std::int64_t n = -1;
  ASSERT_TRUE(db_->db->read([&](store::Conn& c) -> Status {
    SY_ASSIGN(n, c.query_int("SELECT count(*) FROM payroll_lines WHERE person_id = 987654321 OR run_id = 987654321"));
    return ok_status();
  }).ok());
  EXPECT_EQ(n, 0);
}

// Migration 0011 rebuilds payroll_lines on SQLite (the id becomes the rowid, the foreign keys are
// deferred): a database whose lines are in the old shape keeps every row, column and id.
TEST_F(PayrollRuns, SqliteLinesRebuildKeepsEveryRow) {
  if (db_->db->dialect() != store::Dialect::kSqlite) GTEST_SKIP() << "the rebuild is SQLite's only";
  add_person(1, "disabled_veteran", "1", "combat");
  add_person(2, "martyr_survivor", "", "", "2000-01-01", "");
  import_standards(true);
  run_and_approve("2019-10");
  const std::string all = "SELECT * FROM payroll_lines ORDER BY id";
  auto dump = [&]() {
    std::vector<std::string> rows;
    EXPECT_TRUE(db_->db->read([&](store::Conn& c) -> Status {
      return c.for_each_row(all, {}, [&](const store::RowView& r) -> Status {
        std::string row;
        for (int k = 0; k < 19; ++k) row += (r.is_null(k) ? std::string("NULL") : r.str(k)) + "|";
        rows.push_back(row);
        return ok_status();
      });
    }).ok());
    return rows;
  };
  std::vector<std::string> before = dump();
  ASSERT_EQ(before.size(), 2u);
  // Back to the shape before 0011, with the same rows.
  ASSERT_TRUE(db_->db->transact([](store::Conn& c) -> Status {
    return c.exec_script(
        "ALTER TABLE payroll_lines RENAME TO payroll_lines_0011;"
        "DROP INDEX payroll_lines_run; DROP INDEX payroll_lines_person;"
        "CREATE TABLE payroll_lines (id BIGINT PRIMARY KEY, run_id BIGINT NOT NULL REFERENCES payroll_runs(id), "
        "seq INTEGER NOT NULL, person_id BIGINT NOT NULL REFERENCES persons(id), region_code TEXT NOT NULL, "
        "name TEXT NOT NULL, id_number TEXT NOT NULL, bank_name TEXT NOT NULL, bank_account TEXT NOT NULL, "
        "item_code TEXT NOT NULL, kind TEXT NOT NULL, for_month TEXT NOT NULL, standard_id BIGINT, "
        "amount_fen BIGINT NOT NULL, basis TEXT NOT NULL, exception TEXT NOT NULL DEFAULT '', "
        "bank_status TEXT NOT NULL DEFAULT '', bank_reason TEXT NOT NULL DEFAULT '', source_line_id BIGINT);"
        "CREATE INDEX payroll_lines_run ON payroll_lines(run_id, seq);"
        "CREATE INDEX payroll_lines_person ON payroll_lines(person_id, for_month);"
        "INSERT INTO payroll_lines SELECT * FROM payroll_lines_0011 ORDER BY id DESC;"
        "DROP TABLE payroll_lines_0011;"
        "DELETE FROM schema_migrations WHERE version = 11;");
  }).ok());
  auto again = store::migrate(*db_->db);
  ASSERT_TRUE(again.ok()) << again.error().message;
  ASSERT_EQ(again->applied, std::vector<std::string>{"0011_payroll_lines_bulk"});
  EXPECT_EQ(dump(), before);
  ASSERT_TRUE(db_->db->read([&](store::Conn& c) -> Status {
    SY_ASSIGN(auto sql, c.query_one("SELECT sql FROM sqlite_master WHERE name = 'payroll_lines'"));
    EXPECT_NE(sql->str(0).find("id INTEGER PRIMARY KEY"), std::string::npos);
    EXPECT_NE(sql->str(0).find("DEFERRABLE INITIALLY DEFERRED"), std::string::npos);
    SY_ASSIGN(std::int64_t indexes, c.query_int("SELECT count(*) FROM sqlite_master WHERE tbl_name = 'payroll_lines' "
                                                "AND type = 'index'"));
    EXPECT_EQ(indexes, 2);  // run and person; no separate index for the id
    return ok_status();
  }).ok());
}

}  // namespace
}  // namespace sy::payroll
