#include "io/xlsx_table.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace sy::io {
namespace {

// Display width of UTF-8 text: CJK characters count two columns.
double display_width(const std::string& s) {
  double w = 0;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    w += len >= 3 ? 2 : 1;
    i += static_cast<size_t>(len);
  }
  return w;
}

}  // namespace

struct XlsxStream::Impl {
  char path[32] = "/tmp/shuangyong-xlsx-XXXXXX";
  lxw_workbook* wb = nullptr;
  lxw_format* bold = nullptr;
  lxw_format* text = nullptr;
  lxw_worksheet* ws = nullptr;
  std::vector<double> widths;
  lxw_row_t row = 0;
  bool failed = false;

  Impl() {
    int fd = mkstemp(path);
    if (fd < 0) {
      failed = true;
      path[0] = 0;
      return;
    }
    close(fd);
    lxw_workbook_options options{};
    options.constant_memory = LXW_TRUE;
    wb = workbook_new_opt(path, &options);
    if (!wb) {
      failed = true;
      return;
    }
    bold = workbook_add_format(wb);
    format_set_bold(bold);
    format_set_bg_color(bold, 0xDDEBF7);
    format_set_border(bold, LXW_BORDER_THIN);
    text = workbook_add_format(wb);
    format_set_num_format(text, "@");
  }
  ~Impl() {
    if (wb) {
      (void)workbook_close(wb);  // an unfinished workbook: closed only to free it
    }
    if (path[0]) unlink(path);
  }
  // The widths of the sheet just written (they live in the sheet's header, written at close).
  void end_sheet() {
    if (!ws) return;
    for (size_t c = 0; c < widths.size(); ++c)
      worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), widths[c], nullptr);
    worksheet_freeze_panes(ws, 1, 0);
    ws = nullptr;
  }
};

XlsxStream::XlsxStream() : impl_(std::make_unique<Impl>()) {}
XlsxStream::~XlsxStream() = default;

void XlsxStream::add_sheet(const std::string& name, const std::vector<std::string>& headers) {
  Impl& m = *impl_;
  if (m.failed) return;
  m.end_sheet();
  m.ws = workbook_add_worksheet(m.wb, name.empty() ? nullptr : name.c_str());
  if (!m.ws) {
    m.failed = true;
    return;
  }
  m.widths.assign(headers.size(), 8);
  for (size_t c = 0; c < headers.size(); ++c) {
    worksheet_write_string(m.ws, 0, static_cast<lxw_col_t>(c), headers[c].c_str(), m.bold);
    m.widths[c] = std::max(m.widths[c], display_width(headers[c]) + 2);
  }
  m.row = 0;
}

void XlsxStream::add_row(const std::vector<std::string>& cells) {
  Impl& m = *impl_;
  if (m.failed || !m.ws) return;
  ++m.row;
  for (size_t c = 0; c < cells.size() && c < m.widths.size(); ++c) {
    worksheet_write_string(m.ws, m.row, static_cast<lxw_col_t>(c), cells[c].c_str(), m.text);
    if (m.widths[c] < 60) m.widths[c] = std::min(60.0, std::max(m.widths[c], display_width(cells[c]) + 2));
  }
}

Result<std::string> XlsxStream::finish() {
  Impl& m = *impl_;
  if (m.failed) return make_error("export_failed", "无法创建导出文件");
  m.end_sheet();
  lxw_error err = workbook_close(m.wb);
  m.wb = nullptr;
  if (err != LXW_NO_ERROR) return make_error("export_failed", std::string("导出文件写入失败：") + lxw_strerror(err));
  std::ifstream in(m.path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result<std::string> write_xlsx(const Table& t) { return write_xlsx_sheets({t}); }

Result<std::string> write_xlsx_sheets(const std::vector<Table>& tables) {
  XlsxStream out;
  for (const Table& t : tables) {
    out.add_sheet(t.sheet_name, t.headers);
    for (const auto& row : t.rows) out.add_row(row);
  }
  return out.finish();
}

}  // namespace sy::io
