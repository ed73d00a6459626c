#include "cli/campaign_commands.h"

#include <algorithm>
#include <cstdio>

#include "cli/output.h"
#include "core/text.h"
#include "registry/categories.h"
#include "visits/campaigns.h"

namespace sy::cli {
namespace {

nlohmann::json campaign_json(const visits::Campaign& k) {
  double coverage = k.targets ? static_cast<double>(k.visited) / static_cast<double>(k.targets) : 0.0;
  return {{"id", std::to_string(k.id)},     {"name", k.name},
          {"occasion", k.occasion},         {"occasion_name", visits::occasion_name(k.occasion)},
          {"region_code", k.region_code},   {"starts_on", k.starts_on},
          {"ends_on", k.ends_on},           {"unit", k.unit},
          {"status", k.status},             {"status_name", visits::campaign_status_name(k.status)},
          {"budget_fen", k.budget_fen},     {"targets", k.targets},
          {"done", k.done},                 {"visited", k.visited},
          {"coverage", coverage},           {"spent_fen", k.spent_fen},
          {"version", k.version}};
}

Result<std::int64_t> parse_id(const std::string& s) {
  if (s.empty() || s.size() > 19 || !std::all_of(s.begin(), s.end(), ::isdigit))
    return make_error("invalid_field", "活动编号应为数字", "id");
  return std::stoll(s);
}

std::string percent(std::int64_t a, std::int64_t b) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", b ? 100.0 * static_cast<double>(a) / static_cast<double>(b) : 0.0);
  return buf;
}

}  // namespace

void add_campaign_commands(CLI::App& app, CampaignCommands& c) {
  CLI::App* campaign = app.add_subcommand("campaign", "走访慰问活动");
  campaign->require_subcommand(1);
  c.create = campaign->add_subcommand("create", "创建走访慰问活动（草稿，一个分组）");
  c.create->add_option("--name", c.name, "活动名称")->required();
  c.create->add_option("--occasion", c.occasion, "节日：spring_festival | army_day | support_month | other")->required();
  c.create->add_option("--from", c.from, "开始日期 YYYY-MM-DD")->required();
  c.create->add_option("--to", c.to, "结束日期 YYYY-MM-DD")->required();
  c.create->add_option("--category", c.categories, "优抚类别，逗号分隔，如 martyr_survivor,disabled_veteran")->required();
  c.create->add_option("--cash-fen", c.cash_fen, "每户（人）慰问金标准，单位：分")->required();
  c.create->add_option("--budget-fen", c.budget_fen, "预算，单位：分");
  c.create->add_option("--unit", c.unit, "household（按户，默认）或 person（按人）");
  c.create->add_option("--gifts", c.gifts, "慰问物品");
  c.create->add_option("--group-name", c.group_name, "分组名称（默认取类别名称）");
  c.create->add_option("--region", c.region, "活动范围：县或乡镇代码（默认全县）");
  c.generate = campaign->add_subcommand("generate", "生成走访名单（从信息库快照走访对象）");
  c.generate->add_option("--id", c.id, "活动编号")->required();
  c.status = campaign->add_subcommand("status", "活动进度：走访对象数、已走访、覆盖率、支出与预算");
  c.status->add_option("--id", c.id, "活动编号")->required();
}

std::optional<int> run_campaign_commands(const CampaignCommands& c, const Context& ctx, bool json) {
  if (c.create && *c.create) {
    visits::Group g;
    g.filter.categories = split(c.categories, ',');
    g.filter.categories.erase(std::remove(g.filter.categories.begin(), g.filter.categories.end(), std::string()),
                              g.filter.categories.end());
    std::vector<std::string> names;
    for (const auto& code : g.filter.categories) {
      auto parsed = registry::parse_category(code);
      names.push_back(parsed ? registry::category_name(*parsed) : code);
    }
    g.name = c.group_name.empty() ? join(names, "、") : c.group_name;
    g.cash_fen = c.cash_fen;
    g.gifts = c.gifts;
    auto k = visits::create_campaign(ctx, visits::CampaignInput{.name = c.name, .occasion = c.occasion,
                                                                .starts_on = c.from, .ends_on = c.to, .unit = c.unit,
                                                                .region_code = c.region, .budget_fen = c.budget_fen,
                                                                .groups = {g}});
    if (!k.ok()) return fail(k.error());
    if (json) {
      print_json(campaign_json(*k));
    } else {
      std::printf("已创建走访慰问活动（草稿）：%s，编号 %lld。生成名单：shuangyong campaign generate --id %lld\n",
                  k->name.c_str(), static_cast<long long>(k->id), static_cast<long long>(k->id));
    }
    return 0;
  }
  if (c.generate && *c.generate) {
    auto id = parse_id(c.id);
    if (!id.ok()) return fail(id.error());
    auto current = visits::get_campaign(ctx, *id);
    if (!current.ok()) return fail(current.error());
    auto k = visits::generate_campaign(ctx, *id, current->version);
    if (!k.ok()) return fail(k.error());
    if (json) {
      print_json(campaign_json(*k));
    } else {
      std::printf("已生成走访名单：%s，走访对象 %lld %s。\n", k->name.c_str(), static_cast<long long>(k->targets),
                  k->unit == "person" ? "人" : "户");
    }
    return 0;
  }
  if (c.status && *c.status) {
    auto id = parse_id(c.id);
    if (!id.ok()) return fail(id.error());
    auto k = visits::get_campaign(ctx, *id);
    if (!k.ok()) return fail(k.error());
    auto p = visits::campaign_progress(ctx, *id);
    if (!p.ok()) return fail(p.error());
    if (json) {
      nlohmann::json j = campaign_json(*k);
      nlohmann::json villages = nlohmann::json::array();
      for (const auto& v : p->by_village)
        villages.push_back({{"region_code", v.code}, {"region_name", v.name}, {"targets", v.targets},
                            {"visited", v.visited}, {"spent_fen", v.spent_fen}});
      j["by_village"] = villages;
      print_json(j);
    } else {
      std::printf("%s（%s，%s）\n走访对象 %lld，已走访 %lld，已处理 %lld，覆盖率 %s；慰问金支出 %s 元 / 预算 %s 元\n",
                  k->name.c_str(), visits::occasion_name(k->occasion).c_str(),
                  visits::campaign_status_name(k->status).c_str(), static_cast<long long>(k->targets),
                  static_cast<long long>(k->visited), static_cast<long long>(k->done),
                  percent(k->visited, k->targets).c_str(), visits::yuan(k->spent_fen).c_str(),
                  visits::yuan(k->budget_fen).c_str());
      for (const auto& v : p->by_village)
        std::printf("  %s  %lld / %lld  %s\n", v.name.c_str(), static_cast<long long>(v.visited),
                    static_cast<long long>(v.targets), percent(v.visited, v.targets).c_str());
    }
    return 0;
  }
  return std::nullopt;
}

}  // namespace sy::cli
