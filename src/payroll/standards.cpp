#include "payroll/standards.h"

#include <map>
#include <set>

#include "audit/audit.h"
#include "core/civil_date.h"
#include "core/text.h"
#include "io/upload.h"
#include "io/xlsx_table.h"
#include "registry/categories.h"

namespace sy::payroll {
namespace {

const char* kColumns =
    "SELECT s.id, s.item_code, s.category, s.cause, s.grade, s.region_prefix, s.unit, s.amount_fen, "
    "s.effective_from, s.note, s.status, s.replaces_id, s.created_at, u.username, s.replaced_at "
    "FROM benefit_standards s LEFT JOIN users u ON u.id = s.created_by";

StandardRow to_row(const store::Row& r) {
  return StandardRow{r.i64(0), r.str(1), r.str(2), r.str(3), static_cast<int>(r.i64(4)), r.str(5),
                     r.str(6), r.i64(7), r.str(8), r.str(9)};
}

struct Catalog {
  std::vector<BenefitItem> items;
  const BenefitItem* find(std::string_view text) const {
    for (const auto& i : items)
      if (text == i.code || text == i.name) return &i;
    return nullptr;
  }
  std::string name_of(const std::string& code) const {
    for (const auto& i : items)
      if (i.code == code) return i.name;
    return code;
  }
};

Result<std::string> region_label(store::Conn& c, const std::string& prefix) {
  if (prefix.empty()) return std::string("全国");
  SY_ASSIGN(auto row, c.query_one("SELECT name FROM regions WHERE code = ?", {prefix + std::string(12 - prefix.size(), '0')}));
  return row ? row->str(0) + "（" + prefix + "）" : prefix;
}

Result<StandardView> view_of(store::Conn& c, const Catalog& cat, const store::Row& r) {
  StandardView v;
  v.row = to_row(r);
  v.item_name = cat.name_of(v.row.item_code);
  v.category_name = registry::category_name(v.row.category);
  v.cause_name = v.row.cause.empty() ? "" : registry::cause_name(v.row.cause);
  v.grade_name = v.row.grade ? registry::grade_name(v.row.grade) : "";
  v.unit_name = unit_name(v.row.unit);
  SY_ASSIGN(v.region_name, region_label(c, v.row.region_prefix));
  v.status = r.str(10);
  v.replaces_id = r.is_null(11) ? 0 : r.i64(11);
  v.created_at = r.i64(12);
  v.created_by = r.str(13);
  v.replaced_at = r.is_null(14) ? 0 : r.i64(14);
  return v;
}

// A problem with one field of one standard: the column header and the reason.
struct FieldError {
  std::string column, message;
};

// The JSON key of a sheet column (the API's error.field names keys, as every other route does).
std::string field_of_column(std::string_view column) {
  static const std::map<std::string, std::string, std::less<>> kKeys = {
      {"项目", "item"},       {"优抚类别", "category"},      {"伤残性质", "cause"},
      {"伤残等级", "grade"},  {"计发方式", "unit"},          {"标准(元)", "amount"},
      {"生效日期", "effective_from"}, {"适用区划", "region"}, {"备注", "note"}};
  auto it = kKeys.find(column);
  return it == kKeys.end() ? std::string(column) : it->second;
}

std::optional<std::string> parse_unit(std::string_view t) {
  if (t == "按年" || t == "yearly" || t == "元/年" || t == "每年") return std::string("yearly");
  if (t == "按月" || t == "monthly" || t == "元/月" || t == "每月") return std::string("monthly");
  if (t == "按服役年限每月" || t == "monthly_per_year_served" || t == "按服役年限" || t == "每服役年每月")
    return std::string("monthly_per_year_served");
  return std::nullopt;
}

// Cleans one standard; the first problem found, by column.
Result<StandardRow> normalize(store::Conn& c, const Catalog& cat, const StandardInput& in, FieldError& fe) {
  StandardRow r;
  auto fail = [&](const char* column, std::string message) -> Error {
    fe = {column, message};
    return make_error("invalid_standard", std::string(column) + "：" + message, field_of_column(column));
  };
  std::string item = strip_spaces(in.item);
  const BenefitItem* bi = cat.find(item);
  if (item.empty()) return fail("项目", "不能为空");
  if (!bi) return fail("项目", "未知的待遇项目“" + item + "”");
  r.item_code = bi->code;
  std::string category = strip_spaces(in.category);
  if (category.empty()) return fail("优抚类别", "不能为空");
  auto code = registry::parse_category(category);
  if (!code) return fail("优抚类别", "未知的优抚类别“" + category + "”");
  r.category = *code;
  if (!bi->categories.empty() &&
      std::find(bi->categories.begin(), bi->categories.end(), r.category) == bi->categories.end())
    return fail("优抚类别", bi->name + "不适用于" + registry::category_name(r.category));
  std::string cause = strip_spaces(in.cause), grade = strip_spaces(in.grade);
  if (r.category == "disabled_veteran") {
    if (grade.empty()) return fail("伤残等级", "残疾军人的标准须写明伤残等级");
    auto g = registry::parse_grade(grade);
    if (!g) return fail("伤残等级", "无法识别的伤残等级“" + grade + "”（应为一级至十级）");
    if (cause.empty()) return fail("伤残性质", "残疾军人的标准须写明伤残性质（因战、因公、因病）");
    auto cs = registry::parse_cause(cause);
    if (!cs) return fail("伤残性质", "无法识别的伤残性质“" + cause + "”（应为因战、因公或因病）");
    r.grade = *g;
    r.cause = *cs;
    Status st = registry::check_category(r.category, r.grade, r.cause);
    if (!st.ok()) return fail("伤残等级", st.error().message);
    if (bi->max_grade > 0 && r.grade > bi->max_grade)
      return fail("伤残等级", bi->name + "只适用于" + registry::grade_name(1) + "至" + registry::grade_name(bi->max_grade));
  } else if (!cause.empty() || !grade.empty()) {
    return fail(cause.empty() ? "伤残等级" : "伤残性质", "只有残疾军人的标准区分伤残等级和性质，请留空");
  }
  std::string unit = strip_spaces(in.unit);
  if (unit.empty()) return fail("计发方式", "不能为空（按年、按月或按服役年限每月）");
  auto u = parse_unit(unit);
  if (!u) return fail("计发方式", "无法识别“" + unit + "”（应为按年、按月或按服役年限每月）");
  r.unit = *u;
  std::string amount = strip_spaces(in.amount);
  if (amount.empty()) return fail("标准(元)", "不能为空");
  auto fen = parse_yuan(amount);
  if (!fen) return fail("标准(元)", "“" + amount + "”不是金额（应为元，最多两位小数）");
  if (*fen <= 0) return fail("标准(元)", "金额须大于零");
  r.amount_fen = *fen;
  std::string date = strip_spaces(in.effective_from);
  if (date.empty()) return fail("生效日期", "不能为空");
  auto d = parse_loose_date(date);
  if (!d) return fail("生效日期", "无法识别的日期“" + date + "”");
  r.effective_from = *d;
  std::string region = strip_spaces(in.region);
  if (!region.empty() && region != "全国") {
    bool digits = region.size() <= 12 && std::all_of(region.begin(), region.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    if (!digits || region.size() < 2) return fail("适用区划", "应为“全国”或区划代码（如 140924）");
    while (region.size() > 2 && region.ends_with("000")) region.resize(region.size() - 3);
    if (region.size() > 2 && region.ends_with("00") && region.size() <= 6) region.resize(region.size() - 2);
    SY_ASSIGN(std::int64_t n, c.query_int("SELECT count(*) FROM regions WHERE code LIKE ? ESCAPE '\\'", {store::like_prefix(region)}));
    if (n == 0) return fail("适用区划", "找不到区划代码 " + region);
    r.region_prefix = region;
  }
  r.note = std::string(in.note.substr(0, std::min<size_t>(in.note.size(), 500)));
  return r;
}

std::string key_text(const Catalog& cat, const StandardRow& r) {
  std::string s = cat.name_of(r.item_code) + "·" + registry::category_name(r.category);
  if (r.grade) s += "·" + registry::grade_name(r.grade);
  if (!r.cause.empty()) s += "·" + registry::cause_name(r.cause);
  s += r.region_prefix.empty() ? "·全国" : "·" + r.region_prefix;
  return s + "·" + r.effective_from + "起";
}

Result<std::optional<store::Row>> find_same_key(store::Conn& c, const StandardRow& r) {
  return c.query_one(std::string(kColumns) +
                         " WHERE s.status = 'active' AND s.item_code = ? AND s.category = ? AND s.cause = ? AND "
                         "s.grade = ? AND s.region_prefix = ? AND s.effective_from = ?",
                     {r.item_code, r.category, r.cause, r.grade, r.region_prefix, r.effective_from});
}

Status insert(store::Conn& tx, const Context& ctx, const StandardRow& r, std::optional<std::int64_t> replaces) {
  SY_TRY(tx.exec("INSERT INTO benefit_standards (id, item_code, category, cause, grade, region_prefix, unit, amount_fen, "
                 "effective_from, note, status, replaces_id, created_at, created_by) VALUES (?,?,?,?,?,?,?,?,?,?,'active',?,?,?)",
                 {r.id, r.item_code, r.category, r.cause, r.grade, r.region_prefix, r.unit, r.amount_fen,
                  r.effective_from, r.note, replaces, ctx.now(), ctx.actor.id_or_null()}));
  return ok_status();
}

nlohmann::json row_json(const StandardRow& r) {
  return {{"id", std::to_string(r.id)}, {"item", r.item_code}, {"category", r.category}, {"cause", r.cause},
          {"grade", r.grade}, {"region_prefix", r.region_prefix}, {"unit", r.unit}, {"amount_fen", r.amount_fen},
          {"effective_from", r.effective_from}};
}

Result<StandardView> load_view(store::Conn& c, std::int64_t id) {
  Catalog cat;
  SY_ASSIGN(cat.items, load_items(c));
  SY_ASSIGN(auto row, c.query_one(std::string(kColumns) + " WHERE s.id = ?", {id}));
  if (!row) return make_error("not_found", "待遇标准不存在");
  return view_of(c, cat, *row);
}

std::string amount_cell(Fen fen) {
  std::string s = format_yuan(fen);
  return s.ends_with(".00") ? s.substr(0, s.size() - 3) : s;
}

std::string cell_date(const io::Cell& cell) {
  if (cell.kind == io::CellKind::kDate) return std::string(cell.text.substr(0, 10));
  if (cell.kind == io::CellKind::kNumber) {
    auto d = excel_serial_date(cell.number);
    return d ? *d : std::string(cell.text);
  }
  return std::string(cell.text);
}

}  // namespace

std::string unit_name(std::string_view unit) {
  if (unit == "yearly") return "按年";
  if (unit == "monthly") return "按月";
  if (unit == "monthly_per_year_served") return "按服役年限每月";
  return std::string(unit);
}

const std::vector<std::string>& standards_headers() {
  static const std::vector<std::string> h = {"项目", "优抚类别", "伤残性质", "伤残等级", "计发方式",
                                             "标准(元)", "生效日期", "适用区划", "备注"};
  return h;
}

Result<std::vector<BenefitItem>> load_items(store::Conn& c) {
  SY_ASSIGN(store::Rows rows, c.query("SELECT code, name, categories, frequency, max_grade, funding, sort "
                                      "FROM benefit_items ORDER BY sort"));
  std::vector<BenefitItem> out;
  for (const auto& r : rows) {
    BenefitItem i{r.str(0), r.str(1), {}, r.str(3), static_cast<int>(r.i64(4)), r.str(5), static_cast<int>(r.i64(6))};
    for (auto& c2 : split(r.str(2), ','))
      if (!c2.empty()) i.categories.push_back(c2);
    out.push_back(std::move(i));
  }
  return out;
}

Result<std::vector<StandardRow>> load_active_standards(store::Conn& c) {
  SY_ASSIGN(store::Rows rows, c.query(std::string(kColumns) + " WHERE s.status = 'active' ORDER BY s.id"));
  std::vector<StandardRow> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(to_row(r));
  return out;
}

FundingSplit parse_funding(std::string_view text) {
  FundingSplit f;
  for (const auto& part : split(std::string(text), ',')) {
    auto colon = part.find(':');
    if (colon == std::string::npos) continue;
    std::string level = strip_spaces(part.substr(0, colon));
    int pct = 0;
    try {
      pct = std::stoi(part.substr(colon + 1));
    } catch (...) {
      continue;
    }
    if (level == "中央") f.central = pct;
    if (level == "省") f.province = pct;
    if (level == "市") f.city = pct;
    if (level == "县") f.county = pct;
  }
  return f;
}

std::string funding_text(const FundingSplit& f) {
  if (f.empty()) return "";
  return "中央:" + std::to_string(f.central) + ",省:" + std::to_string(f.province) + ",市:" + std::to_string(f.city) +
         ",县:" + std::to_string(f.county);
}

Status validate_funding(const FundingSplit& f) {
  for (auto [share, level, key] : {std::tuple{f.central, "中央", "funding.central"}, std::tuple{f.province, "省级", "funding.province"},
                                   std::tuple{f.city, "市级", "funding.city"}, std::tuple{f.county, "县级", "funding.county"}})
    if (share < 0 || share > 100)
      return make_error("invalid_funding", std::string(level) + "分担比例应在 0% 至 100% 之间", key);
  int sum = f.central + f.province + f.city + f.county;
  if (sum != 0 && sum != 100)
    return make_error("invalid_funding", "中央、省、市、县分担比例合计应为 100%，现为 " + std::to_string(sum) + "%", "funding");
  return ok_status();
}

std::vector<Fen> split_fen(Fen amount, const FundingSplit& f) {
  Fen central = amount * f.central / 100, province = amount * f.province / 100, city = amount * f.city / 100;
  return {central, province, city, amount - central - province - city};
}

Result<BenefitItem> set_item_funding(const Context& ctx, const std::string& item, const FundingSplit& f) {
  if (!ctx.actor.has("standards:manage")) return make_error("forbidden", "您的角色无权修改待遇项目的资金分担");
  SY_TRY(validate_funding(f));
  std::optional<BenefitItem> out;
  SY_TRY(audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    Catalog cat;
    SY_ASSIGN(cat.items, load_items(tx));
    const BenefitItem* bi = cat.find(item);
    if (!bi) return make_error("not_found", "待遇项目不存在");
    std::string text = funding_text(f);
    if (text == funding_text(parse_funding(bi->funding))) return make_error("unchanged", "资金分担比例没有变化");
    SY_TRY(tx.exec("UPDATE benefit_items SET funding = ? WHERE code = ?", {text, bi->code}));
    entry = audit::Entry{.action = "benefit_item.funding", .entity = "benefit_item", .entity_id = bi->code,
                         .before = nlohmann::json{{"funding", bi->funding}}, .after = nlohmann::json{{"funding", text}}};
    out = *bi;
    out->funding = text;
    return ok_status();
  }));
  return *out;
}

