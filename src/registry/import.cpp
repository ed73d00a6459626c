#include "registry/import.h"

#include <map>
#include <optional>

#include "audit/audit.h"
#include "core/civil_date.h"
#include "core/region_code.h"
#include "io/csv_reader.h"
#include "io/xlsx_reader.h"
#include "io/xlsx_table.h"
#include "org/village_matcher.h"
#include "registry/person_store.h"

namespace sy::registry {
namespace {

// Field → headers rosters use for it (DOMAIN.md §9), compared after removing spaces and line
// breaks and folding full-width brackets.
const std::vector<std::pair<std::string, std::vector<std::string>>>& header_synonyms() {
  static const std::vector<std::pair<std::string, std::vector<std::string>>> kHeaders = {
      {"name", {"姓名", "优抚对象姓名"}},
      {"id_number", {"身份证号", "身份证号码", "公民身份号码", "证件号码"}},
      {"gender", {"性别"}},
      {"ethnicity", {"民族"}},
      {"birth_date", {"出生日期", "出生年月"}},
      {"category", {"优抚类别", "人员类别", "对象类别", "类别"}},
      {"disability_grade", {"伤残等级", "残疾等级"}},
      {"disability_cause", {"伤残性质", "残疾性质"}},
      {"village", {"所属村(社区)", "村(社区)", "所在村", "村居", "行政村", "所属村"}},
      {"phone", {"联系电话", "电话", "手机号", "联系方式", "手机号码"}},
      {"address", {"家庭住址", "住址", "现住址"}},
      {"bank_name", {"开户银行", "开户行"}},
      {"bank_account", {"银行账号", "银行卡号", "账号", "社保卡号"}},
      {"approved_on", {"批准日期", "批准时间", "享受待遇起始日期"}},
      {"enlisted_on", {"入伍时间", "入伍日期"}},
      {"discharged_on", {"退伍时间", "退役时间", "退伍日期"}},
      {"paid_through", {"已发放至", "发放至"}},
      {"status", {"状态", "人员状态"}},
      {"is_dibao", {"是否低保"}},
      {"is_tekun", {"是否特困"}},
      {"is_kongchao", {"是否空巢"}},
      {"relation", {"与军人关系", "关系"}},
      {"related_name", {"军人姓名", "烈士姓名"}},
      {"note", {"备注"}},
  };
  return kHeaders;
}

std::string fold_header(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    std::string_view rest = s.substr(i);
    if (rest.starts_with("\xE3\x80\x80")) {  // full-width space
      i += 2;
      continue;
    }
    if (rest.starts_with("（")) {
      out += '(';
      i += 2;
      continue;
    }
    if (rest.starts_with("）")) {
      out += ')';
      i += 2;
      continue;
    }
    out.push_back(static_cast<char>(c));
  }
  // A trailing "*" marks required columns in some templates.
  while (!out.empty() && out.back() == '*') out.pop_back();
  return out;
}

std::optional<std::string> field_of_header(std::string_view header) {
  std::string h = fold_header(header);
  if (h.empty()) return std::nullopt;
  for (const auto& [field, names] : header_synonyms()) {
    for (const auto& n : names) {
      if (h == n) return field;
    }
  }
  return std::nullopt;
}

bool is_footer(const io::Row& row) {
  for (size_t c = 0; c < row.size() && c < 4; ++c) {
    std::string t = fold_header(row[c].text);
    for (const char* w : {"合计", "总计", "制表人", "审核人", "填表人", "负责人", "制表日期", "填报人"}) {
      if (t.starts_with(w)) return true;
    }
  }
  return false;
}

// The verdict's column label for a field: the header as written in the file.
struct Columns {
  std::map<std::string, size_t> index;  // field → column
  std::vector<std::string> headers;     // column → header text
  std::string header_of(const std::string& field) const {
    auto it = index.find(field);
    if (it == index.end()) return field_label(field);
    return headers[it->second];
  }
};

std::string cell_text(const io::Cell& c) { return std::string(c.text); }

// A date column's cell as text parse_loose_date understands.
std::string date_cell(const io::Cell& c) {
  if (c.kind == io::CellKind::kDate) return std::string(c.text.substr(0, 10));
  if (c.kind == io::CellKind::kNumber) {
    auto d = excel_serial_date(c.number);
    return d ? *d : std::string(c.text);
  }
  return std::string(c.text);
}

Error file_error(const std::string& message) { return make_error("invalid_file", message, "file"); }

Result<io::SheetData> read_sheet(std::string_view bytes, const ImportOptions& o) {
  if (bytes.size() > o.limits.max_file_bytes) {
    return make_error("file_too_large", "文件过大（上限 " + std::to_string(o.limits.max_file_bytes >> 20) + " MB）", "file");
  }
  std::string name = o.file_name;
  for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  bool zip = bytes.starts_with("PK\x03\x04");
  bool ole = bytes.starts_with("\xD0\xCF\x11\xE0");
  if (ole) return file_error("这是旧版 Excel（.xls）或加密的文件，请在 Excel 或 WPS 中“另存为” .xlsx 后再导入");
  if (name.ends_with(".xlsx") && !zip) return file_error("文件扩展名是 .xlsx，但内容不是 Excel 文件");
  if (name.ends_with(".csv") && zip) return file_error("文件扩展名是 .csv，但内容是 Excel 文件，请改用 .xlsx 扩展名");
  if (!name.empty() && !name.ends_with(".xlsx") && !name.ends_with(".csv")) {
    return file_error("只能导入 .xlsx 或 .csv 文件");
  }
  if (zip) return io::read_xlsx_sheet(bytes, o.limits);
  return io::read_csv(bytes, o.limits);
}

}  // namespace

