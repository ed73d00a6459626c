#include "setup/setup.h"

#include "audit/audit.h"
#include "auth/roles.h"
#include "auth/users.h"
#include "org/regions.h"
#include "store/migrate.h"

namespace sy::setup {

Result<bool> is_initialized(store::Db& db) {
  SY_ASSIGN(int version, store::schema_version(db));
  if (version == 0) return false;
  SY_ASSIGN(auto root, org::root_region(db));
  return root.has_value();
}

Result<InitReport> initialize(store::Db& db, const Clock& clock, IdGenerator& ids,
                              const InitOptions& options) {
  SY_ASSIGN(bool done, is_initialized(db));
  if (done) {
    SY_ASSIGN(auto root, org::root_region(db));
    return make_error("already_initialized",
                      "数据库已初始化（" + root->name + "），不能再次初始化；升级数据库结构请用 migrate",
                      "db");
  }
  SY_ASSIGN(store::MigrationReport migrated, store::migrate(db));
  InitReport report;
  report.schema_version = migrated.to_version;
  Context ctx{db, clock, ids, Actor::system_actor("init")};
  SY_TRY(db.transact([&](store::Conn& tx) -> Status {
    SY_TRY(auth::seed_roles(tx, ctx.now()));
    SY_ASSIGN(report.regions, org::load_county(ctx, tx, options.county));
    SY_ASSIGN(auto county_row, tx.query_one("SELECT code, name FROM regions WHERE parent_code IS NULL"));
    report.county_code = county_row->str(0);
    report.county_name = county_row->str(1);
    auth::NewUser admin{.username = options.admin_username,
                        .display_name = options.admin_display_name,
                        .region_code = report.county_code,
                        .password = options.admin_password,
                        .roles = {"sys_admin"},
                        .must_change_password = options.admin_must_change_password};
    auto created = auth::create_user_tx(tx, ctx, admin);
    if (!created.ok()) {
      Error e = created.error();
      if (e.field == "password") e.field = "admin_password";
      return e;
    }
    report.admin_username = created->username;
    return audit::record(tx, ctx,
                         audit::Entry{.action = "system.init",
                                      .entity = "system",
                                      .entity_id = report.county_code,
                                      .region_code = report.county_code,
                                      .after = nlohmann::json{{"county", report.county_name},
                                                              {"regions", report.regions},
                                                              {"admin", report.admin_username}}});
  }));
  return report;
}

}  // namespace sy::setup
