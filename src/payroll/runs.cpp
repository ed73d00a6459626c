#include "payroll/runs.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "audit/audit.h"
#include "core/handoff.h"
#include "core/id_number.h"
#include "core/region_code.h"
#include "core/text.h"
#include "io/upload.h"
#include "io/xlsx_table.h"
#include "payroll/bank_file.h"
#include "payroll/entitlement.h"
#include "payroll/rules.h"
#include "payroll/standards.h"
#include "store/bulk_write.h"

namespace sy::payroll {
namespace {

const char* kRunColumns =
    "SELECT r.id, r.month, r.kind, r.items, r.region_code, g.name, r.parent_run_id, r.status, r.line_count, "
    "r.person_count, r.total_fen, r.arrears_fen, r.recovery_fen, r.exception_count, r.exception_fen, r.paid_count, "
    "r.failed_count, r.failed_fen, pu.display_name, r.prepared_at, r.computed_at, au.display_name, r.approved_at, "
    "r.exported_at, r.reconciled_at, r.version, r.prepared_by, r.approved_by, "
    "(SELECT max(c.id) FROM payroll_runs c WHERE c.parent_run_id = r.id AND c.status <> 'discarded') "
    "FROM payroll_runs r LEFT JOIN regions g ON g.code = r.region_code "
    "LEFT JOIN users pu ON pu.id = r.prepared_by LEFT JOIN users au ON au.id = r.approved_by";

struct StoredRun {
  RunSummary summary;
  std::optional<std::int64_t> prepared_by, approved_by;
};

StoredRun to_run(const store::Row& r) {
  StoredRun s;
  RunSummary& x = s.summary;
  x.id = r.i64(0);
  x.month = r.str(1);
  x.kind = r.str(2);
  for (auto& i : split(r.str(3), ','))
    if (!i.empty()) x.items.push_back(i);
  x.region_code = r.str(4);
  x.region_name = r.str(5);
  x.parent_run_id = r.is_null(6) ? 0 : r.i64(6);
  x.status = r.str(7);
  x.line_count = r.i64(8);
  x.person_count = r.i64(9);
  x.total_fen = r.i64(10);
  x.arrears_fen = r.i64(11);
  x.recovery_fen = r.i64(12);
  x.exception_count = r.i64(13);
  x.exception_fen = r.i64(14);
  x.paid_count = r.i64(15);
  x.failed_count = r.i64(16);
  x.failed_fen = r.i64(17);
  x.prepared_by = r.str(18);
  x.prepared_at = r.i64(19);
  x.computed_at = r.i64(20);
  x.approved_by = r.str(21);
  x.approved_at = r.is_null(22) ? 0 : r.i64(22);
  x.exported_at = r.is_null(23) ? 0 : r.i64(23);
  x.reconciled_at = r.is_null(24) ? 0 : r.i64(24);
  x.version = static_cast<int>(r.i64(25));
  s.prepared_by = r.opt_i64(26);
  s.approved_by = r.opt_i64(27);
  x.reissue_run_id = r.is_null(28) ? 0 : r.i64(28);
  return s;
}

Error run_not_found() { return make_error("not_found", "发放批次不存在或不在您的管辖范围内"); }

Result<StoredRun> load_run(store::Conn& c, const Context& ctx, std::int64_t id) {
  SY_ASSIGN(auto row, c.query_one(std::string(kRunColumns) + " WHERE r.id = ?", {id}));
  if (!row) return run_not_found();
  StoredRun run = to_run(*row);
  if (!ctx.actor.in_scope(run.summary.region_code)) return run_not_found();
  return run;
}

bool regions_overlap(const std::string& a, const std::string& b) {
  return region_contains(a, b) || region_contains(b, a);
}

std::string placeholders(size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += i ? ",?" : "?";
  return s;
}

nlohmann::json summary_json(const RunSummary& r) {
  return {{"month", r.month}, {"kind", r.kind}, {"status", r.status}, {"lines", r.line_count},
          {"total_fen", r.total_fen}, {"arrears_fen", r.arrears_fen}, {"recovery_fen", r.recovery_fen},
          {"exceptions", r.exception_count}};
}

// Everything the calculation reads for a region besides the persons, in the run's transaction.
struct Inputs {
  std::vector<BenefitItem> all_items, run_items;
  std::vector<StandardRow> standards;
  RulesSettings settings;
  PayRules rules;
};

Result<std::vector<BenefitItem>> pick_items(const std::vector<BenefitItem>& all, const std::vector<StandardRow>& standards,
                                            const std::vector<std::string>& asked) {
  std::vector<BenefitItem> out;
  if (asked.empty()) {
    StandardsTable table(standards);
    for (const auto& i : all)
      if ((i.frequency == "monthly" && table.has_item(i.code)) || i.code == "funeral_subsidy") out.push_back(i);
    if (out.size() <= 1) return make_error("no_standards", "尚未录入任何按月发放的待遇标准，请先在“待遇标准”中导入或录入", "items");
    return out;
  }
  for (const auto& a : asked) {
    auto it = std::find_if(all.begin(), all.end(), [&](const BenefitItem& i) { return i.code == a || i.name == a; });
    if (it == all.end()) return make_error("unknown_item", "未知的待遇项目“" + a + "”", "items");
    if (it->frequency == "one_off" && it->code != "funeral_subsidy")
      return make_error("unknown_item", it->name + "为一次性项目，不按月批量发放", "items");
    if (std::none_of(out.begin(), out.end(), [&](const BenefitItem& i) { return i.code == it->code; })) out.push_back(*it);
  }
  std::sort(out.begin(), out.end(), [](const BenefitItem& a, const BenefitItem& b) { return a.sort < b.sort; });
  return out;
}

Status load_inputs(store::Conn& c, MonthIndex run_month, const std::vector<std::string>& item_codes, Inputs& in) {
  SY_ASSIGN(in.all_items, load_items(c));
  SY_ASSIGN(in.standards, load_active_standards(c));
  SY_ASSIGN(in.run_items, pick_items(in.all_items, in.standards, item_codes));
  SY_ASSIGN(in.settings, load_rules(c));
  auto first = parse_month(in.settings.first_month);
  in.rules = PayRules{.first_month = first ? *first : run_month,
                      .funeral_months = in.settings.funeral_months,
                      .funeral_months_disabled_illness = in.settings.funeral_months_disabled_illness,
                      .part_year_counts = in.settings.part_year_counts};
  return ok_status();
}

// The persons of one region code (a village, or a township or county that holds persons itself)
// whom the run concerns — a category the run's items serve, or a payment position for one of them —
// in the run's order (name, then id), with their categories, what they were paid and whether they
// are withheld. Read region by region, so a county of a million never sits in memory at once.
struct RegionPersons {
  std::vector<PersonFacts> persons;
  std::vector<std::map<std::string, PaidMonths>> paid;  // beside persons; empty map = nothing paid
};

// Calls `fn` for the rows `sql` gives for the ids, asked kIdsPerQuery at a time. `sql` ends in
// "IN (" and gets the placeholders; the list is padded with 0 (never an id) so every call runs the
// same cached statement. `before` are parameters ahead of the ids.
constexpr size_t kIdsPerQuery = 500;
Status for_ids(store::Conn& c, const std::string& sql, const store::Params& before, const std::vector<std::int64_t>& ids,
               const std::function<Status(const store::RowView&)>& fn) {
  std::string text = sql + placeholders(kIdsPerQuery) + ")";
  store::Params params;
  for (size_t at = 0; at < ids.size(); at += kIdsPerQuery) {
    params = before;
    for (size_t k = 0; k < kIdsPerQuery; ++k)
      params.emplace_back(at + k < ids.size() ? ids[at + k] : std::int64_t{0});
    SY_TRY(c.for_each_row(text, params, fn));
  }
  return ok_status();
}

Status load_region_persons(store::Conn& c, const Inputs& in, const std::set<std::string>& categories,
                           const std::set<std::string>& item_codes, bool any_positions, const std::string& region,
                           MonthIndex run_month, RegionPersons& out) {
  out.persons.clear();
  out.paid.clear();
  // The persons in name order: the index gives it without a sort. Persons with the same name_sort
  // (a tie) are put in id order afterwards, as ORDER BY p.region_code, p.name_sort, p.id did.
  // Their categories, positions and proofs of life are read in a second pass by id, so each pass
  // walks few pages at a time (SQLite's page cache is 2 MB by default; one join per person over a
  // village of thousands made it read the same pages again and again).
  std::string group_sort;  // name_sort of the current group of persons
  size_t group_start = 0;
  std::vector<std::pair<size_t, size_t>> ties;  // [begin, end) of groups with more than one person
  SY_TRY(c.for_each_row(
      "SELECT p.id, p.name, p.id_number, p.birth_date, p.status, p.status_date, p.status_reason, p.enlisted_on, "
      "p.discharged_on, p.paid_through, p.bank_name, p.bank_account, p.name_sort FROM persons p "
      "WHERE p.region_code = ? ORDER BY p.name_sort",
      {region}, [&](const store::RowView& r) -> Status {
        std::string_view sort = r.text(12);
        if (out.persons.empty() || sort != group_sort) {
          group_sort.assign(sort);
          group_start = out.persons.size();
        } else {
          if (ties.empty() || ties.back().first != group_start) ties.emplace_back(group_start, 0);
          ties.back().second = out.persons.size() + 1;
        }
        PersonFacts& n = out.persons.emplace_back();
        n.id = r.i64(0);
        n.region_code = region;
        n.name = r.text(1);
        n.id_number = r.text(2);
        n.birth_date = r.text(3);
        n.status = r.text(4);
        n.status_date = r.text(5);
        n.status_reason = r.text(6);
        n.enlisted_on = r.text(7);
        n.discharged_on = r.text(8);
        n.paid_through = r.text(9);
        n.bank_name = r.text(10);
        n.bank_account = r.text(11);
        return ok_status();
      }));
  for (auto [begin, end] : ties)
    std::sort(out.persons.begin() + static_cast<std::ptrdiff_t>(begin),
              out.persons.begin() + static_cast<std::ptrdiff_t>(end),
              [](const PersonFacts& a, const PersonFacts& b) { return a.id < b.id; });
  if (out.persons.empty()) return ok_status();

  // Person id → place, and the ids in order (the second pass reads them in id order).
  std::vector<std::pair<std::int64_t, size_t>> at(out.persons.size());
  for (size_t k = 0; k < out.persons.size(); ++k) at[k] = {out.persons[k].id, k};
  std::sort(at.begin(), at.end());
  std::vector<std::int64_t> ids(at.size());
  for (size_t k = 0; k < at.size(); ++k) ids[k] = at[k].first;
  auto person = [&](std::int64_t id) -> PersonFacts* {
    auto it = std::lower_bound(at.begin(), at.end(), std::pair<std::int64_t, size_t>{id, 0});
    return it != at.end() && it->first == id ? &out.persons[it->second] : nullptr;
  };
  SY_TRY(for_ids(c,
                 "SELECT c.person_id, c.category, c.disability_grade, c.disability_cause, c.approved_on, c.status "
                 "FROM person_categories c WHERE c.person_id IN (",
                 {}, ids, [&](const store::RowView& r) -> Status {
                   if (PersonFacts* p = person(r.i64(0)))
                     p->categories.push_back({r.str(1), r.is_null(2) ? 0 : static_cast<int>(r.i64(2)), r.str(3),
                                              r.str(4), r.str(5)});
                   return ok_status();
                 }));
  std::vector<std::map<std::string, PaidMonths>> paid(out.persons.size());
  if (any_positions) {
    SY_TRY(for_ids(c, "SELECT pp.person_id, pp.item_code, pp.schedule FROM payment_positions pp WHERE pp.person_id IN (",
                   {}, ids, [&](const store::RowView& r) -> Status {
                     if (PersonFacts* p = person(r.i64(0)))
                       paid[static_cast<size_t>(p - out.persons.data())][r.str(1)] = decode_paid(r.str(2));
                     return ok_status();
                   }));
  }
  int year = run_month / 12;
  const std::string& deadline_day = in.settings.proof_of_life_deadline;
  std::set<std::pair<std::int64_t, int>> verified;
  if (!deadline_day.empty()) {
    SY_TRY(for_ids(c, "SELECT l.person_id, l.year FROM proof_of_life l WHERE l.year >= ? AND l.person_id IN (",
                   {year - 1}, ids, [&](const store::RowView& r) -> Status {
                     verified.insert({r.i64(0), static_cast<int>(r.i64(1))});
                     return ok_status();
                   }));
  }

  // Keep the persons the run concerns: a category its items serve, or a position for one of them.
  // Each person's categories in code order.
  size_t kept = 0;
  for (size_t k = 0; k < out.persons.size(); ++k) {
    PersonFacts& p = out.persons[k];
    auto& cats = p.categories;
    auto by_code = [](const CategoryFacts& a, const CategoryFacts& b) { return a.category < b.category; };
    if (!std::is_sorted(cats.begin(), cats.end(), by_code)) std::sort(cats.begin(), cats.end(), by_code);
    bool concerned = std::any_of(cats.begin(), cats.end(), [&](const CategoryFacts& cf) {
      return categories.count(cf.category) > 0;
    });
    for (const auto& [item, months] : paid[k])
      if (item_codes.count(item)) concerned = true;
    if (!concerned) continue;
    if (kept != k) out.persons[kept] = std::move(p);
    out.paid.push_back(std::move(paid[k]));
    ++kept;
  }
  out.persons.resize(kept);

  // Withheld: a suspended person from the month of suspension; proof of life overdue.
  for (auto& p : out.persons) {
    if (p.status == "suspended") {
      p.withheld_from = p.status_date.size() >= 7 ? month_of_date(p.status_date) : run_month;
      p.withheld_reason = "暂停发放" + (p.status_reason.empty() ? std::string() : "：" + p.status_reason);
      continue;
    }
    if (deadline_day.empty() || p.status != "active") continue;
    for (int y = year - 1; y <= year; ++y) {
      std::string deadline = std::to_string(y) + "-" + deadline_day;
      MonthIndex from = month_of_date(deadline) + 1;  // withheld from the month after the deadline
      if (run_month < from) continue;
      // Last year's check counts only if the system was already paying when last year's deadline passed.
      if (y < year && from <= in.rules.first_month) continue;
      if (verified.count({p.id, y})) continue;
      p.withheld_from = from;
      p.withheld_reason = "未完成" + std::to_string(y) + "年度生存认证（截止" + deadline + "）";
      break;
    }
  }
  return ok_status();
}

// Persons with their computed lines, handed from the computing thread to the writing one, and how
// many persons the computation had finished by then (for the progress).
struct ComputedPersons {
  static constexpr size_t kPersons = 256;
  std::vector<PersonFacts> persons;
  std::vector<std::vector<Line>> lines;  // beside persons
  std::int64_t persons_done = 0;
};

// Writes a run's lines with multi-row INSERTs of up to kRows rows (one statement per batch instead
// of one per line: a million lines is 16,000 statements), numbering them as they come.
class LineWriter {
 public:
  static constexpr size_t kRows = 64;
  static constexpr size_t kColumns = 16;

