#include "payroll/progress.h"

#include <algorithm>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace sy::payroll {
namespace {

constexpr Millis kKeepInMemoryMs = 60 * 60 * 1000;
constexpr Millis kKeepInTableMs = 24 * 60 * 60 * 1000;
constexpr auto kWriteEvery = std::chrono::milliseconds(300);

// The progress of this process's computations, beside the Db.
class ProgressBoard {
 public:
  void put(const RunProgress& p) {
    std::lock_guard<std::mutex> lock(mu_);
    if (p.phase == "prepare") {
      for (auto it = entries_.begin(); it != entries_.end();)
        it = it->second.updated_at + kKeepInMemoryMs < p.updated_at ? entries_.erase(it) : std::next(it);
    }
    entries_[p.token] = p;
  }
  std::optional<RunProgress> get(const std::string& token) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(token);
    if (it == entries_.end()) return std::nullopt;
    return it->second;
  }

 private:
  std::mutex mu_;
  std::unordered_map<std::string, RunProgress> entries_;
};

Error progress_not_found() { return make_error("not_found", "没有找到这次计算的进度（可能已过期或不是您发起的）"); }

}  // namespace

std::string progress_phase_name(const std::string& phase) {
  if (phase == "prepare") return "准备";
  if (phase == "compute") return "逐人计算";
  if (phase == "save") return "保存";
  if (phase == "done") return "完成";
  if (phase == "failed") return "失败";
  return phase;
}

Status check_progress_token(const std::string& token) {
  bool ok = token.size() >= 8 && token.size() <= 64 && std::all_of(token.begin(), token.end(), [](char ch) {
              return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
            });
  if (!ok) return make_error("invalid_parameter", "进度标识应为 8 至 64 个字母、数字、“-”或“_”", "progress");
  return ok_status();
}

ProgressReporter::ProgressReporter(const Context& ctx, std::string token) : ctx_(ctx) {
  p_.token = std::move(token);
  p_.user_id = ctx.actor.user_id;
  p_.started_at = ctx.now();
}

void ProgressReporter::phase(const std::string& phase, std::int64_t done, std::int64_t total) {
  if (!active()) return;
  p_.phase = phase;
  p_.done = done;
  p_.total = total;
  record(true);
}

void ProgressReporter::advance(std::int64_t persons) {
  if (!active()) return;
  p_.done += persons;
  record(false);
}

void ProgressReporter::finish(std::int64_t run_id) {
  if (!active()) return;
  p_.phase = "done";
  p_.done = p_.total;
  p_.run_id = run_id;
  record(true);
}

void ProgressReporter::fail(const std::string& message) {
  if (!active()) return;
  p_.phase = "failed";
  p_.message = message;
  record(true);
}

void ProgressReporter::record(bool force) {
  p_.updated_at = ctx_.now();
  ctx_.db.attachment<ProgressBoard>().put(p_);
  auto now = std::chrono::steady_clock::now();
  if (ctx_.db.dialect() == store::Dialect::kPostgres && (force || now - written_ >= kWriteEvery)) {
    written_ = now;
    // Best effort: progress never fails the run it reports on.
    (void)ctx_.db.transact([&](store::Conn& c) -> Status {
      if (p_.phase == "prepare")
        SY_TRY(c.exec("DELETE FROM payroll_progress WHERE updated_at < ?", {p_.updated_at - kKeepInTableMs}));
      SY_TRY(c.exec("INSERT INTO payroll_progress (token, user_id, phase, done, total, run_id, message, started_at, "
                    "updated_at) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT (token) DO UPDATE SET phase = excluded.phase, "
                    "done = excluded.done, total = excluded.total, run_id = excluded.run_id, message = excluded.message, "
                    "updated_at = excluded.updated_at",
                    {p_.token, p_.user_id ? store::Value(p_.user_id) : store::Value(), p_.phase, p_.done, p_.total,
                     p_.run_id ? store::Value(p_.run_id) : store::Value(), p_.message, p_.started_at, p_.updated_at}));
      return ok_status();
    });
  }
  if (observer) observer(p_);
}

Result<RunProgress> get_progress(const Context& ctx, const std::string& token) {
  SY_TRY(check_progress_token(token));
  auto mine = [&](const RunProgress& p) { return ctx.actor.system || p.user_id == ctx.actor.user_id; };
  if (auto p = ctx.db.attachment<ProgressBoard>().get(token)) {
    if (!mine(*p)) return progress_not_found();
    return *p;
  }
  if (ctx.db.dialect() != store::Dialect::kPostgres) return progress_not_found();
  std::optional<RunProgress> out;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(auto row, c.query_one("SELECT token, user_id, phase, done, total, run_id, message, started_at, updated_at "
                                    "FROM payroll_progress WHERE token = ?",
                                    {token}));
    if (!row) return ok_status();
    RunProgress p;
    p.token = row->str(0);
    p.user_id = row->is_null(1) ? 0 : row->i64(1);
    p.phase = row->str(2);
    p.done = row->i64(3);
    p.total = row->i64(4);
    p.run_id = row->is_null(5) ? 0 : row->i64(5);
    p.message = row->str(6);
    p.started_at = row->i64(7);
    p.updated_at = row->i64(8);
    out = p;
    return ok_status();
  }));
  if (!out || !mine(*out)) return progress_not_found();
  return *out;
}

}  // namespace sy::payroll
