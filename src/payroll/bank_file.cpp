#include "payroll/bank_file.h"

#include <set>

#include "io/xlsx_table.h"

namespace sy::payroll {
namespace {

const std::set<std::string> kFields = {"seq", "name", "id_number", "account", "bank", "amount", "amount_fen", "remark", "month"};

nlohmann::json default_template() {
  return {{"name", ""},
          {"control_row", false},
          {"columns", nlohmann::json::array({{{"header", "序号"}, {"field", "seq"}},
                                             {{"header", "姓名"}, {"field", "name"}},
                                             {{"header", "身份证号"}, {"field", "id_number"}},
                                             {{"header", "银行账号"}, {"field", "account"}},
                                             {{"header", "开户行"}, {"field", "bank"}},
                                             {{"header", "金额(元)"}, {"field", "amount"}},
                                             {{"header", "备注"}, {"field", "remark"}}})}};
}

// Appends one CSV field, quoted when it holds a comma, a quote or a line break.
void append_csv_field(std::string& out, std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += s;
    return;
  }
  out += '"';
  for (char ch : s) {
    if (ch == '"') out += '"';
    out += ch;
  }
  out += '"';
}

}  // namespace

Status validate_bank_templates(const nlohmann::json& t) {
  if (!t.is_array()) return make_error("invalid_setting", "银行文件模板应为列表", "bank_templates");
  if (t.size() > 20) return make_error("invalid_setting", "银行文件模板最多 20 个", "bank_templates");
  std::set<std::string> names;
  for (const auto& one : t) {
    if (!one.is_object() || !one.contains("name") || !one["name"].is_string() || one["name"].get<std::string>().empty())
      return make_error("invalid_setting", "每个银行文件模板都要有名称", "bank_templates");
    std::string name = one["name"];
    if (name.size() > 60) return make_error("invalid_setting", "模板名称过长：" + name, "bank_templates");
    if (!names.insert(name).second) return make_error("invalid_setting", "模板名称重复：" + name, "bank_templates");
    if (one.contains("format")) {
      if (!one["format"].is_string()) return make_error("invalid_setting", "模板“" + name + "”的格式应为 xlsx 或 csv", "bank_templates");
      std::string f = one["format"];
      if (!f.empty() && f != "xlsx" && f != "csv")
        return make_error("invalid_setting", "模板“" + name + "”的格式应为 xlsx 或 csv", "bank_templates");
    }
    if (one.contains("control_row") && !one["control_row"].is_boolean())
      return make_error("invalid_setting", "模板“" + name + "”的合计行设置应为是或否", "bank_templates");
    if (!one.contains("columns") || !one["columns"].is_array() || one["columns"].empty() || one["columns"].size() > 20)
      return make_error("invalid_setting", "模板“" + name + "”应有 1 至 20 列", "bank_templates");
    for (const auto& c : one["columns"]) {
      if (!c.is_object() || !c.contains("header") || !c["header"].is_string() || c["header"].get<std::string>().empty() ||
          c["header"].get<std::string>().size() > 60)
        return make_error("invalid_setting", "模板“" + name + "”有一列缺少表头", "bank_templates");
      if (!c.contains("field") || !c["field"].is_string() || !kFields.count(c["field"].get<std::string>()))
        return make_error("invalid_setting",
                          "模板“" + name + "”的列“" + c["header"].get<std::string>() +
                              "”取值未知（可用：seq, name, id_number, account, bank, amount, amount_fen, remark, month）",
                          "bank_templates");
    }
  }
  return ok_status();
}