  LineWriter(store::Conn& tx, IdGenerator& ids, std::int64_t run_id)
      : tx_(tx), ids_(ids), run_id_(run_id), sqlite_(tx.dialect() == store::Dialect::kSqlite) {
    params_.reserve(kRows * kColumns);
  }

  // The text is copied: persons and lines go back to the thread that made them, to be freed there.
  Status add(const PersonFacts& p, const Line& l) {
    params_.emplace_back(ids_.next());
    params_.emplace_back(run_id_);
    params_.emplace_back(++seq_);
    params_.emplace_back(p.id);
    params_.emplace_back(p.region_code);
    params_.emplace_back(p.name);
    params_.emplace_back(p.id_number);
    params_.emplace_back(p.bank_name);
    params_.emplace_back(p.bank_account);
    params_.emplace_back(l.item_code);
    params_.emplace_back(l.kind);
    params_.emplace_back(month_text(l.for_month));
    params_.emplace_back(l.standard_id ? store::Value(l.standard_id) : store::Value());
    params_.emplace_back(l.amount_fen);
    params_.emplace_back(l.basis);
    params_.emplace_back(l.exception);
    if (++rows_ == kRows) return flush();
    return ok_status();
  }

  Status flush() {
    if (rows_ == 0) return ok_status();
    std::string& sql = rows_ == kRows ? full_sql_ : partial_sql_;
    if (rows_ != kRows || sql.empty()) sql = insert_sql(rows_);
    SY_TRY(tx_.exec(sql, params_));
    params_.clear();
    rows_ = 0;
    return ok_status();
  }

 private:
  // On SQLite OR FAIL, with the table's deferred foreign keys (migration 0011), spares each statement
  // a statement journal: a failure rolls the whole run back anyway.
  std::string insert_sql(size_t rows) const {
    std::string sql = sqlite_ ? "INSERT OR FAIL INTO" : "INSERT INTO";
    sql +=
        " payroll_lines (id, run_id, seq, person_id, region_code, name, id_number, bank_name, bank_account, "
        "item_code, kind, for_month, standard_id, amount_fen, basis, exception) VALUES ";
    for (size_t i = 0; i < rows; ++i) sql += i ? ",(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    return sql;
  }

