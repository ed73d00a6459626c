// Money and months for payroll: amounts are integer fen, months are counted as year*12 + (month-1).
//
// Contract: `parse_yuan` reads an amount in yuan the way a standards sheet or a bank file writes it
// ("80140", "550.5", "1,234.56", "￥600") exactly, without floating point, and refuses anything with
// more than two decimals or that is not a number. `format_yuan` prints fen as yuan with two decimals
// ("7345.83", "-2331.67"). `share_of_year` is round_half_up(S·k/12) for a yearly standard S in fen.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sy::payroll {

using Fen = std::int64_t;

std::optional<Fen> parse_yuan(std::string_view text);
std::string format_yuan(Fen fen);
Fen share_of_year(Fen yearly, int months);

// A month as one integer: 2019-08 → 2019*12 + 7. Ordered, and +1 is the next month.
using MonthIndex = int;
std::optional<MonthIndex> parse_month(std::string_view yyyy_mm);  // "2019-08"
MonthIndex month_of_date(std::string_view yyyy_mm_dd);             // "2019-08-15" → 2019-08; needs a valid date
std::string month_text(MonthIndex m);                               // "2019-08"
std::string first_day(MonthIndex m);                                // "2019-08-01"
std::string month_label(MonthIndex m);                              // "2019年8月"

}  // namespace sy::payroll
