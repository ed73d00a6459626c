// PostgreSQL backend on libpq: a pool of connections, parameters sent as text with `?` rewritten
// to `$n`, integer and float columns decoded by type oid. A broken connection is reopened on the
// next lease. Each connection prepares a statement the first time it runs its SQL and reuses it
// (as the SQLite backend caches statements), so the server parses and plans it once per
// connection instead of on every call; past kMaxPrepared distinct statements per connection,
// further ones run unprepared, which bounds the server-side memory dynamic SQL could take.
#include <libpq-fe.h>

#include <charconv>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "store/db.h"
#include "store/pool.h"

namespace sy::store {
namespace {

constexpr size_t kMaxPrepared = 256;

constexpr Oid kInt8 = 20, kInt2 = 21, kInt4 = 23, kFloat4 = 700, kFloat8 = 701, kNumeric = 1700,
              kBool = 16;

// Rewrites `?` placeholders to `$1..$n`, leaving quoted strings and identifiers alone.
std::string to_dollar_params(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  char quote = 0;
  for (char c : sql) {
    if (quote) {
      if (c == quote) quote = 0;
      out.push_back(c);
    } else if (c == '\'' || c == '"') {
      quote = c;
      out.push_back(c);
    } else if (c == '?') {
      out.push_back('$');
      out += std::to_string(++n);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Error pg_error(PGresult* res, PGconn* conn) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string s = state ? state : "";
  if (s == "23505") return make_error("db_conflict", "记录已存在（唯一性冲突）");
  if (s == "53100") return make_error("storage_full", "磁盘空间已满，操作未保存");
  if (s == "40001" || s == "40P01") return make_error("db_busy", "数据库繁忙，请稍后重试");
  if (s.starts_with("08") || PQstatus(conn) != CONNECTION_OK) {
    return make_error("db_unavailable", "数据库连接中断，请稍后重试");
  }
  std::string msg = res ? PQresultErrorMessage(res) : PQerrorMessage(conn);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  return make_error("db_error", "数据库错误：" + msg);
}

// The one row of a single-row-mode result (PQsetSingleRowMode), values in text format.
class PgRowView : public RowView {
 public:
  explicit PgRowView(const PGresult* res) : res_(res), n_(static_cast<size_t>(PQnfields(res))) {}
  size_t size() const override { return n_; }
  bool is_null(size_t i) const override { return PQgetisnull(res_, 0, col(i)) != 0; }
  std::int64_t i64(size_t i) const override {
    int c = col(i);
    if (PQgetisnull(res_, 0, c)) return 0;
    const char* v = PQgetvalue(res_, 0, c);
    switch (PQftype(res_, c)) {
      case kBool:
        return v[0] == 't' ? 1 : 0;
      case kFloat4:
      case kFloat8:
      case kNumeric:
        return static_cast<std::int64_t>(std::strtod(v, nullptr));
      default: {
        std::int64_t out = 0;
        std::from_chars(v, v + PQgetlength(res_, 0, c), out);
        return out;
      }
    }
  }
  std::string_view text(size_t i) const override {
    int c = col(i);
    return {PQgetvalue(res_, 0, c), static_cast<size_t>(PQgetlength(res_, 0, c))};
  }

 private:
  int col(size_t i) const {
    if (i >= n_) throw std::out_of_range("column index");
    return static_cast<int>(i);
  }
  const PGresult* res_;
  size_t n_;
};

class PgConn : public Conn {
 public:
  explicit PgConn(std::string url) : url_(std::move(url)) {}
  ~PgConn() override {
    if (conn_) PQfinish(conn_);
  }
  Dialect dialect() const override { return Dialect::kPostgres; }

  Status ensure_open() {
    if (conn_ && PQstatus(conn_) == CONNECTION_OK) return ok_status();
    if (conn_) PQfinish(conn_);
    prepared_.clear();  // prepared statements die with their server session
    names_used_ = 0;
    conn_ = PQconnectdb(url_.c_str());
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::string msg = PQerrorMessage(conn_);
      while (!msg.empty() && msg.back() == '\n') msg.pop_back();
      PQfinish(conn_);
      conn_ = nullptr;
      return make_error("db_unavailable", "无法连接 PostgreSQL 数据库：" + msg, "db");
    }
    PGresult* r = PQexec(conn_, "SET client_min_messages TO warning; SET TIME ZONE 'UTC'");
    PQclear(r);
    return ok_status();
  }

  Result<Rows> query(std::string_view sql, const Params& params) override {
    PGresult* res = run(sql, params);
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
      Error e = pg_error(res, conn_);
      PQclear(res);
      return e;
    }
    Rows rows;
    int nrows = PQntuples(res), ncols = PQnfields(res);
    rows.reserve(static_cast<size_t>(nrows));
    for (int r = 0; r < nrows; ++r) {
      std::vector<Value> cols;
      cols.reserve(static_cast<size_t>(ncols));
      for (int c = 0; c < ncols; ++c) {
        if (PQgetisnull(res, r, c)) {
          cols.emplace_back();
          continue;
        }
        const char* v = PQgetvalue(res, r, c);
        switch (PQftype(res, c)) {
          case kInt8:
          case kInt4:
          case kInt2:
            cols.emplace_back(std::stoll(v));
            break;
          case kFloat4:
          case kFloat8:
          case kNumeric:
            cols.emplace_back(std::strtod(v, nullptr));
            break;
          case kBool:
            cols.emplace_back(v[0] == 't');
            break;
          default:
            cols.emplace_back(std::string(v, static_cast<size_t>(PQgetlength(res, r, c))));
        }
      }
      rows.emplace_back(std::move(cols));
    }
    PQclear(res);
    return rows;
  }

  Result<std::int64_t> exec(std::string_view sql, const Params& params) override {
    PGresult* res = run(sql, params);
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
      Error e = pg_error(res, conn_);
      PQclear(res);
      return e;
    }
    const char* n = PQcmdTuples(res);
    std::int64_t changed = (n && *n) ? std::stoll(n) : 0;
    PQclear(res);
    return changed;
  }

