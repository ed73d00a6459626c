// The settings and role → permissions map that every authenticated request needs, kept in memory
// as an immutable snapshot instead of being read and parsed from the database on each request.
//
// Contract:
// - A snapshot carries the `config_version` it belongs to. Triggers on settings, roles and
//   regions bump that counter inside every writing transaction (migration 0004), whoever writes:
//   the web, the command line in another process, a migration.
// - `access_config(db, c, version)` takes the version the caller has just read from the database
//   (authenticate selects it in the same statement as the session) and returns the cached
//   snapshot only if it belongs to exactly that version; otherwise it loads settings and roles
//   through `c` and keeps that. So a committed change is in effect for every request that starts
//   after the commit, on SQLite and PostgreSQL alike, and a snapshot's contents are never older
//   than its version.
// - One cache per Db (Db::attachment), shared by its threads.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "auth/settings.h"
#include "core/result.h"
#include "store/db.h"

namespace sy::auth {

struct AccessConfig {
  std::int64_t version = 0;
  Settings settings;
  std::map<std::string, std::set<std::string, std::less<>>> role_permissions;
};

// A scalar subquery for the current version, to select next to other columns.
extern const char kConfigVersionColumn[];

Result<std::int64_t> read_config_version(store::Conn& c);

Result<std::shared_ptr<const AccessConfig>> access_config(store::Db& db, store::Conn& c,
                                                          std::int64_t version);

}  // namespace sy::auth
