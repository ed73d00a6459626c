// SQLite backend: WAL, synchronous=FULL, foreign keys on, busy timeout; a pool of connections with
// a prepared-statement cache each. Write transactions start with BEGIN IMMEDIATE so two writers
// queue on the busy timeout instead of failing on a lock upgrade.
#include <sqlite3.h>

#include <stdexcept>
#include <string>
#include <unordered_map>

#include "store/db.h"
#include "store/pool.h"

namespace sy::store {
namespace {

Error sqlite_error(sqlite3* db, int rc) {
  int ext = db ? sqlite3_extended_errcode(db) : rc;
  int primary = rc & 0xff;
  if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return make_error("db_conflict", "记录已存在（唯一性冲突）");
  }
  if (primary == SQLITE_FULL) return make_error("storage_full", "磁盘空间已满，操作未保存");
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return make_error("db_busy", "数据库繁忙，请稍后重试");
  }
  if (primary == SQLITE_IOERR) return make_error("storage_io", "磁盘读写错误，操作未保存");
  if (primary == SQLITE_CANTOPEN) return make_error("db_unavailable", "无法打开数据库文件");
  if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT) {
    return make_error("db_corrupt", "数据库文件已损坏或不是本系统的数据库");
  }
  std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return make_error("db_error", "数据库错误：" + detail);
}

// A row of a stepping statement, read with sqlite3_column_*.
class SqliteRowView : public RowView {
 public:
  explicit SqliteRowView(sqlite3_stmt* s) : s_(s) {}
  // Counted after each step: a cached statement may be prepared again inside sqlite3_step.
  void stepped() { n_ = static_cast<size_t>(sqlite3_column_count(s_)); }
  size_t size() const override { return n_; }
  bool is_null(size_t i) const override { return sqlite3_column_type(s_, col(i)) == SQLITE_NULL; }
  std::int64_t i64(size_t i) const override { return sqlite3_column_int64(s_, col(i)); }
  std::string_view text(size_t i) const override {
    int c = col(i);
    const unsigned char* p = sqlite3_column_text(s_, c);
    if (!p) return {};
    return {reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(s_, c))};
  }

 private:
  int col(size_t i) const {
    if (i >= n_) throw std::out_of_range("column index");
    return static_cast<int>(i);
  }
  sqlite3_stmt* s_;
  size_t n_ = 0;
};

