#include "core/clock.h"
#include "core/text.h"
#include "io/xlsx_reader.h"

#include <zip.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <memory>
#include <optional>
#include <pugixml.hpp>
#include <unordered_map>

namespace sy::io {
namespace {

constexpr size_t kRatioFloor = 1 << 20;        // ratios are checked once an entry passes 1 MB
constexpr size_t kChunk = 256 << 10;           // bytes inflated per read
constexpr size_t kMaxToken = 16 << 20;         // longest tag or text run the XML reader holds
constexpr size_t kMaxSmallPart = 64 << 20;     // workbook, relationships, styles: parsed as trees
constexpr double kLastSerial = 2958465.99999;  // 9999-12-31 23:59:59

const char kInvalid[] = "文件不是有效的 Excel（.xlsx）文件";

Error invalid(const std::string& detail = {}) {
  return make_error("xlsx_invalid", detail.empty() ? std::string(kInvalid)
                                                   : std::string(kInvalid) + "（" + detail + "）");
}

std::string mb(size_t bytes) { return std::to_string(bytes >> 20) + " MB"; }

std::string ratio_text(double r) { return number_text(std::floor(r)); }

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// The name after any namespace prefix ("x:row" → "row").
std::string_view local_name(std::string_view qname) {
  size_t colon = qname.find(':');
  return colon == std::string_view::npos ? qname : qname.substr(colon + 1);
}


// Appends XML character data with the predefined and numeric entities decoded and line ends
// normalised to LF, as an XML parser does. An unknown entity is kept as written.
void append_xml_text(std::string& out, std::string_view raw) {
  size_t i = 0;
  while (i < raw.size()) {
    size_t j = i;
    while (j < raw.size() && raw[j] != '&' && raw[j] != '\r') ++j;
    out.append(raw.data() + i, j - i);
    if (j >= raw.size()) break;
    if (raw[j] == '\r') {
      out += '\n';
      i = j + 1;
      if (i < raw.size() && raw[i] == '\n') ++i;
      continue;
    }
    size_t semi = raw.find(';', j);
    if (semi == std::string_view::npos || semi - j > 12) {
      out += '&';
      i = j + 1;
      continue;
    }
    std::string_view ent = raw.substr(j + 1, semi - j - 1);
    if (ent == "lt") {
      out += '<';
    } else if (ent == "gt") {
      out += '>';
    } else if (ent == "amp") {
      out += '&';
    } else if (ent == "quot") {
      out += '"';
    } else if (ent == "apos") {
      out += '\'';
    } else if (ent.size() >= 2 && ent[0] == '#') {
      uint32_t cp = 0;
      bool hex = ent[1] == 'x' || ent[1] == 'X';
      std::string_view digits = ent.substr(hex ? 2 : 1);
      auto r = std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
      if (digits.empty() || r.ec != std::errc() || r.ptr != digits.data() + digits.size()) {
        out.append(raw.data() + j, semi + 1 - j);
      } else {
        append_utf8(out, cp);
      }
    } else {
      out.append(raw.data() + j, semi + 1 - j);
    }
    i = semi + 1;
  }
}

// OOXML escapes characters XML cannot carry as _xHHHH_ (Excel writes a CR as _x000D_).
void decode_ooxml_escapes(std::string& s) {
  if (s.find("_x") == std::string::npos) return;
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    if (s[i] == '_' && i + 6 < s.size() && s[i + 1] == 'x' && s[i + 6] == '_') {
      uint32_t cp = 0;
      auto r = std::from_chars(s.data() + i + 2, s.data() + i + 6, cp, 16);
      if (r.ec == std::errc() && r.ptr == s.data() + i + 6) {
        append_utf8(out, cp);
        i += 7;
        continue;
      }
    }
    out += s[i++];
  }
  s.swap(out);
}

// Any "<!" that is not a comment or CDATA: a DOCTYPE, ENTITY, ELEMENT … declaration.
bool has_declaration(std::string_view xml) {
  size_t p = 0;
  while ((p = xml.find("<!", p)) != std::string_view::npos) {
    std::string_view rest = xml.substr(p);
    if (!starts_with(rest, "<!--") && !starts_with(rest, "<![CDATA[")) return true;
    p += 2;
  }
  return false;
}

Error doctype_error(const std::string& part) {
  return make_error("xml_doctype",
                    "文件中的 " + part + " 含有不允许的 XML 声明（DOCTYPE/ENTITY），已拒绝");
}

// ---------------------------------------------------------------------------------------------
// The zip archive, with the inflated byte budget shared by all entries read.

class Archive;

class EntryReader {
 public:
  EntryReader(Archive* archive, zip_file_t* file, std::string name, uint64_t declared,
              uint64_t compressed)
      : archive_(archive),
        file_(file),
        name_(std::move(name)),
        declared_(declared),
        compressed_(compressed) {}
  EntryReader(const EntryReader&) = delete;
  EntryReader& operator=(const EntryReader&) = delete;
  ~EntryReader() {
    if (file_) zip_fclose(file_);
  }
  // Inflates up to n bytes; 0 at the end of the entry.
  Result<size_t> read(char* out, size_t n);
  const std::string& name() const { return name_; }
  // The size the zip records (UINT64_MAX if it records none); reading never passes it.
  uint64_t declared() const { return declared_; }

