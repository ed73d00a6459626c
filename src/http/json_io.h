// JSON in and out of the API: parsing request bodies safely, reading typed fields with Chinese
// errors, paging parameters, list envelopes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/page.h"
#include "core/result.h"
#include "http/router.h"

namespace sy::http {

// Parses a JSON object body; rejects malformed JSON, nesting deeper than 32 and non-objects.
Result<nlohmann::json> parse_body(const std::string& body);

Result<std::string> get_string(const nlohmann::json& j, const char* key, bool required = true);
Result<std::optional<std::string>> get_optional_string(const nlohmann::json& j, const char* key);
Result<int> get_version(const nlohmann::json& j);
Result<std::vector<std::string>> get_string_list(const nlohmann::json& j, const char* key);

Result<PageRequest> page_request(const ApiRequest& req);
// Parses a record id from the path; a malformed one is not_found.
Result<std::int64_t> path_id(const ApiRequest& req, size_t i = 1);

template <typename T, typename F>
nlohmann::json list_json(const Page<T>& page, F to_json) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& item : page.items) items.push_back(to_json(item));
  return nlohmann::json{{"items", items}, {"total", page.total}, {"page", page.page}, {"size", page.size}};
}

}  // namespace sy::http
