// The `shuangyong` binary as the IT person uses it: exit codes, --json output, Chinese errors,
// refusing to write on bad input. Runs against the backend under test (SQLite or PostgreSQL).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <set>
#include <fstream>
#include <nlohmann/json.hpp>

#include "test_support.h"

namespace sy::cli {
namespace {

struct CliRun {
  int exit = -1;
  std::string out, err;
  nlohmann::json json() const { return nlohmann::json::parse(out, nullptr, false); }
};

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::make_test_db();
    dir_ = std::filesystem::temp_directory_path() / ("sy_cli_" + std::to_string(getpid()) + "_" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    write("admin.pw", "First#Pass2026\n");
    write("weak.pw", "12345\n");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name) << text; }
  std::string path(const std::string& name) { return (dir_ / name).string(); }

  // Runs the binary with SY_DB pointing at the test database (args are shell words).
  CliRun run(const std::string& args) {
    std::string out = path("stdout"), err = path("stderr");
    std::string cmd = "SY_DB='" + db_->url + "' SY_NOW=2026-11-22T10:00:00 " + SY_BINARY + " " + args +
                      " >" + out + " 2>" + err + " </dev/null";
    int status = std::system(cmd.c_str());
    CliRun r;
    r.exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = slurp(out);
    r.err = slurp(err);
    return r;
  }
  std::int64_t count(const std::string& table) {
    std::int64_t n = -1;
    Status st = db_->db->read([&](store::Conn& c) -> Status {
      SY_ASSIGN(n, c.query_int("SELECT count(*) FROM " + table));
      return ok_status();
    });
    return st.ok() ? n : -1;
  }
  CliRun init() { return run("init --county 140924 --admin-password-file " + path("admin.pw") + " --json"); }

  std::unique_ptr<testing::TestDb> db_;
  std::filesystem::path dir_;
};

TEST_F(Cli, VersionHelpAndUsageErrors) {
  CliRun v = run("--version");
  EXPECT_EQ(v.exit, 0);
  EXPECT_NE(v.out.find("shuangyong"), std::string::npos);
  EXPECT_EQ(run("--help").exit, 0);
  EXPECT_EQ(run("").exit, 2);
  CliRun missing = run("init");
  EXPECT_EQ(missing.exit, 2);
  EXPECT_NE(missing.err.find("用法错误"), std::string::npos);
  EXPECT_EQ(run("no-such-command").exit, 2);
}

TEST_F(Cli, InitLoadsTheCountyAndRefusesASecondTime) {
  CliRun first = init();
  ASSERT_EQ(first.exit, 0) << first.err;
  nlohmann::json j = first.json();
  EXPECT_EQ(j["county_name"], "繁峙县");
  EXPECT_EQ(j["county_code"], "140924000000");
  EXPECT_EQ(j["admin"], "admin");
  EXPECT_EQ(j["regions"], count("regions"));
  EXPECT_GT(count("regions"), 200);
  std::int64_t audit = count("audit_log"), users = count("users"), regions = count("regions");
  CliRun again = init();
  EXPECT_EQ(again.exit, 1);
  EXPECT_NE(again.err.find("错误[already_initialized]"), std::string::npos) << again.err;
  EXPECT_EQ(again.out, "");
  EXPECT_EQ(count("audit_log"), audit);
  EXPECT_EQ(count("users"), users);
  EXPECT_EQ(count("regions"), regions);
}

TEST_F(Cli, InitWithBadInputWritesNothing) {
  CliRun county = run("init --county 999999 --admin-password-file " + path("admin.pw"));
  EXPECT_EQ(county.exit, 1);
  EXPECT_NE(county.err.find("unknown_county"), std::string::npos) << county.err;
  EXPECT_EQ(count("regions"), 0);
  CliRun weak = run("init --county 140924 --admin-password-file " + path("weak.pw"));
  EXPECT_EQ(weak.exit, 1);
  EXPECT_NE(weak.err.find("weak_password"), std::string::npos) << weak.err;
  EXPECT_EQ(count("regions"), 0);
  EXPECT_EQ(count("users"), 0);
  CliRun nofile = run("init --county 140924 --admin-password-file " + path("absent.pw"));
  EXPECT_EQ(nofile.exit, 1);
  // Without a password file and without a terminal it says how to give one.
  CliRun noterm = run("init --county 140924");
  EXPECT_EQ(noterm.exit, 1);
  EXPECT_NE(noterm.err.find("--admin-password-file"), std::string::npos);
  EXPECT_EQ(count("users"), 0);
}

