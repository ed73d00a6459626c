// Acceptance of the roster import against the real-shaped sample files (../shared/samples, skipped
// with a message where that folder is absent) and the registry's own rules, on the backend under
// test.
#include "registry/import.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "registry/persons.h"
#include "setup/setup.h"
#include "test_support.h"

namespace sy::registry {
namespace {

std::filesystem::path samples_dir() {
  if (const char* env = std::getenv("SY_SAMPLES_DIR")) return env;
  return std::filesystem::path(__FILE__).parent_path() / "../../../shared/samples";
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class RosterImport : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::make_test_db();
    auto init = setup::initialize(*db_->db, clock_, ids_,
                                  setup::InitOptions{.county = "140924", .admin_password = "First#Pass2026"});
    ASSERT_TRUE(init.ok()) << init.error().message;
  }
  Context clerk() {
    Actor a;
    a.user_id = 1;
    a.username = "fc_clerk";
    a.region_code = "140924100000";
    a.permissions = {"business:read", "business:write", "sensitive:reveal"};
    return Context{*db_->db, clock_, ids_, a};
  }
  std::string sample(const char* name) {
    auto p = samples_dir() / name;
    if (!std::filesystem::exists(p)) return {};
    return read_file(p);
  }
  std::int64_t count(const std::string& table) {
    std::int64_t n = -1;
    EXPECT_TRUE(db_->db->read([&](store::Conn& c) -> Status {
      SY_ASSIGN(n, c.query_int("SELECT count(*) FROM " + table));
      return ok_status();
    }).ok());
    return n;
  }
  Person find(const std::string& q) {
    auto page = search_persons(clerk(), PersonQuery{.q = q});
    EXPECT_TRUE(page.ok());
    EXPECT_EQ(page->items.size(), 1u) << q;
    return page->items.empty() ? Person{} : page->items[0];
  }

  FixedClock clock_{testing::test_now()};
  IdGenerator ids_{clock_};
  std::unique_ptr<testing::TestDb> db_;
};

TEST_F(RosterImport, FanchengSampleGivesTheStatedVerdicts) {
  std::string bytes = sample("roster_fancheng.xlsx");
  if (bytes.empty()) GTEST_SKIP() << "../shared/samples not present: sample acceptance skipped";
  auto r = import_persons(clerk(), bytes, ImportOptions{.file_name = "roster_fancheng.xlsx", .town = "140924100"});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->header_row, 3);
  EXPECT_EQ(r->rows, 40);
  EXPECT_EQ(r->created, 35);
  EXPECT_EQ(r->updated, 0);
  EXPECT_EQ(r->rejected, 5);
  std::map<int, RowVerdict> by_row;
  for (const auto& v : r->verdicts) by_row[v.row] = v;
  EXPECT_EQ(by_row.count(34), 0u);  // the blank row is not a row
  EXPECT_EQ(by_row[5].code, "grade_required");
  EXPECT_EQ(by_row[5].message, "残疾军人缺少伤残等级");
  EXPECT_EQ(by_row[5].column, "伤残等级");
  EXPECT_EQ(by_row[18].code, "id_number_scientific");
  EXPECT_EQ(by_row[18].column, "公民身份号码");
  EXPECT_EQ(by_row[21].code, "id_number_checksum");
  EXPECT_EQ(by_row[24].code, "duplicate_in_file");
  EXPECT_NE(by_row[24].message.find("第6行"), std::string::npos);
  EXPECT_EQ(by_row[27].code, "village_not_found");
  EXPECT_NE(by_row[27].message.find("繁城镇"), std::string::npos);
  for (int row : {9, 12, 15, 30, 33, 37, 40}) EXPECT_EQ(by_row[row].verdict, "created") << row;

  EXPECT_EQ(find("140924195505151351").name, "范强");              // row 15: 15 digits → 18
  EXPECT_EQ(find("14092419620310049X").region_name, "西义村");     // row 9: lowercase x
  Person wang = find("wj");                                         // 汪军 by pinyin initials
  EXPECT_EQ(wang.name, "汪军");
  EXPECT_EQ(wang.region_code, "140924100002");                       // 东泰社区 → 东泰社区居委会
  ASSERT_EQ(wang.categories.size(), 1u);
  EXPECT_EQ(wang.categories[0].category, "martyr_survivor");         // written 烈属
  auto approved = [&](const std::string& id) { return find(id).categories.at(0).approved_on; };
  EXPECT_EQ(approved("140924195712233966"), "2016-03-15");           // row 30: Excel serial
  EXPECT_EQ(approved("140924198601124656"), "2019-10-01");           // row 33: 2019.10
  EXPECT_EQ(approved("140924196611045418"), "2017-06-01");           // row 37: 2017年6月
  EXPECT_EQ(find("140924196212204485").name, "程建德");             // row 40: spaces trimmed
  Person disabled = find("140924196305140994");                      // row 6
  EXPECT_EQ(disabled.categories.at(0).disability_grade, 2);
  EXPECT_EQ(disabled.categories.at(0).disability_cause, "duty");

