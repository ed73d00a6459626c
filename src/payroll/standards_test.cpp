// 待遇标准 on the backend under test: the sample workbook (../shared/samples, skipped where absent),
// import refusals that write nothing, overlaps, corrections kept as history, export round trip.
#include "payroll/standards.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "io/xlsx_table.h"
#include "setup/setup.h"
#include "test_support.h"

namespace sy::payroll {
namespace {

std::filesystem::path samples_dir() {
  if (const char* env = std::getenv("SY_SAMPLES_DIR")) return env;
  return std::filesystem::path(__FILE__).parent_path() / "../../../shared/samples";
}

class Standards : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::make_test_db();
    auto init = setup::initialize(*db_->db, clock_, ids_,
                                  setup::InitOptions{.county = "140924", .admin_password = "First#Pass2026"});
    ASSERT_TRUE(init.ok()) << init.error().message;
  }
  Context lead() {
    Actor a;
    a.user_id = 0;
    a.username = "fc_lead";
    a.region_code = "140924000000";
    a.permissions = {"business:read", "standards:manage"};
    return Context{*db_->db, clock_, ids_, a};
  }
  std::string workbook(std::vector<std::vector<std::string>> rows) {
    return *io::write_xlsx(io::Table{"待遇标准", standards_headers(), std::move(rows)});
  }
  std::int64_t count() {
    std::int64_t n = -1;
    EXPECT_TRUE(db_->db->read([&](store::Conn& c) -> Status {
      SY_ASSIGN(n, c.query_int("SELECT count(*) FROM benefit_standards"));
      return ok_status();
    }).ok());
    return n;
  }
  FixedClock clock_{testing::test_now()};
  IdGenerator ids_{clock_};
  std::unique_ptr<testing::TestDb> db_;
};

TEST_F(Standards, SampleWorkbookImportsAllTwentyOneRowsThenIsUnchanged) {
  auto path = samples_dir() / "standards_2018_2019.xlsx";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "../shared/samples not present: sample acceptance skipped";
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  auto r = import_standards(lead(), ss.str(), "standards_2018_2019.xlsx", false);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->rows, 21);
  EXPECT_EQ(r->created, 21);
  EXPECT_EQ(r->rejected, 0);
  auto again = import_standards(lead(), ss.str(), "standards_2018_2019.xlsx", false);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->created, 0);
  EXPECT_EQ(again->unchanged, 21);
  EXPECT_EQ(count(), 21);
  auto list = list_standards(lead(), StandardQuery{.item = "定期生活补助", .category = "60周岁以上农村籍退役士兵"});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[1].row.amount_fen, 4000);
  EXPECT_EQ((*list)[1].unit_name, "按服役年限每月");
}

TEST_F(Standards, ABadRowRejectsTheWholeFileWithRowColumnAndReason) {
  auto r = import_standards(lead(),
                            workbook({{"残疾抚恤金", "残疾军人", "因战", "一级", "按年", "80140", "2018-08-01", "全国", ""},
                                      {"定期抚恤金", "烈士遗属", "", "", "按年", "两万五", "2018-08-01", "全国", ""},
                                      {"定期抚恤金", "外星人", "", "", "按年", "25440", "2018-08-01", "全国", ""},
                                      {"残疾抚恤金", "残疾军人", "因病", "七级", "按年", "100", "2018-08-01", "全国", ""},
                                      {"残疾抚恤金", "残疾军人", "因战", "一级", "按年", "80140", "2018-08-01", "全国", ""}}),
                            "s.xlsx", false);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->created, 0);
  ASSERT_EQ(r->rejected, 4);
  EXPECT_EQ(r->problems[0].row, 3);
  EXPECT_EQ(r->problems[0].column, "标准(元)");
  EXPECT_EQ(r->problems[0].field, "amount");
  EXPECT_NE(r->problems[0].message.find("不是金额"), std::string::npos);
  EXPECT_EQ(r->problems[1].column, "优抚类别");
  EXPECT_EQ(r->problems[1].field, "category");
  EXPECT_NE(r->problems[1].message.find("未知的优抚类别"), std::string::npos);
  EXPECT_EQ(r->problems[2].column, "伤残等级");
  EXPECT_NE(r->problems[3].message.find("第2行"), std::string::npos);
  EXPECT_EQ(count(), 0);
}

