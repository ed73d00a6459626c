// Reading secrets at the terminal without echo, and from files.
#pragma once

#include <string>

#include "core/result.h"

namespace sy::cli {

// Prompts on stderr and reads a line from the terminal with echo off.
Result<std::string> prompt_secret(const std::string& prompt);
// Asks twice and insists both agree.
Result<std::string> prompt_new_password(const std::string& who);
// First line of a file, without the line break.
Result<std::string> read_secret_file(const std::string& path);

}  // namespace sy::cli
