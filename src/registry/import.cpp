#include "registry/import.h"

#include <algorithm>
#include <exception>
#include <functional>
#include <map>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "audit/audit.h"
#include "auth/settings.h"
#include "core/civil_date.h"
#include "core/handoff.h"
#include "core/pinyin.h"
#include "core/region_code.h"
#include "io/csv_reader.h"
#include "io/xlsx_reader.h"
#include "io/xlsx_table.h"
#include "org/village_matcher.h"
#include "registry/categories.h"
#include "registry/person_store.h"
#include "store/bulk_write.h"

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

// The reader's limits for this import: the channel's caps from the settings, what to call them
// in messages, and budgets for cells and inflated XML that grow with the row cap.
struct Caps {
  io::ReadLimits limits;
  int max_mb = 0, max_rows = 0;
  const char* channel = "";
  const char* mb_key = "";
  const char* rows_key = "";
  const char* advice = "";
};

Result<Caps> import_caps(const Context& ctx, const ImportOptions& o) {
  SY_ASSIGN(auth::Settings s, auth::load_settings(ctx.db));
  Caps c;
  c.limits = o.limits;
  if (o.channel == ImportChannel::kWeb) {
    c.max_mb = s.import_web_max_mb, c.max_rows = s.import_web_max_rows;
    c.channel = "网页导入", c.mb_key = "import_web_max_mb", c.rows_key = "import_web_max_rows";
    c.advice = "请拆分后分批导入，或请系统管理员调整上限、用命令行导入";
  } else {
    c.max_mb = s.import_cli_max_mb, c.max_rows = s.import_cli_max_rows;
    c.channel = "命令行导入", c.mb_key = "import_cli_max_mb", c.rows_key = "import_cli_max_rows";
    c.advice = "请拆分后分批导入，或请系统管理员调整上限";
  }
  c.limits.max_file_bytes = static_cast<size_t>(c.max_mb) << 20;
  c.limits.max_rows = static_cast<size_t>(c.max_rows);
  c.limits.max_cells = std::max(c.limits.max_cells, c.limits.max_rows * 40);
  c.limits.max_uncompressed_bytes = std::max(c.limits.max_uncompressed_bytes, c.limits.max_rows * 2048);
  return c;
}

