#include "io/sheet.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "core/clock.h"

namespace sy::io {
namespace {

// Row layout: [u32 cell count][u32 total bytes][per cell: u32 payload end, u8 kind][payload].
// A number-carrying cell's payload is its 8-byte double followed by its text.
constexpr size_t kHeader = 8;
constexpr size_t kSlot = 5;

bool carries_number(CellKind k) {
  return k == CellKind::kNumber || k == CellKind::kDate || k == CellKind::kBool;
}

uint32_t load_u32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

void store_u32(char* p, uint32_t v) { std::memcpy(p, &v, sizeof v); }

}  // namespace

Row::Row(const Row& other) {
  if (other.data_) {
    uint32_t total = load_u32(other.data_.get() + 4);
    data_.reset(new char[total]);
    std::memcpy(data_.get(), other.data_.get(), total);
  }
}

Row& Row::operator=(const Row& other) {
  if (this != &other) {
    Row copy(other);
    data_ = std::move(copy.data_);
  }
  return *this;
}

size_t Row::size() const { return data_ ? load_u32(data_.get()) : 0; }

Cell Row::operator[](size_t column) const {
  size_t n = size();
  if (column >= n) return Cell{};
  const char* slots = data_.get() + kHeader;
  const char* payload = slots + n * kSlot;
  uint32_t begin = column == 0 ? 0 : load_u32(slots + (column - 1) * kSlot);
  uint32_t end = load_u32(slots + column * kSlot);
  Cell c;
  c.kind = static_cast<CellKind>(slots[column * kSlot + 4]);
  if (carries_number(c.kind)) {
    std::memcpy(&c.number, payload + begin, sizeof(double));
    begin += sizeof(double);
  }
  c.text = std::string_view(payload + begin, end - begin);
  return c;
}

void RowBuilder::set(size_t column, CellKind kind, std::string_view text, double number) {
  if (kind == CellKind::kEmpty) text = {};
  cells_.push_back(Pending{static_cast<uint32_t>(column), kind, static_cast<uint32_t>(text_.size()),
                           static_cast<uint32_t>(text.size()), number});
  text_.append(text);
  if (kind != CellKind::kEmpty) width_ = std::max(width_, column + 1);
}

void RowBuilder::clear() {
  cells_.clear();
  text_.clear();
  width_ = 0;
}

Row RowBuilder::build() {
  Row row;
  if (width_ == 0) {
    clear();
    return row;
  }
  // Cells usually arrive in column order; otherwise order them, later writes winning.
  bool ordered = true;
  for (size_t i = 1; i < cells_.size(); ++i) {
    if (cells_[i].column <= cells_[i - 1].column) ordered = false;
  }
  if (!ordered) {
    std::stable_sort(cells_.begin(), cells_.end(),
                     [](const Pending& a, const Pending& b) { return a.column < b.column; });
    std::vector<Pending> unique;
    unique.reserve(cells_.size());
    for (const Pending& p : cells_) {
      if (!unique.empty() && unique.back().column == p.column) {
        unique.back() = p;
      } else {
        unique.push_back(p);
      }
    }
    cells_.swap(unique);
    width_ = 0;
    for (const Pending& p : cells_) {
      if (p.kind != CellKind::kEmpty) width_ = p.column + 1;
    }
    if (width_ == 0) {
      clear();
      return row;
    }
  }
  size_t n = width_;
  size_t payload = 0;
  for (const Pending& p : cells_) {
    if (p.column >= n) break;
    payload += p.length + (carries_number(p.kind) ? sizeof(double) : 0);
  }
  size_t total = kHeader + n * kSlot + payload;
  row.data_.reset(new char[total]);
  char* base = row.data_.get();
  store_u32(base, static_cast<uint32_t>(n));
  store_u32(base + 4, static_cast<uint32_t>(total));
  char* slots = base + kHeader;
  char* out = slots + n * kSlot;
  uint32_t end = 0;
  size_t next = 0;
  for (size_t col = 0; col < n; ++col) {
    CellKind kind = CellKind::kEmpty;
    if (next < cells_.size() && cells_[next].column == col) {
      const Pending& p = cells_[next++];
      kind = p.kind;
      if (carries_number(kind)) {
        std::memcpy(out + end, &p.number, sizeof(double));
        end += sizeof(double);
      }
      if (kind != CellKind::kEmpty) {
        std::memcpy(out + end, text_.data() + p.offset, p.length);
        end += p.length;
      }
    }
    store_u32(slots + col * kSlot, end);
    slots[col * kSlot + 4] = static_cast<char>(kind);
  }
  clear();
  return row;
}

RowSink collect_rows(SheetData& sheet) {
  return [&sheet](size_t row_number, const Row& row) -> Status {
    auto& rows = sheet.rows;
    if (rows.size() < row_number) rows.resize(row_number);
    rows[row_number - 1] = row;
    return ok_status();
  };
}

Cell SheetData::at(size_t row_number, size_t column) const {
  if (row_number == 0 || row_number > rows.size()) return Cell{};
  return rows[row_number - 1][column];
}

std::string column_name(size_t column) {
  std::string s;
  size_t n = column + 1;
  while (n > 0) {
    size_t rem = (n - 1) % 26;
    s.insert(s.begin(), static_cast<char>('A' + rem));
    n = (n - 1) / 26;
  }
  return s;
}

std::string excel_serial_to_iso(double serial) {
  if (!(serial >= 0) || serial > 2958466.0) return number_text(serial);
  long long seconds = std::llround(serial * 86400.0);
  long long days = seconds / 86400;
  long long secs = seconds % 86400;
  char buf[40];
  std::string out;
  if (days > 0) {
    int y, m, d;
    if (days == 60) {
      y = 1900, m = 2, d = 29;
    } else {
      // Days since 1899-12-31 (serial 1 = 1900-01-01), skipping Excel's fictitious 1900-02-29.
      long long z = days < 60 ? days : days - 1;
      unsigned um = 0, ud = 0;
      civil_from_days(z - 25568, y, um, ud);  // 1899-12-31 is day -25568 from 1970-01-01
      m = static_cast<int>(um), d = static_cast<int>(ud);
    }
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    out = buf;
  }
  if (secs != 0 || days == 0) {
    std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", secs / 3600, secs / 60 % 60, secs % 60);
    if (!out.empty()) out += ' ';
    out += buf;
  }
  return out;
}

std::string number_text(double value) {
  char buf[64];
  if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 1e15) {
    auto r = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(value));
    return std::string(buf, r.ptr);
  }
  auto r = std::fabs(value) >= 1e15 && std::isfinite(value)
               ? std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific)
               : std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, r.ptr);
}

bool valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    // Fast path over ASCII, eight bytes at a time.
    while (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (w & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2, cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3, cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += len;
  }
  return true;
}

}  // namespace sy::io
