#include "cli/commands.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <malloc.h>
#include <signal.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <iostream>
#include <memory>

#include "auth/users.h"
#include "cli/output.h"
#include "cli/campaign_commands.h"
#include "cli/cases_commands.h"
#include "cli/payroll_commands.h"
#include "cli/terminal.h"
#include "demo/demo.h"
#include "http/server.h"
#include "org/regions.h"
#include "registry/export.h"
#include "registry/import.h"
#include "setup/setup.h"
#include "store/migrate.h"

#ifndef SY_VERSION
#define SY_VERSION "dev"
#endif

namespace sy::cli {
namespace {

struct Globals {
  std::string db;
  std::string now;
  bool json = false;
};

Result<std::unique_ptr<Clock>> make_clock(const Globals& g) {
  if (g.now.empty()) return std::unique_ptr<Clock>(new SystemClock());
  auto t = parse_time_shanghai(g.now);
  if (!t) return make_error("invalid_now", "--now / SY_NOW 应为 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM:SS", "now");
  return std::unique_ptr<Clock>(new OffsetClock(*t));
}

// Opens the database of an initialised deployment, applying pending migrations.
Result<std::unique_ptr<store::Db>> open_ready(const Globals& g, store::DbOptions options = {}) {
  SY_ASSIGN(std::unique_ptr<store::Db> db, store::Db::open(g.db, options));
  SY_ASSIGN(bool ready, setup::is_initialized(*db));
  if (!ready) {
    return make_error("not_initialized", "数据库尚未初始化：请先运行 shuangyong init --db … --county …", "db");
  }
  SY_ASSIGN(store::MigrationReport m, store::migrate(*db));
  for (const auto& name : m.applied) std::fprintf(stderr, "已升级数据库结构：%s\n", name.c_str());
  return db;
}

std::string user_line(const auth::User& u) {
  std::string roles;
  const nlohmann::json j = auth::user_to_json(u);
  for (const auto& n : j["role_names"]) {
    if (!roles.empty()) roles += "、";
    roles += n.get<std::string>();
  }
  return u.username + "\t" + u.display_name + "\t" + roles + "\t" + u.region_name + "\t" +
         (u.status == "active" ? "启用" : "停用");
}

Result<std::string> password_from(const std::string& file, const std::string& who) {
  if (!file.empty()) return read_secret_file(file);
  return prompt_new_password(who);
}

http::Server* g_server = nullptr;
void on_signal(int) {
  if (g_server) g_server->stop();
}

}  // namespace

int run(int argc, char** argv) {
  CLI::App app{"双拥工作管理系统 (Shuangyong)：命令行与 Web 服务", "shuangyong"};
  app.set_version_flag("--version", std::string("shuangyong ") + SY_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  Globals g;
  app.add_option("--db", g.db, "数据库：SQLite 文件路径或 postgresql:// 地址（默认取环境变量 SY_DB）")
      ->envname("SY_DB");
  app.add_option("--now", g.now, "固定\"当前时间\"（测试用），如 2026-11-22T09:00:00")->envname("SY_NOW");
  app.add_flag("--json", g.json, "以一个 JSON 对象输出结果");

  // init
  auto* init = app.add_subcommand("init", "创建数据库结构，载入本县区划，创建首个系统管理员");
  std::string county, admin = "admin", admin_pw_file;
  init->add_option("--county", county, "县级区划代码（6位），如 140924")->required();
  init->add_option("--admin", admin, "首个系统管理员的用户名（默认 admin）");
  init->add_option("--admin-password-file", admin_pw_file, "从文件读取管理员密码（否则在终端提示输入）");

  // serve
  auto* serve = app.add_subcommand("serve", "启动 Web 服务");
  std::string listen = "127.0.0.1:8080", web_root;
  bool secure_cookie = false, trust_proxy = false;
  serve->add_option("--listen", listen, "监听地址（默认 127.0.0.1:8080）");
  serve->add_option("--web-root", web_root, "从该目录提供网页（开发用；默认用内置网页）");
  serve->add_flag("--secure-cookie", secure_cookie, "会话 Cookie 加 Secure（经 HTTPS 访问时）");
  serve->add_flag("--trust-proxy", trust_proxy, "从 X-Forwarded-For 取客户端 IP（在 nginx 之后时）");

  // demo
  auto* demo = app.add_subcommand("demo", "生成演示数据库（真实区划 + 各角色演示账号）");
  std::string demo_county = "140924";
  demo->add_option("--county", demo_county, "县级区划代码（默认 140924 繁峙县）");

  // user
  auto* user = app.add_subcommand("user", "用户管理");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "新增用户");
  std::string u_name, u_display, u_region, u_pw_file, u_reason;
  std::vector<std::string> u_roles;
  user_add->add_option("--username", u_name, "用户名")->required();
  user_add->add_option("--name", u_display, "姓名")->required();
  user_add->add_option("--region", u_region, "所属区划代码（6/9/12位）")->required();
  user_add->add_option("--role", u_roles,
                       "角色（可多次）：sys_admin sec_admin auditor biz_admin clerk viewer")
      ->required();
  user_add->add_option("--password-file", u_pw_file, "从文件读取初始密码（否则在终端提示输入）");
  auto* user_passwd = user->add_subcommand("passwd", "重置用户密码（下次登录须修改）");
  user_passwd->add_option("--username", u_name, "用户名")->required();
  user_passwd->add_option("--password-file", u_pw_file, "从文件读取新密码（否则在终端提示输入）");
  auto* user_disable = user->add_subcommand("disable", "停用用户（其会话立即结束）");
  user_disable->add_option("--username", u_name, "用户名")->required();
  user_disable->add_option("--reason", u_reason, "停用原因")->required();
  auto* user_list = user->add_subcommand("list", "列出用户");

  // import / export
  auto* import_cmd = app.add_subcommand("import", "导入花名册");
  import_cmd->require_subcommand(1);
  auto* import_persons = import_cmd->add_subcommand("persons", "导入优抚对象花名册（.xlsx 或 .csv）");
  std::string import_file, import_town, import_errors;
  bool dry_run = false;
  import_persons->add_option("FILE", import_file, "花名册文件")->required();
  import_persons->add_option("--town", import_town, "村（社区）所属的乡镇区划代码，如 140924100");
  import_persons->add_flag("--dry-run", dry_run, "只检查，不写入");
  import_persons->add_option("--errors", import_errors, "把被拒绝的行写入此 .xlsx，改正后可再导入");
  auto* export_cmd = app.add_subcommand("export", "导出花名册");
  export_cmd->require_subcommand(1);
  auto* export_persons = export_cmd->add_subcommand("persons", "导出优抚对象（与导入模板同列）");
  std::string export_out, export_region;
  export_persons->add_option("--out", export_out, "输出文件（.xlsx 或 .csv）")->required();
  export_persons->add_option("--region", export_region, "只导出此区划及下级");

  PayrollCommands payroll_cmds;
  add_payroll_commands(app, payroll_cmds);
  CasesCommands cases_cmds;
  add_cases_commands(app, cases_cmds);
  CampaignCommands campaign_cmds;
  add_campaign_commands(app, campaign_cmds);

  auto* migrate = app.add_subcommand("migrate", "升级数据库结构到本程序的版本");
  auto* backup = app.add_subcommand("backup", "在线备份数据库（SQLite）");
  std::string backup_out;
  backup->add_option("--out", backup_out, "备份文件路径")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return usage(e.what());
  }

