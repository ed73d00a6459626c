// Shared inside the visits module (campaigns.cpp, lists.cpp, visits.cpp); not an interface.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "visits/campaigns.h"

namespace sy::visits::detail {

std::string clean(const std::string& s);
// LIKE pattern of every region code in the actor's scope.
std::string scope_like(const Actor& a);
nlohmann::json groups_to_json(const std::vector<Group>& groups);
std::vector<Group> groups_from_json(const std::string& text);
// Whether the actor may see a campaign of this area (inside their scope or containing it).
bool visible(const Actor& a, const std::string& campaign_region);
Error campaign_not_found();
Result<std::optional<Campaign>> read_campaign(store::Conn& c, const Actor& a, std::int64_t id);
Result<Campaign> must_read(store::Conn& c, const Actor& a, std::int64_t id);
Status fill_figures(store::Conn& c, const Actor& a, Campaign& k);

extern const char* kTargetColumns;
extern const char* kTargetFrom;
Target target_from_row(const store::Row& r, const std::vector<Group>& groups);

}  // namespace sy::visits::detail