// Checks the file against the channel's size cap and what its name says; true for a workbook.
Result<bool> check_file(std::string_view bytes, const ImportOptions& o, const Caps& caps) {
  if (bytes.size() > caps.limits.max_file_bytes) {
    return make_error("payload_too_large",
                      "文件大小 " + std::to_string((bytes.size() + (1 << 20) - 1) >> 20) + " MB，超过" +
                          caps.channel + "的上限 " + std::to_string(caps.max_mb) + " MB（系统设置 " + caps.mb_key +
                          "）。" + caps.advice,
                      "file");
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
  return zip;
}

// Streams the sheet's rows into `sink`; a sheet past the row cap names the cap and the setting.
Status read_rows(std::string_view bytes, bool zip, const Caps& caps, const io::RowSink& sink) {
  Status st = zip ? io::read_xlsx_sheet_rows(bytes, caps.limits, sink) : io::read_csv_rows(bytes, caps.limits, sink);
  if (!st.ok() && st.error().code == "too_many_rows") {
    return make_error("too_many_rows",
                      std::string("花名册超过") + caps.channel + "的行数上限（" + std::to_string(caps.max_rows) +
                          " 行，系统设置 " + caps.rows_key + "）。" + caps.advice,
                      "file");
  }
  return st;
}

Error no_header() {
  return make_error("no_header", "找不到表头：前30行中没有同时包含“姓名”和“身份证号”的行", "file");
}

// What insert_person (persons.cpp) writes in a person's first history entry for a category.
std::string category_text(const PersonCategory& c) {
  std::string s = category_name(c.category);
  if (c.disability_grade) s += " " + grade_name(*c.disability_grade);
  if (c.disability_cause) s += " " + cause_name(*c.disability_cause);
  if (!c.approved_on.empty()) s += "（批准 " + c.approved_on + "）";
  return s;
}

// One {field, label, new, old:""} entry as nlohmann::json::dump writes it (keys in order).
void append_change(std::string& out, const char* field, const std::string& new_value) {
  if (out.size() > 1) out += ',';
  out += "{\"field\":\"";
  out += field;
  out += "\",\"label\":";
  out += nlohmann::json(field_label(field)).dump();
  out += ",\"new\":";
  out += nlohmann::json(new_value).dump();
  out += ",\"old\":\"\"}";
}

template <typename... T>
void push(store::Params& params, T&&... values) {
  (params.emplace_back(std::forward<T>(values)), ...);
}

// "(?,?,?),(?,?,?)…": `rows` groups of `columns` placeholders.
std::string placeholders(size_t rows, size_t columns) {
  std::string group = "(";
  for (size_t c = 0; c < columns; ++c) group += c ? ",?" : "?";
  group += ')';
  std::string out;
  out.reserve(rows * (group.size() + 1));
  for (size_t r = 0; r < rows; ++r) {
    if (r) out += ',';
    out += group;
  }
  return out;
}

// New persons, written a batch at a time with exactly the rows insert_person (persons.cpp) writes
// one by one: a household of their own, the person with the search columns, the category, and the
// first history entry. The ids are taken in the same order (person, household, category, history)
// when a person is added. import_test.cpp (ImportWritesWhatThePersonServiceWrites) compares the two
// paths column by column.
//
// How a batch becomes statements: SQLite needs a statement journal (a temporary file) for a
// multi-row INSERT into a table with foreign keys, holding every page the statement changes that
// existed before it; so on SQLite a table gets one multi-row INSERT per batch only while it has no
// index with random keys (the bulk phase, see BulkIndexes), and one INSERT per row otherwise.
// persons keeps its unique ID-number index, so it is always written row by row there. PostgreSQL
// has no such cost and takes every table in multi-row INSERTs.
class NewPersons {
 public:
  static constexpr size_t kBatch = 128;

  NewPersons(store::Conn& tx, const Context& ctx, std::string action)
      : tx_(tx),
        ctx_(ctx),
        action_(std::move(action)),
        actor_(ctx.actor.id_or_null()),
        postgres_(tx.dialect() == store::Dialect::kPostgres) {}

  // In the bulk phase the tables but persons are written in multi-row INSERTs.
  void set_bulk(bool bulk) { bulk_ = bulk; }

  Status add(NormalizedPerson&& n, NamePinyin&& pinyin) {
    Pending p;
    p.id = ctx_.ids.next();
    p.household = ctx_.ids.next();
    if (n.category) p.category = ctx_.ids.next();
    p.history = ctx_.ids.next();
    p.now = ctx_.now();
    p.n = std::move(n);
    p.pinyin = std::move(pinyin);
    pending_.push_back(std::move(p));
    return ok_status();
  }

  Status flush() {
    if (pending_.empty()) return ok_status();
    bool multi = postgres_ || bulk_;
    store::Params params;
    params.reserve(pending_.size() * 26);
    for (const Pending& x : pending_) {
      const Person& p = x.n.person;
      push(params, x.household, p.region_code, p.address, x.id, p.is_dibao, p.is_tekun, p.is_kongchao, x.now, actor_,
           x.now, actor_);
    }
    SY_TRY(insert("INSERT INTO households (id, region_code, address, head_person_id, is_dibao, is_tekun, "
                  "is_kongchao, created_at, created_by, updated_at, updated_by) VALUES ",
                  11, params, multi));
    auto opt = [](std::string& s) { return s.empty() ? store::Value() : store::Value(std::move(s)); };
    for (Pending& x : pending_) {
      Person& p = x.n.person;
      NamePinyin& py = x.pinyin;
      std::string reversed(p.id_number.rbegin(), p.id_number.rend());
      push(params, x.id, p.region_code, x.household, p.name, std::move(py.full), std::move(py.initials),
           std::move(py.sort_key), p.id_number, std::move(reversed), p.gender, p.birth_date, std::move(p.ethnicity),
           std::move(p.phone), std::move(p.address), std::move(p.bank_name), std::move(p.bank_account),
           opt(p.enlisted_on), opt(p.discharged_on), opt(p.paid_through), std::move(p.relation),
           std::move(p.related_name), std::move(p.note), x.now, actor_, x.now, actor_);
    }
    SY_TRY(insert("INSERT INTO persons (id, region_code, household_id, name, name_pinyin, name_initials, name_sort, "
                  "id_number, id_reversed, gender, birth_date, ethnicity, phone, address, bank_name, bank_account, "
                  "enlisted_on, discharged_on, paid_through, relation, related_name, note, created_at, created_by, "
                  "updated_at, updated_by) VALUES ",
                  26, params, postgres_));
    for (const Pending& x : pending_) {
      if (!x.n.category) continue;
      const PersonCategory& c = *x.n.category;
      push(params, x.category, x.id, c.category, c.disability_grade, c.disability_cause,
           c.approved_on.empty() ? store::Value() : store::Value(c.approved_on), x.now, actor_, x.now, actor_);
    }
    SY_TRY(insert("INSERT INTO person_categories (id, person_id, category, disability_grade, disability_cause, "
                  "approved_on, created_at, created_by, updated_at, updated_by) VALUES ",
                  10, params, multi));
    for (const Pending& x : pending_) {
      const Person& p = x.n.person;
      std::string changes = "[";
      append_change(changes, "name", p.name);
      append_change(changes, "id_number", p.id_number);
      if (x.n.category) append_change(changes, "category", category_text(*x.n.category));
      changes += ']';
      push(params, x.history, x.id, x.now, actor_, ctx_.actor.username, action_, std::move(changes));
    }
    SY_TRY(insert("INSERT INTO person_history (id, person_id, at, user_id, username, action, changes) VALUES ", 7,
                  params, multi));
    pending_.clear();
    return ok_status();
  }

 private:
  struct Pending {
    std::int64_t id = 0, household = 0, category = 0, history = 0;
    Millis now = 0;
    NormalizedPerson n;
    NamePinyin pinyin;
  };

  // Inserts the rows whose values are in `params` (`columns` each), in one statement or one per
  // row; empties `params`.
  Status insert(const char* head, size_t columns, store::Params& params, bool multi) {
    size_t rows = params.size() / columns;
    if (rows == 0) return ok_status();
    if (multi) {
      SY_TRY(tx_.exec(head + placeholders(rows, columns), params));
    } else {
      std::string sql = head + placeholders(1, columns);
      store::Params one(columns);
      for (size_t r = 0; r < rows; ++r) {
        for (size_t c = 0; c < columns; ++c) one[c] = std::move(params[r * columns + c]);
        SY_TRY(tx_.exec(sql, one));
      }
    }
    params.clear();
    return ok_status();
  }

  store::Conn& tx_;
  const Context& ctx_;
  std::string action_;
  store::Value actor_;
  bool postgres_ = false;
  bool bulk_ = false;
  std::vector<Pending> pending_;
};

// The bulk phase of a large import on SQLite: the secondary indexes of the four tables an import
// writes (whatever the migrations created, as sqlite_master records them) are dropped and, before
// commit, created again from the same SQL, so the engine builds each by sorting, as a bulk loader
// does, instead of inserting a million keys at random places. Unique constraints stay (the ID
// number is checked as rows go in). It all happens inside the import's transaction: readers keep
// seeing the committed schema and rows, a failure rolls the indexes back with everything else.
// Only SQLite: on PostgreSQL dropping an index would lock the table against every reader.
class BulkIndexes {
 public:
  explicit BulkIndexes(store::Conn& tx) : tx_(tx) {}
  bool active() const { return !sql_.empty(); }

  Status drop() {
    SY_ASSIGN(store::Rows rows, tx_.query("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                                          "AND tbl_name IN ('households', 'persons', 'person_categories', "
                                          "'person_history') ORDER BY rowid"));
    for (const auto& r : rows) {
      SY_TRY(tx_.exec_script("DROP INDEX \"" + r.str(0) + "\""));
      sql_.push_back(r.str(1));
    }
    return ok_status();
  }

  Status restore() {
    for (const auto& sql : sql_) SY_TRY(tx_.exec_script(sql));
    sql_.clear();
    return ok_status();
  }

 private:
  store::Conn& tx_;
  std::vector<std::string> sql_;
};

// The page cache of the import's connection for the length of the import (store::BulkWrite).
constexpr std::int64_t kImportCacheKib = 256 << 10;

// The first row of each ID number seen in the file. 18-character numbers (17 digits and a check
// digit) live as 64-bit keys in one open-addressing table: 1,000,000 rows cost 32 MB and no
// allocation per row. Anything else (never seen after normalize_person) goes to a map.
class SeenIds {
 public:
  // The row where `id` was first seen, or 0 after recording `row` as that row.
  int first_or_add(const std::string& id, int row) {
    auto key = id_key(id);
    if (!key) {
      auto [it, fresh] = other_.try_emplace(id, row);
      return fresh ? 0 : it->second;
    }
    if ((used_ + 1) * 2 > slots_.size()) grow();
    Slot* s = find(*key);
    if (s->key == *key) return s->row;
    *s = Slot{*key, row};
    ++used_;
    return 0;
  }

 private:
  struct Slot {
    std::uint64_t key = 0;  // 0: empty
    int row = 0;
  };

  static std::optional<std::uint64_t> id_key(const std::string& id) {
    if (id.size() != 18) return std::nullopt;
    std::uint64_t k = 0;
    for (size_t i = 0; i < 17; ++i) {
      if (id[i] < '0' || id[i] > '9') return std::nullopt;
      k = k * 10 + static_cast<std::uint64_t>(id[i] - '0');
    }
    char c = id[17];
    std::uint64_t check = c == 'X' ? 10 : static_cast<std::uint64_t>(c - '0');
    if (c != 'X' && (c < '0' || c > '9')) return std::nullopt;
    return k * 11 + check + 1;  // never 0
  }

  Slot* find(std::uint64_t key) {
    size_t mask = slots_.size() - 1;
    size_t i = static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> 20) & mask;
    while (slots_[i].key != 0 && slots_[i].key != key) i = (i + 1) & mask;
    return &slots_[i];
  }

  void grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
    for (const Slot& s : old) {
      if (s.key != 0) *find(s.key) = s;
    }
  }

  std::vector<Slot> slots_;
  size_t used_ = 0;
  std::unordered_map<std::string, int> other_;
};