  store::Conn& tx_;
  IdGenerator& ids_;
  std::int64_t run_id_;
  bool sqlite_;
  int seq_ = 0;
  store::Params params_;
  size_t rows_ = 0;
  std::string full_sql_, partial_sql_;
};

std::int64_t persons_total(const std::unordered_map<std::string, std::int64_t>& counts) {
  std::int64_t n = 0;
  for (const auto& [region, k] : counts) n += k;
  return n;
}

// The page cache of a run's connection while it writes its lines (store::BulkWrite): enough for the
// person index of a million lines.
constexpr std::int64_t kRunCacheKib = 64 << 10;

// Hand-overs that may wait between the computing thread and the writing one (4,096 persons).
constexpr size_t kHandOversWaiting = 16;

// What a run's computation reads besides the persons, and what it has counted.
struct Computation {
  MonthIndex run_month = 0;
  Inputs in;
  std::set<std::string> categories, item_codes;
  bool any_positions = false;
  std::vector<std::string> regions;                          // region codes, in the run's order
  std::unordered_map<std::string, std::int64_t> persons_in;  // per region code, when progress is watched
  RunSummary totals;
  std::int64_t persons_paid = 0;
};

// Reads the persons region by region on `c`, computes their lines and hands them on in the run's
// order (region code, name, id); counts the totals into `run`.
Status compute_regions(store::Conn& c, Computation& run, const HandOn<ComputedPersons>& hand_on) {
  StandardsTable table(run.in.standards);
  RunSummary& t = run.totals;
  ComputedPersons out;
  RegionPersons chunk;
  for (const auto& region : run.regions) {
    SY_TRY(load_region_persons(c, run.in, run.categories, run.item_codes, run.any_positions, region, run.run_month,
                               chunk));
    for (size_t k = 0; k < chunk.persons.size(); ++k) {
      PersonFacts& p = chunk.persons[k];
      std::vector<Line> lines = compute_lines(p, run.in.run_items, table, run.in.rules, run.run_month, chunk.paid[k]);
      bool payable = false;
      for (const Line& l : lines) {
        ++t.line_count;
        if (!l.exception.empty()) {
          ++t.exception_count;
          t.exception_fen += l.amount_fen;
        } else {
          payable = true;
          t.total_fen += l.amount_fen;
          if (l.kind == "arrears") t.arrears_fen += l.amount_fen;
          if (l.kind == "recovery") t.recovery_fen += l.amount_fen;
        }
      }
      if (payable) ++run.persons_paid;
      if (lines.empty()) continue;
      out.persons.push_back(std::move(p));
      out.lines.push_back(std::move(lines));
      if (out.persons.size() == ComputedPersons::kPersons) {
        SY_TRY(hand_on(std::move(out)));
        out = ComputedPersons{};
      }
    }
    auto n = run.persons_in.find(region);
    if (n != run.persons_in.end()) out.persons_done += n->second;
  }
  if (!out.persons.empty() || out.persons_done) SY_TRY(hand_on(std::move(out)));
  return ok_status();
}

// Computes the draft's lines and totals into the run (its old lines are replaced). On SQLite the
// persons are read and computed on a second thread with a connection of their own while this one
// writes (store::Db::reader_beside_write): the run's transaction keeps other writers out, so both
// see the same registry. Without a spare connection, and on PostgreSQL, one thread does both.
Status compute_into(store::Conn& tx, const Context& ctx, std::int64_t run_id, const std::string& region_code,
                    const std::string& month, const std::vector<std::string>& items, ProgressReporter& progress) {
  Computation run;
  run.run_month = *parse_month(month);
  SY_TRY(load_inputs(tx, run.run_month, items, run.in));
  for (const auto& i : run.in.run_items) {
    run.item_codes.insert(i.code);
    for (const auto& cat : i.categories) run.categories.insert(cat);
  }
  // The run's lines go into payroll_lines_person at random places (persons come in name order):
  // the index's pages stay in a larger cache.
  store::BulkWrite bulk(tx, kRunCacheKib);
  SY_TRY(bulk.begin());
  SY_TRY(tx.exec("DELETE FROM payroll_lines WHERE run_id = ?", {run_id}));
  std::string like = store::like_prefix(region_prefix(region_code));
  store::Params item_params;
  for (const auto& code : run.item_codes) item_params.emplace_back(code);
  SY_ASSIGN(std::int64_t any_positions,
            tx.query_int("SELECT count(*) FROM (SELECT 1 FROM payment_positions WHERE item_code IN (" +
                             placeholders(item_params.size()) + ") LIMIT 1) x",
                         item_params));
  run.any_positions = any_positions != 0;
  SY_TRY(tx.for_each_row("SELECT code FROM regions WHERE code LIKE ? ESCAPE '\\' ORDER BY code", {like},
                         [&](const store::RowView& r) -> Status {
                           run.regions.push_back(r.str(0));
                           return ok_status();
                         }));
  // Persons per region code, for the progress (only when someone watches: a grouped count).
  if (progress.active()) {
    std::int64_t total = 0;
    SY_TRY(tx.for_each_row("SELECT region_code, count(*) FROM persons WHERE region_code LIKE ? ESCAPE '\\' "
                           "GROUP BY region_code",
                           {like}, [&](const store::RowView& r) -> Status {
                             run.persons_in[r.str(0)] = r.i64(1);
                             total += r.i64(1);
                             return ok_status();
                           }));
    progress.phase("compute", 0, total);
  }
  LineWriter writer(tx, ctx.ids, run_id);
  auto write = [&](ComputedPersons& c) -> Status {
    for (size_t k = 0; k < c.persons.size(); ++k)
      for (const Line& l : c.lines[k]) SY_TRY(writer.add(c.persons[k], l));
    if (c.persons_done) progress.advance(c.persons_done);
    return ok_status();
  };
  std::shared_ptr<store::Conn> reader;
  if (tx.dialect() == store::Dialect::kSqlite) reader = ctx.db.reader_beside_write();
  if (reader) {
    SY_TRY(run_handoff<ComputedPersons>(
        kHandOversWaiting, [&](const HandOn<ComputedPersons>& hand_on) { return compute_regions(*reader, run, hand_on); },
        write));
  } else {
    SY_TRY(compute_regions(tx, run, [&](ComputedPersons&& c) { return write(c); }));
  }
  reader.reset();
  SY_TRY(writer.flush());
  const RunSummary& t = run.totals;
  std::vector<std::string> codes;
  for (const auto& i : run.in.run_items) codes.push_back(i.code);
  SY_TRY(tx.exec("UPDATE payroll_runs SET items = ?, line_count = ?, person_count = ?, total_fen = ?, arrears_fen = ?, "
                 "recovery_fen = ?, exception_count = ?, exception_fen = ?, computed_at = ? WHERE id = ?",
                 {join(codes, ","), t.line_count, run.persons_paid, t.total_fen, t.arrears_fen,
                  t.recovery_fen, t.exception_count, t.exception_fen, ctx.now(), run_id}));
  std::int64_t all = persons_total(run.persons_in);
  progress.phase("save", all, all);
  return ok_status();
}

Status check_can_run(store::Conn& c, const std::string& region_code, const std::string& month,
                     const std::vector<std::string>& item_codes) {
  SY_ASSIGN(store::Rows rows, c.query(std::string(kRunColumns) +
                                      " WHERE r.kind = 'regular' AND r.status IN ('draft','approved','reconciled')"));
  for (const auto& row : rows) {
    StoredRun other = to_run(row);
    const RunSummary& o = other.summary;
    if (!regions_overlap(o.region_code, region_code)) continue;
    if (o.status == "draft")
      return make_error("draft_exists", "已有未审核的草稿批次（" + o.month + "，" + o.region_name +
                                            "），请先审核或作废后再编制新批次", "month");
    bool shared_item = item_codes.empty() || std::any_of(o.items.begin(), o.items.end(), [&](const std::string& i) {
                         return std::find(item_codes.begin(), item_codes.end(), i) != item_codes.end();
                       });
    if (!shared_item) continue;
    if (o.month == month)
      return make_error("month_already_run", month + " 已编制过发放批次（" + o.region_name + "，批次号 " +
                                                 std::to_string(o.id) + "），同一月份不能重复发放", "month");
    if (o.month > month)
      return make_error("month_before_last_run", "已发放至 " + o.month + "，不能再编制更早月份的批次；" +
                                                     "更正会在下一个批次中以补发或扣回体现", "month");
  }
  return ok_status();
}

std::vector<std::string> item_codes_of(const std::vector<BenefitItem>& all, const std::vector<std::string>& asked) {
  std::vector<std::string> out;
  for (const auto& a : asked)
    for (const auto& i : all)
      if (i.code == a || i.name == a) out.push_back(i.code);
  return out;
}

RunLine to_line(const store::Row& r) {
  RunLine l;
  l.id = r.i64(0);
  l.run_id = r.i64(1);
  l.seq = static_cast<int>(r.i64(2));
  l.person_id = r.i64(3);
  l.region_code = r.str(4);
  l.region_name = r.str(5);
  l.name = r.str(6);
  l.id_number = r.str(7);
  l.bank_name = r.str(8);
  l.bank_account = r.str(9);
  l.item_code = r.str(10);
  l.item_name = r.str(11);
  l.kind = r.str(12);
  l.for_month = r.str(13);
  l.standard_id = r.is_null(14) ? 0 : r.i64(14);
  l.amount_fen = r.i64(15);
  l.basis = r.str(16);
  l.exception = r.str(17);
  l.bank_status = r.str(18);
  l.bank_reason = r.str(19);
  l.run_month = r.str(20);
  l.run_status = r.str(21);
  return l;
}

const char* kLineColumns =
    "SELECT l.id, l.run_id, l.seq, l.person_id, l.region_code, g.short_name, l.name, l.id_number, l.bank_name, "
    "l.bank_account, l.item_code, i.name, l.kind, l.for_month, l.standard_id, l.amount_fen, l.basis, l.exception, "
    "l.bank_status, l.bank_reason, r.month, r.status FROM payroll_lines l JOIN payroll_runs r ON r.id = l.run_id "
    "LEFT JOIN regions g ON g.code = l.region_code LEFT JOIN benefit_items i ON i.code = l.item_code";

// One bank-file row: a person's payable lines in the run, netted.
struct PayeeRow {
  std::int64_t person_id = 0;
  std::string region_code, region_name, name, id_number, bank_name, bank_account, remark;
  Fen net = 0;
  // While reading: (remark label, lines) — the first inline, since most persons have one kind of line.
  std::pair<int, int> kind{-1, 0};
  std::vector<std::pair<int, int>> more_kinds;

