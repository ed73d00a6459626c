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

#include "auth/settings.h"
#include "core/id_number.h"
#include "io/xlsx_reader.h"
#include "registry/persons.h"
#include "setup/setup.h"
#include "test_support.h"

namespace sy::registry {
namespace {

std::filesystem::path samples_dir() {
  if (const char* env = std::getenv("SY_SAMPLES_DIR")) return env;
  return std::filesystem::path(__FILE__).parent_path() / "../../../shared/samples";
}

// A roster of `rows` valid persons in 繁城镇 (ID numbers from `first` on), one line each.
std::string roster(int rows, int first = 0, const std::string& note = "") {
  std::string csv = "姓名,身份证号,优抚类别,所属村(社区),联系电话,备注\r\n";
  for (int i = first; i < first + rows; ++i) {
    char id17[32];
    std::snprintf(id17, sizeof id17, "14092419%02d%02d%02d%03d", 40 + i / 10000 % 50, 1 + i / 1000 % 10,
                  1 + i / 100 % 10, i % 1000);
    std::string id = std::string(id17, 17) + id_number_check_digit(std::string_view(id17, 17));
    csv += std::string(i % 2 ? "王建军" : "汪军") + "," + id + ",烈属," + (i % 3 ? "东泰社区" : "西义村") + ",139" +
           std::to_string(10000000 + i) + "," + note + "\r\n";
  }
  return csv;
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
  Context admin() {
    Actor a;
    a.user_id = 1;
    a.username = "admin";
    a.permissions = {"settings:manage"};
    return Context{*db_->db, clock_, ids_, a};
  }
  void set(const nlohmann::json& settings) {
    auto r = auth::update_settings(admin(), settings);
    ASSERT_TRUE(r.ok()) << r.error().message;
  }
  // The secondary indexes of the registry's tables, as the schema holds them (SQLite).
  std::string registry_indexes() {
    std::string out;
    EXPECT_TRUE(db_->db->read([&](store::Conn& c) -> Status {
      if (c.dialect() != store::Dialect::kSqlite) return ok_status();
      SY_ASSIGN(store::Rows rows, c.query("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN "
                                          "('households', 'persons', 'person_categories', 'person_history') "
                                          "ORDER BY name"));
      for (const auto& r : rows) out += r.str(0) + ": " + (r.is_null(1) ? "" : r.str(1)) + "\n";
      return ok_status();
    }).ok());
    return out;
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

TEST_F(RosterImport, RowAndSizeCapsAreSettingsOfEachChannel) {
  std::string csv = roster(150);
  // Over the web's row cap: a clear message naming the cap and the setting, and nothing written.
  set({{"import_web_max_rows", 100}});
  auto over = import_persons(clerk(), csv, ImportOptions{.file_name = "a.csv", .town = "140924100"});
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, "too_many_rows");
  EXPECT_NE(over.error().message.find("网页导入的行数上限（100 行"), std::string::npos) << over.error().message;
  EXPECT_NE(over.error().message.find("import_web_max_rows"), std::string::npos);
  EXPECT_EQ(count("persons"), 0);
  EXPECT_EQ(count("households"), 0);
  EXPECT_EQ(count("person_history"), 0);
  // The command line has its own cap, and an administrator can raise the web's.
  auto cli = import_persons(clerk(), csv,
                            ImportOptions{.file_name = "a.csv", .town = "140924100", .channel = ImportChannel::kCommandLine});
  ASSERT_TRUE(cli.ok()) << cli.error().message;
  EXPECT_EQ(cli->created, 150);
  set({{"import_web_max_rows", 200}});
  auto raised = import_persons(clerk(), roster(150, 1000), ImportOptions{.file_name = "b.csv", .town = "140924100"});
  ASSERT_TRUE(raised.ok()) << raised.error().message;
  EXPECT_EQ(raised->created, 150);
  set({{"import_cli_max_rows", 100}});
  auto cli_over = import_persons(clerk(), roster(150, 2000),
                                 ImportOptions{.file_name = "c.csv", .town = "140924100", .channel = ImportChannel::kCommandLine});
  ASSERT_FALSE(cli_over.ok());
  EXPECT_NE(cli_over.error().message.find("命令行导入的行数上限（100 行，系统设置 import_cli_max_rows"), std::string::npos)
      << cli_over.error().message;
  EXPECT_EQ(count("persons"), 300);

  // Over the size cap: refused before reading, with the file's size, the cap and the setting.
  set({{"import_web_max_mb", 1}, {"import_web_max_rows", 5000}, {"import_cli_max_rows", 5000}});
  std::string big = roster(1200, 3000, std::string(900, 'x'));  // about 1.2 MB
  ASSERT_GT(big.size(), 1u << 20);
  auto too_big = import_persons(clerk(), big, ImportOptions{.file_name = "d.csv", .town = "140924100"});
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.error().code, "payload_too_large");
  EXPECT_NE(too_big.error().message.find("超过网页导入的上限 1 MB（系统设置 import_web_max_mb）"), std::string::npos)
      << too_big.error().message;
  EXPECT_EQ(count("persons"), 300);
  auto cli_big = import_persons(clerk(), big,
                                ImportOptions{.file_name = "d.csv", .town = "140924100", .channel = ImportChannel::kCommandLine});
  ASSERT_TRUE(cli_big.ok()) << cli_big.error().message;
  EXPECT_EQ(cli_big->created, 1200);
}

TEST_F(RosterImport, ImportWritesWhatThePersonServiceWrites) {
  // Two databases, the same clock and id sequence: one person created through the person
  // service (insert_person), the same person through the import's batched writer.
  FixedClock clock{testing::test_now()};
  IdGenerator ids_a(clock, 7), ids_b(clock, 7);
  auto a = testing::make_test_db();
  auto b = testing::make_test_db();
  for (auto [db, ids] : {std::pair{a.get(), &ids_a}, std::pair{b.get(), &ids_b}}) {
    auto init = setup::initialize(*db->db, clock, *ids,
                                  setup::InitOptions{.county = "140924", .admin_password = "First#Pass2026"});
    ASSERT_TRUE(init.ok()) << init.error().message;
  }
  Actor clerk_actor = clerk().actor;
  PersonFields f;
  f.name = "曾杰";
  f.id_number = "140924196305140994";
  f.region_code = "140924100002";
  f.ethnicity = "汉族";
  f.phone = "15873262229";
  f.address = "东泰社区 12 号";
  f.bank_name = "山西农信繁峙联社";
  f.bank_account = "6217994526859693844";
  f.enlisted_on = "1981-11-01";
  f.discharged_on = "1985-10-01";
  f.note = "甲\"乙\\丙";
  f.is_dibao = "是";
  f.category = CategoryFields{"残疾军人", "二级", "因公", "2001-03-04"};
  auto created = create_person(Context{*a->db, clock, ids_a, clerk_actor}, f);
  ASSERT_TRUE(created.ok()) << created.error().message;
  std::string csv =
      "姓名,身份证号,民族,优抚类别,伤残等级,伤残性质,所属村(社区),联系电话,家庭住址,开户银行,银行账号,批准日期,"
      "入伍时间,退伍时间,是否低保,备注\r\n"
      "曾杰,140924196305140994,汉族,残疾军人,二级,因公,东泰社区,15873262229,东泰社区 12 号,山西农信繁峙联社,"
      "6217994526859693844,2001-03-04,1981-11-01,1985-10-01,是,\"甲\"\"乙\\丙\"\r\n";
  auto imported = import_persons(Context{*b->db, clock, ids_b, clerk_actor}, csv,
                                 ImportOptions{.file_name = "a.csv", .town = "140924100"});
  ASSERT_TRUE(imported.ok()) << imported.error().message;
  ASSERT_EQ(imported->created, 1);
  auto dump = [](store::Db& db, const std::string& sql) {
    std::string out;
    EXPECT_TRUE(db.read([&](store::Conn& c) -> Status {
      SY_ASSIGN(store::Rows rows, c.query(sql));
      for (const auto& r : rows) {
        for (size_t i = 0; i < r.size(); ++i) out += (r.is_null(i) ? std::string("NULL") : r.str(i)) + "|";
        out += "\n";
      }
      return ok_status();
    }).ok());
    return out;
  };
  for (const char* sql : {"SELECT * FROM persons", "SELECT * FROM households", "SELECT * FROM person_categories",
                          "SELECT id, person_id, at, user_id, username, changes FROM person_history"}) {
    std::string want = dump(*a->db, sql);
    EXPECT_FALSE(want.empty()) << sql;
    EXPECT_EQ(dump(*b->db, sql), want) << sql;
  }
}

TEST_F(RosterImport, BulkPhaseRebuildsTheIndexesAndRollsBackWithTheImport) {
  std::string before = registry_indexes();
  // A failure after the indexes were dropped rolls them back with everything else.
  std::string broken = roster(300) + "汪军,\"14092419400101001X,烈属,东泰社区\r\n";
  auto failed = import_persons(clerk(), broken, ImportOptions{.file_name = "a.csv", .town = "140924100",
                                                              .bulk_after_rows = 100});
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, "csv_unterminated_quote");
  EXPECT_EQ(count("persons"), 0);
  EXPECT_EQ(registry_indexes(), before);
  auto dry = import_persons(clerk(), roster(300),
                            ImportOptions{.file_name = "a.csv", .town = "140924100", .dry_run = true, .bulk_after_rows = 100});
  ASSERT_TRUE(dry.ok()) << dry.error().message;
  EXPECT_EQ(dry->created, 300);
  EXPECT_EQ(count("persons"), 0);
  EXPECT_EQ(registry_indexes(), before);