TEST_F(Standards, OverlapIsRefusedAndACorrectionKeepsHistory) {
  StandardInput in{"定期生活补助", "带病回乡退役军人", "", "", "按月", "600", "2019-08-01", "全国", ""};
  auto first = create_standard(lead(), in);
  ASSERT_TRUE(first.ok()) << first.error().message;
  auto overlap = create_standard(lead(), in);
  ASSERT_FALSE(overlap.ok());
  EXPECT_EQ(overlap.error().code, "standard_overlap");
  auto file = import_standards(lead(), workbook({{"定期生活补助", "带病回乡退役军人", "", "", "按月", "650", "2019-08-01", "全国", ""}}),
                               "s.xlsx", false);
  ASSERT_TRUE(file.ok());
  ASSERT_EQ(file->rejected, 1);
  EXPECT_NE(file->problems[0].message.find("重叠"), std::string::npos);

  in.amount = "650";
  auto corrected = correct_standard(lead(), first->row.id, in);
  ASSERT_TRUE(corrected.ok()) << corrected.error().message;
  EXPECT_EQ(corrected->replaces_id, first->row.id);
  auto active = list_standards(lead(), StandardQuery{});
  ASSERT_EQ(active->size(), 1u);
  EXPECT_EQ((*active)[0].row.amount_fen, 65000);
  auto all = list_standards(lead(), StandardQuery{.include_replaced = true});
  ASSERT_EQ(all->size(), 2u);
  auto twice = correct_standard(lead(), first->row.id, in);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, "standard_replaced");
}

TEST_F(Standards, ItemMustServeTheCategoryAndOnlyDisabledVeteransHaveGrades) {
  auto wrong = create_standard(lead(), {"残疾抚恤金", "烈士遗属", "", "", "按年", "100", "2019-08-01", "", ""});
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message.find("不适用于"), std::string::npos);
  auto graded = create_standard(lead(), {"定期抚恤金", "烈士遗属", "", "一级", "按年", "100", "2019-08-01", "", ""});
  ASSERT_FALSE(graded.ok());
  auto nursing = create_standard(lead(), {"护理费", "残疾军人", "因战", "五级", "按年", "100", "2019-08-01", "", ""});
  ASSERT_FALSE(nursing.ok());
  auto local = create_standard(lead(), {"定期生活补助", "带病回乡退役军人", "", "", "按月", "50", "2019-01-01", "140924", "县级提标"});
  ASSERT_TRUE(local.ok()) << local.error().message;
  EXPECT_EQ(local->row.region_prefix, "140924");
  auto nowhere = create_standard(lead(), {"定期生活补助", "带病回乡退役军人", "", "", "按月", "50", "2019-01-01", "999999", ""});
  ASSERT_FALSE(nowhere.ok());
}

TEST_F(Standards, ExportImportsBackAsUnchanged) {
  ASSERT_TRUE(create_standard(lead(), {"残疾抚恤金", "残疾军人", "因战", "一级", "按年", "88150", "2019-08-01", "全国", ""}).ok());
  ASSERT_TRUE(create_standard(lead(), {"定期生活补助", "带病回乡退役军人", "", "", "按月", "600.5", "2019-08-01", "140924", ""}).ok());
  auto bytes = export_standards(lead(), false);
  ASSERT_TRUE(bytes.ok());
  auto r = import_standards(lead(), *bytes, "export.xlsx", false);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->unchanged, 2);
  EXPECT_EQ(r->created, 0);
  EXPECT_EQ(r->rejected, 0);
}