  void count(int label, int lines) {
    if (kind.first < 0 || kind.first == label) {
      kind = {label, kind.second + lines};
      return;
    }
    auto it = std::find_if(more_kinds.begin(), more_kinds.end(), [&](const auto& k) { return k.first == label; });
    if (it == more_kinds.end())
      more_kinds.emplace_back(label, lines);
    else
      it->second += lines;
  }
};

// The run's payable lines netted per person, in line order (a person's first line places them).
// The lines are streamed in seq order with only the columns a payee needs; item names come from a
// small lookup instead of a join per line. A run writes each person's lines together, so a payee
// is complete when the next person's line comes and is handed on at once: a run of a million
// payees is never held in memory for the bank file.
class PayeeReader {
 public:
  PayeeReader(store::Conn& c, std::int64_t run_id) : c_(c), run_id_(run_id) {}

  // Calls `fn` for each payee, remark set, region name left empty. Answers whether every person's
  // lines were adjacent; when not (lines not written by a run), a person was handed on more than
  // once and the caller must use payees(), which merges them.
  Result<bool> each(const std::function<void(PayeeRow&)>& fn) {
    SY_TRY(c_.for_each_row("SELECT code, name FROM benefit_items", {}, [&](const store::RowView& r) -> Status {
      item_names_.emplace(r.str(0), r.str(1));
      return ok_status();
    }));
    PayeeRow p;
    bool any = false;
    std::vector<std::int64_t> persons;
    auto hand_on = [&] {
      set_remark(p);
      persons.push_back(p.person_id);
      fn(p);
    };
    SY_TRY(c_.for_each_row(
        "SELECT l.person_id, l.region_code, l.name, l.id_number, l.bank_name, l.bank_account, l.item_code, l.kind, "
        "l.amount_fen FROM payroll_lines l WHERE l.run_id = ? AND l.exception = '' ORDER BY l.seq",
        {run_id_}, [&](const store::RowView& r) -> Status {
          std::int64_t person = r.i64(0);
          if (!any || p.person_id != person) {
            if (any) hand_on();
            any = true;
            // The same PayeeRow for every person: its strings keep their capacity.
            p.person_id = person;
            p.region_code.assign(r.text(1));
            p.region_name.clear();
            p.name.assign(r.text(2));
            p.id_number.assign(r.text(3));
            p.bank_name.assign(r.text(4));
            p.bank_account.assign(r.text(5));
            p.net = 0;
            p.kind = {-1, 0};
            p.more_kinds.clear();
          }
          p.net += r.i64(8);
          p.count(label_of(r.text(6), r.text(7)), 1);
          return ok_status();
        }));
    if (any) hand_on();
    std::sort(persons.begin(), persons.end());
    return std::adjacent_find(persons.begin(), persons.end()) == persons.end();
  }

  // "定期生活补助；残疾抚恤金补发2笔": labels in byte order, with a count when more than one line.
  void set_remark(PayeeRow& p) const {
    p.remark.clear();
    if (p.kind.first < 0) return;
    auto append = [&](const std::pair<int, int>& k) {
      p.remark += labels_[static_cast<size_t>(k.first)];
      if (k.second > 1) p.remark.append(std::to_string(k.second)).append("笔");
    };
    if (p.more_kinds.empty()) {
      append(p.kind);
      return;
    }
    std::vector<std::pair<int, int>> kinds = p.more_kinds;
    kinds.push_back(p.kind);
    std::sort(kinds.begin(), kinds.end(), [&](const auto& a, const auto& b) { return labels_[a.first] < labels_[b.first]; });
    for (const auto& k : kinds) {
      if (!p.remark.empty()) p.remark += "；";
      append(k);
    }
  }

 private:
  // Remark labels ("定期生活补助", "残疾抚恤金补发", …), numbered; per (item, kind suffix) the label's number.
  int label_of(std::string_view item, std::string_view kind) {
    const char* suffix = kind == "arrears" ? "补发" : kind == "recovery" ? "扣回" : "";
    for (size_t i = 0; i < label_keys_.size(); ++i)
      if (label_keys_[i].first == item && label_keys_[i].second == suffix) return label_ids_[i];
    auto it = item_names_.find(std::string(item));
    std::string label = (it == item_names_.end() ? std::string() : it->second) + suffix;
    size_t id = std::find(labels_.begin(), labels_.end(), label) - labels_.begin();
    if (id == labels_.size()) labels_.push_back(std::move(label));
    label_keys_.emplace_back(item, suffix);
    label_ids_.push_back(static_cast<int>(id));
    return static_cast<int>(id);
  }

