#include "core/region_code.h"

namespace sy {

std::optional<std::string> normalize_region_code(std::string_view code) {
  if (code.size() != 6 && code.size() != 9 && code.size() != 12) return std::nullopt;
  for (char c : code) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  std::string out(code);
  out.append(12 - out.size(), '0');
  if (out.compare(0, 6, "000000") == 0) return std::nullopt;
  return out;
}

RegionLevel region_level_of(std::string_view c) {
  if (c.substr(6, 6) == "000000") return RegionLevel::kCounty;
  if (c.substr(9, 3) == "000") return RegionLevel::kTownship;
  return RegionLevel::kVillage;
}

std::string region_prefix(std::string_view c) {
  switch (region_level_of(c)) {
    case RegionLevel::kCounty:
      return std::string(c.substr(0, 6));
    case RegionLevel::kTownship:
      return std::string(c.substr(0, 9));
    case RegionLevel::kVillage:
      break;
  }
  return std::string(c);
}

bool region_contains(std::string_view ancestor, std::string_view code) {
  if (ancestor.size() != 12 || code.size() != 12) return false;
  std::string p = region_prefix(ancestor);
  return code.substr(0, p.size()) == p;
}

const char* region_level_name(RegionLevel level) {
  switch (level) {
    case RegionLevel::kCounty:
      return "county";
    case RegionLevel::kTownship:
      return "township";
    case RegionLevel::kVillage:
      return "village";
  }
  return "";
}

const char* region_level_label(RegionLevel level) {
  switch (level) {
    case RegionLevel::kCounty:
      return "县/区";
    case RegionLevel::kTownship:
      return "乡镇/街道";
    case RegionLevel::kVillage:
      return "村/社区";
  }
  return "";
}

}  // namespace sy
