// Db: the one storage interface every module uses, with a SQLite backend (the default, a file) and
// a PostgreSQL backend (a postgresql:// URL) behind it.
//
// Contract:
// - SQL is written once with `?` placeholders; parameters are always bound, never spliced. The
//   PostgreSQL backend rewrites `?` to `$n`. Column types: use BIGINT, INTEGER, TEXT, DOUBLE
//   PRECISION; both backends return integers as int64, text as std::string.
// - `transact` runs a function in one transaction: commit when it returns ok, roll back otherwise
//   (also when it throws). Writes outside `transact` are not allowed.
// - `read` lends a pooled connection for reads.
// - `for_each_row` streams a query's rows to a callback, each read in place (RowView), for reading
//   many rows in bounded memory without a copy per value; `query` builds every row first.
// - Errors come back as Result with codes `db_conflict` (unique key), `db_unavailable`,
//   `storage_full`, `db_error`; messages are Chinese and never leak SQL.
// - Thread-safe: a bounded pool of connections; callers block while all are lent, and are served
//   in arrival order.
// - `attachment<T>()` keeps one T beside this Db for a module's in-memory copy of rows that rarely
//   change (auth keeps its settings and roles snapshot there). It lives exactly as long as the Db,
//   so a cache never outlives its database nor mixes two (tests open many). Such a cache must
//   check it is current against the database itself (e.g. the `config_version` row): other
//   processes may write the same database.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <typeindex>
#include <typeinfo>
#include <variant>
#include <vector>

#include "core/result.h"

namespace sy::store {

enum class Dialect { kSqlite, kPostgres };

class Value {
 public:
  using Variant = std::variant<std::monostate, std::int64_t, double, std::string>;
  Value() = default;
  Value(std::nullptr_t) {}                            // NOLINT
  Value(bool v) : v_(std::int64_t{v ? 1 : 0}) {}      // NOLINT
  Value(int v) : v_(std::int64_t{v}) {}               // NOLINT
  Value(long v) : v_(std::int64_t{v}) {}              // NOLINT
  Value(long long v) : v_(std::int64_t{v}) {}         // NOLINT
  Value(double v) : v_(v) {}                          // NOLINT
  Value(std::string v) : v_(std::move(v)) {}          // NOLINT
  Value(std::string_view v) : v_(std::string(v)) {}   // NOLINT
  Value(const char* v) : v_(std::string(v)) {}        // NOLINT
  template <typename T>
  Value(const std::optional<T>& v) {  // NOLINT
    if (v) *this = Value(*v);
  }

  bool is_null() const { return v_.index() == 0; }
  const Variant& variant() const { return v_; }
  std::int64_t as_int() const;
  double as_double() const;
  std::string as_text() const;

 private:
  Variant v_;
};

using Params = std::vector<Value>;

class Row {
 public:
  explicit Row(std::vector<Value> cols) : cols_(std::move(cols)) {}
  size_t size() const { return cols_.size(); }
  bool is_null(size_t i) const { return cols_.at(i).is_null(); }
  std::int64_t i64(size_t i) const { return cols_.at(i).as_int(); }
  double f64(size_t i) const { return cols_.at(i).as_double(); }
  std::string str(size_t i) const { return cols_.at(i).as_text(); }
  std::optional<std::int64_t> opt_i64(size_t i) const {
    return is_null(i) ? std::nullopt : std::optional<std::int64_t>(i64(i));
  }
  std::optional<std::string> opt_str(size_t i) const {
    return is_null(i) ? std::nullopt : std::optional<std::string>(str(i));
  }
  const Value& at(size_t i) const { return cols_.at(i); }

