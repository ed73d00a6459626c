// Internal to src/auth: how a User is read from SQL, shared by the user service and
// `authenticate` (which reads the whole record with the session, so /me needs no second query).
//
// Contract: `kUserColumns` lists the columns `user_from_row` decodes, in order, for a query over
// `users u LEFT JOIN regions r ON r.code = u.region_code`; `kUserSelect` is that whole SELECT.
#pragma once

#include <cstddef>

#include "auth/users.h"
#include "store/db.h"

namespace sy::auth {

extern const char kUserColumns[];
extern const char kUserSelect[];
constexpr std::size_t kUserColumnCount = 16;

// Decodes kUserColumns starting at column `first` of `row`.
User user_from_row(const store::Row& row, std::size_t first = 0);

}  // namespace sy::auth
