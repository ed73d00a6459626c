#include "core/text.h"
#include "io/csv_reader.h"

#include <unicode/ucnv.h>
#include <unicode/ustring.h>

#include <cstring>
#include <memory>
#include <string>

namespace sy::io {
namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

Error encoding_error() {
  return make_error(
      "csv_encoding",
      "无法识别文件编码，请在 Excel 或 WPS 中另存为 UTF-8 或 GB18030 编码的 CSV 后再导入");
}


Result<std::string> from_utf16(std::string_view b, bool big_endian) {
  if (b.size() % 2 != 0) return encoding_error();
  std::string out;
  out.reserve(b.size() * 3 / 2);
  auto unit = [&](size_t i) -> uint32_t {
    auto hi = static_cast<unsigned char>(b[i + (big_endian ? 0 : 1)]);
    auto lo = static_cast<unsigned char>(b[i + (big_endian ? 1 : 0)]);
    return (static_cast<uint32_t>(hi) << 8) | lo;
  };
  for (size_t i = 0; i < b.size(); i += 2) {
    uint32_t u = unit(i);
    if (u >= 0xD800 && u <= 0xDBFF) {
      if (i + 2 >= b.size()) return encoding_error();
      uint32_t v = unit(i + 2);
      if (v < 0xDC00 || v > 0xDFFF) return encoding_error();
      u = 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00);
      i += 2;
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
      return encoding_error();
    }
    append_utf8(out, u);
  }
  return out;
}

Result<std::string> from_gb18030(std::string_view b) {
  using Converter = std::unique_ptr<UConverter, void (*)(UConverter*)>;
  UErrorCode status = U_ZERO_ERROR;
  Converter from(ucnv_open("GB18030", &status), ucnv_close);
  Converter to(ucnv_open("UTF-8", &status), ucnv_close);
  if (U_FAILURE(status)) return encoding_error();
  ucnv_setToUCallBack(from.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  if (U_FAILURE(status)) return encoding_error();
  // UTF-8 is at most 1.5 times as long as GB18030; reserving that touches no memory yet.
  std::string out;
  out.reserve(b.size() + b.size() / 2 + 16);
  char chunk[64 << 10];
  UChar pivot[4096];
  UChar* pivot_source = pivot;
  UChar* pivot_target = pivot;
  const char* source = b.data();
  bool first = true;
  for (;;) {
    char* target = chunk;
    status = U_ZERO_ERROR;
    ucnv_convertEx(to.get(), from.get(), &target, chunk + sizeof chunk, &source,
                   b.data() + b.size(), pivot, &pivot_source, &pivot_target, pivot + 4096, first,
                   true, &status);
    first = false;
    out.append(chunk, static_cast<size_t>(target - chunk));
    if (status == U_BUFFER_OVERFLOW_ERROR) continue;
    if (U_FAILURE(status)) return encoding_error();
    return out;
  }
}

// UTF-16 without a BOM: ASCII text shows as every other byte zero.
int guess_utf16(std::string_view b) {
  size_t n = std::min<size_t>(b.size(), 4096) & ~size_t{1};
  if (n < 16) return 0;
  size_t zero_even = 0, zero_odd = 0;
  for (size_t i = 0; i < n; ++i) {
    if (b[i] == '\0') (i % 2 == 0 ? zero_even : zero_odd)++;
  }
  if (zero_odd * 4 >= n / 2 && zero_even * 8 <= zero_odd) return 1;   // little-endian
  if (zero_even * 4 >= n / 2 && zero_odd * 8 <= zero_even) return 2;  // big-endian
  return 0;
}

// The bytes as UTF-8: a view into the input when it already is UTF-8, else into `storage`.
Result<std::string_view> decode(std::string_view b, std::string& storage) {
  if (starts_with(b, "\xEF\xBB\xBF")) {
    b.remove_prefix(3);
    if (!valid_utf8(b)) return encoding_error();
    return b;
  }
  if (starts_with(b, "\xFF\xFE") || starts_with(b, "\xFE\xFF")) {
    SY_ASSIGN(storage, from_utf16(b.substr(2), b[0] == '\xFE'));
    return std::string_view(storage);
  }
  if (int g = guess_utf16(b)) {
    auto text = from_utf16(b, g == 2);
    if (text.ok()) {
      storage = std::move(text).value();
      return std::string_view(storage);
    }
  }
  if (valid_utf8(b)) return b;
  SY_ASSIGN(storage, from_gb18030(b));
  return std::string_view(storage);
}

std::string_view unwrap_excel_guard(std::string_view f) {
  if (f.size() >= 3 && f[0] == '=' && f[1] == '"' && f.back() == '"') {
    std::string_view inner = f.substr(2, f.size() - 3);
    if (inner.find('"') == std::string_view::npos) return inner;
  }
  return f;
}

// Line breaks inside a quoted field become LF, as in an xlsx cell.
void normalize_line_breaks(std::string& s) {
  if (s.find('\r') == std::string::npos) return;
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r') {
      out += '\n';
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    } else {
      out += s[i];
    }
  }
  s.swap(out);
}

