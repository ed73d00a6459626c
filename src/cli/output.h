// How every CLI command reports: errors to stderr as "错误[code]：message" (exit 1), usage errors
// (exit 2), and the one JSON object of --json on stdout.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "core/result.h"

namespace sy::cli {

int fail(const Error& e);
int usage(const std::string& message);
void print_json(const nlohmann::json& j);

}  // namespace sy::cli