Result<std::unique_ptr<BankFileWriter>> BankFileWriter::open(const std::string& month, const std::string& format,
                                                            const nlohmann::json& templates,
                                                            const std::string& template_name) {
  nlohmann::json tpl = default_template();
  if (!template_name.empty()) {
    bool found = false;
    if (templates.is_array())
      for (const auto& t : templates)
        if (t.value("name", "") == template_name) {
          tpl = t;
          found = true;
        }
    if (!found) return make_error("unknown_template", "没有名为“" + template_name + "”的银行文件模板", "template");
  }
  std::string fmt = format;
  if (fmt.empty()) fmt = tpl.value("format", "");
  if (fmt.empty()) fmt = "xlsx";
  if (fmt != "xlsx" && fmt != "csv") return make_error("invalid_format", "银行文件格式应为 xlsx 或 csv", "format");

  std::unique_ptr<BankFileWriter> w(new BankFileWriter());
  w->month_ = month;
  w->format_ = fmt;
  w->control_row_ = tpl.value("control_row", false);
  for (const auto& c : tpl["columns"]) {
    w->headers_.push_back(c["header"]);
    w->fields_.push_back(c["field"]);
  }
  if (fmt == "xlsx") {
    w->xlsx_ = std::make_unique<io::XlsxStream>();
    w->xlsx_->add_sheet("代发明细", w->headers_);
  } else {
    w->csv_ = "\xEF\xBB\xBF";
    w->line(w->headers_);
  }
  return w;
}

void BankFileWriter::cells_of(const BankRow& r) {
  cells_.resize(fields_.size());
  for (size_t i = 0; i < fields_.size(); ++i) {
    const std::string& f = fields_[i];
    std::string& cell = cells_[i];
    if (f == "seq") cell = std::to_string(rows_);
    else if (f == "name") cell.assign(r.name);
    else if (f == "id_number") cell.assign(r.id_number);
    else if (f == "account") cell.assign(r.account);
    else if (f == "bank") cell.assign(r.bank);
    else if (f == "amount") cell = format_yuan(r.amount_fen);
    else if (f == "amount_fen") cell = std::to_string(r.amount_fen);
    else if (f == "remark") cell.assign(month_).append(" ").append(r.remark);
    else cell.assign(month_);
  }
}

void BankFileWriter::line(const std::vector<std::string>& cells) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i) csv_ += ',';
    append_csv_field(csv_, cells[i]);
  }
  csv_ += "\r\n";
}

void BankFileWriter::expect_rows(std::int64_t rows) {
  constexpr size_t kBytesPerCell = 24;  // the default columns average about 18
  if (!xlsx_ && rows > 0) csv_.reserve(csv_.size() + static_cast<size_t>(rows) * fields_.size() * kBytesPerCell);
}

void BankFileWriter::add(const BankRow& r) {
  ++rows_;
  total_ += r.amount_fen;
  cells_of(r);
  if (xlsx_)
    xlsx_->add_row(cells_);
  else
    line(cells_);
}

Result<RenderedBankFile> BankFileWriter::finish() {
  if (control_row_) {
    std::vector<std::string> control(fields_.size());
    control[0] = "合计";
    bool count_placed = false, total_placed = false;
    for (size_t i = 1; i < fields_.size(); ++i) {
      if (fields_[i] == "amount" || fields_[i] == "amount_fen") {
        control[i] = fields_[i] == "amount" ? format_yuan(total_) : std::to_string(total_);
        total_placed = true;
      } else if (!count_placed) {
        control[i] = "笔数：" + std::to_string(rows_);
        count_placed = true;
      }
    }
    if (!count_placed) control[0] = "合计 笔数：" + std::to_string(rows_);
    if (!total_placed) control.back() += (control.back().empty() ? "" : " ") + std::string("总金额：") + format_yuan(total_) + " 元";
    else if (fields_.back() == "remark") control.back() = "总金额：" + format_yuan(total_) + " 元";
    if (xlsx_)
      xlsx_->add_row(control);
    else
      line(control);
  }
  RenderedBankFile out;
  if (xlsx_) {
    // Banks read the data sheet as data rows only; the control totals travel on a sheet of their own.
    xlsx_->add_sheet("汇总", {"项目", "内容"});
    xlsx_->add_row({"发放月份", month_});
    xlsx_->add_row({"笔数", std::to_string(rows_)});
    xlsx_->add_row({"总金额(元)", format_yuan(total_)});
    SY_ASSIGN(out.bytes, xlsx_->finish());
    out.extension = "xlsx";
    out.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  } else {
    out.bytes = std::move(csv_);
    out.extension = "csv";
    out.content_type = "text/csv; charset=utf-8";
  }
  return out;
}

}  // namespace sy::payroll
