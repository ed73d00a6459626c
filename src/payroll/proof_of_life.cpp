#include "payroll/proof_of_life.h"

#include <map>

#include "audit/audit.h"
#include "core/civil_date.h"
#include "core/id_number.h"
#include "core/text.h"
#include "io/upload.h"
#include "payroll/rules.h"

namespace sy::payroll {
namespace {

// Persons who receive a periodic payment: an active category that a monthly item serves.
const char* kRecipients =
    " FROM persons p WHERE p.status IN ('active','suspended') AND p.region_code LIKE ? ESCAPE '\\' AND EXISTS "
    "(SELECT 1 FROM person_categories c JOIN benefit_items i ON i.frequency = 'monthly' AND "
    "(',' || i.categories || ',') LIKE ('%,' || c.category || ',%') WHERE c.person_id = p.id AND c.status = 'active')";

Status write_check(store::Conn& tx, const Context& ctx, const ProofOfLife& p) {
  SY_TRY(tx.exec("DELETE FROM proof_of_life WHERE person_id = ? AND year = ?", {p.person_id, p.year}));
  SY_TRY(tx.exec("INSERT INTO proof_of_life (person_id, year, verified_on, method, note, created_at, created_by) "
                 "VALUES (?,?,?,?,?,?,?)",
                 {p.person_id, p.year, p.verified_on, p.method, p.note, ctx.now(), ctx.actor.id_or_null()}));
  return ok_status();
}

}  // namespace

Status record_proof_of_life(const Context& ctx, const ProofOfLife& in) {
  if (!ctx.actor.has("business:write")) return make_error("forbidden", "您的角色无权登记生存认证");
  auto date = parse_loose_date(in.verified_on);
  if (!date) return make_error("invalid_date", "认证日期无法识别", "verified_on");
  ProofOfLife p = in;
  p.verified_on = *date;
  if (p.year == 0) p.year = std::stoi(date->substr(0, 4));
  if (p.year < 2000 || p.year > 2100) return make_error("invalid_year", "认证年度无效", "year");
  return audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    SY_ASSIGN(auto person, tx.query_one("SELECT region_code FROM persons WHERE id = ?", {p.person_id}));
    if (!person || !ctx.actor.in_scope(person->str(0)))
      return make_error("not_found", "优抚对象不存在或不在您的管辖范围内");
    SY_TRY(write_check(tx, ctx, p));
    entry = audit::Entry{.action = "proof_of_life.record", .entity = "person", .entity_id = std::to_string(p.person_id),
                         .region_code = person->str(0),
                         .after = nlohmann::json{{"year", p.year}, {"verified_on", p.verified_on}, {"method", p.method}}};
    return ok_status();
  });
}

