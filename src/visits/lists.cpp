// 慰问名单 and 签收表 of a campaign: .xlsx (io/xlsx_table.h) and printable HTML, grouped by village
// with a subtotal per village and a grand total.
#include <functional>

#include "audit/audit.h"
#include "core/text.h"
#include "io/xlsx_table.h"
#include "registry/categories.h"
#include "visits/campaigns.h"
#include "visits/internal.h"

namespace sy::visits {
namespace {

using namespace detail;

struct ListData {
  Campaign campaign;
  std::vector<Target> targets;  // village then name order
};

Result<ListData> list_data(const Context& ctx, std::int64_t id, const char* what) {
  if (!ctx.actor.has("business:read")) return make_error("forbidden", "您的角色无权导出走访名单");
  ListData d;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(d.campaign, must_read(c, ctx.actor, id));
    if (d.campaign.status == "draft") return make_error("invalid_state", "活动尚未生成走访名单");
    SY_ASSIGN(store::Rows rows, c.query(std::string("SELECT ") + kTargetColumns + kTargetFrom +
                                            " WHERE t.campaign_id = ? AND t.region_code LIKE ? ESCAPE '\\' "
                                            "ORDER BY t.region_code, t.name_sort, t.id",
                                        {id, scope_like(ctx.actor)}));
    for (const auto& r : rows) d.targets.push_back(target_from_row(r, d.campaign.groups));
    return ok_status();
  }));
  SY_TRY(audit::record_now(ctx, audit::Entry{.action = std::string("campaign.") + what, .entity = "campaign",
                                             .entity_id = std::to_string(id), .region_code = d.campaign.region_code,
                                             .after = nlohmann::json{{"rows", d.targets.size()}}}));
  return d;
}

std::string category_names(const Target& t) {
  std::vector<std::string> names;
  for (const auto& c : t.categories) names.push_back(registry::category_name(c));
  return join(names, "、");
}

std::string visitor_of(const Target& t) {
  std::vector<std::string> who;
  if (!t.assignee_name.empty()) who.push_back(t.assignee_name);
  if (!t.department.empty()) who.push_back(t.department);
  if (!t.leader.empty()) who.push_back(t.leader);
  return join(who, "、");
}

// Calls row(t, n-in-village) per target, subtotal(village, n, sum) after each village; returns the total.
std::int64_t walk(const ListData& d, const std::function<void(const Target&, int)>& row,
                  const std::function<void(const std::string&, int, std::int64_t)>& subtotal) {
  std::int64_t grand = 0, sum = 0;
  int n = 0, seq = 0;
  for (size_t i = 0; i < d.targets.size(); ++i) {
    const Target& t = d.targets[i];
    row(t, ++seq);
    ++n;
    sum += t.cash_fen;
    grand += t.cash_fen;
    if (i + 1 == d.targets.size() || d.targets[i + 1].region_code != t.region_code) {
      subtotal(t.region_name, n, sum);
      n = 0;
      sum = 0;
    }
  }
  return grand;
}

std::string page_head(const std::string& title, const std::string& meta) {
  return "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>" + title +
         "</title><style>body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:24px;color:#000}"
         "h1{font-size:20px;text-align:center;margin:0 0 4px}.meta{text-align:center;font-size:13px;margin-bottom:12px}"
         "table{border-collapse:collapse;width:100%;font-size:13px}th,td{border:1px solid #000;padding:4px 6px}"
         "th{background:#f0f0f0}td.n{text-align:right;white-space:nowrap}tr.sub td{font-weight:bold;background:#fafafa}"
         "tr.total td{font-weight:bold;background:#eee}td.sign{width:110px}td.date{width:80px}.foot{margin-top:16px;"
         "font-size:13px;display:flex;justify-content:space-between}@media print{body{margin:0}"
         "thead{display:table-header-group}tr{page-break-inside:avoid}.noprint{display:none}}</style></head><body>"
         "<p class=\"noprint\"><button onclick=\"window.print()\">打印</button></p><h1>" +
         title + "</h1><div class=\"meta\">" + meta + "</div>";
}

std::string meta_of(const Campaign& k) {
  return html_escape(k.region_name) + "　" + occasion_name(k.occasion) + "　" + k.starts_on + " 至 " + k.ends_on +
         "　单位：元";
}

}  // namespace

Result<std::string> roster_xlsx(const Context& ctx, std::int64_t id) {
  SY_ASSIGN(ListData d, list_data(ctx, id, "roster"));
  io::Table t{"慰问名单", {"序号", "村(社区)", "户主/姓名", "类别", "慰问标准(元)", "物品", "走访人", "状态"}, {}};
  std::int64_t grand = walk(
      d,
      [&](const Target& x, int n) {
        t.rows.push_back({std::to_string(n), x.region_name, x.name, category_names(x), yuan(x.cash_fen), x.gifts,
                          visitor_of(x), target_status_name(x.status)});
      },
      [&](const std::string& village, int n, std::int64_t sum) {
        t.rows.push_back({"", village + " 小计", std::to_string(n) + (d.campaign.unit == "person" ? "人" : "户"), "",
                          yuan(sum), "", "", ""});
      });
  t.rows.push_back({"", "总计", std::to_string(d.targets.size()) + (d.campaign.unit == "person" ? "人" : "户"), "",
                    yuan(grand), "", "", ""});
  return io::write_xlsx(t);
}

