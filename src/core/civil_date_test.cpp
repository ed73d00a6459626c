#include "core/civil_date.h"

#include <gtest/gtest.h>

namespace sy {
namespace {

TEST(CivilDate, ReadsTheWaysClerksWriteDates) {
  EXPECT_EQ(parse_loose_date("2019-10-05"), "2019-10-05");
  EXPECT_EQ(parse_loose_date("2019/10/5"), "2019-10-05");
  EXPECT_EQ(parse_loose_date("2019.10.5"), "2019-10-05");
  EXPECT_EQ(parse_loose_date("2019年10月5日"), "2019-10-05");
  EXPECT_EQ(parse_loose_date("20191005"), "2019-10-05");
  EXPECT_EQ(parse_loose_date("２０１９－１０"), std::nullopt);  // full-width dash is not a separator
  EXPECT_EQ(parse_loose_date("２０１９.１０"), "2019-10-01");
}

TEST(CivilDate, AMonthAloneMeansItsFirstDay) {
  EXPECT_EQ(parse_loose_date("2019.10"), "2019-10-01");
  EXPECT_EQ(parse_loose_date("2017年6月"), "2017-06-01");
  EXPECT_EQ(parse_loose_date("1956-04"), "1956-04-01");
  EXPECT_EQ(parse_loose_month("2019.10"), "2019-10");
  EXPECT_EQ(parse_loose_month("2019年10月"), "2019-10");
  EXPECT_EQ(parse_loose_month("2019-13"), std::nullopt);
}

TEST(CivilDate, ExcelSerials) {
  EXPECT_EQ(parse_loose_date("42444"), "2016-03-15");
  EXPECT_EQ(excel_serial_date(42444.0), "2016-03-15");
  EXPECT_EQ(excel_serial_date(1), "1900-01-01");
  EXPECT_EQ(excel_serial_date(61), "1900-03-01");
  EXPECT_EQ(excel_serial_date(60), std::nullopt);
  EXPECT_EQ(excel_serial_date(-3), std::nullopt);
}

TEST(CivilDate, RejectsWhatIsNotADate) {
  EXPECT_EQ(parse_loose_date(""), std::nullopt);
  EXPECT_EQ(parse_loose_date("2019-02-30"), std::nullopt);
  EXPECT_EQ(parse_loose_date("明天"), std::nullopt);
  EXPECT_EQ(parse_loose_date("19-10-05"), std::nullopt);
  EXPECT_EQ(parse_loose_date("2019-10-05-01"), std::nullopt);
}

}  // namespace
}  // namespace sy
