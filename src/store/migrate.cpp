#include "store/migrate.h"

#include <algorithm>
#include <ctime>
#include <map>

#include "core/embedded.h"

namespace sy::store {
namespace {

struct Migration {
  int version = 0;
  std::string name;
  std::string common, sqlite, postgres;
};

std::vector<Migration> known_migrations() {
  std::map<int, Migration> by_version;
  for (const auto& f : embedded::migrations()) {
    std::string file = f.name;
    if (file.size() < 9 || !file.ends_with(".sql")) continue;
    int version = std::stoi(file.substr(0, 4));
    std::string stem = file.substr(0, file.size() - 4);
    Migration& m = by_version[version];
    m.version = version;
    if (stem.ends_with(".sqlite")) {
      m.sqlite = std::string(f.bytes());
    } else if (stem.ends_with(".postgres")) {
      m.postgres = std::string(f.bytes());
    } else {
      m.name = stem;
      m.common = std::string(f.bytes());
    }
  }
  std::vector<Migration> out;
  for (auto& [v, m] : by_version) out.push_back(std::move(m));
  return out;
}

const char* kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
    "applied_at BIGINT NOT NULL)";

// Whether a script holds more than comments and blank lines (a migration for one dialect only has a
// common file that just says so; PostgreSQL refuses to run an empty query).
bool has_statement(std::string_view script) {
  size_t at = 0;
  while (at < script.size()) {
    size_t end = script.find('\n', at);
    if (end == std::string_view::npos) end = script.size();
    std::string_view line = script.substr(at, end - at);
    size_t first = line.find_first_not_of(" \t\r");
    if (first != std::string_view::npos && !line.substr(first).starts_with("--")) return true;
    at = end + 1;
  }
  return false;
}

}  // namespace

int latest_schema_version() {
  auto all = known_migrations();
  return all.empty() ? 0 : all.back().version;
}

Result<int> schema_version(Db& db) {
  int version = 0;
  Status st = db.read([&](Conn& c) -> Status {
    std::string probe = c.dialect() == Dialect::kSqlite
                            ? "SELECT count(*) FROM sqlite_master WHERE type='table' AND "
                              "name='schema_migrations'"
                            : "SELECT count(*) FROM information_schema.tables WHERE "
                              "table_schema = current_schema() AND table_name='schema_migrations'";
    SY_ASSIGN(std::int64_t exists, c.query_int(probe));
    if (!exists) return ok_status();
    SY_ASSIGN(std::int64_t v, c.query_int("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
    version = static_cast<int>(v);
    return ok_status();
  });
  if (!st.ok()) return st.error();
  return version;
}

Result<MigrationReport> migrate(Db& db) {
  MigrationReport report;
  SY_ASSIGN(report.from_version, schema_version(db));
  report.to_version = report.from_version;
  for (const Migration& m : known_migrations()) {
    Status st = db.transact([&](Conn& c) -> Status {
      if (c.dialect() == Dialect::kPostgres) {
        SY_TRY(c.query("SELECT pg_advisory_xact_lock(730120)"));
      }
      SY_TRY(c.exec_script(kCreateTable));
      SY_ASSIGN(std::int64_t done,
                c.query_int("SELECT count(*) FROM schema_migrations WHERE version = ?",
                            {m.version}));
      if (done) return ok_status();
      if (has_statement(m.common)) SY_TRY(c.exec_script(m.common));
      const std::string& extra = c.dialect() == Dialect::kSqlite ? m.sqlite : m.postgres;
      if (!extra.empty()) SY_TRY(c.exec_script(extra));
      SY_TRY(c.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    {m.version, m.name, static_cast<long long>(time(nullptr)) * 1000}));
      report.applied.push_back(m.name);
      report.to_version = m.version;
      return ok_status();
    });
    if (!st.ok()) return st.error();
  }
  return report;
}

}  // namespace sy::store