  auto clock_r = make_clock(g);
  if (!clock_r.ok()) return fail(clock_r.error());
  std::unique_ptr<Clock> clock = std::move(clock_r.value());
  IdGenerator ids(*clock);

  if (*init) {
    if (g.db.empty()) return usage("请用 --db 或 SY_DB 指定数据库");
    auto db = store::Db::open(g.db);
    if (!db.ok()) return fail(db.error());
    auto done = setup::is_initialized(**db);
    if (!done.ok()) return fail(done.error());
    if (*done) {
      auto root = org::root_region(**db);
      return fail(make_error("already_initialized",
                             "数据库已初始化（" + (root.ok() && *root ? (*root)->name : std::string("?")) +
                                 "），不能再次初始化；升级数据库结构请用 migrate"));
    }
    auto pw = password_from(admin_pw_file, "管理员 " + admin + " ");
    if (!pw.ok()) return fail(pw.error());
    auto report = setup::initialize(**db, *clock, ids,
                                    setup::InitOptions{.county = county, .admin_username = admin,
                                                       .admin_password = *pw});
    if (!report.ok()) return fail(report.error());
    if (g.json) {
      print_json({{"county_code", report->county_code}, {"county_name", report->county_name},
                  {"regions", report->regions}, {"admin", report->admin_username},
                  {"schema_version", report->schema_version}});
    } else {
      std::printf("已初始化：%s（%s），区划 %d 个；首个系统管理员 %s（首次登录须修改密码）。\n",
                  report->county_name.c_str(), report->county_code.c_str(), report->regions,
                  report->admin_username.c_str());
    }
    return 0;
  }

