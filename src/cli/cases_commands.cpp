#include "cli/cases_commands.h"

#include <cstdio>

#include "cases/cases.h"
#include "cli/output.h"
#include "core/text.h"

namespace sy::cli {

void add_cases_commands(CLI::App& app, CasesCommands& c) {
  CLI::App* cases = app.add_subcommand("cases", "诉求台帐");
  cases->require_subcommand(1);
  c.overdue = cases->add_subcommand("overdue", "上报并列出逾期的诉求（供定时任务运行）");
}

std::optional<int> run_cases_commands(const CasesCommands& c, const Context& ctx, bool json) {
  if (!c.overdue || !*c.overdue) return std::nullopt;
  auto run = cases::escalate_overdue(ctx);
  if (!run.ok()) return fail(run.error());
  if (json) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& k : run->overdue) {
      nlohmann::json leads = nlohmann::json::array();
      if (k.escalation)
        for (const auto& l : k.escalation->leads) leads.push_back(l.display_name);
      items.push_back({{"id", std::to_string(k.id)},
                       {"number", k.number},
                       {"kind", k.kind},
                       {"kind_name", cases::kind_name(k.kind)},
                       {"title", k.title},
                       {"region_code", k.region_code},
                       {"region_name", k.region_name},
                       {"township_code", k.township_code},
                       {"status", k.status},
                       {"status_name", cases::status_name(k.kind, k.status)},
                       {"stage", k.deadline->stage},
                       {"due_date", k.deadline->due_date},
                       {"days_overdue", k.deadline->days_left ? nlohmann::json(-*k.deadline->days_left) : nlohmann::json(nullptr)},
                       {"escalated_to", leads}});
    }
    print_json({{"escalated", run->escalated}, {"overdue", run->overdue.size()}, {"items", items}});
    return 0;
  }
  std::printf("逾期诉求 %zu 件，本次新上报 %d 件。\n", run->overdue.size(), run->escalated);
  for (const auto& k : run->overdue) {
    std::vector<std::string> leads;
    if (k.escalation)
      for (const auto& l : k.escalation->leads) leads.push_back(l.display_name);
    std::string late = k.deadline->days_left ? "逾期" + std::to_string(-*k.deadline->days_left) + "个工作日" : "已逾期";
    std::printf("  %s  %s  %s  %s  %s%s（%s）  已上报：%s\n", k.number.c_str(), cases::kind_name(k.kind).c_str(),
                k.title.c_str(), k.region_name.c_str(), cases::stage_name(k.deadline->stage).c_str(),
                k.deadline->due_date.c_str(), late.c_str(), leads.empty() ? "（该乡镇无业务管理员）" : join(leads, "、").c_str());
  }
  return 0;
}

}  // namespace sy::cli