  store::Conn& c_;
  std::int64_t run_id_;
  std::unordered_map<std::string, std::string> item_names_;
  std::vector<std::string> labels_;
  std::vector<std::pair<std::string, std::string>> label_keys_;
  std::vector<int> label_ids_;
};

// Every payee of the run in a list, with village names (the 花名册, reconciliation). Should a
// person's lines not be adjacent, the later rows of a person are merged into the first.
Result<std::vector<PayeeRow>> payees(store::Conn& c, std::int64_t run_id, bool positive_only) {
  SY_ASSIGN(auto run, c.query_one("SELECT region_code, person_count FROM payroll_runs WHERE id = ?", {run_id}));
  if (!run) return std::vector<PayeeRow>{};
  std::vector<PayeeRow> out;
  out.reserve(static_cast<size_t>(std::max<std::int64_t>(0, run->i64(1) + 16)));
  PayeeReader reader(c, run_id);
  SY_ASSIGN(bool adjacent, reader.each([&](PayeeRow& p) { out.push_back(std::move(p)); }));
  if (!adjacent) {
    std::vector<std::pair<std::int64_t, size_t>> by_person(out.size());
    for (size_t i = 0; i < out.size(); ++i) by_person[i] = {out[i].person_id, i};
    std::sort(by_person.begin(), by_person.end());
    for (size_t i = 1; i < by_person.size(); ++i) {
      if (by_person[i].first != by_person[i - 1].first) continue;
      size_t first = by_person[i - 1].second, later = by_person[i].second;
      by_person[i].second = first;
      PayeeRow& f = out[first];
      PayeeRow& l = out[later];
      f.net += l.net;
      if (l.kind.first >= 0) f.count(l.kind.first, l.kind.second);
      for (const auto& [label, n] : l.more_kinds) f.count(label, n);
      reader.set_remark(f);
      l.person_id = -1;
    }
    out.erase(std::remove_if(out.begin(), out.end(), [](const PayeeRow& p) { return p.person_id == -1; }), out.end());
  }
  // Village names: those of the run's region at once, any other (not made by this system, but
  // possible in old data) one by one.
  std::unordered_map<std::string, std::string> region_names;
  SY_TRY(c.for_each_row("SELECT code, short_name FROM regions WHERE code LIKE ? ESCAPE '\\'",
                        {store::like_prefix(region_prefix(run->str(0)))}, [&](const store::RowView& r) -> Status {
                          region_names.emplace(r.str(0), r.str(1));
                          return ok_status();
                        }));
  for (auto& p : out) {
    auto rn = region_names.find(p.region_code);
    if (rn == region_names.end()) {
      SY_ASSIGN(auto g, c.query_one("SELECT short_name FROM regions WHERE code = ?", {p.region_code}));
      rn = region_names.emplace(p.region_code, g ? g->str(0) : std::string()).first;
    }
    p.region_name = rn->second;
  }
  if (positive_only) out.erase(std::remove_if(out.begin(), out.end(), [](const PayeeRow& p) { return p.net <= 0; }), out.end());
  return out;
}

std::string digits_only(std::string_view s) {
  std::string o;
  for (char ch : s)
    if (ch >= '0' && ch <= '9') o += ch;
  return o;
}

// A re-issue draft pays the same obligation again (its lines, months and amounts stay); each line
// takes the person's current name and bank details, and is held while the account is still unusable.
Status refresh_reissue(store::Conn& tx, const Context& ctx, std::int64_t run_id) {
  SY_ASSIGN(store::Rows rows, tx.query("SELECT l.id, l.person_id, l.amount_fen, p.name, p.bank_name, p.bank_account "
                                       "FROM payroll_lines l JOIN persons p ON p.id = l.person_id "
                                       "WHERE l.run_id = ? ORDER BY l.seq",
                                       {run_id}));
  Fen total = 0, exception_fen = 0;
  std::int64_t exceptions = 0;
  std::set<std::int64_t> persons;
  for (const auto& r : rows) {
    std::string exception = bank_account_usable(r.str(5)) ? "" : "银行账号仍无效，请先在优抚对象信息中更正";
    SY_TRY(tx.exec("UPDATE payroll_lines SET name = ?, bank_name = ?, bank_account = ?, exception = ? WHERE id = ?",
                   {r.str(3), r.str(4), r.str(5), exception, r.i64(0)}));
    if (exception.empty()) {
      total += r.i64(2);
      persons.insert(r.i64(1));
    } else {
      ++exceptions;
      exception_fen += r.i64(2);
    }
  }
  SY_TRY(tx.exec("UPDATE payroll_runs SET line_count = ?, person_count = ?, total_fen = ?, exception_count = ?, "
                 "exception_fen = ?, computed_at = ? WHERE id = ?",
                 {static_cast<std::int64_t>(rows.size()), static_cast<std::int64_t>(persons.size()), total, exceptions,
                  exception_fen, ctx.now(), run_id}));
  return ok_status();
}

// What an approved run pays becomes what has been paid, month by month (payment_positions). Lines
// are read in pages by seq together with the person's current position for the item; each page's
// (person, item) pairs are merged in memory and written back with multi-row upserts, so a pair that
// comes back in a later page reads what the earlier page wrote.
Status add_to_positions(store::Conn& tx, std::int64_t run_id) {
  const std::int64_t kPage = 50000;
  const size_t kBatch = 64;
  struct Touched {
    std::int64_t person_id;
    std::string item_code;
    PaidMonths months;
  };
  std::vector<Touched> touched;
  std::unordered_map<std::int64_t, std::vector<size_t>> by_person;
  store::Params params;
  params.reserve(kBatch * 3);
  std::string full_sql;
  std::int64_t after = -1;
  for (;;) {
    touched.clear();
    by_person.clear();
    std::int64_t rows = 0;
    SY_TRY(tx.for_each_row(
        "SELECT l.seq, l.person_id, l.item_code, l.for_month, l.amount_fen, pp.schedule "
        "FROM payroll_lines l LEFT JOIN payment_positions pp ON pp.person_id = l.person_id "
        "AND pp.item_code = l.item_code WHERE l.run_id = ? AND l.seq > ? AND l.exception = '' "
        "ORDER BY l.seq LIMIT ?",
        {run_id, after, kPage}, [&](const store::RowView& r) -> Status {
          ++rows;
          after = r.i64(0);
          std::int64_t person = r.i64(1);
          std::string_view item = r.text(2);
          Touched* t = nullptr;
          if (!touched.empty() && touched.back().person_id == person && touched.back().item_code == item) {
            t = &touched.back();
          } else {
            auto& mine = by_person[person];
            for (size_t k : mine)
              if (touched[k].item_code == item) t = &touched[k];
            if (!t) {
              mine.push_back(touched.size());
              touched.push_back({person, std::string(item), r.is_null(5) ? PaidMonths() : decode_paid(r.str(5))});
              t = &touched.back();
            }
          }
          auto month = parse_month(r.text(3));
          if (!month) return make_error("bad_line", "发放明细的月份无效：" + r.str(3));
          t->months[*month] += r.i64(4);
          return ok_status();
        }));
    for (size_t i = 0; i < touched.size(); ++i) {
      params.emplace_back(touched[i].person_id);
      params.emplace_back(std::move(touched[i].item_code));
      params.emplace_back(encode_paid(touched[i].months));
      size_t n = params.size() / 3;
      if (n == kBatch || i + 1 == touched.size()) {
        std::string sql;
        std::string& text = n == kBatch ? full_sql : sql;
        if (text.empty()) {
          text = "INSERT INTO payment_positions (person_id, item_code, schedule) VALUES ";
          for (size_t k = 0; k < n; ++k) text += k ? ",(?,?,?)" : "(?,?,?)";
          text += " ON CONFLICT (person_id, item_code) DO UPDATE SET schedule = excluded.schedule";
        }
        SY_TRY(tx.exec(text, params));
        params.clear();
      }
    }
    if (rows < kPage) break;
  }
  return ok_status();
}

}  // namespace

std::string line_kind_name(std::string_view kind) {
  if (kind == "regular") return "正常发放";
  if (kind == "arrears") return "补发";
  if (kind == "recovery") return "扣回";
  if (kind == "one_off") return "一次性";
  if (kind == "reissue") return "重发";
  return std::string(kind);
}

Result<RunSummary> create_run(const Context& ctx, const RunRequest& request) {
  if (!ctx.actor.has("payroll:prepare")) return make_error("forbidden", "您的角色无权编制发放批次");
  auto month = parse_month(request.month);
  if (!month) return make_error("invalid_month", "发放月份应为 YYYY-MM（如 2019-10）", "month");
  if (!request.progress.empty()) SY_TRY(check_progress_token(request.progress));
  std::string region = ctx.actor.system ? std::string() : ctx.actor.region_code;
  std::int64_t id = ctx.ids.next();
  std::optional<RunSummary> out;
  ProgressReporter progress(ctx, request.progress);
  progress.observer = request.observe_progress;
  progress.phase("prepare", 0, 0);
  Status made = audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    if (region.empty()) {
      // The system actor (CLI) runs for the whole database: the county at the root of the tree.
      SY_ASSIGN(auto root, tx.query_one("SELECT code FROM regions WHERE parent_code IS NULL ORDER BY code LIMIT 1"));
      if (!root) return make_error("not_initialized", "数据库尚未初始化区划");
      region = root->str(0);
    }
    SY_ASSIGN(auto all_items, load_items(tx));
    SY_TRY(check_can_run(tx, region, request.month, item_codes_of(all_items, request.items)));
    SY_TRY(fix_first_month(tx, ctx, request.month));
    SY_TRY(tx.exec("INSERT INTO payroll_runs (id, month, kind, items, region_code, status, prepared_by, prepared_at, "
                   "computed_at) VALUES (?,?,'regular','',?,'draft',?,?,?)",
                   {id, request.month, region, ctx.actor.id_or_null(), ctx.now(), ctx.now()}));
    SY_TRY(compute_into(tx, ctx, id, region, request.month, request.items, progress));
    SY_ASSIGN(StoredRun run, load_run(tx, ctx, id));
    out = run.summary;
    entry = audit::Entry{.action = "payroll.create", .entity = "payroll_run", .entity_id = std::to_string(id),
                         .region_code = region, .after = summary_json(run.summary)};
    return ok_status();
  });
  if (!made.ok()) {
    progress.fail(made.error().message);
    return made.error();
  }
  progress.finish(id);
  return *out;
}

Result<RunSummary> recompute_run(const Context& ctx, std::int64_t id, int version, const std::string& progress_token) {
  if (!ctx.actor.has("payroll:prepare")) return make_error("forbidden", "您的角色无权编制发放批次");
  if (!progress_token.empty()) SY_TRY(check_progress_token(progress_token));
  std::optional<RunSummary> out;
  ProgressReporter progress(ctx, progress_token);
  progress.phase("prepare", 0, 0);
  Status done = audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    SY_ASSIGN(StoredRun run, load_run(tx, ctx, id));
    if (run.summary.status != "draft") return make_error("run_not_draft", "只有草稿批次可以重新计算，已审核的批次不可更改");
    if (run.summary.version != version) return make_error("stale_version", "该批次已被他人修改，请刷新后重试", "version");
    if (run.summary.kind == "reissue")
      SY_TRY(refresh_reissue(tx, ctx, id));
    else
      SY_TRY(compute_into(tx, ctx, id, run.summary.region_code, run.summary.month, run.summary.items, progress));
    SY_TRY(tx.exec("UPDATE payroll_runs SET version = version + 1 WHERE id = ?", {id}));
    SY_ASSIGN(StoredRun after, load_run(tx, ctx, id));
    out = after.summary;
    entry = audit::Entry{.action = "payroll.recompute", .entity = "payroll_run", .entity_id = std::to_string(id),
                         .region_code = run.summary.region_code, .before = summary_json(run.summary),
                         .after = summary_json(after.summary)};
    return ok_status();
  });
  if (!done.ok()) {
    progress.fail(done.error().message);
    return done.error();
  }
  progress.finish(id);
  return *out;
}