Result<std::string> signature_xlsx(const Context& ctx, std::int64_t id) {
  SY_ASSIGN(ListData d, list_data(ctx, id, "signature_sheet"));
  io::Table t{"签收表", {"序号", "姓名", "类别", "慰问金(元)", "物品", "签收人签字", "日期"}, {}};
  std::int64_t grand = walk(
      d,
      [&](const Target& x, int n) {
        t.rows.push_back({std::to_string(n), x.name, category_names(x), yuan(x.cash_fen), x.gifts, "", ""});
      },
      [&](const std::string& village, int n, std::int64_t sum) {
        t.rows.push_back({"", village + " 小计（" + std::to_string(n) + "人）", "", yuan(sum), "", "", ""});
      });
  t.rows.push_back({"", "总计（" + std::to_string(d.targets.size()) + "人）", "", yuan(grand), "", "", ""});
  return io::write_xlsx(t);
}

Result<std::string> roster_html(const Context& ctx, std::int64_t id) {
  SY_ASSIGN(ListData d, list_data(ctx, id, "roster"));
  std::string unit = d.campaign.unit == "person" ? " 人" : " 户";
  std::string title = html_escape(d.campaign.name) + " 慰问名单";
  std::string h = page_head(title, meta_of(d.campaign)) +
                  "<table><thead><tr><th>序号</th><th>村(社区)</th><th>户主/姓名</th><th>类别</th><th>慰问标准(元)</th>"
                  "<th>物品</th><th>走访人</th><th>状态</th></tr></thead><tbody>";
  std::int64_t grand = walk(
      d,
      [&](const Target& x, int n) {
        h += "<tr><td>" + std::to_string(n) + "</td><td>" + html_escape(x.region_name) + "</td><td>" +
             html_escape(x.name) + "</td><td>" + html_escape(category_names(x)) + "</td><td class=\"n\">" +
             yuan(x.cash_fen) + "</td><td>" + html_escape(x.gifts) + "</td><td>" + html_escape(visitor_of(x)) +
             "</td><td>" + target_status_name(x.status) + "</td></tr>";
      },
      [&](const std::string& village, int n, std::int64_t sum) {
        h += "<tr class=\"sub\"><td></td><td>" + html_escape(village) + " 小计</td><td>" + std::to_string(n) + unit +
             "</td><td></td><td class=\"n\">" + yuan(sum) + "</td><td></td><td></td><td></td></tr>";
      });
  h += "<tr class=\"total\"><td></td><td>总计</td><td>" + std::to_string(d.targets.size()) + unit +
       "</td><td></td><td class=\"n\">" + yuan(grand) +
       "</td><td></td><td></td><td></td></tr></tbody></table><div class=\"foot\"><span>制表人：</span><span>审核人：</span>"
       "<span>日期：</span></div></body></html>";
  return h;
}

Result<std::string> signature_html(const Context& ctx, std::int64_t id) {
  SY_ASSIGN(ListData d, list_data(ctx, id, "signature_sheet"));
  std::string title = html_escape(d.campaign.name) + " 慰问金（品）签收表";
  std::string h = page_head(title, meta_of(d.campaign)) +
                  "<table><thead><tr><th>序号</th><th>姓名</th><th>类别</th><th>慰问金(元)</th>"
                  "<th>物品</th><th>签收人签字</th><th>日期</th></tr></thead><tbody>";
  std::int64_t grand = walk(
      d,
      [&](const Target& x, int n) {
        h += "<tr><td>" + std::to_string(n) + "</td><td>" + html_escape(x.name) + "</td><td>" +
             html_escape(category_names(x)) + "</td><td class=\"n\">" + yuan(x.cash_fen) + "</td><td>" +
             html_escape(x.gifts) + "</td><td class=\"sign\"></td><td class=\"date\"></td></tr>";
      },
      [&](const std::string& village, int n, std::int64_t sum) {
        h += "<tr class=\"sub\"><td></td><td>" + html_escape(village) + " 小计（" + std::to_string(n) +
             " 人）</td><td></td><td class=\"n\">" + yuan(sum) + "</td><td></td><td></td><td></td></tr>";
      });
  h += "<tr class=\"total\"><td></td><td>总计（" + std::to_string(d.targets.size()) +
       " 人）</td><td></td><td class=\"n\">" + yuan(grand) +
       "</td><td></td><td></td><td></td></tr></tbody></table><div class=\"foot\"><span>发放人：</span><span>监督人：</span>"
       "<span>日期：</span></div></body></html>";
  return h;
}

}  // namespace sy::visits