Result<std::vector<BenefitItem>> list_items(const Context& ctx) {
  if (!ctx.actor.has("business:read")) return make_error("forbidden", "您的角色无权查看待遇项目");
  std::vector<BenefitItem> out;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(out, load_items(c));
    return ok_status();
  }));
  return out;
}

Result<std::vector<StandardView>> list_standards(const Context& ctx, const StandardQuery& q) {
  if (!ctx.actor.has("business:read")) return make_error("forbidden", "您的角色无权查看待遇标准");
  std::vector<StandardView> out;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    Catalog cat;
    SY_ASSIGN(cat.items, load_items(c));
    std::string where = q.include_replaced ? " WHERE 1 = 1" : " WHERE s.status = 'active'";
    store::Params params;
    if (!q.item.empty()) {
      const BenefitItem* bi = cat.find(q.item);
      where += " AND s.item_code = ?";
      params.emplace_back(bi ? bi->code : q.item);
    }
    if (!q.category.empty()) {
      auto code = registry::parse_category(q.category);
      where += " AND s.category = ?";
      params.emplace_back(code ? *code : q.category);
    }
    SY_ASSIGN(store::Rows rows,
              c.query(std::string(kColumns) + " LEFT JOIN benefit_items bi ON bi.code = s.item_code" + where +
                          " ORDER BY bi.sort, s.category, s.cause, s.grade, s.effective_from, s.region_prefix, s.id",
                      params));
    for (const auto& r : rows) {
      SY_ASSIGN(StandardView v, view_of(c, cat, r));
      out.push_back(std::move(v));
    }
    return ok_status();
  }));
  return out;
}

