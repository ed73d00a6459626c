#include "cli/payroll_commands.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "auth/roles.h"
#include "auth/users.h"
#include "cli/output.h"
#include "core/text.h"
#include "payroll/proof_of_life.h"
#include "payroll/runs.h"
#include "payroll/standards.h"

namespace sy::cli {
namespace {

Result<std::string> read_whole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("file_unreadable", "无法读取文件：" + path, "file");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The CLI acting as a named user: their roles' permissions and region, for maker–checker.
Result<Context> as_user(const Context& ctx, const std::string& username) {
  if (username.empty()) return ctx;
  auto u = auth::find_user_by_name(ctx, username);
  if (!u.ok()) return make_error("not_found", "用户不存在：" + username, "user");
  if (u->status != "active") return make_error("user_disabled", "用户已停用：" + username, "user");
  std::map<std::string, std::set<std::string, std::less<>>> perms;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(perms, auth::load_role_permissions(c));
    return ok_status();
  }));
  Actor a;
  a.user_id = u->id;
  a.username = u->username;
  a.display_name = u->display_name;
  a.roles = u->roles;
  a.region_code = u->region_code;
  a.ip = "cli";
  for (const auto& r : u->roles)
    for (const auto& p : perms[r]) a.permissions.insert(p);
  return Context{ctx.db, ctx.clock, ctx.ids, a};
}

Result<std::int64_t> run_id_of(const std::string& text) {
  try {
    size_t used = 0;
    long long v = std::stoll(text, &used);
    if (used == text.size() && v > 0) return static_cast<std::int64_t>(v);
  } catch (...) {
  }
  return make_error("invalid_run", "--run 应为批次号（数字）", "run");
}

nlohmann::json run_json(const payroll::RunSummary& r) {
  return {{"month", r.month}, {"run_id", std::to_string(r.id)}, {"status", r.status}, {"lines", r.line_count},
          {"total_fen", r.total_fen}, {"arrears_fen", r.arrears_fen}, {"recovery_fen", r.recovery_fen},
          {"exceptions", r.exception_count}};
}

void print_run(const payroll::RunSummary& r) {
  std::printf("批次 %lld（%s，%s）：%lld 行，应发 %s 元，其中补发 %s 元、扣回 %s 元；暂缓发放 %lld 行。\n",
              static_cast<long long>(r.id), r.month.c_str(),
              r.status == "draft" ? "草稿" : r.status == "approved" ? "已审核" : "已对账",
              static_cast<long long>(r.line_count), payroll::format_yuan(r.total_fen).c_str(),
              payroll::format_yuan(r.arrears_fen).c_str(), payroll::format_yuan(r.recovery_fen).c_str(),
              static_cast<long long>(r.exception_count));
}

}  // namespace

void add_payroll_commands(CLI::App& app, PayrollCommands& p) {
  auto* standards = app.add_subcommand("standards", "待遇标准");
  standards->require_subcommand(1);
  p.standards_import = standards->add_subcommand("import", "导入待遇标准（.xlsx 或 .csv；有任何错误行则不写入）");
  p.standards_import->add_option("file", p.file, "标准文件")->required();
  p.standards_import->add_flag("--dry-run", p.dry_run, "只检查，不写入");

  auto* payroll = app.add_subcommand("payroll", "抚恤补助发放批次");
  payroll->require_subcommand(1);
  p.payroll_run = payroll->add_subcommand("run", "编制某月的发放批次（草稿）");
  p.payroll_run->add_option("--month", p.month, "发放月份 YYYY-MM")->required();
  p.payroll_run->add_option("--items", p.items, "待遇项目，逗号分隔（默认：已录入标准的按月项目和丧葬补助费）");
  p.payroll_run->add_option("--user", p.user, "以该用户身份编制（默认：系统）");
  p.payroll_approve = payroll->add_subcommand("approve", "审核发放批次（须与编制人不同）");
  p.payroll_approve->add_option("--run", p.run_id, "批次号")->required();
  p.payroll_approve->add_option("--user", p.user, "审核人用户名")->required();
  p.payroll_export = payroll->add_subcommand("export", "导出已审核批次的银行代发文件");
  p.payroll_export->add_option("--run", p.run_id, "批次号")->required();
  p.payroll_export->add_option("--out", p.out, "输出文件（.xlsx 或 .csv）")->required();
  p.payroll_export->add_option("--template", p.bank_template, "银行文件模板名称（发放规则中设置；默认标准列）");
  p.payroll_reconcile = payroll->add_subcommand("reconcile", "导入银行回盘文件，核对每笔成功或失败");
  p.payroll_reconcile->add_option("--run", p.run_id, "批次号")->required();
  p.payroll_reconcile->add_option("--file", p.file, "回盘文件（.xlsx 或 .csv）")->required();

  auto* proof = app.add_subcommand("proof-of-life", "生存认证");
  proof->require_subcommand(1);
  p.proof_import = proof->add_subcommand("import", "导入生存认证结果（身份证号、认证日期）");
  p.proof_import->add_option("file", p.file, "认证结果文件")->required();
}