Result<ProofImportReport> import_proof_of_life(const Context& ctx, std::string_view bytes, const std::string& file_name) {
  if (!ctx.actor.has("business:write")) return make_error("forbidden", "您的角色无权登记生存认证");
  io::ReadLimits limits;
  limits.max_file_bytes = 50 << 20;
  SY_ASSIGN(io::SheetData sheet, io::read_uploaded_sheet(bytes, file_name, limits));
  std::map<std::string, size_t> col;
  size_t header_row = 0;
  static const std::vector<std::pair<std::string, std::vector<std::string>>> kNames = {
      {"id", {"身份证号", "身份证号码", "公民身份号码"}}, {"date", {"认证日期", "认证时间", "日期"}},
      {"year", {"认证年度", "年度"}},                   {"method", {"认证方式", "方式"}},
      {"note", {"备注"}}};
  for (size_t r = 0; r < sheet.rows.size() && r < 10 && !header_row; ++r) {
    std::map<std::string, size_t> found;
    for (size_t c = 0; c < sheet.rows[r].size(); ++c) {
      std::string h = strip_spaces(sheet.rows[r][c].text);
      for (const auto& [f, names] : kNames)
        if (!found.count(f) && std::find(names.begin(), names.end(), h) != names.end()) found[f] = c;
    }
    if (found.count("id") && found.count("date")) {
      col = found;
      header_row = r + 1;
    }
  }
  if (!header_row) return make_error("no_header", "找不到表头：应有“身份证号”和“认证日期”列", "file");
  ProofImportReport report;
  Status st = audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    std::map<std::int64_t, int> seen;
    std::vector<ProofOfLife> checks;
    for (size_t r = header_row; r < sheet.rows.size(); ++r) {
      const io::Row& row = sheet.rows[r];
      if (row.empty()) continue;
      int row_no = static_cast<int>(r + 1);
      ++report.rows;
      auto text = [&](const char* f) { return col.count(f) ? strip_spaces(row[col.at(f)].text) : std::string(); };
      auto id = parse_id_number(text("id"), std::nullopt);
      if (!id.ok()) {
        report.problems.push_back({row_no, "身份证号", id.error().message});
        continue;
      }
      io::Cell dc = row[col.at("date")];
      std::string date_text = dc.kind == io::CellKind::kDate ? std::string(dc.text.substr(0, 10))
                              : dc.kind == io::CellKind::kNumber ? excel_serial_date(dc.number).value_or(std::string(dc.text))
                                                                  : strip_spaces(dc.text);
      auto date = parse_loose_date(date_text);
      if (!date) {
        report.problems.push_back({row_no, "认证日期", "无法识别的日期“" + date_text + "”"});
        continue;
      }
      int year = std::stoi(date->substr(0, 4));
      if (!text("year").empty()) {
        std::string y = text("year");
        if (y.ends_with("年")) y.resize(y.size() - 3);
        if (y.size() != 4 || !std::all_of(y.begin(), y.end(), ::isdigit)) {
          report.problems.push_back({row_no, "认证年度", "认证年度应为四位年份"});
          continue;
        }
        year = std::stoi(y);
      }
      SY_ASSIGN(auto person, tx.query_one("SELECT id, region_code FROM persons WHERE id_number = ?", {id->number}));
      if (!person || !ctx.actor.in_scope(person->str(1))) {
        report.problems.push_back({row_no, "身份证号", "优抚对象信息库中没有此人（或不在您的管辖范围内）"});
        continue;
      }
      if (auto it = seen.find(person->i64(0)); it != seen.end()) {
        report.problems.push_back({row_no, "身份证号", "与本文件第" + std::to_string(it->second) + "行是同一人"});
        continue;
      }
      seen[person->i64(0)] = row_no;
      checks.push_back({person->i64(0), year, *date, text("method"), text("note")});
    }
    report.rejected = static_cast<int>(report.problems.size());
    if (report.rejected > 0 || checks.empty()) return make_error("proof_rollback", "");
    for (const auto& c : checks) SY_TRY(write_check(tx, ctx, c));
    report.recorded = static_cast<int>(checks.size());
    entry = audit::Entry{.action = "proof_of_life.import", .entity = "person",
                         .after = nlohmann::json{{"file", file_name}, {"rows", report.rows}, {"recorded", report.recorded}}};
    return ok_status();
  });
  if (!st.ok() && st.error().code != "proof_rollback") return st.error();
  return report;
}

Result<ProofList> list_proof_of_life(const Context& ctx, const ProofQuery& q) {
  if (!ctx.actor.has("business:read")) return make_error("forbidden", "您的角色无权查看生存认证");
  ProofList out;
  out.page.page = q.page.page;
  out.page.size = q.page.size;
  int year = q.year ? q.year : std::stoi(std::string(format_date_shanghai(ctx.now())).substr(0, 4));
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(RulesSettings rules, load_rules(c));
    if (!rules.proof_of_life_deadline.empty()) out.deadline = std::to_string(year) + "-" + rules.proof_of_life_deadline;
    std::string like = store::like_prefix(ctx.actor.scope_prefix());
    SY_ASSIGN(std::int64_t total, c.query_int(std::string("SELECT count(*)") + kRecipients, {like}));
    SY_ASSIGN(out.checked, c.query_int(std::string("SELECT count(*)") + kRecipients +
                                           " AND EXISTS (SELECT 1 FROM proof_of_life f WHERE f.person_id = p.id AND f.year = ?)",
                                       {like, year}));
    out.missing = total - out.checked;
    std::string where = kRecipients;
    store::Params params = {year, like};
    if (q.only_missing) where += " AND f.person_id IS NULL";
    std::string from_join = " FROM persons p LEFT JOIN proof_of_life f ON f.person_id = p.id AND f.year = ? ";
    // kRecipients starts with " FROM persons p WHERE"; put the LEFT JOIN in front of its WHERE.
    std::string filter = where.substr(std::string(" FROM persons p").size());
    out.page.total = q.only_missing ? out.missing : total;
    params.emplace_back(q.page.size);
    params.emplace_back(q.page.offset());
    SY_ASSIGN(store::Rows rows,
              c.query("SELECT p.id, p.name, p.id_number, p.region_code, g.short_name, f.verified_on, f.method" + from_join +
                          "LEFT JOIN regions g ON g.code = p.region_code" + filter +
                          " ORDER BY p.region_code, p.name_sort, p.id LIMIT ? OFFSET ?",
                      params));
    std::string today = format_date_shanghai(ctx.now());
    for (const auto& r : rows) {
      ProofStatus s;
      s.person_id = r.i64(0);
      s.name = r.str(1);
      s.id_number = r.str(2);
      s.region_code = r.str(3);
      s.region_name = r.str(4);
      s.verified_on = r.str(5);
      s.method = r.str(6);
      s.overdue = s.verified_on.empty() && !out.deadline.empty() && today > out.deadline;
      out.page.items.push_back(std::move(s));
    }
    return ok_status();
  }));
  return out;
}

}  // namespace sy::payroll
