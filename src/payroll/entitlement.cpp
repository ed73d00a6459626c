#include "payroll/entitlement.h"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "registry/categories.h"

namespace sy::payroll {
namespace {

constexpr MonthIndex kNever = 1 << 30;

const char* unit_label(const std::string& unit) {
  if (unit == "yearly") return "元/年";
  if (unit == "monthly") return "元/月";
  return "元/月·每服役满一年";
}

// Appends what format_yuan gives ("7345.83", "-2331.67") without a temporary string.
void append_yuan(std::string& s, Fen fen) {
  bool negative = fen < 0;
  std::uint64_t a = negative ? static_cast<std::uint64_t>(-(fen + 1)) + 1 : static_cast<std::uint64_t>(fen);
  char buf[32];
  char* end = std::to_chars(buf, buf + sizeof buf, a / 100).ptr;
  *end++ = '.';
  *end++ = static_cast<char>('0' + a % 100 / 10);
  *end++ = static_cast<char>('0' + a % 10);
  if (negative) s += '-';
  s.append(buf, end);
}

void append_int(std::string& s, long long v) {
  char buf[24];
  s.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

// Appends what month_label gives ("2019年8月").
void append_month_label(std::string& s, MonthIndex m) {
  append_int(s, m / 12);
  s += "年";
  append_int(s, m % 12 + 1);
  s += "月";
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

// One month's (or `months` months') amount of one standard row for this person. The arithmetic in
// words is appended to `words` only when it is given: most amounts never reach a line.
struct Amount {
  Fen fen = 0;
  std::string problem;
};

Amount row_amount(const StandardRow& r, const PersonFacts& p, const PayRules& rules, int months,
                  std::string* words = nullptr) {
  Amount a;
  std::optional<int> years;
  if (r.unit == "yearly") {
    a.fen = share_of_year(r.amount_fen, months);
  } else if (r.unit == "monthly") {
    a.fen = r.amount_fen * months;
  } else {
    years = years_served(p, rules.part_year_counts);
    if (!years) {
      a.problem = "缺少入伍或退伍日期，无法按服役年限计发";
      return a;
    }
    a.fen = r.amount_fen * *years * months;
  }
  if (words) {
    std::string& w = *words;
    w += "标准";
    append_yuan(w, r.amount_fen);
    w += unit_label(r.unit);
    w += "（";
    w += r.effective_from;
    w += "起";
    if (!r.region_prefix.empty()) w += "，地方标准";
    w += "）";
    if (r.unit == "yearly") {
      if (months == 1) {
        w += "÷12";
      } else {
        w += "×";
        append_int(w, months);
        w += "÷12";
      }
    } else if (r.unit == "monthly") {
      if (months != 1) {
        w += "×";
        append_int(w, months);
        w += "个月";
      }
    } else {
      w += "×服役";
      append_int(w, *years);
      w += "年";
      if (months != 1) {
        w += "×";
        append_int(w, months);
        w += "个月";
      }
    }
  }
  return a;
}

// What is due for a month (or `months` months) under the best of the person's entitlements to an
// item: the amount, and what the basis in words is made of (see `basis_of`).
struct Due {
  bool eligible = false;
  Fen fen = 0;
  std::int64_t standard_id = 0;
  std::string problem;  // eligible, but the amount cannot be computed
  const CategoryFacts* category = nullptr;
  std::vector<const StandardRow*> rows;
  int months = 1;
};

// The basis in words: "残疾军人 一级 因战：标准88150.00元/年（2019-08-01起）÷12 = 7345.83元"; with a
// problem, the words up to the row that has it; "" when no standard applies.
std::string basis_of(const Due& d, const PersonFacts& p, const PayRules& rules) {
  std::string s;
  if (d.rows.empty()) return s;
  s.reserve(128);
  s = describe_key(*d.category);
  s += "：";
  for (size_t i = 0; i < d.rows.size(); ++i) {
    std::string words;
    Amount a = row_amount(*d.rows[i], p, rules, d.months, &words);
    if (!a.problem.empty()) break;
    if (i) s += " + ";
    s += words;
  }
  if (d.problem.empty()) {
    s += " = ";
    append_yuan(s, d.fen);
    s += "元";
  }
  return s;
}

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
    d.category = e.category;
    d.months = months;
    d.rows = standards.in_force(item.code, e.category->category, e.category->cause, e.category->grade,
                                p.region_code, m);
    if (d.rows.empty()) {
      d.problem = "无匹配的待遇标准（" + describe_key(*e.category) + "，" + month_label(m) + "）";
    } else {
      for (const StandardRow* row : d.rows) {
        Amount a = row_amount(*row, p, rules, months);
        if (!a.problem.empty()) {
          d.problem = a.problem;
          break;
        }
        d.fen += a.fen;
      }
      d.standard_id = d.rows.front()->id;
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
  const PaidMonths* months_paid = it == paid.end() ? nullptr : &it->second;
  bool any_paid = months_paid && !months_paid->empty();
  if (ents.empty() && !any_paid) return;
  for (MonthIndex m = settled_before; m <= run_month; ++m) {
    Fen already = 0;
    if (any_paid) {
      auto jt = months_paid->find(m);
      if (jt != months_paid->end()) already = jt->second;
    }
    bool withheld = p.withheld_from && m >= *p.withheld_from;
    if (m < run_month && withheld) continue;
    Due d = due_for(p, item, ents, standards, rules, m);
    if (m == run_month) {
      if (d.eligible && !d.problem.empty()) {
        std::string basis;
        append_month_label(basis, m);
        basis += item.name;
        out.push_back({item.code, "regular", m, 0, 0, std::move(basis), d.problem});
        continue;
      }
      Fen diff = (d.eligible ? d.fen : 0) - already;
      if (diff == 0) continue;
      std::string basis;
      basis.reserve(160);
      append_month_label(basis, m);
      basis += item.name;
      basis += "：";
      basis += d.eligible ? basis_of(d, p, rules) : "当月不应发放";
      if (already != 0) {
        basis += "，已发";
        append_yuan(basis, already);
        basis += "元";
      }
      out.push_back({item.code, diff > 0 ? "regular" : "recovery", m, d.standard_id, diff, std::move(basis),
                     withheld && diff > 0 ? p.withheld_reason : std::string()});
      continue;
    }
    if (d.eligible && !d.problem.empty()) continue;
    Fen due = d.eligible ? d.fen : 0;
    Fen diff = due - already;
    if (diff == 0) continue;
    std::string basis;
    basis.reserve(240);
    basis += diff > 0 ? "补发" : "扣回";
    append_month_label(basis, m);
    basis += item.name;
    basis += "：应发";
    append_yuan(basis, due);
    basis += "元";
    if (d.eligible) {
      basis += "（";
      basis += basis_of(d, p, rules);
      basis += "）";
    } else {
      basis += "（当月不应发放）";
    }
    basis += "，已发";
    append_yuan(basis, already);
    basis += "元，差额";
    append_yuan(basis, diff);
    basis += "元";
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
         std::to_string(year_start / 12) + "年度" + item.name + "：" + basis_of(d, p, rules), d.problem};
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
      best = std::move(d);
      best_item = periodic.name;
      best_months = months;
    }
  }
  if (!best.eligible) return;
  Line l{item.code, "one_off", died, best.standard_id, best.problem.empty() ? best.fen : 0,
         item.name + "：" + p.status_date + "去世，按" + best_item + std::to_string(best_months) + "个月计发（" +
             basis_of(best, p, rules) + "）",
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
  // first_day(month), "YYYY-MM-01", without an allocation.
  char day_buf[10];
  int year = month / 12;
  for (int i = 3; i >= 0; --i, year /= 10) day_buf[i] = static_cast<char>('0' + year % 10);
  day_buf[4] = '-';
  day_buf[5] = static_cast<char>('0' + (month % 12 + 1) / 10);
  day_buf[6] = static_cast<char>('0' + (month % 12 + 1) % 10);
  std::memcpy(day_buf + 7, "-01", 3);
  std::string_view day(day_buf, 10);
  // Per region prefix: the latest row in force; a row naming the cause or grade beats one that doesn't.
  // Rows are sorted by prefix, so each prefix's candidates are adjacent and '' (national) comes first.
  auto specificity = [](const StandardRow* s) { return (s->cause.empty() ? 0 : 1) + (s->grade == 0 ? 0 : 1); };
  for (const auto& r : it->second) {
    if (std::string_view(r.effective_from) > day) continue;
    if (!r.cause.empty() && r.cause != cause) continue;
    if (r.grade != 0 && r.grade != grade) continue;
    if (!region_code.starts_with(r.region_prefix)) continue;
    if (out.empty() || out.back()->region_prefix != r.region_prefix) {
      out.push_back(&r);
      continue;
    }
    const StandardRow*& slot = out.back();
    if (r.effective_from > slot->effective_from ||
        (r.effective_from == slot->effective_from && specificity(&r) > specificity(slot)))
      slot = &r;
  }
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