 private:
  Archive* archive_;
  zip_file_t* file_;
  std::string name_;
  uint64_t declared_;
  uint64_t compressed_;
  uint64_t got_ = 0;
};

class Archive {
 public:
  Archive(zip_t* za, const ReadLimits& limits) : za_(za), limits_(limits) {}
  Archive(const Archive&) = delete;
  Archive& operator=(const Archive&) = delete;
  ~Archive() { zip_discard(za_); }

  // The entry's index, matching case-insensitively when no exact match exists.
  std::optional<zip_uint64_t> locate(const std::string& name) const {
    zip_int64_t i = zip_name_locate(za_, name.c_str(), 0);
    if (i < 0) i = zip_name_locate(za_, name.c_str(), ZIP_FL_NOCASE);
    if (i < 0) return std::nullopt;
    return static_cast<zip_uint64_t>(i);
  }
  bool has(const std::string& name) const { return locate(name).has_value(); }

  Result<std::unique_ptr<EntryReader>> open(const std::string& name) {
    auto index = locate(name);
    if (!index) return invalid("缺少 " + name);
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(za_, *index, 0, &st) != 0) return invalid("无法读取 " + name);
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
      return make_error("xlsx_encrypted",
                        "工作簿已加密，请在 Excel 或 WPS 中取消密码并另存为 .xlsx 后再导入");
    }
    uint64_t declared = (st.valid & ZIP_STAT_SIZE) ? st.size : UINT64_MAX;
    uint64_t compressed = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
    if (declared != UINT64_MAX) SY_TRY(check_budget(name, declared, compressed));
    zip_file_t* f = zip_fopen_index(za_, *index, 0);
    if (!f) return invalid("无法解压 " + name);
    return std::make_unique<EntryReader>(this, f, name, declared, compressed);
  }

  Result<std::string> read_all(const std::string& name) {
    SY_ASSIGN(auto entry, open(name));
    if (entry->declared() != UINT64_MAX && entry->declared() > kMaxSmallPart) {
      return invalid(name + " 过大");
    }
    std::string out;
    for (;;) {
      size_t old = out.size();
      out.resize(old + kChunk);
      SY_ASSIGN(size_t n, entry->read(out.data() + old, kChunk));
      out.resize(old + n);
      if (n == 0) break;
    }
    return out;
  }

  // Counts inflated bytes of one entry against the total budget and its compression ratio.
  Status count(const std::string& name, uint64_t entry_bytes, uint64_t compressed, size_t n) {
    inflated_ += n;
    if (inflated_ > limits_.max_uncompressed_bytes) return total_error();
    if (entry_bytes > kRatioFloor &&
        static_cast<double>(entry_bytes) >
            limits_.max_compression_ratio *
                static_cast<double>(std::max<uint64_t>(compressed, 1))) {
      return ratio_error(name);
    }
    return ok_status();
  }

 private:
  Status check_budget(const std::string& name, uint64_t declared, uint64_t compressed) {
    if (declared >
        limits_.max_uncompressed_bytes - std::min(inflated_, limits_.max_uncompressed_bytes)) {
      return total_error();
    }
    if (declared > kRatioFloor && static_cast<double>(declared) >
                                      limits_.max_compression_ratio *
                                          static_cast<double>(std::max<uint64_t>(compressed, 1))) {
      return ratio_error(name);
    }
    return ok_status();
  }
  Error total_error() const {
    return make_error("zip_bomb", "文件解压后超过 " + mb(limits_.max_uncompressed_bytes) +
                                      " 上限，疑似压缩炸弹，已拒绝");
  }
  Error ratio_error(const std::string& name) const {
    return make_error("zip_bomb", "文件中的 " + name + " 压缩比超过 " +
                                      ratio_text(limits_.max_compression_ratio) +
                                      " 倍，疑似压缩炸弹，已拒绝");
  }

  zip_t* za_;
  const ReadLimits& limits_;
  size_t inflated_ = 0;
};

Result<size_t> EntryReader::read(char* out, size_t n) {
  zip_int64_t got = zip_fread(file_, out, n);
  if (got < 0) return invalid(name_ + " 的压缩数据已损坏");
  size_t g = static_cast<size_t>(got);
  got_ += g;
  if (got_ > declared_) return invalid(name_ + " 的大小与压缩包记录不符");
  SY_TRY(archive_->count(name_, got_, compressed_, g));
  return g;
}

// ---------------------------------------------------------------------------------------------
// A pull reader for the two big parts (worksheets and shared strings): reads the entry in chunks
// and yields start tags, end tags and text, without building a tree. Refuses any declaration.

class XmlReader {
 public:
  enum Token { kStart, kEnd, kText, kEof };

  explicit XmlReader(EntryReader& in) : in_(in), buf_(kChunk, '\0') {}