class SqliteConn : public Conn {
 public:
  explicit SqliteConn(sqlite3* db) : db_(db) {}
  ~SqliteConn() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }
  Dialect dialect() const override { return Dialect::kSqlite; }
  sqlite3* handle() { return db_; }

  Result<Rows> query(std::string_view sql, const Params& params) override {
    auto stmt = prepare(sql, params);
    if (!stmt.ok()) return stmt.error();
    sqlite3_stmt* s = *stmt;
    Rows rows;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      // Counted after the step: a cached statement whose table changed shape is prepared again
      // inside sqlite3_step, and may then have more or fewer columns.
      int n = sqlite3_column_count(s);
      std::vector<Value> cols;
      cols.reserve(n);
      for (int i = 0; i < n; ++i) {
        switch (sqlite3_column_type(s, i)) {
          case SQLITE_INTEGER:
            cols.emplace_back(static_cast<long long>(sqlite3_column_int64(s, i)));
            break;
          case SQLITE_FLOAT:
            cols.emplace_back(sqlite3_column_double(s, i));
            break;
          case SQLITE_NULL:
            cols.emplace_back();
            break;
          default: {
            const char* p = reinterpret_cast<const char*>(sqlite3_column_blob(s, i));
            int len = sqlite3_column_bytes(s, i);
            cols.emplace_back(std::string(p ? p : "", static_cast<size_t>(len)));
          }
        }
      }
      rows.emplace_back(std::move(cols));
    }
    Error err = rc == SQLITE_DONE ? Error{} : sqlite_error(db_, rc);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc != SQLITE_DONE) return err;
    return rows;
  }

  Result<std::int64_t> exec(std::string_view sql, const Params& params) override {
    auto stmt = prepare(sql, params);
    if (!stmt.ok()) return stmt.error();
    sqlite3_stmt* s = *stmt;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    }
    Error err = rc == SQLITE_DONE ? Error{} : sqlite_error(db_, rc);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc != SQLITE_DONE) return err;
    return static_cast<std::int64_t>(sqlite3_changes(db_));
  }

  Status for_each_row(std::string_view sql, const Params& params,
                      const std::function<Status(const RowView&)>& fn) override {
    auto stmt = prepare(sql, params);
    if (!stmt.ok()) return stmt.error();
    sqlite3_stmt* s = *stmt;
    // However this ends (also when fn throws), the cached statement is reset for its next use.
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{s};
    SqliteRowView row(s);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      row.stepped();
      Status st = fn(row);
      if (!st.ok()) return st;
    }
    if (rc != SQLITE_DONE) return sqlite_error(db_, rc);
    return ok_status();
  }

  Status exec_script(std::string_view sql) override {
    char* msg = nullptr;
    std::string text(sql);
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &msg);
    if (msg) sqlite3_free(msg);
    if (rc != SQLITE_OK) return sqlite_error(db_, rc);
    return ok_status();
  }

 private:
  Result<sqlite3_stmt*> prepare(std::string_view sql, const Params& params) {
    std::string key(sql);
    sqlite3_stmt* s = nullptr;
    auto it = cache_.find(key);
    if (it != cache_.end()) {
      s = it->second;
    } else {
      int rc = sqlite3_prepare_v3(db_, key.c_str(), static_cast<int>(key.size()),
                                  SQLITE_PREPARE_PERSISTENT, &s, nullptr);
      if (rc != SQLITE_OK) return sqlite_error(db_, rc);
      cache_.emplace(std::move(key), s);
    }
    for (size_t i = 0; i < params.size(); ++i) {
      int idx = static_cast<int>(i + 1);
      const auto& v = params[i].variant();
      int rc = SQLITE_OK;
      switch (v.index()) {
        case 0:
          rc = sqlite3_bind_null(s, idx);
          break;
        case 1:
          rc = sqlite3_bind_int64(s, idx, std::get<1>(v));
          break;
        case 2:
          rc = sqlite3_bind_double(s, idx, std::get<2>(v));
          break;
        case 3: {
          const std::string& t = std::get<3>(v);
          // Not copied: the caller's parameters outlive the statement's use, and every use ends
          // by clearing the bindings (query, exec, for_each_row; here on a failed bind).
          rc = sqlite3_bind_text(s, idx, t.data(), static_cast<int>(t.size()), SQLITE_STATIC);
          break;
        }
      }
      if (rc != SQLITE_OK) {
        Error err = sqlite_error(db_, rc);
        sqlite3_clear_bindings(s);
        return err;
      }
    }
    return s;
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

class SqliteDb : public Db {
 public:
  explicit SqliteDb(std::string path) : path_(std::move(path)) {}
  Pool<SqliteConn>& pool() { return pool_; }

  Dialect dialect() const override { return Dialect::kSqlite; }

  Status transact(const std::function<Status(Conn&)>& fn) override {
    auto c = pool_.lend();
    SY_TRY(c->exec_script("BEGIN IMMEDIATE"));
    Status st;
    try {
      st = fn(*c);
    } catch (...) {
      (void)c->exec_script("ROLLBACK");
      throw;
    }
    if (!st.ok()) {
      (void)c->exec_script("ROLLBACK");
      return st;
    }
    Status commit = c->exec_script("COMMIT");
    if (!commit.ok()) {
      (void)c->exec_script("ROLLBACK");
      return commit;
    }
    return ok_status();
  }

  Status read(const std::function<Status(Conn&)>& fn) override {
    auto c = pool_.lend();
    return fn(*c);
  }

  std::shared_ptr<Conn> reader_beside_write() override {
    auto lease = pool_.try_lend();
    if (!lease) return nullptr;
    auto held = std::make_shared<Pool<SqliteConn>::Lease>(std::move(*lease));
    return std::shared_ptr<Conn>(held, &**held);
  }

  Status backup_to(const std::string& out) override {
    auto c = pool_.lend();
    sqlite3* dest = nullptr;
    int rc = sqlite3_open_v2(out.c_str(), &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    if (rc != SQLITE_OK) {
      sqlite3_close_v2(dest);
      return make_error("backup_failed", "无法创建备份文件：" + out, "out");
    }
    sqlite3_backup* b = sqlite3_backup_init(dest, "main", c->handle(), "main");
    if (!b) {
      Error e = sqlite_error(dest, sqlite3_errcode(dest));
      sqlite3_close_v2(dest);
      return e;
    }
    rc = sqlite3_backup_step(b, -1);
    sqlite3_backup_finish(b);
    Error e = rc == SQLITE_DONE ? Error{} : sqlite_error(dest, rc);
    sqlite3_close_v2(dest);
    if (rc != SQLITE_DONE) return e;
    return ok_status();
  }

  std::string describe() const override { return "SQLite " + path_; }

 private:
  std::string path_;
  Pool<SqliteConn> pool_;
};

}  // namespace

std::unique_ptr<Db> open_sqlite(const std::string& path, const DbOptions& options, Error* error) {
  auto db = std::make_unique<SqliteDb>(path);
  for (int i = 0; i < std::max(1, options.pool_size); ++i) {
    sqlite3* h = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &h,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             nullptr);
    if (rc != SQLITE_OK) {
      *error = make_error("db_unavailable", "无法打开数据库文件：" + path, "db");
      sqlite3_close_v2(h);
      return nullptr;
    }
    sqlite3_busy_timeout(h, options.busy_timeout_ms);
    auto conn = std::make_unique<SqliteConn>(h);
    const char* pragmas = i == 0 ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                                   "PRAGMA foreign_keys=ON;"
                                 : "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;";
    Status st = conn->exec_script(pragmas);
    if (!st.ok()) {
      *error = st.error();
      return nullptr;
    }
    db->pool().add(std::move(conn));
  }
  return db;
}

}  // namespace sy::store