// The rows of one import. Two threads share the work, so that the machine's second core reads
// while the first writes: the reading thread (`run` starts it) reads the file, finds the header,
// judges each data row by everything that needs no database (ID number, dates, category, village,
// duplicates in the file) and works out the pinyin; it hands batches of 128 rows over through a
// short queue. The calling thread, which holds the transaction, takes the batches in order, looks
// up their ID numbers with one query, gives each row its verdict and writes. Verdicts and writes
// therefore stay in row order; an error on either side stops both, and the caller rolls back.
class RowImporter {
 public:
  // A large import switches to the bulk phase (BulkIndexes) once it has created `bulk_after_rows`
  // persons and at least as many as the table held before, so rebuilding the indexes costs less
  // than inserting into them.
  RowImporter(const Context& ctx, store::Conn& tx, const org::VillageMatcher& villages, ImportReport& report,
              std::int64_t bulk_after, bool registry_empty)
      : ctx_(ctx),
        tx_(tx),
        villages_(villages),
        report_(report),
        writer_(tx, ctx, "import"),
        bulk_(tx),
        bulk_after_(bulk_after),
        registry_empty_(registry_empty) {}

  Status row(size_t number, const io::Row& row) {
    if (!report_.header_row) return find_header(number, row);
    if (row.empty()) return ok_status();
    bool blank = true;
    for (size_t c = 0; c < row.size() && blank; ++c) {
      if (!fold_header(row[c].text).empty()) blank = false;
    }
    if (blank || is_footer(row)) return ok_status();
    ++report_.rows;
    Waiting w;
    w.verdict.row = static_cast<int>(number);
    judge(row, w);
    if (w.verdict.verdict.empty()) w.row = row;  // its cells, should the database reject it
    rows_.push_back(std::move(w));
    if (rows_.size() >= NewPersons::kBatch) return hand_over();
    return ok_status();
  }

