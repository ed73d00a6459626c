// The stored calendar on the backend under test: the shipped 2024–2026 years with their notices,
// adding and replacing a year (validated, versioned, audited), and who may.
#include "calendar/calendar.h"

#include <gtest/gtest.h>

#include "setup/setup.h"
#include "test_support.h"

namespace sy::calendar {
namespace {

class CalendarStore : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::make_test_db();
    auto init = setup::initialize(*db_->db, clock_, ids_,
                                  setup::InitOptions{.county = "140924", .admin_password = "First#Pass2026"});
    ASSERT_TRUE(init.ok()) << init.error().message;
  }
  Context as(std::set<std::string, std::less<>> perms) {
    Actor a;
    a.user_id = 0;
    a.username = "tester";
    a.region_code = "140924000000";
    a.permissions = std::move(perms);
    return Context{*db_->db, clock_, ids_, a};
  }
  std::int64_t count(const std::string& sql) {
    std::int64_t n = -1;
    EXPECT_TRUE(db_->db->read([&](store::Conn& c) -> Status {
      SY_ASSIGN(n, c.query_int(sql));
      return ok_status();
    }).ok());
    return n;
  }
  FixedClock clock_{testing::test_now()};
  IdGenerator ids_{clock_};
  std::unique_ptr<testing::TestDb> db_;
};

TEST_F(CalendarStore, ShipsThe2024To2026NoticesWithTheirSource) {
  auto years = list_years(as({"business:read"}));
  ASSERT_TRUE(years.ok()) << years.error().message;
  ASSERT_EQ(years->size(), 3u);
  EXPECT_EQ((*years)[0].year, 2024);
  EXPECT_EQ((*years)[0].workdays, 8);
  EXPECT_EQ((*years)[1].workdays, 5);
  EXPECT_EQ((*years)[2].year, 2026);
  EXPECT_EQ((*years)[2].holidays, 3 + 9 + 3 + 5 + 3 + 3 + 7);
  EXPECT_NE((*years)[2].source.find("国办发明电〔2025〕7号"), std::string::npos);
  auto y = get_year(as({"business:read"}), 2025);
  ASSERT_TRUE(y.ok());
  EXPECT_EQ(y->workdays.front(), "2025-01-26");
  auto missing = get_year(as({"business:read"}), 2027);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "缺少2027年的节假日安排，请先录入");
}

TEST_F(CalendarStore, ShippedCalendarCountsAcrossTheNewYear2025To2026) {
  WorkingCalendar cal;
  ASSERT_TRUE(db_->db->read([&](store::Conn& c) -> Status {
    SY_ASSIGN(cal, load_working_calendar(c));
    return ok_status();
  }).ok());
  // 2025-12-31 (Wednesday) + 1 → 2026-01-05: 1/1–1/3 off, 1/4 (Sunday) is worked.
  EXPECT_EQ(format_day(*cal.add_working_days(*parse_day("2025-12-31"), 1)), "2026-01-04");
  EXPECT_EQ(format_day(*cal.add_working_days(*parse_day("2025-12-31"), 2)), "2026-01-05");
  EXPECT_FALSE(cal.add_working_days(*parse_day("2026-12-30"), 5).ok());
}

TEST_F(CalendarStore, AdministratorAddsAndReplacesAYear) {
  Context admin = as({"calendar:manage"});
  EXPECT_EQ(put_year(as({"business:read", "business:write"}), 2027, "x", {}, {}, std::nullopt).error().code, "forbidden");
  auto bad = put_year(admin, 2027, "测试通知", {"2027-01-01"}, {"2027-01-04"}, std::nullopt);  // a Monday
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "workdays");
  EXPECT_EQ(count("SELECT count(*) FROM calendar_years WHERE year = 2027"), 0);
  auto created = put_year(admin, 2027, "测试通知", {"2027-01-01"}, {}, std::nullopt);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created->version, 1);
  auto no_version = put_year(admin, 2027, "测试通知", {"2027-01-01"}, {}, std::nullopt);
  EXPECT_EQ(no_version.error().field, "version");
  auto stale = put_year(admin, 2027, "测试通知", {"2027-01-01"}, {}, 7);
  EXPECT_EQ(stale.error().code, "stale_version");
  auto replaced = put_year(admin, 2027, "修订", {"2027-01-01", "2027-02-08"}, {"2027-02-06"}, 1);
  ASSERT_TRUE(replaced.ok()) << replaced.error().message;
  EXPECT_EQ(replaced->version, 2);
  EXPECT_EQ(replaced->holidays.size(), 2u);
  EXPECT_EQ(replaced->workdays, std::vector<std::string>{"2027-02-06"});
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'calendar.update'"), 2);
}

}  // namespace
}  // namespace sy::calendar