TEST_F(Cli, UserCommands) {
  ASSERT_EQ(init().exit, 0);
  write("clerk.pw", "Clerk#Pass2026");
  CliRun add = run("user add --username fc_clerk --name 李明 --region 140924100 --role clerk --password-file " +
                path("clerk.pw") + " --json");
  ASSERT_EQ(add.exit, 0) << add.err;
  EXPECT_EQ(add.json()["region_name"], "繁城镇");
  EXPECT_EQ(add.json()["roles"], nlohmann::json::array({"clerk"}));
  CliRun dup = run("user add --username fc_clerk --name 李明 --region 140924100 --role clerk --password-file " +
                path("clerk.pw"));
  EXPECT_EQ(dup.exit, 1);
  EXPECT_NE(dup.err.find("username_taken"), std::string::npos);
  CliRun bad_role = run("user add --username x_y --name 某 --region 140924100 --role chief --password-file " +
                     path("clerk.pw"));
  EXPECT_EQ(bad_role.exit, 1);
  EXPECT_NE(bad_role.err.find("unknown_role"), std::string::npos);
  CliRun two_admin = run("user add --username x_y --name 某 --region 140924 --role sys_admin --role auditor "
                      "--password-file " + path("clerk.pw"));
  EXPECT_EQ(two_admin.exit, 1);
  EXPECT_NE(two_admin.err.find("admin_roles_exclusive"), std::string::npos);
  CliRun list = run("user list --json");
  ASSERT_EQ(list.exit, 0);
  EXPECT_EQ(list.json()["total"], 2);
  write("new.pw", "Reset#Pass2026");
  CliRun passwd = run("user passwd --username fc_clerk --password-file " + path("new.pw") + " --json");
  EXPECT_EQ(passwd.exit, 0) << passwd.err;
  EXPECT_TRUE(passwd.json()["must_change_password"].get<bool>());
  CliRun disable = run("user disable --username fc_clerk --reason 调离 --json");
  EXPECT_EQ(disable.exit, 0) << disable.err;
  EXPECT_EQ(disable.json()["status"], "disabled");
  EXPECT_EQ(run("user disable --username nobody --reason x").exit, 1);
}

TEST_F(Cli, MigrateAndBackup) {
  EXPECT_EQ(run("serve --listen 127.0.0.1:1").exit, 1);  // not initialised: refuses to serve
  ASSERT_EQ(init().exit, 0);
  CliRun m = run("migrate --json");
  ASSERT_EQ(m.exit, 0) << m.err;
  EXPECT_EQ(m.json()["applied"].size(), 0u);
  EXPECT_EQ(m.json()["from"], m.json()["to"]);
  CliRun b = run("backup --out " + path("copy.db") + " --json");
  ASSERT_EQ(b.exit, 0) << b.err;
  if (db_->postgres) {
    EXPECT_NE(b.out.find("pg_dump"), std::string::npos);
    return;
  }
  auto copy = store::Db::open(path("copy.db"));
  ASSERT_TRUE(copy.ok());
  std::int64_t users = 0;
  std::string integrity;
  ASSERT_TRUE((*copy)->read([&](store::Conn& c) -> Status {
    SY_ASSIGN(users, c.query_int("SELECT count(*) FROM users"));
    SY_ASSIGN(auto row, c.query_one("PRAGMA integrity_check"));
    integrity = row->str(0);
    return ok_status();
  }).ok());
  EXPECT_EQ(users, 1);
  EXPECT_EQ(integrity, "ok");
}

TEST_F(Cli, DemoBuildsAccountsForEveryRole) {
  CliRun d = run("demo --json");
  ASSERT_EQ(d.exit, 0) << d.err;
  std::set<std::string> roles;
  const nlohmann::json j = d.json();
  for (const auto& a : j["accounts"]) roles.insert(a["role"].get<std::string>());
  EXPECT_EQ(roles, (std::set<std::string>{"sys_admin", "sec_admin", "auditor", "biz_admin", "clerk", "viewer"}));
  // Every village has people, and ages fit the categories.
  EXPECT_GT(j["persons"].get<int>(), 1000);
  EXPECT_EQ(count("persons"), j["persons"].get<int>());
  EXPECT_EQ(count("regions r WHERE level = 'village' AND NOT EXISTS (SELECT 1 FROM persons p WHERE p.region_code = r.code)"), 0);
  EXPECT_EQ(count("persons p JOIN person_categories c ON c.person_id = p.id WHERE c.category = 'demobilized_veteran' "
                  "AND p.birth_date >= '1936-01-01'"), 0);
  EXPECT_EQ(count("persons p JOIN person_categories c ON c.person_id = p.id WHERE c.category = 'rural_veteran_60' "
                  "AND p.birth_date >= '1966-01-01'"), 0);
  for (const char* status : {"suspended", "deceased", "moved", "cancelled"}) {
    EXPECT_GT(count(std::string("persons WHERE status = '") + status + "'"), 0) << status;
  }
  EXPECT_EQ(run("demo").exit, 1);  // already initialised
}

}  // namespace
}  // namespace sy::cli
