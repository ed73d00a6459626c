// Schema migrations, embedded in the binary (src/store/migrations/NNNN_name.sql, with optional
// NNNN_name.sqlite.sql / NNNN_name.postgres.sql run after the common file for dialect-only parts).
//
// Contract: `migrate` applies, in order and each in its own transaction, every migration the
// database has not recorded in schema_migrations; it is safe to run from several app instances at
// once (PostgreSQL takes an advisory lock; SQLite serialises on BEGIN IMMEDIATE).
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "store/db.h"

namespace sy::store {

struct MigrationReport {
  int from_version = 0;
  int to_version = 0;
  std::vector<std::string> applied;  // names, e.g. "0001_foundation"
};

Result<MigrationReport> migrate(Db& db);
// Highest applied version, 0 for an empty database.
Result<int> schema_version(Db& db);
// Highest version this binary knows.
int latest_schema_version();

}  // namespace sy::store
