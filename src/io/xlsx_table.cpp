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

Result<std::string> write_xlsx(const Table& t) { return write_xlsx_sheets({t}); }

Result<std::string> write_xlsx_sheets(const std::vector<Table>& tables) {
  char path[] = "/tmp/shuangyong-xlsx-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return make_error("export_failed", "无法创建导出临时文件");
  close(fd);
  lxw_workbook* wb = workbook_new(path);
  if (!wb) {
    unlink(path);
    return make_error("export_failed", "无法创建导出文件");
  }
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  format_set_bg_color(bold, 0xDDEBF7);
  format_set_border(bold, LXW_BORDER_THIN);
  lxw_format* text = workbook_add_format(wb);
  format_set_num_format(text, "@");
  for (const Table& t : tables) {
    lxw_worksheet* ws = workbook_add_worksheet(wb, t.sheet_name.empty() ? nullptr : t.sheet_name.c_str());
    std::vector<double> widths(t.headers.size(), 8);
    for (size_t c = 0; c < t.headers.size(); ++c) {
      worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), t.headers[c].c_str(), bold);
      widths[c] = std::max(widths[c], display_width(t.headers[c]) + 2);
    }
    for (size_t r = 0; r < t.rows.size(); ++r) {
      for (size_t c = 0; c < t.rows[r].size() && c < t.headers.size(); ++c) {
        worksheet_write_string(ws, static_cast<lxw_row_t>(r + 1), static_cast<lxw_col_t>(c),
                               t.rows[r][c].c_str(), text);
        widths[c] = std::min(60.0, std::max(widths[c], display_width(t.rows[r][c]) + 2));
      }
    }
    for (size_t c = 0; c < widths.size(); ++c) {
      worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), widths[c], nullptr);
    }
    worksheet_freeze_panes(ws, 1, 0);
  }
  lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR) {
    unlink(path);
    return make_error("export_failed", std::string("导出文件写入失败：") + lxw_strerror(err));
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  unlink(path);
  return ss.str();
}

}  // namespace sy::io
