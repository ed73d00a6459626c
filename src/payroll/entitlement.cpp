#include "payroll/entitlement.h"

#include <algorithm>

#include "registry/categories.h"

namespace sy::payroll {
namespace {

constexpr MonthIndex kNever = 1 << 30;

std::string unit_label(const std::string& unit) {
  if (unit == "yearly") return "元/年";
  if (unit == "monthly") return "元/月";
  return "元/月·每服役满一年";
}

std::string describe_key(const CategoryFacts& c) {
  std::string s = registry::category_name(c.category);
  if (c.grade > 0) s += " " + registry::grade_name(c.grade);
  if (!c.cause.empty()) s += " " + registry::cause_name(c.cause);
  return s;
}

// Whole years between enlistment and discharge (a started year counts when the rule says so).
std::optional<int> years_served(const PersonFacts& p, bool part_year_counts) {
  if (p.enlisted_on.size() < 10 || p.discharged_on.size() < 10) return std::nullopt;
  auto num = [](const std::string& s, size_t pos, size_t n) { return std::stoi(s.substr(pos, n)); };
  int y1 = num(p.enlisted_on, 0, 4), m1 = num(p.enlisted_on, 5, 2), d1 = num(p.enlisted_on, 8, 2);
  int y2 = num(p.discharged_on, 0, 4), m2 = num(p.discharged_on, 5, 2), d2 = num(p.discharged_on, 8, 2);
  int years = y2 - y1;
  bool short_of_anniversary = m2 < m1 || (m2 == m1 && d2 < d1);
  if (short_of_anniversary) --years;
  if (years < 0) return std::nullopt;
  bool partial = !(m2 == m1 && d2 == d1);
  if (part_year_counts && partial) ++years;
  return years;
}

// One month's amount of one standard row for this person, with the arithmetic in words.
struct Amount {
  Fen fen = 0;
  std::string words;
  std::string problem;
};

Amount row_amount(const StandardRow& r, const PersonFacts& p, const PayRules& rules, int months) {
  Amount a;
  std::string std_text = "标准" + format_yuan(r.amount_fen) + unit_label(r.unit) + "（" + r.effective_from + "起" +
                         (r.region_prefix.empty() ? "" : "，地方标准") + "）";
  if (r.unit == "yearly") {
    a.fen = share_of_year(r.amount_fen, months);
    a.words = std_text + (months == 1 ? "÷12" : "×" + std::to_string(months) + "÷12");
  } else if (r.unit == "monthly") {
    a.fen = r.amount_fen * months;
    a.words = std_text + (months == 1 ? "" : "×" + std::to_string(months) + "个月");
  } else {
    auto years = years_served(p, rules.part_year_counts);
    if (!years) {
      a.problem = "缺少入伍或退伍日期，无法按服役年限计发";
      return a;
    }
    a.fen = r.amount_fen * *years * months;
    a.words = std_text + "×服役" + std::to_string(*years) + "年" +
              (months == 1 ? "" : "×" + std::to_string(months) + "个月");
  }
  return a;
}

struct Due {
  bool eligible = false;
  Fen fen = 0;
  std::int64_t standard_id = 0;
  std::string basis;
  std::string problem;  // eligible, but the amount cannot be computed
};

struct Entitlement {
  const CategoryFacts* category;
  MonthIndex start, end;
};

MonthIndex end_month(const PersonFacts& p) {
  if ((p.status == "deceased" || p.status == "cancelled" || p.status == "moved") && p.status_date.size() >= 7)
    return month_of_date(p.status_date);
  if (p.status == "deceased" || p.status == "cancelled" || p.status == "moved") return -1;
  return kNever;
}

std::vector<Entitlement> entitlements(const PersonFacts& p, const BenefitItem& item) {
  std::vector<Entitlement> out;
  MonthIndex end = end_month(p);
  for (const auto& c : p.categories) {
    if (c.status != "active") continue;
    if (std::find(item.categories.begin(), item.categories.end(), c.category) == item.categories.end()) continue;
    if (item.max_grade > 0 && (c.grade <= 0 || c.grade > item.max_grade)) continue;
    MonthIndex start = c.approved_on.size() >= 7 ? month_of_date(c.approved_on) + 1 : 0;
    if (c.category == "rural_veteran_60" && p.birth_date.size() >= 7)
      start = std::max(start, month_of_date(p.birth_date) + 60 * 12 + 1);
    out.push_back({&c, start, end});
  }
  return out;
}

Due due_for(const PersonFacts& p, const BenefitItem& item, const std::vector<Entitlement>& ents,
            const StandardsTable& standards, const PayRules& rules, MonthIndex m, int months = 1) {
  Due best;
  for (const auto& e : ents) {
    if (m < e.start || m > e.end) continue;
    Due d;
    d.eligible = true;
    auto rows = standards.in_force(item.code, e.category->category, e.category->cause, e.category->grade,
                                   p.region_code, m);
    if (rows.empty()) {
      d.problem = "无匹配的待遇标准（" + describe_key(*e.category) + "，" + month_label(m) + "）";
    } else {
      d.basis = describe_key(*e.category) + "：";
      for (size_t i = 0; i < rows.size(); ++i) {
        Amount a = row_amount(*rows[i], p, rules, months);
        if (!a.problem.empty()) {
          d.problem = a.problem;
          break;
        }
        d.fen += a.fen;
        if (i) d.basis += " + ";
        d.basis += a.words;
      }
      d.standard_id = rows.front()->id;
      if (d.problem.empty()) d.basis += " = " + format_yuan(d.fen) + "元";
    }
    // Two categories serving one item: the larger amount is paid, the choice is stable.
    bool better = !best.eligible || (best.problem.empty() == d.problem.empty() ? d.fen > best.fen : d.problem.empty());
    if (better) best = std::move(d);
  }
  return best;
}

Fen paid_in(const std::map<std::string, PaidMonths>& paid, const std::string& item, MonthIndex m) {
  auto it = paid.find(item);
  if (it == paid.end()) return 0;
  auto jt = it->second.find(m);
  return jt == it->second.end() ? 0 : jt->second;
}

void periodic_lines(const PersonFacts& p, const BenefitItem& item, const StandardsTable& standards,
                    const PayRules& rules, MonthIndex run_month, MonthIndex settled_before,
                    const std::map<std::string, PaidMonths>& paid, std::vector<Line>& out) {
  auto ents = entitlements(p, item);
  auto it = paid.find(item.code);
  bool any_paid = it != paid.end() && !it->second.empty();
  if (ents.empty() && !any_paid) return;
  for (MonthIndex m = settled_before; m <= run_month; ++m) {
    Fen already = paid_in(paid, item.code, m);
    bool withheld = p.withheld_from && m >= *p.withheld_from;
    Due d = due_for(p, item, ents, standards, rules, m);
    if (m == run_month) {
      if (d.eligible && !d.problem.empty()) {
        out.push_back({item.code, "regular", m, 0, 0, month_label(m) + item.name, d.problem});
        continue;
      }
      Fen diff = (d.eligible ? d.fen : 0) - already;
      if (diff == 0) continue;
      Line l{item.code, diff > 0 ? "regular" : "recovery", m, d.standard_id, diff,
             month_label(m) + item.name + "：" + (d.eligible ? d.basis : "当月不应发放"), ""};
      if (already != 0) l.basis += "，已发" + format_yuan(already) + "元";
      if (withheld && diff > 0) l.exception = p.withheld_reason;
      out.push_back(std::move(l));
      continue;
    }
    if (withheld) continue;
    if (d.eligible && !d.problem.empty()) continue;
    Fen due = d.eligible ? d.fen : 0;
    Fen diff = due - already;
    if (diff == 0) continue;
    std::string basis = (diff > 0 ? "补发" : "扣回") + month_label(m) + item.name + "：应发" + format_yuan(due) +
                        "元" + (d.eligible ? "（" + d.basis + "）" : "（当月不应发放）") + "，已发" +
                        format_yuan(already) + "元，差额" + format_yuan(diff) + "元";
    out.push_back({item.code, diff > 0 ? "arrears" : "recovery", m, d.standard_id, diff, std::move(basis), ""});
  }
}

// One line per calendar year, in the run that includes the item, for a year the person is entitled in.
void yearly_lines(const PersonFacts& p, const BenefitItem& item, const StandardsTable& standards,
                  const PayRules& rules, MonthIndex run_month, MonthIndex settled_before,
                  const std::map<std::string, PaidMonths>& paid, std::vector<Line>& out) {
  auto ents = entitlements(p, item);
  if (ents.empty()) return;
  MonthIndex year_start = run_month - run_month % 12;
  if (year_start < settled_before - settled_before % 12) return;
  if (paid_in(paid, item.code, year_start) != 0) return;
  Due d = due_for(p, item, ents, standards, rules, run_month, 12);
  if (!d.eligible) return;
  Line l{item.code, "regular", year_start, d.standard_id, d.fen,
         std::to_string(year_start / 12) + "年度" + item.name + "：" + d.basis, d.problem};
  if (!d.problem.empty()) l.amount_fen = 0;
  out.push_back(std::move(l));
}

void funeral_line(const PersonFacts& p, const std::vector<BenefitItem>& all_items, const BenefitItem& item,
                  const StandardsTable& standards, const PayRules& rules, const std::map<std::string, PaidMonths>& paid,
                  std::vector<Line>& out) {
  if (p.status != "deceased" || p.status_date.size() < 7) return;
  MonthIndex died = month_of_date(p.status_date);
  if (died < rules.first_month) return;
  if (paid_in(paid, item.code, died) != 0) return;
  bool of_illness = p.status_reason.find("病") != std::string::npos;
  Due best;
  std::string best_item;
  int best_months = 0;
  for (const auto& periodic : all_items) {
    if (periodic.frequency != "monthly" || periodic.code == "nursing_fee") continue;
    int months = 0;
    if (periodic.code == "survivor_pension") months = rules.funeral_months;
    if (periodic.code == "living_allowance") {
      // Of the 定期生活补助 recipients, only a 参战 veteran's death brings 6 more months.
      bool war = std::any_of(p.categories.begin(), p.categories.end(),
                             [](const CategoryFacts& c) { return c.category == "war_veteran" && c.status == "active"; });
      if (!war) continue;
      months = rules.funeral_months;
    }
    if (periodic.code == "disability_pension") {
      if (!of_illness) continue;
      months = rules.funeral_months_disabled_illness;
    }
    if (months == 0) continue;
    BenefitItem only = periodic;
    if (periodic.code == "living_allowance") only.categories = {"war_veteran"};
    auto ents = entitlements(p, only);
    Due d = due_for(p, only, ents, standards, rules, died, months);
    if (!d.eligible) continue;
    if (!best.eligible || (d.problem.empty() && (!best.problem.empty() || d.fen > best.fen))) {
      best = d;
      best_item = periodic.name;
      best_months = months;
    }
  }
  if (!best.eligible) return;
  Line l{item.code, "one_off", died, best.standard_id, best.problem.empty() ? best.fen : 0,
         item.name + "：" + p.status_date + "去世，按" + best_item + std::to_string(best_months) + "个月计发（" +
             best.basis + "）",
         best.problem};
  out.push_back(std::move(l));
}

}  // namespace

StandardsTable::StandardsTable(std::vector<StandardRow> rows) {
  for (auto& r : rows) by_key_[{r.item_code, r.category}].push_back(std::move(r));
  for (auto& [key, list] : by_key_)
    std::sort(list.begin(), list.end(), [](const StandardRow& a, const StandardRow& b) {
      return std::tie(a.region_prefix, a.effective_from, a.id) < std::tie(b.region_prefix, b.effective_from, b.id);
    });
}

bool StandardsTable::has_item(const std::string& item) const {
  return std::any_of(by_key_.begin(), by_key_.end(), [&](const auto& kv) { return kv.first.first == item; });
}

std::vector<const StandardRow*> StandardsTable::in_force(const std::string& item, const std::string& category,
                                                         const std::string& cause, int grade,
                                                         const std::string& region_code, MonthIndex month) const {
  std::vector<const StandardRow*> out;
  auto it = by_key_.find({item, category});
  if (it == by_key_.end()) return out;
  std::string day = first_day(month);
  // Per region prefix: the latest row in force; a row naming the cause or grade beats one that doesn't.
  std::map<std::string, const StandardRow*> latest;
  for (const auto& r : it->second) {
    if (r.effective_from > day) continue;
    if (!r.cause.empty() && r.cause != cause) continue;
    if (r.grade != 0 && r.grade != grade) continue;
    if (!region_code.starts_with(r.region_prefix)) continue;
    auto& slot = latest[r.region_prefix];
    auto specificity = [](const StandardRow* s) { return (s->cause.empty() ? 0 : 1) + (s->grade == 0 ? 0 : 1); };
    if (!slot || std::tie(r.effective_from) > std::tie(slot->effective_from) ||
        (r.effective_from == slot->effective_from && specificity(&r) > specificity(slot)))
      slot = &r;
  }
  for (const auto& [prefix, row] : latest) out.push_back(row);  // '' (national) sorts first
  return out;
}

bool bank_account_usable(const std::string& account) {
  size_t digits = 0;
  for (char ch : account) {
    if (ch == ' ') continue;
    if (ch < '0' || ch > '9') return false;
    ++digits;
  }
  return digits >= 10 && digits <= 30;
}

std::vector<Line> compute_lines(const PersonFacts& p, const std::vector<BenefitItem>& items,
                                const StandardsTable& standards, const PayRules& rules, MonthIndex run_month,
                                const std::map<std::string, PaidMonths>& paid) {
  std::vector<Line> out;
  MonthIndex settled_before = rules.first_month;
  if (auto through = parse_month(p.paid_through)) settled_before = std::max(settled_before, *through + 1);
  for (const auto& item : items) {
    if (item.frequency == "monthly")
      periodic_lines(p, item, standards, rules, run_month, settled_before, paid, out);
    else if (item.frequency == "yearly")
      yearly_lines(p, item, standards, rules, run_month, settled_before, paid, out);
    else if (item.code == "funeral_subsidy")
      funeral_line(p, items, item, standards, rules, paid, out);
  }
  if (!out.empty() && !bank_account_usable(p.bank_account)) {
    std::string why = p.bank_account.empty() ? "未登记银行账号" : "银行账号格式无效（应为10至30位数字）";
    for (auto& l : out)
      if (l.exception.empty()) l.exception = why;
  }
  return out;
}

std::string encode_paid(const PaidMonths& months) {
  std::string out;
  auto it = months.begin();
  while (it != months.end()) {
    if (it->second == 0) {
      ++it;
      continue;
    }
    MonthIndex from = it->first, to = it->first;
    Fen amount = it->second;
    auto jt = std::next(it);
    while (jt != months.end() && jt->first == to + 1 && jt->second == amount) {
      to = jt->first;
      ++jt;
    }
    if (!out.empty()) out += ';';
    out += month_text(from);
    if (to != from) out += ".." + month_text(to);
    out += ':' + std::to_string(amount);
    it = jt;
  }
  return out;
}

PaidMonths decode_paid(const std::string& text) {
  PaidMonths out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find(';', pos);
    if (end == std::string::npos) end = text.size();
    std::string part = text.substr(pos, end - pos);
    pos = end + 1;
    size_t colon = part.find(':');
    if (colon == std::string::npos) continue;
    auto from = parse_month(part.substr(0, 7));
    auto to = part.size() > 9 && part.substr(7, 2) == ".." ? parse_month(part.substr(9, 7)) : from;
    if (!from || !to) continue;
    Fen amount = std::stoll(part.substr(colon + 1));
    for (MonthIndex m = *from; m <= *to; ++m) out[m] = amount;
  }
  return out;
}

}  // namespace sy::payroll