Result<StandardView> create_standard(const Context& ctx, const StandardInput& in) {
  if (!ctx.actor.has("standards:manage")) return make_error("forbidden", "您的角色无权维护待遇标准");
  std::int64_t id = ctx.ids.next();
  std::optional<StandardView> out;
  SY_TRY(audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    Catalog cat;
    SY_ASSIGN(cat.items, load_items(tx));
    FieldError fe;
    SY_ASSIGN(StandardRow r, normalize(tx, cat, in, fe));
    r.id = id;
    SY_ASSIGN(auto same, find_same_key(tx, r));
    if (same)
      return make_error("standard_overlap",
                        "与已有标准重叠：" + key_text(cat, r) + "（已有标准 " + format_yuan(same->i64(7)) +
                            " 元）。如需更正，请对已有标准使用“更正”",
                        "effective_from");
    SY_TRY(insert(tx, ctx, r, std::nullopt));
    SY_ASSIGN(out, load_view(tx, id));
    entry = audit::Entry{.action = "standard.create", .entity = "benefit_standard", .entity_id = std::to_string(id),
                         .after = row_json(r)};
    return ok_status();
  }));
  return *out;
}

Result<StandardView> correct_standard(const Context& ctx, std::int64_t id, const StandardInput& in) {
  if (!ctx.actor.has("standards:manage")) return make_error("forbidden", "您的角色无权维护待遇标准");
  std::int64_t new_id = ctx.ids.next();
  std::optional<StandardView> out;
  SY_TRY(audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    Catalog cat;
    SY_ASSIGN(cat.items, load_items(tx));
    SY_ASSIGN(auto old, tx.query_one(std::string(kColumns) + " WHERE s.id = ?", {id}));
    if (!old) return make_error("not_found", "待遇标准不存在");
    if (old->str(10) != "active") return make_error("standard_replaced", "该标准已被更正，请对当前有效的标准操作");
    FieldError fe;
    SY_ASSIGN(StandardRow r, normalize(tx, cat, in, fe));
    r.id = new_id;
    StandardRow before = to_row(*old);
    if (r.item_code == before.item_code && r.category == before.category && r.cause == before.cause &&
        r.grade == before.grade && r.region_prefix == before.region_prefix && r.effective_from == before.effective_from &&
        r.unit == before.unit && r.amount_fen == before.amount_fen && r.note == before.note)
      return make_error("unchanged", "没有修改任何内容");
    SY_TRY(tx.exec("UPDATE benefit_standards SET status = 'replaced', replaced_at = ?, replaced_by = ? WHERE id = ? AND status = 'active'",
                   {ctx.now(), ctx.actor.id_or_null(), id}));
    SY_ASSIGN(auto same, find_same_key(tx, r));
    if (same)
      return make_error("standard_overlap", "与已有标准重叠：" + key_text(cat, r), "effective_from");
    SY_TRY(insert(tx, ctx, r, id));
    SY_ASSIGN(out, load_view(tx, new_id));
    entry = audit::Entry{.action = "standard.correct", .entity = "benefit_standard", .entity_id = std::to_string(new_id),
                         .before = row_json(before), .after = row_json(r)};
    return ok_status();
  }));
  return *out;
}