  // Reads with `read` on a second thread (see the class comment) and writes here; returns the
  // first error of either side (core/handoff.h).
  Status run(const std::function<Status(const io::RowSink&)>& read) {
    return run_handoff<std::vector<Waiting>>(
        kQueuedBatches,
        [&](const HandOn<std::vector<Waiting>>& hand_on) -> Status {
          hand_on_ = &hand_on;
          Status read_status = ok_status();
          try {
            read_status = read([this](size_t number, const io::Row& r) { return row(number, r); });
          } catch (const std::exception& e) {
            return make_error("import_failed", std::string("读取文件时出错：") + e.what(), "file");
          }
          if (!read_status.ok()) return read_status;
          return hand_over();  // the last, partial batch
        },
        [&](std::vector<Waiting>& batch) { return write(batch); });
  }

  // Once every batch is written: the indexes back if they were dropped.
  Status finish() {
    writer_.set_bulk(false);
    return bulk_.restore();
  }

  Columns cols;

 private:
  struct Waiting {
    RowVerdict verdict;              // verdict empty while it waits for the database
    std::vector<std::string> cells;  // of a rejected row
    NormalizedPerson n;
    NamePinyin pinyin;
    io::Row row;
  };

  static constexpr size_t kQueuedBatches = 4;

  // Reading thread: hands over the rows judged so far; an error once the writer has stopped.
  Status hand_over() {
    if (rows_.empty()) return ok_status();
    std::vector<Waiting> batch = std::move(rows_);
    rows_.clear();
    return (*hand_on_)(std::move(batch));
  }