Result<RunSummary> discard_run(const Context& ctx, std::int64_t id, int version) {
  if (!ctx.actor.has("payroll:prepare")) return make_error("forbidden", "您的角色无权编制发放批次");
  std::optional<RunSummary> out;
  SY_TRY(audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    SY_ASSIGN(StoredRun run, load_run(tx, ctx, id));
    if (run.summary.status != "draft") return make_error("run_not_draft", "只有草稿批次可以作废，已审核的批次不可更改");
    if (run.summary.version != version) return make_error("stale_version", "该批次已被他人修改，请刷新后重试", "version");
    SY_TRY(tx.exec("DELETE FROM payroll_lines WHERE run_id = ?", {id}));
    SY_TRY(tx.exec("UPDATE payroll_runs SET status = 'discarded', line_count = 0, version = version + 1 WHERE id = ?", {id}));
    SY_ASSIGN(StoredRun after, load_run(tx, ctx, id));
    out = after.summary;
    entry = audit::Entry{.action = "payroll.discard", .entity = "payroll_run", .entity_id = std::to_string(id),
                         .region_code = run.summary.region_code, .before = summary_json(run.summary)};
    return ok_status();
  }));
  return *out;
}

Result<RunSummary> approve_run(const Context& ctx, std::int64_t id, int version) {
  if (!ctx.actor.has("payroll:approve")) return make_error("forbidden", "您的角色无权审核发放批次");
  std::optional<RunSummary> out;
  SY_TRY(audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    SY_ASSIGN(StoredRun run, load_run(tx, ctx, id));
    if (run.summary.status != "draft") return make_error("run_not_draft", "该批次已审核，不能再次审核");
    if (run.summary.version != version) return make_error("stale_version", "该批次已被他人修改，请刷新后重试", "version");
    if (!ctx.actor.system && run.prepared_by && *run.prepared_by == ctx.actor.user_id)
      return make_error("maker_checker", "不能审核自己编制的批次：编制与审核须由两人分别完成");
    if (run.summary.kind == "regular") SY_TRY(add_to_positions(tx, id));
    SY_TRY(tx.exec("UPDATE payroll_runs SET status = 'approved', approved_by = ?, approved_at = ?, version = version + 1 "
                   "WHERE id = ?",
                   {ctx.actor.id_or_null(), ctx.now(), id}));
    SY_ASSIGN(StoredRun after, load_run(tx, ctx, id));
    out = after.summary;
    entry = audit::Entry{.action = "payroll.approve", .entity = "payroll_run", .entity_id = std::to_string(id),
                         .region_code = run.summary.region_code, .after = summary_json(after.summary)};
    return ok_status();
  }));
  return *out;
}

Result<RunSummary> get_run(const Context& ctx, std::int64_t id) {
  if (!ctx.actor.has("business:read")) return make_error("forbidden", "您的角色无权查看发放批次");
  std::optional<RunSummary> out;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(StoredRun run, load_run(c, ctx, id));
    out = run.summary;
    return ok_status();
  }));
  return *out;
}

Result<Page<RunSummary>> list_runs(const Context& ctx, const PageRequest& page) {
  if (!ctx.actor.has("business:read")) return make_error("forbidden", "您的角色无权查看发放批次");
  Page<RunSummary> out;
  out.page = page.page;
  out.size = page.size;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    std::string where = " WHERE r.status <> 'discarded' AND r.region_code LIKE ? ESCAPE '\\'";
    store::Params params = {store::like_prefix(ctx.actor.scope_prefix())};
    SY_ASSIGN(out.total, c.query_int("SELECT count(*) FROM payroll_runs r" + where, params));
    params.emplace_back(page.size);
    params.emplace_back(page.offset());
    SY_ASSIGN(store::Rows rows, c.query(std::string(kRunColumns) + where + " ORDER BY r.month DESC, r.prepared_at DESC, r.id DESC LIMIT ? OFFSET ?", params));
    for (const auto& r : rows) out.items.push_back(to_run(r).summary);
    return ok_status();
  }));
  return out;
}

Result<Page<RunLine>> run_lines(const Context& ctx, const LineQuery& q) {
  if (!ctx.actor.has("business:read")) return make_error("forbidden", "您的角色无权查看发放批次");
  if (!q.bank.empty() && q.bank != "paid" && q.bank != "failed" && q.bank != "none")
    return make_error("invalid_parameter", "银行结果应为 paid（成功）、failed（失败）或 none（未对账）", "bank");
  Page<RunLine> out;
  out.page = q.page.page;
  out.size = q.page.size;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_TRY(load_run(c, ctx, q.run_id));
    std::string where = " WHERE l.run_id = ?";
    store::Params params = {q.run_id};
    if (q.exceptions_only) where += " AND l.exception <> ''";
    if (!q.kind.empty()) {
      where += " AND l.kind = ?";
      params.emplace_back(q.kind);
    }
    if (q.bank == "paid" || q.bank == "failed") {
      where += " AND l.bank_status = ?";
      params.emplace_back(q.bank);
    } else if (q.bank == "none") {
      where += " AND l.bank_status = '' AND l.exception = ''";
    }
    if (!q.q.empty()) {
      where += " AND (l.name LIKE ? ESCAPE '\\' OR l.id_number LIKE ? ESCAPE '\\')";
      params.emplace_back(store::like_contains(q.q));
      params.emplace_back("%" + q.q);
    }
    SY_ASSIGN(out.total, c.query_int("SELECT count(*) FROM payroll_lines l" + where, params));
    params.emplace_back(q.page.size);
    params.emplace_back(q.page.offset());
    SY_ASSIGN(store::Rows rows, c.query(std::string(kLineColumns) + where + " ORDER BY l.seq LIMIT ? OFFSET ?", params));
    for (const auto& r : rows) out.items.push_back(to_line(r));
    return ok_status();
  }));
  return out;
}

Result<RunTotals> run_totals(const Context& ctx, std::int64_t id) {
  if (!ctx.actor.has("business:read")) return make_error("forbidden", "您的角色无权查看发放批次");
  RunTotals out;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_TRY(load_run(c, ctx, id));
    SY_ASSIGN(store::Rows items, c.query("SELECT l.item_code, i.name, count(DISTINCT l.person_id), count(*), sum(l.amount_fen) "
                                         "FROM payroll_lines l LEFT JOIN benefit_items i ON i.code = l.item_code "
                                         "WHERE l.run_id = ? AND l.exception = '' GROUP BY l.item_code, i.name, i.sort ORDER BY i.sort",
                                         {id}));
    SY_ASSIGN(std::vector<BenefitItem> all_items, load_items(c));
    for (const auto& r : items) {
      TotalRow& row = out.by_item.emplace_back(TotalRow{r.str(0), r.str(1), r.i64(2), r.i64(3), r.i64(4), {}});
      for (const auto& i : all_items)
        if (i.code == row.key && !parse_funding(i.funding).empty()) row.funding = split_fen(row.fen, parse_funding(i.funding));
    }
    SY_ASSIGN(store::Rows villages, c.query("SELECT l.region_code, g.name, count(DISTINCT l.person_id), count(*), sum(l.amount_fen) "
                                            "FROM payroll_lines l LEFT JOIN regions g ON g.code = l.region_code "
                                            "WHERE l.run_id = ? AND l.exception = '' GROUP BY l.region_code, g.name ORDER BY l.region_code",
                                            {id}));
    for (const auto& r : villages) out.by_village.push_back({r.str(0), r.str(1), r.i64(2), r.i64(3), r.i64(4), {}});
    SY_ASSIGN(store::Rows kinds, c.query("SELECT l.kind, count(DISTINCT l.person_id), count(*), sum(l.amount_fen) FROM payroll_lines l "
                                         "WHERE l.run_id = ? AND l.exception = '' GROUP BY l.kind ORDER BY l.kind",
                                         {id}));
    for (const auto& r : kinds) out.by_kind.push_back({r.str(0), line_kind_name(r.str(0)), r.i64(1), r.i64(2), r.i64(3), {}});
    return ok_status();
  }));
  return out;
}

Result<BankFile> export_bank_file(const Context& ctx, std::int64_t id, const std::string& format,
                                  const std::string& template_name) {
  if (!ctx.actor.has("payroll:prepare")) return make_error("forbidden", "您的角色无权导出银行文件");
  if (!format.empty() && format != "xlsx" && format != "csv")
    return make_error("invalid_format", "银行文件格式应为 xlsx 或 csv", "format");
  BankFile out;
  SY_TRY(audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    SY_ASSIGN(StoredRun stored, load_run(tx, ctx, id));
    const RunSummary& run = stored.summary;
    if (run.status == "draft" || run.status == "discarded")
      return make_error("run_not_approved", "批次尚未审核，不能导出银行文件");
    SY_ASSIGN(RulesSettings rules, load_rules(tx));
    SY_ASSIGN(auto writer, BankFileWriter::open(run.month, format, rules.bank_templates, template_name));
    writer->expect_rows(run.person_count);
    auto write = [&](const PayeeRow& p) {
      if (p.net <= 0) return;
      writer->add({p.name, p.id_number, p.bank_account, p.bank_name, p.remark, p.net});
      out.total_fen += p.net;
      ++out.rows;
    };
    SY_ASSIGN(bool adjacent, PayeeReader(tx, id).each(write));
    if (!adjacent) {  // a person came more than once: start again from the merged list
      SY_ASSIGN(writer, BankFileWriter::open(run.month, format, rules.bank_templates, template_name));
      out.total_fen = 0;
      out.rows = 0;
      SY_ASSIGN(std::vector<PayeeRow> rows, payees(tx, id, true));
      for (const auto& p : rows) write(p);
    }
    SY_ASSIGN(RenderedBankFile file, writer->finish());
    out.bytes = std::move(file.bytes);
    out.content_type = file.content_type;
    out.file_name = "银行代发_" + run.month + "_" + std::to_string(id) + "." + file.extension;
    if (!run.exported_at)
      SY_TRY(tx.exec("UPDATE payroll_runs SET exported_at = ?, exported_by = ? WHERE id = ?",
                     {ctx.now(), ctx.actor.id_or_null(), id}));
    entry = audit::Entry{.action = "payroll.export", .entity = "payroll_run", .entity_id = std::to_string(id),
                         .region_code = run.region_code,
                         .after = nlohmann::json{{"rows", out.rows}, {"total_fen", out.total_fen}, {"format", format},
                                                 {"template", template_name}}};
    return ok_status();
  }));
  return out;
}