Result<StandardsImportReport> import_standards(const Context& ctx, std::string_view bytes, const std::string& file_name,
                                               bool dry_run) {
  if (!ctx.actor.has("standards:manage")) return make_error("forbidden", "您的角色无权维护待遇标准");
  io::ReadLimits limits;
  limits.max_file_bytes = 10 << 20;
  limits.max_rows = 20000;
  SY_ASSIGN(io::SheetData sheet, io::read_uploaded_sheet(bytes, file_name, limits));
  // The header row: the first of the first ten rows that names 项目 and a 标准 column.
  static const std::map<std::string, std::vector<std::string>> kSynonyms = {
      {"项目", {"项目", "待遇项目", "发放项目"}},
      {"优抚类别", {"优抚类别", "类别", "对象类别"}},
      {"伤残性质", {"伤残性质", "性质"}},
      {"伤残等级", {"伤残等级", "等级"}},
      {"计发方式", {"计发方式", "计发单位", "单位"}},
      {"标准(元)", {"标准(元)", "标准（元）", "标准", "金额(元)", "金额（元）", "金额"}},
      {"生效日期", {"生效日期", "执行日期", "起始日期"}},
      {"适用区划", {"适用区划", "区划", "适用范围"}},
      {"备注", {"备注", "说明"}},
  };
  std::map<std::string, size_t> col;
  size_t header_row = 0;
  for (size_t r = 0; r < sheet.rows.size() && r < 10 && !header_row; ++r) {
    std::map<std::string, size_t> found;
    for (size_t c = 0; c < sheet.rows[r].size(); ++c) {
      std::string h = strip_spaces(sheet.rows[r][c].text);
      for (const auto& [field, names] : kSynonyms)
        if (std::find(names.begin(), names.end(), h) != names.end() && !found.count(field)) found[field] = c;
    }
    if (found.count("项目") && found.count("标准(元)")) {
      col = found;
      header_row = r + 1;
    }
  }
  if (!header_row)
    return make_error("no_header", "找不到表头：应有“项目”“优抚类别”“计发方式”“标准(元)”“生效日期”等列（可下载模板对照）", "file");
  for (const char* need : {"优抚类别", "计发方式", "生效日期"})
    if (!col.count(need)) return make_error("missing_column", std::string("缺少“") + need + "”列", "file");

  StandardsImportReport report;
  report.dry_run = dry_run;
  auto cell = [&](const io::Row& row, const char* field) -> std::string {
    auto it = col.find(field);
    if (it == col.end()) return "";
    io::Cell c = row[it->second];
    if (std::string(field) == "生效日期") return cell_date(c);
    return std::string(c.text);
  };
  std::vector<StandardRow> to_create;
  Status st = audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    Catalog cat;
    SY_ASSIGN(cat.items, load_items(tx));
    std::map<std::string, int> seen;  // key → first sheet row
    for (size_t r = header_row; r < sheet.rows.size(); ++r) {
      const io::Row& row = sheet.rows[r];
      if (row.empty()) continue;
      int row_no = static_cast<int>(r + 1);
      StandardInput in{cell(row, "项目"), cell(row, "优抚类别"), cell(row, "伤残性质"), cell(row, "伤残等级"),
                       cell(row, "计发方式"), cell(row, "标准(元)"), cell(row, "生效日期"), cell(row, "适用区划"),
                       cell(row, "备注")};
      std::string first = strip_spaces(in.item);
      if (first.starts_with("合计") || first.starts_with("制表") || first.starts_with("审核") || first.starts_with("说明")) continue;
      ++report.rows;
      FieldError fe;
      auto n = normalize(tx, cat, in, fe);
      if (!n.ok()) {
        report.problems.push_back({row_no, fe.column, field_of_column(fe.column), fe.message});
        continue;
      }
      StandardRow s = *n;
      std::string key = key_text(cat, s);
      if (auto it = seen.find(key); it != seen.end()) {
        report.problems.push_back({row_no, "生效日期", "effective_from", "与本文件第" + std::to_string(it->second) + "行是同一标准（" + key + "）"});
        continue;
      }
      seen[key] = row_no;
      SY_ASSIGN(auto same, find_same_key(tx, s));
      if (same) {
        StandardRow old = to_row(*same);
        if (old.amount_fen == s.amount_fen && old.unit == s.unit) {
          ++report.unchanged;
          continue;
        }
        report.problems.push_back({row_no, "标准(元)", "amount",
                                   "与已有标准重叠：" + key + "已登记为 " + format_yuan(old.amount_fen) +
                                       " 元；如需更正，请在待遇标准页面对该标准使用“更正”"});
        continue;
      }
      s.id = ctx.ids.next();
      to_create.push_back(s);
    }
    report.rejected = static_cast<int>(report.problems.size());
    if (report.rejected > 0 || dry_run || to_create.empty()) {
      // Nothing is written when any row is wrong; a dry run says what would be created.
      report.created = report.rejected > 0 ? 0 : static_cast<int>(to_create.size());
      return make_error("standards_rollback", "");
    }
    for (const auto& s : to_create) SY_TRY(insert(tx, ctx, s, std::nullopt));
    report.created = static_cast<int>(to_create.size());
    entry = audit::Entry{.action = "standard.import", .entity = "benefit_standard", .entity_id = "",
                         .after = nlohmann::json{{"file", file_name}, {"rows", report.rows}, {"created", report.created},
                                                 {"unchanged", report.unchanged}}};
    return ok_status();
  });
  if (!st.ok() && st.error().code != "standards_rollback") return st.error();
  return report;
}

Result<std::string> export_standards(const Context& ctx, bool include_replaced) {
  SY_ASSIGN(auto views, list_standards(ctx, StandardQuery{.include_replaced = include_replaced}));
  io::Table t;
  t.sheet_name = "待遇标准";
  t.headers = standards_headers();
  if (include_replaced) t.headers.push_back("状态");
  for (const auto& v : views) {
    std::vector<std::string> cells = {v.item_name, v.category_name, v.cause_name, v.grade_name, v.unit_name,
                                      amount_cell(v.row.amount_fen), v.row.effective_from,
                                      v.row.region_prefix.empty() ? "全国" : v.row.region_prefix, v.row.note};
    if (include_replaced) cells.push_back(v.status == "active" ? "有效" : "已更正");
    t.rows.push_back(std::move(cells));
  }
  SY_TRY(audit::record_now(ctx, audit::Entry{.action = "standard.export", .entity = "benefit_standard",
                                              .detail = std::to_string(t.rows.size()) + " 行"}));
  return io::write_xlsx(t);
}

}  // namespace sy::payroll
