// Passwords: argon2id hashing (libsodium; 19 MiB, t=2 at least) and the password rule.
//
// Contract: hashes are libsodium's self-describing strings, so parameters can rise later and old
// hashes still verify. At most a few hashes are computed at once (each takes ~20 MiB), so a flood
// of log-ins cannot exhaust memory. `check_password_rule` returns a Chinese message naming what
// is missing.
#pragma once

#include <string>
#include <string_view>

#include "auth/settings.h"
#include "core/result.h"

namespace sy::auth {

std::string hash_password(std::string_view password);
bool verify_password(const std::string& hash, std::string_view password);
// Spends the time of one verification without a real hash (for unknown user names).
void verify_dummy(std::string_view password);

Status check_password_rule(const Settings& s, std::string_view password, std::string_view username);

// 256-bit random token, base64url without padding (43 characters).
std::string random_token();
// Hex SHA-256 of a token, the form in which session tokens are stored.
std::string token_hash(std::string_view token);

}  // namespace sy::auth
