// Regions (区划): the county → 乡镇/街道 → 村/社区 tree a deployment serves, and the data-scope
// reads every page needs.
//
// Contract: every read is limited to the actor's scope (a region outside it answers not_found, as
// if it did not exist); `load_county` is for `init` only and writes its audit row.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "audit/context.h"
#include "core/page.h"
#include "core/result.h"

namespace sy::org {

struct Region {
  std::string code;
  std::string name;
  std::string short_name;
  std::string level;  // county | township | village
  std::string parent_code;
  bool has_children = false;
};

// Loads a county's tree from the built-in data into an empty database. Returns the number of
// regions written.
Result<int> load_county(const Context& ctx, store::Conn& tx, const std::string& county_code);

Result<Region> get_region(const Context& ctx, const std::string& code);
// Children of `parent`, or the actor's own node when parent is empty.
Result<Page<Region>> list_children(const Context& ctx, const std::string& parent, PageRequest page);
// Name or code search inside the actor's scope (name contains q, or code starts with q).
Result<Page<Region>> search_regions(const Context& ctx, const std::string& q, PageRequest page);
// From the root (county) down to `code`, inclusive.
Result<std::vector<Region>> region_path(const Context& ctx, const std::string& code);
// The county this database serves (the root), if initialised.
Result<std::optional<Region>> root_region(store::Db& db);

struct RegionCounts {
  std::int64_t townships = 0;
  std::int64_t villages = 0;
};
Result<RegionCounts> count_regions(const Context& ctx);

}  // namespace sy::org