  if (*demo) {
    if (g.db.empty()) return usage("请用 --db 或 SY_DB 指定数据库");
    auto db = store::Db::open(g.db);
    if (!db.ok()) return fail(db.error());
    auto report = demo::build_demo(**db, *clock, ids, demo_county);
    if (!report.ok()) return fail(report.error());
    nlohmann::json accounts = nlohmann::json::array();
    for (const auto& a : report->accounts) {
      accounts.push_back({{"username", a.username}, {"display_name", a.display_name}, {"role", a.role},
                          {"role_name", a.role_name}, {"region_code", a.region_code},
                          {"region_name", a.region_name}});
    }
    if (g.json) {
      print_json({{"county_code", report->county_code}, {"county_name", report->county_name},
                  {"regions", report->regions}, {"persons", report->persons}, {"password", demo::kDemoPassword},
                  {"accounts", accounts}});
    } else {
      std::printf("演示数据已生成：%s，区划 %d 个，优抚对象 %d 人。演示账号（密码均为 %s）：\n",
                  report->county_name.c_str(), report->regions, report->persons, demo::kDemoPassword);
      for (const auto& a : report->accounts) {
        std::printf("  %-12s %-8s %s\n", a.username.c_str(), a.role_name.c_str(), a.region_name.c_str());
      }
    }
    return 0;
  }

  if (g.db.empty()) return usage("请用 --db 或 SY_DB 指定数据库");

  if (*migrate) {
    auto db = store::Db::open(g.db);
    if (!db.ok()) return fail(db.error());
    auto m = store::migrate(**db);
    if (!m.ok()) return fail(m.error());
    if (g.json) {
      print_json({{"from", m->from_version}, {"to", m->to_version}, {"applied", m->applied}});
    } else if (m->applied.empty()) {
      std::printf("数据库结构已是最新（版本 %d）。\n", m->to_version);
    } else {
      std::printf("数据库结构已从版本 %d 升级到 %d。\n", m->from_version, m->to_version);
    }
    return 0;
  }

  if (*backup) {
    auto db = store::Db::open(g.db);
    if (!db.ok()) return fail(db.error());
    Status st = (*db)->backup_to(backup_out);
    if (!st.ok()) {
      if (st.error().code == "backup_use_pg_dump") {
        std::printf("%s\n", st.error().message.c_str());
        return 0;
      }
      return fail(st.error());
    }
    if (g.json) print_json({{"out", backup_out}});
    else std::printf("已备份到 %s\n", backup_out.c_str());
    return 0;
  }

  auto ready = open_ready(g, store::DbOptions{.pool_size = *serve ? 16 : 2});
  if (!ready.ok()) return fail(ready.error());
  store::Db& db = **ready;
  Context ctx{db, *clock, ids, Actor::system_actor("cli")};

