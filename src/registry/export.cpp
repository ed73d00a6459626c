#include "registry/export.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <fstream>
#include <sstream>

#include "audit/audit.h"
#include "core/id_number.h"
#include "io/xlsx_table.h"
#include "registry/categories.h"
#include "registry/import.h"

namespace sy::registry {
namespace {

std::vector<std::string> person_row(const Person& p, bool full) {
  const PersonCategory* c = p.categories.empty() ? nullptr : &p.categories.front();
  auto flag = [](bool v) { return std::string(v ? "是" : "否"); };
  return {p.name,
          full ? p.id_number : mask_id_number(p.id_number),
          p.gender == "male" ? "男" : "女",
          p.ethnicity,
          p.birth_date,
          c ? category_name(c->category) : "",
          c && c->disability_grade ? grade_name(*c->disability_grade) : "",
          c && c->disability_cause ? cause_name(*c->disability_cause) : "",
          p.region_name,
          full ? p.phone : mask_phone(p.phone),
          p.address,
          p.bank_name,
          full ? p.bank_account : mask_account(p.bank_account),
          c ? c->approved_on : "",
          p.enlisted_on,
          p.discharged_on,
          p.paid_through,
          flag(p.is_dibao),
          flag(p.is_tekun),
          flag(p.is_kongchao),
          p.note};
}

std::string csv_escape(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

Result<std::string> export_persons(const Context& ctx, PersonQuery query, ExportFormat format) {
  bool full = ctx.actor.has("sensitive:reveal");
  io::Table t{"优抚对象花名册", template_headers(), {}};
  query.page = PageRequest{1, 200};
  for (;;) {
    SY_ASSIGN(Page<Person> page, search_persons(ctx, query));
    for (const auto& p : page.items) t.rows.push_back(person_row(p, full));
    if (static_cast<std::int64_t>(query.page.page) * query.page.size >= page.total || page.items.empty()) break;
    ++query.page.page;
  }
  SY_TRY(audit::record_now(ctx, audit::Entry{.action = "person.export",
                                             .entity = "person",
                                             .region_code = ctx.actor.region_code,
                                             .after = nlohmann::json{{"rows", t.rows.size()}, {"full", full},
                                                                     {"q", query.q}, {"region", query.region_code},
                                                                     {"category", query.category}},
                                             .detail = "导出优抚对象 " + std::to_string(t.rows.size()) + " 人"}));
  if (format == ExportFormat::kXlsx) return io::write_xlsx(t);
  std::string out = "\xEF\xBB\xBF";  // BOM, so Excel opens UTF-8 correctly
  auto line = [&](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + csv_escape(cells[i]);
    out += "\r\n";
  };
  line(t.headers);
  for (const auto& r : t.rows) line(r);
  return out;
}

Result<std::string> import_template() {
  char path[] = "/tmp/shuangyong-template-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return make_error("export_failed", "无法创建模板文件");
  close(fd);
  lxw_workbook* wb = workbook_new(path);
  lxw_worksheet* ws = workbook_add_worksheet(wb, "优抚对象花名册");
  lxw_format* head = workbook_add_format(wb);
  format_set_bold(head);
  format_set_bg_color(head, 0xDDEBF7);
  lxw_format* text = workbook_add_format(wb);
  format_set_num_format(text, "@");
  const auto& headers = template_headers();
  std::vector<std::string> example = {"汪军", "11010519491231002X", "男", "汉族", "1949-12-31", "烈士遗属", "", "",
                                      "东泰社区", "13900000000", "繁城镇东泰社区1号", "中国邮政储蓄银行",
                                      "6217990000000000000", "2019-10-01", "", "", "", "否", "否", "否",
                                      "示例行，导入前请删除"};
  for (size_t c = 0; c < headers.size(); ++c) {
    worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), headers[c].c_str(), head);
    worksheet_write_string(ws, 1, static_cast<lxw_col_t>(c), example[c].c_str(), text);
    // Every column is text, so Excel never turns an ID number into a number.
    worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), c == 1 || c == 12 ? 22 : 12, text);
  }
  std::vector<std::string> cats;
  for (const auto& c : all_categories()) cats.push_back(c.name);
  std::vector<std::string> grades;
  for (int g = 1; g <= 10; ++g) grades.push_back(grade_name(g));
  std::vector<std::string> causes = {"因战", "因公", "因病"};
  std::vector<std::string> yes_no = {"是", "否"};
  // Lists live on a hidden sheet and validations refer to it: an inline list is limited to 255
  // characters (and libxlsxwriter mis-sizes inline lists of Chinese text).
  lxw_worksheet* lists = workbook_add_worksheet(wb, "字典");
  worksheet_hide(lists);
  int list_col = 0;
  auto dropdown = [&](int col, const std::vector<std::string>& values) {
    for (size_t i = 0; i < values.size(); ++i) {
      worksheet_write_string(lists, static_cast<lxw_row_t>(i), static_cast<lxw_col_t>(list_col), values[i].c_str(), nullptr);
    }
    char letter = static_cast<char>('A' + list_col);
    std::string formula = std::string("=字典!$") + letter + "$1:$" + letter + "$" + std::to_string(values.size());
    ++list_col;
    lxw_data_validation dv{};
    dv.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
    dv.value_formula = const_cast<char*>(formula.c_str());
    worksheet_data_validation_range(ws, 1, static_cast<lxw_col_t>(col), 100000, static_cast<lxw_col_t>(col), &dv);
  };
  dropdown(5, cats);
  dropdown(6, grades);
  dropdown(7, causes);
  dropdown(17, yes_no);
  dropdown(18, yes_no);
  dropdown(19, yes_no);
  worksheet_freeze_panes(ws, 1, 0);
  if (workbook_close(wb) != LXW_NO_ERROR) {
    unlink(path);
    return make_error("export_failed", "模板生成失败");
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  unlink(path);
  return ss.str();
}

}  // namespace sy::registry
