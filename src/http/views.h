// JSON shapes of domain records shared by several route files.
#pragma once

#include <nlohmann/json.hpp>

#include "org/regions.h"

namespace sy::http {

nlohmann::json region_to_json(const org::Region& r);

}  // namespace sy::http