  Result<Token> next() {
    if (pending_end_) {
      pending_end_ = false;
      return kEnd;
    }
    for (;;) {
      if (pos_ >= end_) {
        if (eof_ && depth_ > 0) return invalid(in_.name() + " 的 XML 不完整");
        if (eof_) return kEof;
        SY_TRY(fill());
        continue;
      }
      if (buf_[pos_] != '<') {
        size_t lt = data().find('<', pos_);
        if (lt == std::string_view::npos && !eof_) {
          SY_TRY(fill());
          continue;
        }
        if (lt == std::string_view::npos) lt = end_;
        text_ = data().substr(pos_, lt - pos_);
        pos_ = lt;
        return kText;
      }
      if (pos_ + 1 < end_ && buf_[pos_ + 1] != '?' && buf_[pos_ + 1] != '!') return read_tag();
      SY_ASSIGN(bool ready, ensure(9));
      std::string_view head = data().substr(pos_, ready ? 9 : end_ - pos_);
      if (starts_with(head, "<?")) {
        SY_TRY(skip_past("?>"));
        continue;
      }
      if (starts_with(head, "<!--")) {
        SY_TRY(skip_past("-->"));
        continue;
      }
      if (starts_with(head, "<![CDATA[")) {
        SY_ASSIGN(size_t end, find("]]>", 9));
        text_ = data().substr(pos_ + 9, end - 9);
        cdata_ = true;
        pos_ += end + 3;
        return kText;
      }
      if (starts_with(head, "<!")) return doctype_error(in_.name());
      return read_tag();
    }
  }

  std::string_view name() const { return name_; }
  // For kText: appends the decoded text.
  void append_text(std::string& out) {
    if (cdata_) {
      out.append(text_);
      cdata_ = false;
    } else {
      append_xml_text(out, text_);
    }
  }
  // For kStart: calls f(local name, raw value) for each attribute.
  template <typename F>
  void for_each_attr(F&& f) const {
    std::string_view a = attrs_;
    size_t i = 0;
    while (i < a.size()) {
      while (i < a.size() && is_space(a[i])) ++i;
      size_t name_begin = i;
      while (i < a.size() && a[i] != '=' && !is_space(a[i])) ++i;
      std::string_view name = a.substr(name_begin, i - name_begin);
      while (i < a.size() && is_space(a[i])) ++i;
      if (i >= a.size() || a[i] != '=') break;
      ++i;
      while (i < a.size() && is_space(a[i])) ++i;
      if (i >= a.size() || (a[i] != '"' && a[i] != '\'')) break;
      char q = a[i++];
      size_t value_begin = i;
      while (i < a.size() && a[i] != q) ++i;
      f(local_name(name), a.substr(value_begin, i - value_begin));
      ++i;
    }
  }

 private:
  static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

  // The buffered bytes; [pos_, end_) is still to be read.
  std::string_view data() const { return std::string_view(buf_.data(), end_); }

  // Moves the unread bytes to the front and reads more, growing the buffer only for a token
  // longer than a chunk. Views into the buffer are invalid afterwards.
  Status fill() {
    if (pos_ > 0) {
      std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
      end_ -= pos_;
      pos_ = 0;
    }
    if (buf_.size() - end_ < kChunk / 2) {
      if (buf_.size() >= kMaxToken) return invalid(in_.name() + " 中有异常长的内容");
      buf_.resize(buf_.size() * 2);
    }
    SY_ASSIGN(size_t n, in_.read(buf_.data() + end_, buf_.size() - end_));
    end_ += n;
    if (n == 0) eof_ = true;
    if (first_) {
      first_ = false;
      if (starts_with(data(), "\xEF\xBB\xBF")) pos_ = 3;
    }
    return ok_status();
  }

  // Whether n bytes from pos_ are buffered (false only at the end of the entry).
  Result<bool> ensure(size_t n) {
    while (end_ - pos_ < n) {
      if (eof_) return false;
      SY_TRY(fill());
    }
    return true;
  }

  // Offset from pos_ of `needle`, searching from pos_ + from; an error at the end of the entry.
  Result<size_t> find(std::string_view needle, size_t from) {
    for (;;) {
      size_t p = data().find(needle, pos_ + std::min(from, end_ - pos_));
      if (p != std::string_view::npos) return p - pos_;
      if (eof_) return invalid(in_.name() + " 的 XML 不完整");
      size_t searched = end_ - pos_;
      SY_TRY(fill());
      from = searched >= needle.size() ? searched - needle.size() + 1 : 0;
    }
  }

  Status skip_past(std::string_view end) {
    SY_ASSIGN(size_t p, find(end, 2));
    pos_ += p + end.size();
    return ok_status();
  }

  Result<Token> read_tag() {
    // i: offset from pos_ of the next byte to scan; a '>' inside a quoted value does not end it.
    size_t i = 1;
    for (;;) {
      const char* base = buf_.data() + pos_;
      size_t avail = end_ - pos_;
      size_t j = i;
      while (j < avail && base[j] != '>' && base[j] != '"' && base[j] != '\'') ++j;
      if (j < avail && base[j] == '>') {
        i = j;
        break;
      }
      if (j < avail) {
        const void* close = std::memchr(base + j + 1, base[j], avail - j - 1);
        if (close) {
          i = static_cast<size_t>(static_cast<const char*>(close) - base) + 1;
          continue;
        }
        i = j;  // rescan the quoted value once more bytes are in
      } else {
        i = j;
      }
      if (eof_) return invalid(in_.name() + " 的 XML 不完整");
      SY_TRY(fill());
    }
    std::string_view tag = data().substr(pos_ + 1, i - 1);
    pos_ += i + 1;
    bool closing = !tag.empty() && tag[0] == '/';
    if (closing) tag.remove_prefix(1);
    bool self_closing = !closing && !tag.empty() && tag.back() == '/';
    if (self_closing) tag.remove_suffix(1);
    size_t name_end = 0;
    while (name_end < tag.size() && !is_space(tag[name_end])) ++name_end;
    name_ = local_name(tag.substr(0, name_end));
    attrs_ = tag.substr(name_end);
    if (closing) {
      --depth_;
      return kEnd;
    }
    if (!self_closing) ++depth_;
    pending_end_ = self_closing;
    return kStart;
  }

