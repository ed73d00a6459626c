// Progress of a payroll run's computation (persons processed of the persons in the run's region, and
// the phase), for the page that waits on POST /payroll-runs or …/recompute and polls meanwhile.
//
// Contract:
// - The page names the computation with a token it chooses (8–64 of A–Z a–z 0–9 - _). Without a
//   token nothing is recorded and the computation costs nothing extra.
// - Each server process keeps the progress of its own computations in memory (an attachment of the
//   Db): exact and instant for the process that computes. On PostgreSQL it is also written to
//   `payroll_progress` in short transactions of its own (each phase, and at most every 300 ms while
//   computing), so another instance of the same database answers the poll. SQLite is one server
//   process per file and has one writer: a second transaction would wait for the run's, so there
//   the memory copy is the only one.
// - Only the user who started a computation may read its progress; others get not_found. Finished
//   entries (done with the run id, or failed with the message) stay an hour in memory, a day in the
//   table.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "audit/context.h"
#include "core/result.h"

namespace sy::payroll {

struct RunProgress {
  std::string token, phase;  // prepare | compute | save | done | failed
  std::int64_t done = 0, total = 0, run_id = 0, user_id = 0;
  std::string message;
  Millis started_at = 0, updated_at = 0;
};

std::string progress_phase_name(const std::string& phase);  // 准备 | 逐人计算 | 保存 | 完成 | 失败
Status check_progress_token(const std::string& token);

// Reports one computation. Every method is a no-op when the token is empty.
class ProgressReporter {
 public:
  ProgressReporter(const Context& ctx, std::string token);
  bool active() const { return !p_.token.empty(); }
  void phase(const std::string& phase, std::int64_t done, std::int64_t total);
  void advance(std::int64_t persons);
  void finish(std::int64_t run_id);
  void fail(const std::string& message);
  // Called after each report with what was recorded (tests look from another instance meanwhile).
  std::function<void(const RunProgress&)> observer;

 private:
  void record(bool force);
  const Context& ctx_;
  RunProgress p_;
  std::chrono::steady_clock::time_point written_{};
};

Result<RunProgress> get_progress(const Context& ctx, const std::string& token);

}  // namespace sy::payroll
