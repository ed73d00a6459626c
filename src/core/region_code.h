// Region codes (统计用区划代码): 12 digits = county (6) + township (3) + village (3).
//
// Contract: codes are stored and compared as 12-digit strings; a county is 140924000000, a township
// 140924100000, a village 140924100002. `normalize_region_code` accepts 6, 9 or 12 digits and pads.
// The subtree of a node is every code starting with its significant prefix (6 digits for a county,
// 9 for a township, 12 for a village) — which is how data scope is checked.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sy {

enum class RegionLevel { kCounty, kTownship, kVillage };

std::optional<std::string> normalize_region_code(std::string_view code);
// Level of a normalized code.
RegionLevel region_level_of(std::string_view code12);
// The significant prefix of a normalized code: what every code in its subtree starts with.
std::string region_prefix(std::string_view code12);
bool region_contains(std::string_view ancestor12, std::string_view code12);
const char* region_level_name(RegionLevel level);   // "county" ...
const char* region_level_label(RegionLevel level);  // "县/区" ...

}  // namespace sy