  Status write(std::vector<Waiting>& rows) {
    // Which of the waiting ID numbers are registered already: one query for the batch.
    std::unordered_set<std::string> stored;
    std::string in;
    store::Params ids;
    for (const Waiting& w : rows) {
      if (!w.verdict.verdict.empty()) continue;
      in += in.empty() ? "?" : ",?";
      ids.emplace_back(w.n.person.id_number);
    }
    if (!ids.empty() && !registry_empty_) {
      SY_ASSIGN(store::Rows rows, tx_.query("SELECT id_number FROM persons WHERE id_number IN (" + in + ")", ids));
      for (const auto& r : rows) stored.insert(r.str(0));
    }
    for (Waiting& w : rows) {
      if (w.verdict.verdict.empty()) SY_TRY(decide(w, stored.count(w.n.person.id_number) > 0));
      if (w.verdict.verdict == "rejected") {
        ++report_.rejected;
        report_.rejected_rows.push_back(std::move(w.cells));
      }
      report_.verdicts.push_back(std::move(w.verdict));
    }
    rows.clear();
    SY_TRY(writer_.flush());
    if (!bulk_done_ && tx_.dialect() == store::Dialect::kSqlite && report_.created >= bulk_after_) {
      bulk_done_ = true;
      SY_TRY(bulk_.drop());
      writer_.set_bulk(true);
    }
    return ok_status();
  }

  Status find_header(size_t number, const io::Row& row) {
    // The header row: the first of the top 30 rows naming both 姓名 and an ID column.
    if (number > 30) return no_header();
    std::map<std::string, size_t> index;
    for (size_t c = 0; c < row.size(); ++c) {
      auto f = field_of_header(row[c].text);
      if (f && !index.count(*f)) index[*f] = c;
    }
    if (index.count("name") && index.count("id_number")) {
      report_.header_row = static_cast<int>(number);
      cols.index = index;
      for (size_t c = 0; c < row.size(); ++c) cols.headers.push_back(cell_text(row[c]));
      report_.headers = cols.headers;
    }
    return ok_status();
  }

  void reject(Waiting& w, const Error& e, const io::Row& row) {
    RowVerdict& v = w.verdict;
    v.verdict = "rejected";
    v.code = e.code;
    v.message = e.message;
    std::string field = e.field == "region_code" ? "village" : e.field;
    v.column = field.empty() ? "" : cols.header_of(field);
    w.cells.clear();
    for (size_t c = 0; c < cols.headers.size(); ++c) w.cells.push_back(cell_text(row[c]));
  }

  std::optional<io::Cell> get(const io::Row& row, const char* field) const {
    auto it = cols.index.find(field);
    if (it == cols.index.end()) return std::nullopt;
    return row[it->second];
  }
  std::optional<std::string> text_field(const io::Row& row, const char* field) const {
    auto c = get(row, field);
    if (!c) return std::nullopt;
    return cell_text(*c);
  }
  std::optional<std::string> date_field(const io::Row& row, const char* field) const {
    auto c = get(row, field);
    if (!c) return std::nullopt;
    return date_cell(*c);
  }

