#include "store/db.h"

#include <charconv>
#include <cstdio>

namespace sy::store {

std::int64_t Value::as_int() const {
  switch (v_.index()) {
    case 1:
      return std::get<1>(v_);
    case 2:
      return static_cast<std::int64_t>(std::get<2>(v_));
    case 3: {
      const std::string& s = std::get<3>(v_);
      std::int64_t out = 0;
      std::from_chars(s.data(), s.data() + s.size(), out);
      return out;
    }
    default:
      return 0;
  }
}

double Value::as_double() const {
  switch (v_.index()) {
    case 1:
      return static_cast<double>(std::get<1>(v_));
    case 2:
      return std::get<2>(v_);
    case 3:
      return std::strtod(std::get<3>(v_).c_str(), nullptr);
    default:
      return 0;
  }
}

std::string Value::as_text() const {
  switch (v_.index()) {
    case 1:
      return std::to_string(std::get<1>(v_));
    case 2: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.17g", std::get<2>(v_));
      return buf;
    }
    case 3:
      return std::get<3>(v_);
    default:
      return {};
  }
}

Result<std::optional<Row>> Conn::query_one(std::string_view sql, const Params& params) {
  auto rows = query(sql, params);
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return std::optional<Row>();
  return std::optional<Row>(std::move(rows->front()));
}

Result<std::int64_t> Conn::query_int(std::string_view sql, const Params& params) {
  auto rows = query(sql, params);
  if (!rows.ok()) return rows.error();
  if (rows->empty() || rows->front().size() == 0) return std::int64_t{0};
  return rows->front().i64(0);
}

bool Db::is_postgres_url(std::string_view url) {
  return url.starts_with("postgresql://") || url.starts_with("postgres://");
}

Result<std::unique_ptr<Db>> Db::open(const std::string& url, DbOptions options) {
  if (url.empty()) {
    return make_error("db_missing", "未指定数据库：请用 --db 或环境变量 SY_DB 指定", "db");
  }
  Error err;
  std::unique_ptr<Db> db =
      is_postgres_url(url) ? open_postgres(url, options, &err) : open_sqlite(url, options, &err);
  if (!db) return err;
  return db;
}

static std::string like_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

std::string like_prefix(std::string_view prefix) { return like_escape(prefix) + "%"; }
std::string like_contains(std::string_view text) { return "%" + like_escape(text) + "%"; }

}  // namespace sy::store