const std::vector<std::string>& template_headers() {
  static const std::vector<std::string> kHeaders = {
      "姓名", "身份证号", "性别", "民族", "出生日期", "优抚类别", "伤残等级", "伤残性质", "所属村（社区）",
      "联系电话", "家庭住址", "开户银行", "银行账号", "批准日期", "入伍时间", "退伍时间", "已发放至",
      "是否低保", "是否特困", "是否空巢", "备注"};
  return kHeaders;
}

Result<ImportReport> import_persons(const Context& ctx, std::string_view bytes, const ImportOptions& o) {
  if (!ctx.actor.has("business:write")) return make_error("forbidden", "您的角色无权导入优抚对象");
  SY_ASSIGN(io::SheetData sheet, read_sheet(bytes, o));

  // The header row: the first of the top 30 rows naming both 姓名 and an ID column.
  Columns cols;
  ImportReport report;
  report.dry_run = o.dry_run;
  for (size_t r = 0; r < sheet.rows.size() && r < 30 && !report.header_row; ++r) {
    std::map<std::string, size_t> index;
    for (size_t c = 0; c < sheet.rows[r].size(); ++c) {
      auto f = field_of_header(sheet.rows[r][c].text);
      if (f && !index.count(*f)) index[*f] = c;
    }
    if (index.count("name") && index.count("id_number")) {
      report.header_row = static_cast<int>(r + 1);
      cols.index = index;
      for (size_t c = 0; c < sheet.rows[r].size(); ++c) cols.headers.push_back(cell_text(sheet.rows[r][c]));
    }
  }
  if (!report.header_row) {
    return make_error("no_header", "找不到表头：前30行中没有同时包含“姓名”和“身份证号”的行", "file");
  }
  report.headers = cols.headers;

  // Where villages are matched: the given town, else the actor's own node.
  std::string area = ctx.actor.region_code;
  if (!o.town.empty()) {
    auto code = normalize_region_code(o.town);
    if (!code) return make_error("invalid_region", "乡镇区划代码格式不正确", "town");
    area = *code;
  }
  if (area.empty()) return make_error("town_required", "请指定导入到哪个乡镇（--town）", "town");
  if (!ctx.actor.in_scope(area)) return make_error("not_found", "区划不存在或不在您的管辖范围内", "town");

  auto get = [&](const io::Row& row, const char* field) -> std::optional<io::Cell> {
    auto it = cols.index.find(field);
    if (it == cols.index.end()) return std::nullopt;
    return row[it->second];
  };
  auto text_field = [&](const io::Row& row, const char* field) -> std::optional<std::string> {
    auto c = get(row, field);
    if (!c) return std::nullopt;
    return cell_text(*c);
  };
  auto date_field = [&](const io::Row& row, const char* field) -> std::optional<std::string> {
    auto c = get(row, field);
    if (!c) return std::nullopt;
    return date_cell(*c);
  };

  Status st = ctx.db.transact([&](store::Conn& tx) -> Status {
    SY_ASSIGN(org::VillageMatcher villages, org::VillageMatcher::load(tx, area));
    std::map<std::string, int> seen;  // id number → first row
    for (size_t r = static_cast<size_t>(report.header_row); r < sheet.rows.size(); ++r) {
      const io::Row& row = sheet.rows[r];
      if (row.empty()) continue;
      bool blank = true;
      for (size_t c = 0; c < row.size() && blank; ++c) {
        if (!fold_header(row[c].text).empty()) blank = false;
      }
      if (blank || is_footer(row)) continue;
      int row_number = static_cast<int>(r + 1);
      ++report.rows;
      RowVerdict v;
      v.row = row_number;
      auto reject = [&](const Error& e) {
        v.verdict = "rejected";
        v.code = e.code;
        v.message = e.message;
        std::string field = e.field == "region_code" ? "village" : e.field;
        v.column = field.empty() ? "" : cols.header_of(field);
        ++report.rejected;
        std::vector<std::string> cells;
        for (size_t c = 0; c < cols.headers.size(); ++c) cells.push_back(cell_text(row[c]));
        report.rejected_rows.push_back(std::move(cells));
      };

      PersonFields f;
      f.name = text_field(row, "name");
      auto id_cell = get(row, "id_number");
      if (id_cell && id_cell->kind == io::CellKind::kNumber) {
        std::string digits(id_cell->text);
        bool exact15 = digits.size() == 15 && digits.find_first_not_of("0123456789") == std::string::npos;
        if (!exact15) {
          reject(make_error("id_number_scientific",
                            "身份证号被 Excel 存成了数值（科学计数法），末几位已丢失，请把该列设为文本后重新录入",
                            "id_number"));
          report.verdicts.push_back(v);
          continue;
        }
      }
      f.id_number = id_cell ? std::optional<std::string>(cell_text(*id_cell)) : std::nullopt;
      f.ethnicity = text_field(row, "ethnicity");
      f.phone = text_field(row, "phone");
      f.address = text_field(row, "address");
      f.bank_name = text_field(row, "bank_name");
      f.bank_account = text_field(row, "bank_account");
      f.enlisted_on = date_field(row, "enlisted_on");
      f.discharged_on = date_field(row, "discharged_on");
      f.paid_through = date_field(row, "paid_through");
      f.relation = text_field(row, "relation");
      f.related_name = text_field(row, "related_name");
      f.note = text_field(row, "note");
      f.is_dibao = text_field(row, "is_dibao");
      f.is_tekun = text_field(row, "is_tekun");
      f.is_kongchao = text_field(row, "is_kongchao");
      // A paid-through month from a date cell: keep the month.
      if (f.paid_through && f.paid_through->size() == 10 && (*f.paid_through)[4] == '-') f.paid_through->resize(7);
      auto category = text_field(row, "category");
      if (category && !fold_header(*category).empty()) {
        f.category = CategoryFields{category, text_field(row, "disability_grade"), text_field(row, "disability_cause"),
                                    date_field(row, "approved_on")};
      }
      // Empty cells keep what is stored: drop them from the given fields.
      for (auto* opt : {&f.ethnicity, &f.phone, &f.address, &f.bank_name, &f.bank_account, &f.enlisted_on,
                        &f.discharged_on, &f.paid_through, &f.relation, &f.related_name, &f.note, &f.is_dibao,
                        &f.is_tekun, &f.is_kongchao}) {
        if (*opt && fold_header(**opt).empty()) opt->reset();
      }
      if (!f.name || fold_header(*f.name).empty()) {
        reject(make_error("name_required", "缺少姓名", "name"));
        report.verdicts.push_back(v);
        continue;
      }
      auto village_cell = text_field(row, "village");
      if (village_cell && !fold_header(*village_cell).empty()) {
        auto code = villages.match(*village_cell);
        if (!code.ok()) {
          reject(code.error());
          report.verdicts.push_back(v);
          continue;
        }
        f.region_code = *code;
      }
      auto normalized = normalize_person(f, ctx.now());
      if (!normalized.ok()) {
        reject(normalized.error());
        report.verdicts.push_back(v);
        continue;
      }
      NormalizedPerson& n = normalized.value();
      v.warnings = n.warnings;
      auto first = seen.find(n.person.id_number);
      if (first != seen.end()) {
        reject(make_error("duplicate_in_file", "与本文件第" + std::to_string(first->second) + "行身份证号重复",
                          "id_number"));
        report.verdicts.push_back(v);
        continue;
      }
      seen[n.person.id_number] = row_number;
      SY_ASSIGN(auto stored, load_person_by_id_number(tx, n.person.id_number));
      if (!stored) {
        if (!n.has("region_code")) {
          reject(make_error("village_required", "缺少所属村（社区）", "village"));
        } else if (!n.category) {
          reject(make_error("category_required", "缺少优抚类别", "category"));
        } else {
          SY_TRY(insert_person(tx, ctx, n, "import"));
          v.verdict = "created";
          ++report.created;
        }
        report.verdicts.push_back(v);
        continue;
      }
      if (!ctx.actor.in_scope(stored->region_code)) {
        reject(make_error("other_scope", "该身份证号已在您管辖范围以外登记，不能在此导入", "id_number"));
        report.verdicts.push_back(v);
        continue;
      }
      SY_ASSIGN(nlohmann::json changes, merge_person(tx, ctx, *stored, n, "import"));
      if (changes.empty()) {
        v.verdict = "unchanged";
        ++report.unchanged;
      } else {
        v.verdict = "updated";
        ++report.updated;
      }
      report.verdicts.push_back(v);
    }
    if (o.dry_run || report.created + report.updated == 0) {
      return make_error("import_rollback", "");  // nothing to keep: roll back
    }
    return audit::record(tx, ctx,
                         audit::Entry{.action = "person.import",
                                      .entity = "person",
                                      .region_code = area,
                                      .after = nlohmann::json{{"file", o.file_name}, {"rows", report.rows},
                                                              {"created", report.created}, {"updated", report.updated},
                                                              {"unchanged", report.unchanged},
                                                              {"rejected", report.rejected}},
                                      .detail = "导入花名册 " + o.file_name});
  });
  if (!st.ok() && st.error().code != "import_rollback") return st.error();
  return report;
}

Result<std::string> error_workbook(const ImportReport& report) {
  io::Table t{"错误行", report.headers, {}};
  t.headers.insert(t.headers.begin(), "原行号");
  t.headers.push_back("错误原因");
  size_t k = 0;
  for (const auto& v : report.verdicts) {
    if (v.verdict != "rejected") continue;
    std::vector<std::string> cells = k < report.rejected_rows.size() ? report.rejected_rows[k] : std::vector<std::string>{};
    ++k;
    cells.insert(cells.begin(), std::to_string(v.row));
    cells.resize(t.headers.size() - 1);
    cells.push_back((v.column.empty() ? "" : "【" + v.column + "】") + v.message);
    t.rows.push_back(std::move(cells));
  }
  return io::write_xlsx(t);
}

}  // namespace sy::registry