 private:
  std::vector<Value> cols_;
};

using Rows = std::vector<Row>;

// One row of a streamed query (Conn::for_each_row), read in place: valid only during the callback,
// and text is a view into the backend's buffer. Column access as in Row: integers as int64 (0 for
// NULL), text as UTF-8 ("" for NULL); an index past the last column throws std::out_of_range.
class RowView {
 public:
  virtual ~RowView() = default;
  virtual size_t size() const = 0;
  virtual bool is_null(size_t i) const = 0;
  virtual std::int64_t i64(size_t i) const = 0;
  virtual std::string_view text(size_t i) const = 0;
  std::string str(size_t i) const { return std::string(text(i)); }
  std::optional<std::int64_t> opt_i64(size_t i) const {
    return is_null(i) ? std::nullopt : std::optional<std::int64_t>(i64(i));
  }
};

class Conn {
 public:
  virtual ~Conn() = default;
  virtual Dialect dialect() const = 0;
  virtual Result<Rows> query(std::string_view sql, const Params& params = {}) = 0;
  // Returns the number of rows changed.
  virtual Result<std::int64_t> exec(std::string_view sql, const Params& params = {}) = 0;
  // Several statements without parameters (migrations).
  virtual Status exec_script(std::string_view sql) = 0;
  // Runs a query and calls `fn` with each row as it arrives, instead of building Rows. Stops calling
  // at the first error `fn` returns and returns that error (PostgreSQL still reads, and drops, the
  // rest of the result). Inside `fn`, run nothing else on this Conn: the result is being read from it.
  virtual Status for_each_row(std::string_view sql, const Params& params,
                              const std::function<Status(const RowView&)>& fn) = 0;

  Result<std::optional<Row>> query_one(std::string_view sql, const Params& params = {});
  // The first column of the first row as an integer (0 when there is no row).
  Result<std::int64_t> query_int(std::string_view sql, const Params& params = {});
};

struct DbOptions {
  int pool_size = 8;
  int busy_timeout_ms = 10000;
};

class Db {
 public:
  virtual ~Db() = default;
  // A path opens (or creates) a SQLite file; postgresql:// or postgres:// opens PostgreSQL.
  static Result<std::unique_ptr<Db>> open(const std::string& url, DbOptions options = {});
  static bool is_postgres_url(std::string_view url);

  virtual Dialect dialect() const = 0;
  virtual Status transact(const std::function<Status(Conn&)>& fn) = 0;
  virtual Status read(const std::function<Status(Conn&)>& fn) = 0;
  // A second connection for reading while the calling thread holds a write transaction, to be used
  // by one other thread (a payroll run reads and computes on one thread and writes on another).
  // SQLite only: its write transaction keeps every other writer out, so this connection reads what
  // the transaction saw before its own writes. Null, at once, when there is none to spare (every
  // pooled connection busy, or PostgreSQL, where other writers may commit meanwhile). The
  // connection goes back to the pool when the last copy of the pointer goes.
  virtual std::shared_ptr<Conn> reader_beside_write() = 0;
  // A consistent online copy (SQLite); PostgreSQL answers with an error naming pg_dump.
  virtual Status backup_to(const std::string& path) = 0;
  // For messages and logs; never contains a password.
  virtual std::string describe() const = 0;

  // The one T kept beside this Db (default-constructed on first use). T must be thread-safe.
  template <typename T>
  T& attachment() {
    std::lock_guard<std::mutex> lock(attachments_mu_);
    std::shared_ptr<void>& slot = attachments_[std::type_index(typeid(T))];
    if (!slot) slot = std::make_shared<T>();
    return *static_cast<T*>(slot.get());
  }

 private:
  std::mutex attachments_mu_;
  std::map<std::type_index, std::shared_ptr<void>> attachments_;
};

std::unique_ptr<Db> open_sqlite(const std::string& path, const DbOptions& options, Error* error);
std::unique_ptr<Db> open_postgres(const std::string& url, const DbOptions& options, Error* error);

// A LIKE pattern matching values that start with `prefix` (escapes % and _ with '\').
std::string like_prefix(std::string_view prefix);
std::string like_contains(std::string_view text);

}  // namespace sy::store