TEST_F(Standards, ErrorsNameTheJsonFieldAndTheMessageTheColumn) {
  auto bad = create_standard(lead(), {"定期抚恤金", "烈士遗属", "", "", "按年", "很多", "2019-08-01", "", ""});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "amount");
  EXPECT_EQ(bad.error().message.rfind("标准(元)：", 0), 0u);
  auto date = create_standard(lead(), {"定期抚恤金", "烈士遗属", "", "", "按年", "100", "明天", "", ""});
  ASSERT_FALSE(date.ok());
  EXPECT_EQ(date.error().field, "effective_from");
}

TEST_F(Standards, ListedInTheItemsOwnOrderThenTheKeyAndDate) {
  for (StandardInput in : std::vector<StandardInput>{
           {"护理费", "残疾军人", "因战", "一级", "按年", "100", "2019-08-01", "", ""},
           {"定期生活补助", "带病回乡退役军人", "", "", "按月", "600", "2019-08-01", "", ""},
           {"定期生活补助", "带病回乡退役军人", "", "", "按月", "550", "2018-08-01", "", ""},
           {"定期抚恤金", "烈士遗属", "", "", "按年", "27980", "2019-08-01", "", ""},
           {"残疾抚恤金", "残疾军人", "因战", "一级", "按年", "88150", "2019-08-01", "", ""}}) {
    auto r = create_standard(lead(), in);
    ASSERT_TRUE(r.ok()) << r.error().message;
  }
  auto list = list_standards(lead(), StandardQuery{});
  ASSERT_TRUE(list.ok());
  std::vector<std::string> order;
  for (const auto& v : *list) order.push_back(v.item_name + " " + v.row.effective_from);
  EXPECT_EQ(order, (std::vector<std::string>{"残疾抚恤金 2019-08-01", "定期抚恤金 2019-08-01", "定期生活补助 2018-08-01",
                                             "定期生活补助 2019-08-01", "护理费 2019-08-01"}));
}

TEST_F(Standards, FundingSplitSumsToAHundredAndSplitsExactly) {
  auto bad = set_item_funding(lead(), "残疾抚恤金", FundingSplit{.central = 80, .province = 10, .city = 5, .county = 0});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "invalid_funding");
  EXPECT_EQ(bad.error().field, "funding");
  EXPECT_NE(bad.error().message.find("合计应为 100%，现为 95%"), std::string::npos);
  auto over = set_item_funding(lead(), "残疾抚恤金", FundingSplit{.central = 120, .province = -20, .city = 0, .county = 0});
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().field, "funding.central");
  Context clerk_ctx = lead();
  clerk_ctx.actor.permissions.erase("standards:manage");
  EXPECT_EQ(set_item_funding(clerk_ctx, "残疾抚恤金", FundingSplit{.central = 100}).error().code, "forbidden");
  auto items = list_items(lead());
  ASSERT_TRUE(items.ok());
  EXPECT_EQ((*items)[0].funding, "");  // nothing was written

  auto ok = set_item_funding(lead(), "disability_pension", FundingSplit{.central = 80, .province = 10, .city = 5, .county = 5});
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->funding, "中央:80,省:10,市:5,县:5");
  EXPECT_EQ(list_items(lead())->at(0).funding, "中央:80,省:10,市:5,县:5");
  FundingSplit f = parse_funding(ok->funding);
  EXPECT_EQ(split_fen(868083, f), (std::vector<Fen>{694466, 86808, 43404, 43405}));
  EXPECT_EQ(split_fen(-1001, f), (std::vector<Fen>{-800, -100, -50, -51}));
  auto cleared = set_item_funding(lead(), "残疾抚恤金", FundingSplit{});
  ASSERT_TRUE(cleared.ok());
  EXPECT_EQ(list_items(lead())->at(0).funding, "");
}

}  // namespace
}  // namespace sy::payroll
