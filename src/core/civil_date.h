// Dates as clerks write them in rosters: 2019-10-05, 2019/10/5, 2019.10.5, 2019年10月5日, a month
// alone (2019-10, 2019.10, 2019年10月 → its 1st), 20191005, and Excel date serials (42444 →
// 2016-03-15). Output is always 'YYYY-MM-DD'.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sy {

std::optional<std::string> parse_loose_date(std::string_view text);
// An Excel serial day number (1900 date system, with Excel's phantom 1900-02-29) as YYYY-MM-DD.
std::optional<std::string> excel_serial_date(double serial);
// 'YYYY-MM' from 2019-10, 2019.10, 2019年10月, 201910.
std::optional<std::string> parse_loose_month(std::string_view text);

}  // namespace sy