namespace {

struct RosterData {
  RunSummary run;
  std::vector<PayeeRow> rows;
  bool reveal = false;
};

Result<RosterData> roster_data(const Context& ctx, std::int64_t id) {
  if (!ctx.actor.has("business:read")) return make_error("forbidden", "您的角色无权查看发放批次");
  RosterData d;
  d.reveal = ctx.actor.has("sensitive:reveal");
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(StoredRun run, load_run(c, ctx, id));
    d.run = run.summary;
    SY_ASSIGN(d.rows, payees(c, id, false));
    return ok_status();
  }));
  std::stable_sort(d.rows.begin(), d.rows.end(), [](const PayeeRow& a, const PayeeRow& b) { return a.region_code < b.region_code; });
  SY_TRY(audit::record_now(ctx, audit::Entry{.action = "payroll.roster", .entity = "payroll_run", .entity_id = std::to_string(id),
                                              .region_code = d.run.region_code}));
  return d;
}

// Walks the roster by village: a row per person, a subtotal after each village, a grand total.
template <typename Person, typename Subtotal>
Fen walk_roster(const RosterData& d, Person person, Subtotal subtotal) {
  Fen grand = 0;
  size_t i = 0;
  while (i < d.rows.size()) {
    size_t j = i;
    Fen sum = 0;
    int n = 0;
    while (j < d.rows.size() && d.rows[j].region_code == d.rows[i].region_code) {
      person(d.rows[j], ++n);
      sum += d.rows[j].net;
      ++j;
    }
    subtotal(d.rows[i].region_name.empty() ? d.rows[i].region_code : d.rows[i].region_name, n, sum);
    grand += sum;
    i = j;
  }
  return grand;
}

}  // namespace

Result<std::string> roster_xlsx(const Context& ctx, std::int64_t id) {
  SY_ASSIGN(RosterData d, roster_data(ctx, id));
  io::Table t;
  t.sheet_name = "发放花名册";
  t.headers = {"序号", "村（社区）", "姓名", "身份证号", "银行账号", "项目", "金额(元)", "领取人签字"};
  Fen grand = walk_roster(
      d,
      [&](const PayeeRow& r, int n) {
        t.rows.push_back({std::to_string(n), r.region_name, r.name, d.reveal ? r.id_number : mask_id_number(r.id_number),
                          d.reveal ? r.bank_account : mask_account(r.bank_account), r.remark, format_yuan(r.net), ""});
      },
      [&](const std::string& village, int n, Fen sum) {
        t.rows.push_back({"", village + " 小计", std::to_string(n) + "人", "", "", "", format_yuan(sum), ""});
      });
  t.rows.push_back({"", "总计", std::to_string(d.rows.size()) + "人", "", "", "", format_yuan(grand), ""});
  return io::write_xlsx(t);
}

Result<std::string> roster_html(const Context& ctx, std::int64_t id) {
  SY_ASSIGN(RosterData d, roster_data(ctx, id));
  std::string title = html_escape(d.run.region_name) + " " + d.run.month + " 优抚对象抚恤补助发放花名册";
  std::string h =
      "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>" + title +
      "</title><style>body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:24px;color:#000}"
      "h1{font-size:20px;text-align:center;margin:0 0 4px}.meta{text-align:center;font-size:13px;margin-bottom:12px}"
      "table{border-collapse:collapse;width:100%;font-size:13px}th,td{border:1px solid #000;padding:4px 6px}"
      "th{background:#f0f0f0}td.n{text-align:right;white-space:nowrap}tr.sub td{font-weight:bold;background:#fafafa}"
      "tr.total td{font-weight:bold;background:#eee}td.sign{width:90px}.foot{margin-top:16px;font-size:13px;display:flex;"
      "justify-content:space-between}@media print{body{margin:0}thead{display:table-header-group}tr{page-break-inside:avoid}"
      ".noprint{display:none}}</style></head><body><p class=\"noprint\"><button onclick=\"window.print()\">打印</button></p><h1>" +
      title + "</h1><div class=\"meta\">批次号 " + std::to_string(d.run.id) + "　状态：" +
      (d.run.status == "draft" ? "草稿（未审核）" : d.run.status == "approved" ? "已审核" : "已对账") +
      "　单位：元</div><table><thead><tr><th>序号</th><th>村（社区）</th><th>姓名</th><th>身份证号</th><th>银行账号</th>"
      "<th>项目</th><th>金额</th><th>领取人签字</th></tr></thead><tbody>";
  Fen grand = walk_roster(
      d,
      [&](const PayeeRow& r, int n) {
        h += "<tr><td>" + std::to_string(n) + "</td><td>" + html_escape(r.region_name) + "</td><td>" + html_escape(r.name) +
             "</td><td>" + html_escape(d.reveal ? r.id_number : mask_id_number(r.id_number)) + "</td><td>" +
             html_escape(d.reveal ? r.bank_account : mask_account(r.bank_account)) + "</td><td>" + html_escape(r.remark) +
             "</td><td class=\"n\">" + format_yuan(r.net) + "</td><td class=\"sign\"></td></tr>";
      },
      [&](const std::string& village, int n, Fen sum) {
        h += "<tr class=\"sub\"><td></td><td>" + html_escape(village) + " 小计</td><td>" + std::to_string(n) +
             " 人</td><td></td><td></td><td></td><td class=\"n\">" + format_yuan(sum) + "</td><td></td></tr>";
      });
  h += "<tr class=\"total\"><td></td><td>总计</td><td>" + std::to_string(d.rows.size()) +
       " 人</td><td></td><td></td><td></td><td class=\"n\">" + format_yuan(grand) +
       "</td><td></td></tr></tbody></table><div class=\"foot\"><span>制表人：</span><span>审核人：</span><span>单位负责人：</span>"
       "<span>日期：</span></div></body></html>";
  return h;
}