  EntryReader& in_;
  std::string buf_;
  size_t pos_ = 0;
  size_t end_ = 0;
  bool eof_ = false;
  bool first_ = true;
  bool pending_end_ = false;
  bool cdata_ = false;
  long depth_ = 0;  // open elements
  std::string_view name_;
  std::string_view attrs_;
  std::string_view text_;
};

// ---------------------------------------------------------------------------------------------
// The small parts (relationships, workbook, styles) are read whole with pugixml.

Result<std::unique_ptr<pugi::xml_document>> load_xml(Archive& ar, const std::string& name) {
  SY_ASSIGN(std::string text, ar.read_all(name));
  if (has_declaration(text)) return doctype_error(name);
  auto doc = std::make_unique<pugi::xml_document>();
  pugi::xml_parse_result r =
      doc->load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_auto);
  if (!r) return invalid(name + " 的 XML 格式错误");
  return doc;
}

std::string_view local(const pugi::xml_node& n) { return local_name(n.name()); }
std::string_view local(const pugi::xml_attribute& a) { return local_name(a.name()); }

pugi::xml_node child(const pugi::xml_node& parent, std::string_view name) {
  for (pugi::xml_node c : parent.children()) {
    if (local(c) == name) return c;
  }
  return {};
}

const char* attr(const pugi::xml_node& n, std::string_view name) {
  for (pugi::xml_attribute a : n.attributes()) {
    if (local(a) == name) return a.value();
  }
  return "";
}

// "xl/" for "xl/workbook.xml".
std::string dir_of(const std::string& part) {
  size_t slash = part.rfind('/');
  return slash == std::string::npos ? std::string() : part.substr(0, slash + 1);
}