  // Every check that needs no database; a row that passes waits for decide().
  void judge(const io::Row& row, Waiting& w) {
    PersonFields f;
    f.name = text_field(row, "name");
    auto id_cell = get(row, "id_number");
    if (id_cell && id_cell->kind == io::CellKind::kNumber) {
      std::string digits(id_cell->text);
      bool exact15 = digits.size() == 15 && digits.find_first_not_of("0123456789") == std::string::npos;
      if (!exact15) {
        return reject(w,
                      make_error("id_number_scientific",
                                 "身份证号被 Excel 存成了数值（科学计数法），末几位已丢失，请把该列设为文本后重新录入",
                                 "id_number"),
                      row);
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
    if (!f.name || fold_header(*f.name).empty()) return reject(w, make_error("name_required", "缺少姓名", "name"), row);
    auto village_cell = text_field(row, "village");
    if (village_cell && !fold_header(*village_cell).empty()) {
      auto code = villages_.match(*village_cell);
      if (!code.ok()) return reject(w, code.error(), row);
      f.region_code = *code;
    }
    auto normalized = normalize_person(f, ctx_.now());
    if (!normalized.ok()) return reject(w, normalized.error(), row);
    w.n = std::move(normalized).value();
    w.verdict.warnings = w.n.warnings;
    if (int first = seen_.first_or_add(w.n.person.id_number, w.verdict.row)) {
      return reject(w,
                    make_error("duplicate_in_file", "与本文件第" + std::to_string(first) + "行身份证号重复",
                               "id_number"),
                    row);
    }
    w.pinyin = name_pinyin(w.n.person.name);
  }

  // The verdict of a row that passed judge(), now that we know whether its ID is registered.
  Status decide(Waiting& w, bool registered) {
    RowVerdict& v = w.verdict;
    NormalizedPerson& n = w.n;
    if (!registered) {
      if (!n.has("region_code")) {
        reject(w, make_error("village_required", "缺少所属村（社区）", "village"), w.row);
      } else if (!n.category) {
        reject(w, make_error("category_required", "缺少优抚类别", "category"), w.row);
      } else {
        SY_TRY(writer_.add(std::move(n), std::move(w.pinyin)));
        v.verdict = "created";
        ++report_.created;
      }
      return ok_status();
    }
    SY_ASSIGN(auto stored, load_person_by_id_number(tx_, n.person.id_number));
    if (!stored) return make_error("db_error", "导入时读取优抚对象失败，请重试");
    if (!ctx_.actor.in_scope(stored->region_code)) {
      reject(w, make_error("other_scope", "该身份证号已在您管辖范围以外登记，不能在此导入", "id_number"), w.row);
      return ok_status();
    }
    SY_ASSIGN(nlohmann::json changes, merge_person(tx_, ctx_, *stored, n, "import"));
    if (changes.empty()) {
      v.verdict = "unchanged";
      ++report_.unchanged;
    } else {
      v.verdict = "updated";
      ++report_.updated;
    }
    return ok_status();
  }

  const Context& ctx_;
  store::Conn& tx_;
  const org::VillageMatcher& villages_;
  ImportReport& report_;
  NewPersons writer_;
  BulkIndexes bulk_;
  std::int64_t bulk_after_;
  bool bulk_done_ = false;
  // SQLite, and no person registered when the import began (its transaction holds the only write
  // lock): an ID number can only repeat within the file, which SeenIds catches, so no batch needs
  // to ask the database.
  bool registry_empty_ = false;
  std::vector<Waiting> rows_;  // being judged by the reading thread
  SeenIds seen_;               // the reading thread's
  const HandOn<std::vector<Waiting>>* hand_on_ = nullptr;  // the reading thread's, while run() runs
};

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
  SY_ASSIGN(Caps caps, import_caps(ctx, o));
  SY_ASSIGN(bool zip, check_file(bytes, o, caps));

  // Where villages are matched: the given town, else the actor's own node.
  std::string area = ctx.actor.region_code;
  if (!o.town.empty()) {
    auto code = normalize_region_code(o.town);
    if (!code) return make_error("invalid_region", "乡镇区划代码格式不正确", "town");
    area = *code;
  }
  if (area.empty()) return make_error("town_required", "请指定导入到哪个乡镇（--town）", "town");
  if (!ctx.actor.in_scope(area)) return make_error("not_found", "区划不存在或不在您的管辖范围内", "town");

  // The file is read row by row inside the one transaction, so a 1,000,000-row roster is never
  // held in memory whole; any error, in the file or the database, rolls everything back.
  ImportReport report;
  report.dry_run = o.dry_run;
  Status st = ctx.db.transact([&](store::Conn& tx) -> Status {
    store::BulkWrite bulk(tx, kImportCacheKib);
    SY_TRY(bulk.begin());
    SY_ASSIGN(org::VillageMatcher villages, org::VillageMatcher::load(tx, area));
    std::int64_t persons_before = 0;
    if (tx.dialect() == store::Dialect::kSqlite) {
      SY_ASSIGN(persons_before, tx.query_int("SELECT count(*) FROM persons"));
    }
    RowImporter importer(ctx, tx, villages, report, std::max<std::int64_t>(o.bulk_after_rows, persons_before),
                         tx.dialect() == store::Dialect::kSqlite && persons_before == 0);
    SY_TRY(importer.run([&](const io::RowSink& sink) { return read_rows(bytes, zip, caps, sink); }));
    if (!report.header_row) return no_header();
    SY_TRY(importer.finish());
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