Result<ReconcileReport> reconcile_run(const Context& ctx, std::int64_t id, std::string_view bytes, const std::string& file_name) {
  if (!ctx.actor.has("payroll:prepare")) return make_error("forbidden", "您的角色无权导入银行回盘文件");
  io::ReadLimits limits;
  limits.max_file_bytes = 64 << 20;
  SY_ASSIGN(io::SheetData sheet, io::read_uploaded_sheet(bytes, file_name, limits));
  // Header: 账号 and 金额 and a result column, in the first ten rows.
  std::map<std::string, size_t> col;
  size_t header_row = 0;
  static const std::vector<std::pair<std::string, std::vector<std::string>>> kNames = {
      {"name", {"姓名", "户名", "收款人"}},
      {"id", {"身份证号", "证件号码", "身份证号码"}},
      {"account", {"银行账号", "账号", "卡号", "收款账号"}},
      {"amount", {"金额(元)", "金额（元）", "金额", "交易金额"}},
      {"result", {"处理结果", "状态", "结果", "交易状态"}},
      {"reason", {"失败原因", "原因", "备注", "说明"}},
  };
  for (size_t r = 0; r < sheet.rows.size() && r < 10 && !header_row; ++r) {
    std::map<std::string, size_t> found;
    for (size_t c = 0; c < sheet.rows[r].size(); ++c) {
      std::string h = strip_spaces(sheet.rows[r][c].text);
      for (const auto& [field, names] : kNames)
        if (!found.count(field) && std::find(names.begin(), names.end(), h) != names.end()) found[field] = c;
    }
    if (found.count("account") && found.count("amount") && found.count("result")) {
      col = found;
      header_row = r + 1;
    }
  }
  if (!header_row)
    return make_error("no_header", "回盘文件中找不到表头：应有“银行账号”“金额”“处理结果”列", "file");

  ReconcileReport report;
  SY_TRY(audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    SY_ASSIGN(StoredRun stored, load_run(tx, ctx, id));
    const RunSummary& run = stored.summary;
    if (run.status == "reconciled") return make_error("run_reconciled", "该批次已对账，不能重复导入回盘");
    if (run.status != "approved") return make_error("run_not_approved", "批次尚未审核，不能对账");
    if (!run.exported_at) return make_error("run_not_exported", "该批次尚未导出银行文件，不能对账");
    SY_ASSIGN(std::vector<PayeeRow> sent, payees(tx, id, true));
    std::map<std::string, size_t> by_account, by_id;
    for (size_t i = 0; i < sent.size(); ++i) {
      by_account[digits_only(sent[i].bank_account)] = i;
      by_id[sent[i].id_number] = i;
    }
    std::vector<int> matched(sent.size(), 0);
    std::vector<std::string> problems;
    Fen file_total = 0;
    std::optional<Fen> stated_total;
    for (size_t r = header_row; r < sheet.rows.size(); ++r) {
      const io::Row& row = sheet.rows[r];
      if (row.empty()) continue;
      int row_no = static_cast<int>(r + 1);
      auto cell = [&](const char* f) { return col.count(f) ? strip_spaces(row[col.at(f)].text) : std::string(); };
      std::string first = strip_spaces(row[0].text);
      if (first.starts_with("合计") || first.starts_with("总计")) {
        stated_total = parse_yuan(cell("amount"));
        continue;
      }
      ReturnVerdict v;
      v.row = row_no;
      v.name = cell("name");
      v.account = digits_only(cell("account"));
      auto amount = parse_yuan(cell("amount"));
      std::string result = cell("result");
      v.reason = cell("reason");
      if (!amount) {
        problems.push_back("第" + std::to_string(row_no) + "行：金额“" + cell("amount") + "”无法识别");
        continue;
      }
      v.amount_fen = *amount;
      file_total += *amount;
      if (result == "成功" || result == "已成功" || result == "交易成功" || result == "success" || result == "SUCCESS" || result == "0")
        v.result = "paid";
      else if (result.find("失败") != std::string::npos || result == "fail" || result == "FAIL" || result == "退回" || result == "1")
        v.result = "failed";
      else {
        problems.push_back("第" + std::to_string(row_no) + "行：处理结果“" + result + "”无法识别（应为成功或失败）");
        continue;
      }
      auto it = by_account.find(v.account);
      if (it == by_account.end() && col.count("id")) it = by_id.find(cell("id"));
      if (it == by_account.end() || it == by_id.end()) {
        problems.push_back("第" + std::to_string(row_no) + "行：账号 " + mask_account(v.account) + " 在本批次的银行文件中找不到");
        continue;
      }
      size_t k = it->second;
      if (matched[k]++) {
        problems.push_back("第" + std::to_string(row_no) + "行：" + sent[k].name + " 在回盘文件中出现了不止一次");
        continue;
      }
      if (sent[k].net != v.amount_fen) {
        problems.push_back("第" + std::to_string(row_no) + "行：" + sent[k].name + " 的金额 " + format_yuan(v.amount_fen) +
                           " 元与银行文件中的 " + format_yuan(sent[k].net) + " 元不符");
        continue;
      }
      if (v.result == "failed" && v.reason.empty()) v.reason = "银行未说明原因";
      v.name = sent[k].name;
      report.verdicts.push_back(v);
    }
    if (stated_total && *stated_total != file_total)
      problems.push_back("回盘文件的合计金额 " + format_yuan(*stated_total) + " 元与各行之和 " + format_yuan(file_total) + " 元不符");
    for (size_t k = 0; k < sent.size(); ++k)
      if (!matched[k] && problems.size() < 50) problems.push_back("银行文件中的 " + sent[k].name + "（" + format_yuan(sent[k].net) + " 元）在回盘文件中没有结果");
    if (!problems.empty()) {
      std::string msg = "回盘文件与本批次不符，未做任何更改：";
      for (size_t i = 0; i < problems.size() && i < 20; ++i) msg += (i ? "；" : "") + problems[i];
      if (problems.size() > 20) msg += "；等共 " + std::to_string(problems.size()) + " 处";
      return make_error("return_mismatch", msg, "file");
    }
    // Apply: every payable line of a person takes the bank's result for that person.
    std::vector<std::int64_t> failed_persons;
    for (auto& v : report.verdicts) {
      size_t k = by_account.count(v.account) ? by_account[v.account] : 0;
      const PayeeRow& p = sent[k];
      SY_TRY(tx.exec("UPDATE payroll_lines SET bank_status = ?, bank_reason = ? WHERE run_id = ? AND person_id = ? AND exception = ''",
                     {v.result, v.result == "failed" ? v.reason : std::string(), id, p.person_id}));
      ++report.rows;
      if (v.result == "paid") {
        ++report.paid;
        report.paid_fen += v.amount_fen;
      } else {
        ++report.failed;
        report.failed_fen += v.amount_fen;
        failed_persons.push_back(p.person_id);
      }
    }
    SY_TRY(tx.exec("UPDATE payroll_runs SET status = 'reconciled', reconciled_at = ?, reconciled_by = ?, paid_count = ?, "
                   "failed_count = ?, failed_fen = ?, version = version + 1 WHERE id = ?",
                   {ctx.now(), ctx.actor.id_or_null(), report.paid, report.failed, report.failed_fen, id}));
    if (!failed_persons.empty()) {
      // The failed payments go into a re-issue draft, with each person's current bank details.
      std::int64_t reissue = ctx.ids.next();
      report.reissue_run_id = reissue;
      SY_TRY(tx.exec("INSERT INTO payroll_runs (id, month, kind, items, region_code, parent_run_id, status, prepared_by, "
                     "prepared_at, computed_at) VALUES (?,?,'reissue',?,?,?,'draft',?,?,?)",
                     {reissue, run.month, join(run.items, ","), run.region_code, id, ctx.actor.id_or_null(), ctx.now(), ctx.now()}));
      SY_ASSIGN(store::Rows failed, tx.query("SELECT l.id, l.person_id, l.region_code, p.name, p.id_number, p.bank_name, "
                                             "p.bank_account, l.item_code, l.for_month, l.standard_id, l.amount_fen, l.basis, "
                                             "l.bank_reason FROM payroll_lines l JOIN persons p ON p.id = l.person_id "
                                             "WHERE l.run_id = ? AND l.bank_status = 'failed' ORDER BY l.seq",
                                             {id}));
      int seq = 0;
      Fen total = 0;
      std::int64_t exceptions = 0;
      Fen exception_fen = 0;
      std::set<std::int64_t> persons;
      for (const auto& f : failed) {
        std::string exception = bank_account_usable(f.str(6)) ? "" : "银行账号仍无效，请先在优抚对象信息中更正";
        SY_TRY(tx.exec("INSERT INTO payroll_lines (id, run_id, seq, person_id, region_code, name, id_number, bank_name, "
                       "bank_account, item_code, kind, for_month, standard_id, amount_fen, basis, exception, source_line_id) "
                       "VALUES (?,?,?,?,?,?,?,?,?,?,'reissue',?,?,?,?,?,?)",
                       {ctx.ids.next(), reissue, ++seq, f.i64(1), f.str(2), f.str(3), f.str(4), f.str(5), f.str(6), f.str(7),
                        f.str(8), f.at(9), f.i64(10), "重发（原批次 " + std::to_string(id) + " 失败：" + f.str(12) + "）" + f.str(11),
                        exception, f.i64(0)}));
        if (exception.empty()) {
          total += f.i64(10);
          persons.insert(f.i64(1));
        } else {
          ++exceptions;
          exception_fen += f.i64(10);
        }
      }
      SY_TRY(tx.exec("UPDATE payroll_runs SET line_count = ?, person_count = ?, total_fen = ?, exception_count = ?, "
                     "exception_fen = ? WHERE id = ?",
                     {seq, static_cast<std::int64_t>(persons.size()), total, exceptions, exception_fen, reissue}));
    }
    entry = audit::Entry{.action = "payroll.reconcile", .entity = "payroll_run", .entity_id = std::to_string(id),
                         .region_code = run.region_code,
                         .after = nlohmann::json{{"file", file_name}, {"paid", report.paid}, {"failed", report.failed},
                                                 {"failed_fen", report.failed_fen},
                                                 {"reissue_run_id", std::to_string(report.reissue_run_id)}}};
    return ok_status();
  }));
  return report;
}

Result<std::vector<RunLine>> person_payments(const Context& ctx, std::int64_t person_id) {
  if (!ctx.actor.has("business:read")) return make_error("forbidden", "您的角色无权查看发放记录");
  std::vector<RunLine> out;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(auto person, c.query_one("SELECT region_code FROM persons WHERE id = ?", {person_id}));
    if (!person || !ctx.actor.in_scope(person->str(0))) return make_error("not_found", "优抚对象不存在或不在您的管辖范围内");
    SY_ASSIGN(store::Rows rows, c.query(std::string(kLineColumns) + " WHERE l.person_id = ? AND r.status <> 'discarded' "
                                        "ORDER BY r.month DESC, r.prepared_at DESC, l.seq",
                                        {person_id}));
    for (const auto& r : rows) out.push_back(to_line(r));
    return ok_status();
  }));
  return out;
}

}  // namespace sy::payroll