std::optional<int> run_payroll_commands(const PayrollCommands& p, const Context& ctx, bool json) {
  if (*p.standards_import) {
    auto bytes = read_whole(p.file);
    if (!bytes.ok()) return fail(bytes.error());
    auto r = payroll::import_standards(ctx, *bytes, std::filesystem::path(p.file).filename().string(), p.dry_run);
    if (!r.ok()) return fail(r.error());
    if (json) {
      nlohmann::json errors = nlohmann::json::array();
      for (const auto& e : r->problems) errors.push_back({{"row", e.row}, {"column", e.column}, {"message", e.message}});
      print_json({{"rows", r->rows}, {"created", r->created}, {"unchanged", r->unchanged}, {"rejected", r->rejected},
                  {"dry_run", p.dry_run}, {"errors", errors}});
    } else {
      std::printf("%s共 %d 行：新增 %d，未变 %d，错误 %d%s。\n", p.dry_run ? "（试导入，未写入）" : "", r->rows, r->created,
                  r->unchanged, r->rejected, r->rejected ? "（有错误，未写入任何标准）" : "");
      for (const auto& e : r->problems) std::printf("  第%d行【%s】%s\n", e.row, e.column.c_str(), e.message.c_str());
    }
    return r->rejected ? 1 : 0;
  }
  if (*p.payroll_run) {
    auto actor = as_user(ctx, p.user);
    if (!actor.ok()) return fail(actor.error());
    std::vector<std::string> items;
    for (auto& i : split(p.items, ','))
      if (!i.empty()) items.push_back(i);
    auto r = payroll::create_run(*actor, payroll::RunRequest{.month = p.month, .items = items});
    if (!r.ok()) return fail(r.error());
    if (json) print_json(run_json(*r));
    else print_run(*r);
    return 0;
  }
  if (*p.payroll_approve) {
    auto id = run_id_of(p.run_id);
    if (!id.ok()) return usage(id.error().message);
    auto actor = as_user(ctx, p.user);
    if (!actor.ok()) return fail(actor.error());
    auto current = payroll::get_run(*actor, *id);
    if (!current.ok()) return fail(current.error());
    auto r = payroll::approve_run(*actor, *id, current->version);
    if (!r.ok()) return fail(r.error());
    if (json) print_json(run_json(*r));
    else print_run(*r);
    return 0;
  }
  if (*p.payroll_export) {
    auto id = run_id_of(p.run_id);
    if (!id.ok()) return usage(id.error().message);
    std::string format = p.out.ends_with(".csv") ? "csv" : p.out.ends_with(".xlsx") ? "xlsx" : "";
    if (format.empty()) return usage("--out 的扩展名应为 .xlsx 或 .csv");
    auto f = payroll::export_bank_file(ctx, *id, format, p.bank_template);
    if (!f.ok()) return fail(f.error());
    std::ofstream out(p.out, std::ios::binary);
    out << f->bytes;
    if (!out) return fail(make_error("write_failed", "无法写入文件：" + p.out, "out"));
    if (json) print_json({{"out", p.out}, {"rows", f->rows}, {"total_fen", f->total_fen}});
    else std::printf("已导出银行代发文件 %s：%lld 笔，合计 %s 元。\n", p.out.c_str(), static_cast<long long>(f->rows),
                     payroll::format_yuan(f->total_fen).c_str());
    return 0;
  }
  if (*p.payroll_reconcile) {
    auto id = run_id_of(p.run_id);
    if (!id.ok()) return usage(id.error().message);
    auto bytes = read_whole(p.file);
    if (!bytes.ok()) return fail(bytes.error());
    auto r = payroll::reconcile_run(ctx, *id, *bytes, std::filesystem::path(p.file).filename().string());
    if (!r.ok()) return fail(r.error());
    if (json) {
      nlohmann::json failed = nlohmann::json::array();
      for (const auto& v : r->verdicts)
        if (v.result == "failed") failed.push_back({{"row", v.row}, {"name", v.name}, {"reason", v.reason}, {"amount_fen", v.amount_fen}});
      print_json({{"rows", r->rows}, {"paid", r->paid}, {"failed", r->failed}, {"paid_fen", r->paid_fen},
                  {"failed_fen", r->failed_fen}, {"reissue_run_id", r->reissue_run_id ? std::to_string(r->reissue_run_id) : ""},
                  {"failures", failed}});
    } else {
      std::printf("回盘 %d 笔：成功 %d 笔 %s 元，失败 %d 笔 %s 元。\n", r->rows, r->paid, payroll::format_yuan(r->paid_fen).c_str(),
                  r->failed, payroll::format_yuan(r->failed_fen).c_str());
      for (const auto& v : r->verdicts)
        if (v.result == "failed") std::printf("  第%d行 %s：%s\n", v.row, v.name.c_str(), v.reason.c_str());
      if (r->reissue_run_id) std::printf("失败的款项已生成重发批次 %lld（草稿）。\n", static_cast<long long>(r->reissue_run_id));
    }
    return 0;
  }
  if (*p.proof_import) {
    auto bytes = read_whole(p.file);
    if (!bytes.ok()) return fail(bytes.error());
    auto r = payroll::import_proof_of_life(ctx, *bytes, std::filesystem::path(p.file).filename().string());
    if (!r.ok()) return fail(r.error());
    if (json) {
      nlohmann::json errors = nlohmann::json::array();
      for (const auto& e : r->problems) errors.push_back({{"row", e.row}, {"column", e.column}, {"message", e.message}});
      print_json({{"rows", r->rows}, {"recorded", r->recorded}, {"rejected", r->rejected}, {"errors", errors}});
    } else {
      std::printf("共 %d 行：登记 %d，错误 %d%s。\n", r->rows, r->recorded, r->rejected, r->rejected ? "（有错误，未写入）" : "");
      for (const auto& e : r->problems) std::printf("  第%d行【%s】%s\n", e.row, e.column.c_str(), e.message.c_str());
    }
    return r->rejected ? 1 : 0;
  }
  return std::nullopt;
}

}  // namespace sy::cli