  auto r = import_persons(clerk(), roster(300), ImportOptions{.file_name = "a.csv", .town = "140924100",
                                                              .bulk_after_rows = 100});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->created, 300);
  EXPECT_EQ(registry_indexes(), before);
  EXPECT_EQ(count("persons"), 300);
  EXPECT_EQ(count("households"), 300);
  EXPECT_EQ(count("person_categories"), 300);
  EXPECT_EQ(count("person_history"), 300);
  EXPECT_TRUE(db_->db->read([&](store::Conn& c) -> Status {
    if (c.dialect() != store::Dialect::kSqlite) return ok_status();
    SY_ASSIGN(auto check, c.query_one("PRAGMA integrity_check"));
    EXPECT_EQ(check->str(0), "ok");
    return ok_status();
  }).ok());
  auto wj = search_persons(clerk(), PersonQuery{.q = "wjj", .page = PageRequest{1, 200}});
  ASSERT_TRUE(wj.ok());
  EXPECT_EQ(wj->total, 150);  // 王建军 on every other row
  std::string first_id = std::string("14092419400101000") + id_number_check_digit("14092419400101000");
  EXPECT_EQ(find(first_id).name, "汪军");
  // The same file again: every row is known now, nothing changes, the indexes stay.
  auto again = import_persons(clerk(), roster(300), ImportOptions{.file_name = "a.csv", .town = "140924100",
                                                                  .bulk_after_rows = 100});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->unchanged, 300);
  EXPECT_EQ(registry_indexes(), before);
}