char detect_delimiter(std::string_view t) {
  size_t commas = 0, tabs = 0;
  bool quoted = false;
  for (char c : t) {
    if (c == '"') {
      quoted = !quoted;
    } else if (!quoted) {
      if (c == '\n' || c == '\r') break;
      if (c == ',') ++commas;
      if (c == '\t') ++tabs;
    }
  }
  return commas == 0 && tabs > 0 ? '\t' : ',';
}

class Parser {
 public:
  Parser(std::string_view text, const ReadLimits& limits) : t_(text), limits_(limits) {}

  Status run(const RowSink& sink) {
    sink_ = &sink;
    char delim = detect_delimiter(t_);
    size_t i = 0;
    const size_t n = t_.size();
    size_t record = 1;
    size_t column = 0;
    std::string quoted;
    while (i < n) {
      std::string_view field;
      if (t_[i] == '"') {
        quoted.clear();
        ++i;
        for (;;) {
          size_t q = t_.find('"', i);
          if (q == std::string_view::npos) {
            return make_error("csv_unterminated_quote",
                              "第 " + std::to_string(record) + " 行有未闭合的引号，请检查该行");
          }
          quoted.append(t_.data() + i, q - i);
          i = q + 1;
          if (i < n && t_[i] == '"') {
            quoted += '"';
            ++i;
            continue;
          }
          break;
        }
        // Text after the closing quote, before the delimiter, is kept as written.
        size_t j = i;
        while (j < n && t_[j] != delim && t_[j] != '\n' && t_[j] != '\r') ++j;
        quoted.append(t_.data() + i, j - i);
        i = j;
        normalize_line_breaks(quoted);
        field = unwrap_excel_guard(quoted);
      } else {
        size_t j = i;
        while (j < n && t_[j] != delim && t_[j] != '\n' && t_[j] != '\r') ++j;
        field = unwrap_excel_guard(t_.substr(i, j - i));
        i = j;
      }
      if (!field.empty()) SY_TRY(add(record, column, field));
      ++column;
      if (i < n && t_[i] == delim) {
        ++i;
        if (i == n) break;  // a last field that is empty
        continue;
      }
      // End of record.
      SY_TRY(commit(record));
      if (i < n && t_[i] == '\r') {
        ++i;
        if (i < n && t_[i] == '\n') ++i;
      } else if (i < n && t_[i] == '\n') {
        ++i;
      }
      ++record;
      column = 0;
    }
    return commit(record);
  }

 private:
  Status add(size_t record, size_t column, std::string_view field) {
    if (column >= limits_.max_columns) {
      return make_error("too_many_columns", "第 " + std::to_string(record) + " 行的 " +
                                                column_name(column) + " 列超出列数上限（" +
                                                std::to_string(limits_.max_columns) + " 列）");
    }
    if (record > limits_.max_rows) {
      return make_error("too_many_rows", "文件超过行数上限（" + std::to_string(limits_.max_rows) +
                                             " 行），请拆分后分批导入");
    }
    if (++cells_ > limits_.max_cells) {
      return make_error("too_many_cells", "文件的数据单元格超过上限（" +
                                              std::to_string(limits_.max_cells) +
                                              " 个），请拆分后分批导入");
    }
    builder_.set(column, CellKind::kText, field);
    return ok_status();
  }

  Status commit(size_t record) {
    if (builder_.empty()) return ok_status();
    return (*sink_)(record, builder_.build());
  }

  std::string_view t_;
  const RowSink* sink_ = nullptr;
  const ReadLimits& limits_;
  RowBuilder builder_;
  size_t cells_ = 0;
};

}  // namespace

Status read_csv_rows(std::string_view bytes, const ReadLimits& limits, const RowSink& sink) {
  if (bytes.size() > limits.max_file_bytes) {
    return make_error("payload_too_large",
                      "文件大小超过上限（" + std::to_string(limits.max_file_bytes >> 20) + " MB）");
  }
  if (starts_with(bytes, "PK\x03\x04")) {
    return make_error("csv_not_text",
                      "文件是 Excel（.xlsx）工作簿，不是 CSV 文件，请按 .xlsx 导入");
  }
  if (starts_with(bytes, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) {
    return make_error(
        "csv_not_text",
        "文件是旧版 Excel（.xls）工作簿，不是 CSV 文件，请另存为 .xlsx 或 CSV 后再导入");
  }
  std::string storage;
  SY_ASSIGN(std::string_view text, decode(bytes, storage));
  if (std::memchr(text.data(), '\0', text.size()) != nullptr) {
    return make_error("csv_not_text", "文件不是文本格式的 CSV 文件");
  }
  Parser parser(text, limits);
  return parser.run(sink);
}

Result<SheetData> read_csv(std::string_view bytes, const ReadLimits& limits) {
  SheetData sheet;
  SY_TRY(read_csv_rows(bytes, limits, collect_rows(sheet)));
  sheet.rows.shrink_to_fit();
  return sheet;
}

}  // namespace sy::io