  Status for_each_row(std::string_view sql, const Params& params,
                      const std::function<Status(const RowView&)>& fn) override {
    Bound b = bind(params);
    const std::string* name = statement_for(sql, b.n);
    int sent = name ? PQsendQueryPrepared(conn_, name->c_str(), b.n, b.ptrs.data(), nullptr, nullptr, 0)
                    : PQsendQueryParams(conn_, to_dollar_params(sql).c_str(), b.n, nullptr, b.ptrs.data(), nullptr,
                                        nullptr, 0);
    if (!sent) return pg_error(nullptr, conn_);
    PQsetSingleRowMode(conn_);
    // Every result is read to the end, whatever happens, so the connection can run the next statement.
    struct Clear {
      void operator()(PGresult* r) const { PQclear(r); }
    };
    auto drain = [&] {
      while (PGresult* r = PQgetResult(conn_)) PQclear(r);
    };
    Status st = ok_status();
    try {
      while (std::unique_ptr<PGresult, Clear> res{PQgetResult(conn_)}) {
        if (!st.ok()) continue;
        ExecStatusType status = PQresultStatus(res.get());
        if (status == PGRES_SINGLE_TUPLE) {
          st = fn(PgRowView(res.get()));
        } else if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
          forget_if_stale(res.get(), sql);
          st = pg_error(res.get(), conn_);
        }
      }
    } catch (...) {
      drain();
      throw;
    }
    return st;
  }