TEST_F(RosterImport, VerdictsAndRejectedRowsStayInRowOrder) {
  std::string first = "姓名,身份证号,优抚类别,所属村(社区)\r\n汪军,11010519491231002X,烈属,东泰社区\r\n";
  ASSERT_EQ(import_persons(clerk(), first, ImportOptions{.file_name = "a.csv", .town = "140924100"})->created, 1);
  // Row 2 waits for the database and is then rejected; row 3 updates; row 4 is rejected at once.
  std::string csv =
      "姓名,身份证号,优抚类别,所属村(社区),联系电话\r\n"
      "李明,140924196305140994,烈属,,\r\n"
      "汪军,11010519491231002X,,,13911111111\r\n"
      "赵六,140924196305140995,烈属,东泰社区,\r\n"
      "张三,140924195505151351,烈属,西义村,\r\n"
      "李明,140924196305140994,烈属,东泰社区,\r\n";
  auto r = import_persons(clerk(), csv, ImportOptions{.file_name = "b.csv", .town = "140924100"});
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->verdicts.size(), 5u);
  std::vector<std::string> got;
  for (const auto& v : r->verdicts) got.push_back(std::to_string(v.row) + " " + v.verdict + " " + v.code);
  EXPECT_EQ(got, (std::vector<std::string>{"2 rejected village_required", "3 updated ", "4 rejected id_number_checksum",
                                           "5 created ", "6 rejected duplicate_in_file"}));
  ASSERT_EQ(r->rejected_rows.size(), 3u);
  EXPECT_EQ(r->rejected_rows[0][0], "李明");
  EXPECT_EQ(r->rejected_rows[1][0], "赵六");
  EXPECT_EQ(r->rejected_rows[2][0], "李明");
  auto wb = error_workbook(*r);
  ASSERT_TRUE(wb.ok());
  auto sheet = io::read_xlsx_sheet(*wb);
  ASSERT_TRUE(sheet.ok());
  EXPECT_EQ(sheet->at(2, 0).text, "2");
  EXPECT_EQ(sheet->at(3, 0).text, "4");
  EXPECT_EQ(sheet->at(4, 0).text, "6");
  EXPECT_EQ(sheet->at(4, 1).text, "李明");
  // A header below the top 30 rows is not looked for.
  std::string late;
  for (int i = 0; i < 30; ++i) late += "标题\r\n";
  late += "姓名,身份证号\r\n";
  auto no_header = import_persons(clerk(), late, ImportOptions{.file_name = "c.csv", .town = "140924100"});
  ASSERT_FALSE(no_header.ok());
  EXPECT_EQ(no_header.error().code, "no_header");
}

}  // namespace
}  // namespace sy::registry
