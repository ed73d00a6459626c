// The audit log (安全审计): an append-only record of every log-in, log-out, failure, mutation and
// export, with time, user, IP, action, entity, id, and the record before and after.
//
// Contract:
// - `mutate` is the one path for business and admin writes: it runs the change in a transaction
//   and writes its audit row in that same transaction, so a change without its row cannot exist.
// - `record` appends a row inside a caller's transaction; `record_now` in a transaction of its own
//   (log-in failures, exports).
// - Nothing in the app updates or deletes audit rows; the schema refuses it with triggers.
// - `search` needs the audit:read permission.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "audit/context.h"
#include "core/page.h"
#include "core/result.h"

namespace sy::audit {

struct Entry {
  std::string action;     // "user.create", "session.login", ...
  std::string entity;     // "user", "session", "settings", ...
  std::string entity_id;  // as text
  std::string region_code;
  std::optional<nlohmann::json> before;
  std::optional<nlohmann::json> after;
  std::string result = "ok";  // ok | failed
  std::string detail;
};

Status record(store::Conn& tx, const Context& ctx, const Entry& entry);
Status record_now(const Context& ctx, const Entry& entry);
Status mutate(const Context& ctx, const std::function<Status(store::Conn&, Entry&)>& change);

struct Row {
  std::int64_t id = 0;
  Millis at = 0;
  std::optional<std::int64_t> user_id;
  std::string username, ip, action, entity, entity_id, region_code, result, detail;
  std::optional<std::string> before_json, after_json;
};

struct Query {
  std::string username, action, entity, entity_id, result;
  std::optional<Millis> from, to;  // [from, to)
  PageRequest page;
};

Result<Page<Row>> search(const Context& ctx, const Query& q);
// Every matching row (up to `limit`), for export; needs audit:export.
Result<std::vector<Row>> export_rows(const Context& ctx, const Query& q, int limit = 100000);

// Action names shown to users.
std::string action_label(std::string_view action);

}  // namespace sy::audit