  Status exec_script(std::string_view sql) override {
    std::string text(sql);
    PGresult* res = PQexec(conn_, text.c_str());
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
      Error e = pg_error(res, conn_);
      PQclear(res);
      return e;
    }
    PQclear(res);
    return ok_status();
  }

 private:
  // Parameters as text, NULL as a null pointer.
  struct Bound {
    std::vector<std::string> values;
    std::vector<const char*> ptrs;
    int n = 0;
  };
  static Bound bind(const Params& params) {
    Bound b;
    b.values.resize(params.size());
    b.ptrs.resize(params.size());
    for (size_t i = 0; i < params.size(); ++i) {
      if (params[i].is_null()) {
        b.ptrs[i] = nullptr;
      } else {
        b.values[i] = params[i].as_text();
        b.ptrs[i] = b.values[i].c_str();
      }
    }
    b.n = static_cast<int>(params.size());
    return b;
  }

  // The name this connection prepared `sql` under (preparing it the first time), or nullptr when it
  // runs unprepared.
  const std::string* statement_for(std::string_view sql, int n) {
    std::string key(sql);
    auto it = prepared_.find(key);
    if (it == prepared_.end() && names_used_ < kMaxPrepared) {
      std::string name = "sy" + std::to_string(names_used_ + 1);
      PGresult* prep = PQprepare(conn_, name.c_str(), to_dollar_params(sql).c_str(), n, nullptr);
      bool ok = PQresultStatus(prep) == PGRES_COMMAND_OK;
      // A statement that does not prepare (a syntax error, an aborted transaction) runs unprepared
      // and reports its own error.
      PQclear(prep);
      if (ok) {
        ++names_used_;
        it = prepared_.emplace(std::move(key), std::move(name)).first;
      }
    }
    return it == prepared_.end() ? nullptr : &it->second;
  }

  // "cached plan must not change result type": the table changed shape under the statement (a
  // migration by another process). Prepare it afresh next time; this call reports the error.
  void forget_if_stale(const PGresult* res, std::string_view sql) {
    const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    if (state && std::string_view(state) == "0A000") prepared_.erase(std::string(sql));
  }

  PGresult* run(std::string_view sql, const Params& params) {
    Bound b = bind(params);
    const std::string* name = statement_for(sql, b.n);
    if (!name) {
      return PQexecParams(conn_, to_dollar_params(sql).c_str(), b.n, nullptr, b.ptrs.data(), nullptr,
                          nullptr, 0);
    }
    PGresult* res = PQexecPrepared(conn_, name->c_str(), b.n, b.ptrs.data(), nullptr, nullptr, 0);
    forget_if_stale(res, sql);
    return res;
  }

  std::string url_;
  PGconn* conn_ = nullptr;
  std::unordered_map<std::string, std::string> prepared_;  // SQL as written → statement name
  size_t names_used_ = 0;  // statement names are never reused within a server session
};

class PgDb : public Db {
 public:
  explicit PgDb(std::string url) : url_(std::move(url)) {}
  Pool<PgConn>& pool() { return pool_; }
  Dialect dialect() const override { return Dialect::kPostgres; }

  Status transact(const std::function<Status(Conn&)>& fn) override {
    auto c = pool_.lend();
    SY_TRY(c->ensure_open());
    SY_TRY(c->exec_script("BEGIN"));
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
    SY_TRY(c->ensure_open());
    return fn(*c);
  }

  std::shared_ptr<Conn> reader_beside_write() override { return nullptr; }

  Status backup_to(const std::string&) override {
    return make_error("backup_use_pg_dump",
                      "PostgreSQL 数据库请用 pg_dump 备份，例如：pg_dump --format=custom "
                      "--file=shuangyong.dump \"" + redacted() + "\"");
  }

  std::string describe() const override { return "PostgreSQL " + redacted(); }

 private:
  // The URL with any password replaced by ***.
  std::string redacted() const {
    std::string u = url_;
    auto scheme = u.find("://");
    auto at = u.find('@');
    if (scheme != std::string::npos && at != std::string::npos) {
      auto colon = u.find(':', scheme + 3);
      if (colon != std::string::npos && colon < at) u.replace(colon + 1, at - colon - 1, "***");
    }
    return u;
  }

  std::string url_;
  Pool<PgConn> pool_;
};

}  // namespace

std::unique_ptr<Db> open_postgres(const std::string& url, const DbOptions& options, Error* error) {
  auto db = std::make_unique<PgDb>(url);
  for (int i = 0; i < std::max(1, options.pool_size); ++i) {
    auto conn = std::make_unique<PgConn>(url);
    if (i == 0) {
      Status st = conn->ensure_open();
      if (!st.ok()) {
        *error = st.error();
        return nullptr;
      }
    }
    db->pool().add(std::move(conn));
  }
  return db;
}

}  // namespace sy::store