  if (*serve) {
    http::ServerOptions o;
    auto colon = listen.rfind(':');
    if (colon == std::string::npos) return usage("--listen 应为 主机:端口，如 127.0.0.1:8080");
    o.host = listen.substr(0, colon);
    try {
      o.port = std::stoi(listen.substr(colon + 1));
    } catch (...) {
      return usage("--listen 的端口应为数字");
    }
    o.web_root = web_root;
    o.secure_cookie = secure_cookie;
    o.trust_proxy = trust_proxy;
    http::Server server(db, *clock, ids, o);
    g_server = &server;
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGPIPE, SIG_IGN);
    std::printf("双拥工作管理系统已启动：http://%s:%d/  （数据库：%s；Ctrl+C 停止）\n", o.host.c_str(),
                o.port, db.describe().c_str());
    std::fflush(stdout);
    Status st = server.run();
    g_server = nullptr;
    if (!st.ok()) return fail(st.error());
    return 0;
  }

  if (auto done = run_payroll_commands(payroll_cmds, ctx, g.json)) return *done;
  if (auto done = run_cases_commands(cases_cmds, ctx, g.json)) return *done;
  if (auto done = run_campaign_commands(campaign_cmds, ctx, g.json)) return *done;

  if (*import_persons) {
    // A roster import allocates and frees small strings by the million: let this short-lived
    // process keep freed memory instead of trimming and growing the heap each time (PERFORMANCE.md).
    mallopt(M_TOP_PAD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    // One copy of the file in memory (a 1,000,000-row roster is a few hundred MB).
    std::ifstream in(import_file, std::ios::binary);
    std::error_code size_error;
    auto size = std::filesystem::file_size(import_file, size_error);
    if (!in || size_error) return fail(make_error("file_unreadable", "无法读取文件：" + import_file, "file"));
    std::string bytes(static_cast<size_t>(size), '\0');
    if (!in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()))) {
      return fail(make_error("file_unreadable", "无法读取文件：" + import_file, "file"));
    }
    std::string name = std::filesystem::path(import_file).filename().string();
    auto report = registry::import_persons(ctx, bytes,
                                           registry::ImportOptions{.file_name = name,
                                                                   .town = import_town,
                                                                   .dry_run = dry_run,
                                                                   .channel = registry::ImportChannel::kCommandLine});
    if (!report.ok()) return fail(report.error());
    if (!import_errors.empty() && report->rejected > 0) {
      auto wb = registry::error_workbook(*report);
      if (!wb.ok()) return fail(wb.error());
      std::ofstream(import_errors, std::ios::binary) << *wb;
    }
    if (g.json) {
      nlohmann::json errors = nlohmann::json::array();
      for (const auto& v : report->verdicts) {
        if (v.verdict == "rejected") {
          errors.push_back({{"row", v.row}, {"column", v.column}, {"code", v.code}, {"message", v.message}});
        }
      }
      print_json({{"rows", report->rows}, {"created", report->created}, {"updated", report->updated},
                  {"unchanged", report->unchanged}, {"rejected", report->rejected}, {"dry_run", dry_run},
                  {"errors", errors}});
    } else {
      std::printf("%s共 %d 行：新增 %d，更新 %d，未变 %d，拒绝 %d。\n", dry_run ? "（试导入，未写入）" : "",
                  report->rows, report->created, report->updated, report->unchanged, report->rejected);
      for (const auto& v : report->verdicts) {
        if (v.verdict == "rejected") {
          std::printf("  第%d行 %s%s\n", v.row, v.column.empty() ? "" : ("【" + v.column + "】").c_str(),
                      v.message.c_str());
        }
      }
    }
    return 0;
  }
  if (*export_persons) {
    registry::ExportFormat format = export_out.ends_with(".csv") ? registry::ExportFormat::kCsv
                                                                 : registry::ExportFormat::kXlsx;
    if (!export_out.ends_with(".csv") && !export_out.ends_with(".xlsx")) {
      return usage("--out 的扩展名应为 .xlsx 或 .csv");
    }
    auto bytes = registry::export_persons(ctx, registry::PersonQuery{.region_code = export_region}, format);
    if (!bytes.ok()) return fail(bytes.error());
    std::ofstream out(export_out, std::ios::binary);
    out << *bytes;
    if (!out) return fail(make_error("write_failed", "无法写入文件：" + export_out, "out"));
    if (g.json) print_json({{"out", export_out}, {"bytes", bytes->size()}});
    else std::printf("已导出到 %s\n", export_out.c_str());
    return 0;
  }

  if (*user_add) {
    auto pw = password_from(u_pw_file, "用户 " + u_name + " ");
    if (!pw.ok()) return fail(pw.error());
    auto u = auth::create_user(ctx, auth::NewUser{.username = u_name, .display_name = u_display,
                                                  .region_code = u_region, .password = *pw,
                                                  .roles = u_roles, .must_change_password = true});
    if (!u.ok()) return fail(u.error());
    if (g.json) print_json(auth::user_to_json(*u));
    else std::printf("已新增用户：%s\n", user_line(*u).c_str());
    return 0;
  }
  if (*user_passwd) {
    auto u = auth::find_user_by_name(ctx, u_name);
    if (!u.ok()) return fail(make_error("not_found", "用户不存在：" + u_name, "username"));
    auto pw = password_from(u_pw_file, "用户 " + u_name + " ");
    if (!pw.ok()) return fail(pw.error());
    Status st = auth::reset_password(ctx, u->id, *pw);
    if (!st.ok()) return fail(st.error());
    if (g.json) print_json({{"username", u_name}, {"must_change_password", true}});
    else std::printf("已重置 %s 的密码；其会话已结束，下次登录须修改密码。\n", u_name.c_str());
    return 0;
  }
  if (*user_disable) {
    auto u = auth::find_user_by_name(ctx, u_name);
    if (!u.ok()) return fail(make_error("not_found", "用户不存在：" + u_name, "username"));
    auto d = auth::disable_user(ctx, u->id, u_reason, u->version);
    if (!d.ok()) return fail(d.error());
    if (g.json) print_json(auth::user_to_json(*d));
    else std::printf("已停用用户：%s\n", user_line(*d).c_str());
    return 0;
  }
  if (*user_list) {
    auto page = auth::list_users(ctx, auth::UserQuery{.page = PageRequest{1, 200}});
    if (!page.ok()) return fail(page.error());
    if (g.json) {
      nlohmann::json items = nlohmann::json::array();
      for (const auto& u : page->items) items.push_back(auth::user_to_json(u));
      print_json({{"items", items}, {"total", page->total}});
    } else {
      for (const auto& u : page->items) std::printf("%s\n", user_line(u).c_str());
    }
    return 0;
  }
  return usage("未知命令");
}

}  // namespace sy::cli