  // Importing the same file again changes nothing and writes nothing.
  std::int64_t persons = count("persons"), history = count("person_history"), audit = count("audit_log");
  auto again = import_persons(clerk(), bytes, ImportOptions{.file_name = "roster_fancheng.xlsx", .town = "140924100"});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->created, 0);
  EXPECT_EQ(again->updated, 0);
  EXPECT_EQ(again->unchanged, 35);
  EXPECT_EQ(again->rejected, 5);
  EXPECT_EQ(count("persons"), persons);
  EXPECT_EQ(count("person_history"), history);
  EXPECT_EQ(count("audit_log"), audit);

  auto errors = error_workbook(*again);
  ASSERT_TRUE(errors.ok());
  EXPECT_EQ(errors->substr(0, 2), "PK");
}

TEST_F(RosterImport, Gb18030CsvSample) {
  std::string bytes = sample("roster_gb18030.csv");
  if (bytes.empty()) GTEST_SKIP() << "../shared/samples not present: sample acceptance skipped";
  auto r = import_persons(clerk(), bytes, ImportOptions{.file_name = "roster_gb18030.csv", .town = "140924100"});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->rows, 12);
  EXPECT_EQ(r->created, 12);
  EXPECT_EQ(r->rejected, 0);
  for (const auto& v : r->verdicts) EXPECT_EQ(v.verdict, "created") << v.row << " " << v.message;
}

TEST_F(RosterImport, DryRunWritesNothing) {
  std::string csv =
      "姓名,身份证号,优抚类别,所属村(社区)\r\n汪军,11010519491231002X,烈属,东泰社区\r\n";
  auto r = import_persons(clerk(), csv, ImportOptions{.file_name = "a.csv", .town = "140924100", .dry_run = true});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->created, 1);
  EXPECT_EQ(count("persons"), 0);
  EXPECT_EQ(count("households"), 0);
}

TEST_F(RosterImport, UpdatedRowsOverwriteOnlyGivenCellsAndKeepHistory) {
  std::string csv = "姓名,身份证号,优抚类别,所属村(社区),联系电话,备注\r\n汪军,11010519491231002X,烈属,东泰社区,13900000000,甲\r\n";
  ASSERT_EQ(import_persons(clerk(), csv, ImportOptions{.file_name = "a.csv", .town = "140924100"})->created, 1);
  std::string change = "姓名,身份证号,联系电话,备注\r\n汪军,11010519491231002X,13911111111,\r\n";
  auto r = import_persons(clerk(), change, ImportOptions{.file_name = "b.csv", .town = "140924100"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->updated, 1);
  Person p = find("002X");
  EXPECT_EQ(p.phone, "13911111111");
  EXPECT_EQ(p.note, "甲");  // the empty cell kept it
  auto history = person_history(clerk(), p.id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].changes[0]["field"], "phone");
  EXPECT_EQ((*history)[0].changes[0]["old"], "13900000000");
  EXPECT_EQ((*history)[0].changes[0]["new"], "13911111111");
}

TEST_F(RosterImport, BadFilesAreRefusedWithoutWriting) {
  auto not_zip = import_persons(clerk(), "hello", ImportOptions{.file_name = "x.xlsx", .town = "140924100"});
  EXPECT_FALSE(not_zip.ok());
  EXPECT_EQ(not_zip.error().code, "invalid_file");
  auto xls = import_persons(clerk(), std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(100, '\0'),
                            ImportOptions{.file_name = "x.xls", .town = "140924100"});
  EXPECT_FALSE(xls.ok());
  auto no_header = import_persons(clerk(), "a,b,c\r\n1,2,3\r\n", ImportOptions{.file_name = "x.csv", .town = "140924100"});
  EXPECT_FALSE(no_header.ok());
  EXPECT_EQ(no_header.error().code, "no_header");
  auto outside = import_persons(clerk(), "姓名,身份证号\r\n", ImportOptions{.file_name = "x.csv", .town = "140924101"});
  EXPECT_FALSE(outside.ok());
  EXPECT_EQ(count("persons"), 0);
}

}  // namespace
}  // namespace sy::registry