// A relationship target resolved against the folder of the part that holds it.
std::string resolve(const std::string& base_dir, std::string_view target) {
  std::string joined =
      starts_with(target, "/") ? std::string(target.substr(1)) : base_dir + std::string(target);
  std::vector<std::string> parts;
  size_t i = 0;
  while (i <= joined.size()) {
    size_t slash = joined.find('/', i);
    if (slash == std::string::npos) slash = joined.size();
    std::string seg = joined.substr(i, slash - i);
    if (seg == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!seg.empty() && seg != ".") {
      parts.push_back(seg);
    }
    i = slash + 1;
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

struct Relationship {
  std::string id;
  std::string type;  // the last segment of the type URI: "worksheet", "styles", …
  std::string target;
};

// The relationships of `part` ("xl/workbook.xml" → "xl/_rels/workbook.xml.rels"); none if absent.
Result<std::vector<Relationship>> read_rels(Archive& ar, const std::string& part) {
  std::string dir = dir_of(part);
  std::string rels = dir + "_rels/" + part.substr(dir.size()) + ".rels";
  std::vector<Relationship> out;
  if (!ar.has(rels)) return out;
  SY_ASSIGN(auto doc, load_xml(ar, rels));
  for (pugi::xml_node r : doc->document_element().children()) {
    if (local(r) != "Relationship") continue;
    if (std::string_view(attr(r, "TargetMode")) == "External") continue;
    std::string_view type = attr(r, "Type");
    size_t slash = type.rfind('/');
    out.push_back(Relationship{
        attr(r, "Id"), std::string(slash == std::string_view::npos ? type : type.substr(slash + 1)),
        resolve(dir, attr(r, "Target"))});
  }
  return out;
}

struct SheetRef {
  std::string name;
  std::string path;
  bool hidden = false;
};

struct Workbook {
  std::vector<SheetRef> sheets;
  std::string shared_strings;  // part path, empty if none
  std::string styles;
  bool date1904 = false;
};

Error not_a_workbook(Archive& ar) {
  if (ar.has("word/document.xml")) {
    return make_error("xlsx_invalid", "文件是 Word 文档（.docx），不是 Excel（.xlsx）工作簿");
  }
  if (ar.has("ppt/presentation.xml")) {
    return make_error("xlsx_invalid", "文件是 PowerPoint 演示文稿，不是 Excel（.xlsx）工作簿");
  }
  if (ar.has("content.xml") && ar.has("mimetype")) {
    return make_error(
        "xlsx_invalid",
        "文件是 OpenDocument 表格（.ods），请在 WPS 或 Excel 中另存为 .xlsx 后再导入");
  }
  return invalid("缺少 workbook.xml");
}

Result<Workbook> read_workbook(Archive& ar) {
  std::string main_part;
  if (ar.has("_rels/.rels")) {
    SY_ASSIGN(auto root_rels, read_rels(ar, ""));
    for (const auto& r : root_rels) {
      if (r.type == "officeDocument") main_part = r.target;
    }
  }
  if (main_part.empty() || !ar.has(main_part)) main_part = "xl/workbook.xml";
  if (!ar.has(main_part)) return not_a_workbook(ar);
  SY_ASSIGN(auto doc, load_xml(ar, main_part));
  pugi::xml_node wb = doc->document_element();
  if (local(wb) != "workbook") return invalid("workbook.xml 的内容不是工作簿");
  SY_ASSIGN(auto rels, read_rels(ar, main_part));
  Workbook out;
  std::string_view d1904 = attr(child(wb, "workbookPr"), "date1904");
  out.date1904 = d1904 == "1" || d1904 == "true";
  for (const auto& r : rels) {
    if (r.type == "sharedStrings") out.shared_strings = r.target;
    if (r.type == "styles") out.styles = r.target;
  }
  std::string dir = dir_of(main_part);
  if (out.shared_strings.empty() && ar.has(dir + "sharedStrings.xml")) {
    out.shared_strings = dir + "sharedStrings.xml";
  }
  if (out.styles.empty() && ar.has(dir + "styles.xml")) out.styles = dir + "styles.xml";
  size_t position = 0;
  for (pugi::xml_node s : child(wb, "sheets").children()) {
    if (local(s) != "sheet") continue;
    ++position;
    std::string id = attr(s, "id");
    std::string path;
    bool worksheet = true;
    for (const auto& r : rels) {
      if (r.id == id) {
        path = r.target;
        worksheet = r.type == "worksheet";
      }
    }
    if (!worksheet) continue;
    if (path.empty()) path = dir + "worksheets/sheet" + std::to_string(position) + ".xml";
    std::string name = attr(s, "name");
    if (!valid_utf8(name)) return invalid("工作表名称不是有效的文本");
    std::string_view state = attr(s, "state");
    out.sheets.push_back(SheetRef{name, path, state == "hidden" || state == "veryHidden"});
  }
  if (out.sheets.empty()) return make_error("xlsx_no_sheets", "工作簿中没有工作表");
  return out;
}

// ---------------------------------------------------------------------------------------------
// Styles: which cell formats (cellXfs indexes) show numbers as dates or times.

bool builtin_date_format(int id) {
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
         (id >= 50 && id <= 58);
}

bool custom_date_format(std::string_view code) {
  for (size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    switch (c) {
      case ';':
        return false;  // only the first (positive numbers) section decides
      case '"': {
        size_t end = code.find('"', i + 1);
        if (end == std::string_view::npos) return false;
        i = end;
        break;
      }
      case '[': {
        size_t end = code.find(']', i + 1);
        if (end == std::string_view::npos) return false;
        i = end;
        break;
      }
      case '\\':
      case '_':
      case '*':
        ++i;
        break;
      case 'y':
      case 'Y':
      case 'm':
      case 'M':
      case 'd':
      case 'D':
      case 'h':
      case 'H':
      case 's':
      case 'S':
        return true;
      default:
        break;
    }
  }
  return false;
}

Result<std::vector<bool>> read_date_styles(Archive& ar, const std::string& path) {
  std::vector<bool> out;
  if (path.empty() || !ar.has(path)) return out;
  SY_ASSIGN(auto doc, load_xml(ar, path));
  pugi::xml_node root = doc->document_element();
  std::unordered_map<int, bool> custom;  // a numFmt may also redefine a built-in id
  for (pugi::xml_node f : child(root, "numFmts").children()) {
    if (local(f) != "numFmt") continue;
    custom[std::atoi(attr(f, "numFmtId"))] = custom_date_format(attr(f, "formatCode"));
  }
  for (pugi::xml_node xf : child(root, "cellXfs").children()) {
    if (local(xf) != "xf") continue;
    int id = std::atoi(attr(xf, "numFmtId"));
    auto it = custom.find(id);
    out.push_back(it != custom.end() ? it->second : builtin_date_format(id));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Shared strings, packed into one arena.

struct SharedStrings {
  std::string arena;
  std::vector<uint32_t> ends;
  std::optional<std::string_view> get(size_t i) const {
    if (i >= ends.size()) return std::nullopt;
    uint32_t begin = i == 0 ? 0 : ends[i - 1];
    return std::string_view(arena).substr(begin, ends[i] - begin);
  }
};

// At most max_strings strings (each one is there for at least one cell).
Result<SharedStrings> read_shared_strings(Archive& ar, const std::string& path,
                                          size_t max_strings) {
  SharedStrings out;
  if (path.empty() || !ar.has(path)) return out;
  SY_ASSIGN(auto entry, ar.open(path));
  // The text is shorter than its XML: reserving that (address space; untouched pages cost nothing)
  // spares the copies of a growing arena.
  out.arena.reserve(std::min<uint64_t>(entry->declared(), UINT32_MAX));
  XmlReader xml(*entry);
  std::string cur;
  bool in_si = false;
  bool in_t = false;
  int phonetic = 0;
  for (;;) {
    SY_ASSIGN(XmlReader::Token tok, xml.next());
    if (tok == XmlReader::kEof) break;
    if (tok == XmlReader::kText) {
      if (in_t) xml.append_text(cur);
      continue;
    }
    std::string_view name = xml.name();
    if (tok == XmlReader::kStart) {
      if (name == "si") {
        in_si = true;
        cur.clear();
      } else if (name == "rPh") {
        ++phonetic;
      } else if (name == "t" && in_si && phonetic == 0) {
        in_t = true;
      }
    } else {
      if (name == "t") {
        in_t = false;
      } else if (name == "rPh") {
        --phonetic;
      } else if (name == "si") {
        in_si = false;
        decode_ooxml_escapes(cur);
        if (!valid_utf8(cur)) return invalid(path + " 含有无效的 UTF-8 文本");
        if (out.arena.size() + cur.size() > UINT32_MAX || out.ends.size() >= max_strings) {
          return invalid(path + " 过大");
        }
        out.arena += cur;
        out.ends.push_back(static_cast<uint32_t>(out.arena.size()));
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Worksheets.

struct Context {
  const ReadLimits& limits;
  const SharedStrings& strings;
  const std::vector<bool>& date_styles;
  bool date1904 = false;
  size_t cells = 0;  // non-empty cells read so far, all sheets
};

template <typename T>
bool parse_uint(std::string_view s, T& out) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size() && !s.empty();
}

// The 0-based column of a reference like "AB12"; nullopt if it is not one.
std::optional<size_t> ref_column(std::string_view ref) {
  size_t col = 0;
  size_t i = 0;
  while (i < ref.size() && i < 4) {
    char c = ref[i];
    if (c >= 'A' && c <= 'Z') {
      col = col * 26 + static_cast<size_t>(c - 'A' + 1);
    } else if (c >= 'a' && c <= 'z') {
      col = col * 26 + static_cast<size_t>(c - 'a' + 1);
    } else {
      break;
    }
    ++i;
  }
  if (i == 0 || i == 4) return std::nullopt;
  return col - 1;
}

bool parse_double(std::string_view s, double& out) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\t'))
    s.remove_suffix(1);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return !s.empty() && r.ec == std::errc() && r.ptr == s.data() + s.size() && std::isfinite(out);
}

// The 1900 serial of an ISO 8601 date or date-time ("2016-03-15", "2016-03-15T08:30:00").
std::optional<double> iso_to_serial(std::string_view s) {
  unsigned y = 0, m = 0, d = 0, hh = 0, mi = 0, ss = 0;
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  if (!parse_uint(s.substr(0, 4), y) || !parse_uint(s.substr(5, 2), m) ||
      !parse_uint(s.substr(8, 2), d) || m < 1 || m > 12 || d < 1 || d > 31) {
    return std::nullopt;
  }
  if (s.size() >= 19 && s[10] == 'T') {
    if (!parse_uint(s.substr(11, 2), hh) || !parse_uint(s.substr(14, 2), mi) ||
        !parse_uint(s.substr(17, 2), ss)) {
      return std::nullopt;
    }
  }
  long long days = days_from_civil(y, m, d) - days_from_civil(1899, 12, 30);
  if (days < 61) return std::nullopt;  // before 1900-03-01, where Excel's calendar is off by one
  return static_cast<double>(days) + (hh * 3600 + mi * 60 + ss) / 86400.0;
}

class SheetParser {
 public:
  SheetParser(Context& ctx, const SheetRef& ref) : ctx_(ctx), ref_(ref) {}

  Status parse(EntryReader& entry, const RowSink& sink) {
    sink_ = &sink;
    XmlReader xml(entry);
    bool in_data = false;
    enum { kNone, kValue, kInline } collect = kNone;
    bool in_is = false;
    int phonetic = 0;
    for (;;) {
      SY_ASSIGN(XmlReader::Token tok, xml.next());
      if (tok == XmlReader::kEof) break;
      if (tok == XmlReader::kText) {
        if (collect == kValue) xml.append_text(value_);
        if (collect == kInline) xml.append_text(inline_);
        continue;
      }
      std::string_view name = xml.name();
      if (!in_data) {
        if (tok == XmlReader::kStart && name == "sheetData") in_data = true;
        continue;
      }
      if (tok == XmlReader::kStart) {
        if (name == "c") {
          start_cell(xml);
        } else if (name == "v" && in_cell_) {
          collect = kValue;
        } else if (name == "is" && in_cell_) {
          in_is = true;
        } else if (name == "rPh") {
          ++phonetic;
        } else if (name == "t" && in_is && phonetic == 0) {
          collect = kInline;
        } else if (name == "row") {
          SY_TRY(start_row(xml));
        }
      } else {
        if (name == "v" || name == "t") {
          collect = kNone;
        } else if (name == "rPh") {
          --phonetic;
        } else if (name == "is") {
          in_is = false;
        } else if (name == "c") {
          SY_TRY(end_cell());
        } else if (name == "row") {
          SY_TRY(commit(row_number_));
        } else if (name == "sheetData") {
          break;  // the rest (merged cells, print settings) carries no values
        }
      }
    }
    return commit(row_number_);
  }

 private:
  Status start_row(const XmlReader& xml) {
    if (!builder_.empty()) SY_TRY(commit(row_number_));
    builder_.clear();
    size_t r = 0;
    xml.for_each_attr([&](std::string_view n, std::string_view v) {
      if (n == "r") parse_uint(v, r);
    });
    row_number_ = r > 0 ? r : row_number_ + 1;
    next_column_ = 0;
    return ok_status();
  }

  Status commit(size_t row_number) {
    if (builder_.empty()) {
      builder_.clear();
      return ok_status();
    }
    if (row_number > ctx_.limits.max_rows) {
      return make_error("too_many_rows", "工作表「" + ref_.name + "」超过行数上限（" +
                                             std::to_string(ctx_.limits.max_rows) +
                                             " 行），请拆分后分批导入");
    }
    return (*sink_)(row_number, builder_.build());
  }

  void start_cell(const XmlReader& xml) {
    in_cell_ = true;
    value_.clear();
    inline_.clear();
    type_ = Type::kNumber;
    style_ = 0;
    std::optional<size_t> col;
    xml.for_each_attr([&](std::string_view n, std::string_view v) {
      if (n == "r") {
        col = ref_column(v);
      } else if (n == "t") {
        type_ = v == "s"           ? Type::kShared
                : v == "inlineStr" ? Type::kInline
                : v == "str"       ? Type::kFormulaText
                : v == "b"         ? Type::kBool
                : v == "e"         ? Type::kError
                : v == "d"         ? Type::kIsoDate
                                   : Type::kNumber;
      } else if (n == "s") {
        parse_uint(v, style_);
      }
    });
    column_ = col ? *col : next_column_;
    next_column_ = column_ + 1;
  }

  Status end_cell() {
    in_cell_ = false;
    CellKind kind = CellKind::kEmpty;
    double number = 0;
    std::string_view text;
    if (type_ == Type::kShared) {
      size_t index = 0;
      if (!value_.empty()) {
        if (!parse_uint(value_, index)) return invalid("共享字符串编号无效");
        auto s = ctx_.strings.get(index);
        if (!s) return invalid("共享字符串编号超出范围");
        text = *s;
        kind = CellKind::kText;
      }
    } else if (type_ == Type::kInline) {
      std::string& s = inline_.empty() ? value_ : inline_;
      decode_ooxml_escapes(s);
      if (!valid_utf8(s)) return invalid("单元格含有无效的 UTF-8 文本");
      text = s;
      kind = CellKind::kText;
    } else if (type_ == Type::kFormulaText) {
      decode_ooxml_escapes(value_);
      if (!valid_utf8(value_)) return invalid("单元格含有无效的 UTF-8 文本");
      text = value_;
      kind = CellKind::kText;
    } else if (type_ == Type::kBool) {
      if (!value_.empty()) {
        bool t = value_ == "1" || value_ == "true";
        kind = CellKind::kBool;
        number = t ? 1 : 0;
        text = t ? "TRUE" : "FALSE";
      }
    } else if (type_ == Type::kError) {
      if (!valid_utf8(value_)) return invalid("单元格含有无效的 UTF-8 文本");
      text = value_;
      kind = CellKind::kError;
    } else if (type_ == Type::kIsoDate) {
      if (auto serial = iso_to_serial(value_)) {
        kind = CellKind::kDate;
        number = *serial;
        formatted_ = excel_serial_to_iso(number);
        text = formatted_;
      } else if (!value_.empty()) {
        if (!valid_utf8(value_)) return invalid("单元格含有无效的 UTF-8 文本");
        kind = CellKind::kText;
        text = value_;
      }
    } else if (!value_.empty()) {
      double v = 0;
      if (!parse_double(value_, v)) {
        if (!valid_utf8(value_)) return invalid("单元格含有无效的 UTF-8 文本");
        kind = CellKind::kText;
        text = value_;
      } else {
        bool date = style_ < ctx_.date_styles.size() && ctx_.date_styles[style_];
        if (date && ctx_.date1904 && v >= 1) v += 1462;  // pure times (< 1) have no date to shift
        if (date && v >= 0 && v <= kLastSerial) {
          kind = CellKind::kDate;
          formatted_ = excel_serial_to_iso(v);
        } else {
          kind = CellKind::kNumber;
          formatted_ = number_text(v);
        }
        number = v;
        text = formatted_;
      }
    }
    if (text.empty() && kind != CellKind::kBool) kind = CellKind::kEmpty;
    if (kind == CellKind::kEmpty) return ok_status();
    if (row_number_ == 0) return invalid("工作表「" + ref_.name + "」有不在任何行内的单元格");
    if (column_ >= ctx_.limits.max_columns) {
      return make_error("too_many_columns", "工作表「" + ref_.name + "」第 " +
                                                std::to_string(row_number_) + " 行的 " +
                                                column_name(column_) + " 列超出列数上限（" +
                                                std::to_string(ctx_.limits.max_columns) + " 列）");
    }
    if (row_number_ > ctx_.limits.max_rows) {
      return make_error("too_many_rows", "工作表「" + ref_.name + "」超过行数上限（" +
                                             std::to_string(ctx_.limits.max_rows) +
                                             " 行），请拆分后分批导入");
    }
    if (++ctx_.cells > ctx_.limits.max_cells) {
      return make_error("too_many_cells", "工作簿的数据单元格超过上限（" +
                                              std::to_string(ctx_.limits.max_cells) +
                                              " 个），请拆分后分批导入");
    }
    builder_.set(column_, kind, text, number);
    return ok_status();
  }

  Context& ctx_;
  const SheetRef& ref_;
  const RowSink* sink_ = nullptr;
  RowBuilder builder_;
  size_t row_number_ = 0;
  size_t column_ = 0;
  size_t next_column_ = 0;
  bool in_cell_ = false;
  enum class Type {
    kNumber,
    kShared,
    kInline,
    kFormulaText,
    kBool,
    kError,
    kIsoDate
  } type_ = Type::kNumber;
  size_t style_ = 0;
  std::string value_;
  std::string inline_;
  std::string formatted_;
};

// ---------------------------------------------------------------------------------------------

struct Opened {
  std::unique_ptr<Archive> archive;
  Workbook workbook;
};

Result<Opened> open_workbook(std::string_view bytes, const ReadLimits& limits) {
  if (bytes.size() > limits.max_file_bytes) {
    return make_error("payload_too_large", "文件大小超过上限（" + mb(limits.max_file_bytes) + "）");
  }
  if (starts_with(bytes, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) {
    return make_error("xlsx_legacy",
                      "文件是旧版 Excel（.xls）格式或已设置打开密码，请在 Excel 或 WPS 中"
                      "取消密码并另存为 .xlsx 后再导入");
  }
  if (!starts_with(bytes, "PK\x03\x04") && !starts_with(bytes, std::string_view("PK\x05\x06", 4))) {
    return invalid();
  }
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
  if (!src) {
    zip_error_fini(&err);
    return invalid();
  }
  zip_t* za = zip_open_from_source(src, ZIP_RDONLY, &err);
  zip_error_fini(&err);
  if (!za) {
    zip_source_free(src);
    return invalid();
  }
  Opened out;
  out.archive = std::make_unique<Archive>(za, limits);
  SY_ASSIGN(out.workbook, read_workbook(*out.archive));
  return out;
}

Status read_one(Archive& ar, Context& ctx, const SheetRef& ref, const RowSink& sink) {
  if (!ar.has(ref.path)) return invalid("缺少工作表 " + ref.path);
  SY_ASSIGN(auto entry, ar.open(ref.path));
  SheetParser parser(ctx, ref);
  return parser.parse(*entry, sink);
}

Result<SheetData> read_one(Archive& ar, Context& ctx, const SheetRef& ref) {
  SheetData sheet;
  sheet.name = ref.name;
  sheet.hidden = ref.hidden;
  SY_TRY(read_one(ar, ctx, ref, collect_rows(sheet)));
  sheet.rows.shrink_to_fit();
  return sheet;
}

}  // namespace

Result<std::vector<SheetData>> read_xlsx(std::string_view bytes, const ReadLimits& limits) {
  SY_ASSIGN(Opened o, open_workbook(bytes, limits));
  SY_ASSIGN(std::vector<bool> dates, read_date_styles(*o.archive, o.workbook.styles));
  SY_ASSIGN(SharedStrings strings,
            read_shared_strings(*o.archive, o.workbook.shared_strings, limits.max_cells));
  Context ctx{limits, strings, dates, o.workbook.date1904};
  std::vector<SheetData> out;
  for (const SheetRef& ref : o.workbook.sheets) {
    SY_ASSIGN(SheetData sheet, read_one(*o.archive, ctx, ref));
    out.push_back(std::move(sheet));
  }
  return out;
}

namespace {

// The sheet read_xlsx_sheet and read_xlsx_sheet_rows read: the one named, else the first visible.
Result<const SheetRef*> choose_sheet(const Workbook& workbook, std::string_view sheet_name) {
  const SheetRef* chosen = nullptr;
  for (const SheetRef& ref : workbook.sheets) {
    if (sheet_name.empty() ? !ref.hidden : ref.name == sheet_name) {
      chosen = &ref;
      break;
    }
  }
  if (!chosen && sheet_name.empty()) chosen = &workbook.sheets.front();
  if (!chosen) {
    return make_error("sheet_not_found", "找不到工作表「" + std::string(sheet_name) + "」");
  }
  return chosen;
}

}  // namespace

namespace {

// Opens the workbook and passes the chosen sheet's rows to `sink`; `meta`, when given, takes the
// sheet's name and visibility.
Status read_chosen_sheet(std::string_view bytes, const ReadLimits& limits, std::string_view sheet_name,
                         const RowSink& sink, SheetData* meta) {
  SY_ASSIGN(Opened o, open_workbook(bytes, limits));
  SY_ASSIGN(const SheetRef* chosen, choose_sheet(o.workbook, sheet_name));
  SY_ASSIGN(std::vector<bool> dates, read_date_styles(*o.archive, o.workbook.styles));
  SY_ASSIGN(SharedStrings strings,
            read_shared_strings(*o.archive, o.workbook.shared_strings, limits.max_cells));
  Context ctx{limits, strings, dates, o.workbook.date1904};
  if (meta) {
    meta->name = chosen->name;
    meta->hidden = chosen->hidden;
  }
  return read_one(*o.archive, ctx, *chosen, sink);
}

}  // namespace

Status read_xlsx_sheet_rows(std::string_view bytes, const ReadLimits& limits, const RowSink& sink,
                            std::string_view sheet_name) {
  return read_chosen_sheet(bytes, limits, sheet_name, sink, nullptr);
}

Result<SheetData> read_xlsx_sheet(std::string_view bytes, const ReadLimits& limits,
                                  std::string_view sheet_name) {
  SheetData sheet;
  SY_TRY(read_chosen_sheet(bytes, limits, sheet_name, collect_rows(sheet), &sheet));
  sheet.rows.shrink_to_fit();
  return sheet;
}

Result<std::vector<std::string>> xlsx_sheet_names(std::string_view bytes,
                                                  const ReadLimits& limits) {
  SY_ASSIGN(Opened o, open_workbook(bytes, limits));
  std::vector<std::string> out;
  for (const SheetRef& ref : o.workbook.sheets) out.push_back(ref.name);
  return out;
}

}  // namespace sy::io
