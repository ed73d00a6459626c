#include "assistance/assistance.h"

#include <algorithm>
#include <tuple>

#include "audit/audit.h"
#include "calendar/calendar.h"
#include "core/region_code.h"
#include "core/text.h"

namespace sy::assistance {
namespace {

using calendar::DayNumber;

// A pair's row with what it has received, computed per pair (a page holds at most 200 pairs).
const char* kPairColumns =
    "p.id, p.region_code, p.household_id, p.beneficiary_name, p.helper_type, p.helper_name, p.helper_contact, "
    "p.helper_phone, p.project, p.description, p.started_on, p.baseline_income, p.status, p.closed_on, p.outcome, "
    "p.created_at, p.updated_at, p.version, g.short_name, "
    "(SELECT CAST(COALESCE(SUM(i.amount), 0) AS BIGINT) FROM assistance_inputs i WHERE i.pair_id = p.id AND i.kind = 'funds'), "
    "(SELECT CAST(COALESCE(SUM(i.labour_days), 0) AS BIGINT) FROM assistance_inputs i WHERE i.pair_id = p.id AND i.kind = 'labour'), "
    "(SELECT count(*) FROM assistance_inputs i WHERE i.pair_id = p.id AND i.kind = 'technical'), "
    "(SELECT count(*) FROM assistance_follow_ups f WHERE f.pair_id = p.id), "
    "(SELECT f.income FROM assistance_follow_ups f WHERE f.pair_id = p.id AND f.income IS NOT NULL "
    "ORDER BY f.visited_on DESC, f.id DESC LIMIT 1), "
    "(SELECT max(i.given_on) FROM assistance_inputs i WHERE i.pair_id = p.id), "
    "(SELECT max(f.visited_on) FROM assistance_follow_ups f WHERE f.pair_id = p.id)";
const char* kPairFrom = " FROM assistance_pairs p LEFT JOIN regions g ON g.code = p.region_code";

Pair pair_from_row(const store::Row& r) {
  Pair p;
  p.id = r.i64(0);
  p.region_code = r.str(1);
  p.household_id = r.i64(2);
  p.beneficiary_name = r.str(3);
  p.helper = Helper{.type = r.str(4), .name = r.str(5), .contact = r.str(6), .phone = r.str(7)};
  p.project = r.str(8);
  p.description = r.str(9);
  p.started_on = r.str(10);
  p.baseline_income = r.opt_i64(11);
  p.status = r.str(12);
  p.closed_on = r.str(13);
  p.outcome = r.str(14);
  p.created_at = r.i64(15);
  p.updated_at = r.i64(16);
  p.version = static_cast<int>(r.i64(17));
  p.region_name = r.str(18);
  p.funds = r.i64(19);
  p.labour_days = r.i64(20);
  p.technical = r.i64(21);
  p.follow_ups = r.i64(22);
  p.latest_income = r.opt_i64(23);
  p.last_activity_on = std::max(r.str(24), r.str(25));
  return p;
}

Error not_found() { return make_error("not_found", "帮扶对子不存在或不在您的管辖范围内"); }
Error stale() { return make_error("stale_version", "该帮扶对子已被他人修改，请刷新后重试", "version"); }

std::string clean(const std::string& s) { return std::string(trim_ascii(s)); }

bool known(const std::vector<Code>& list, const std::string& code) {
  return std::any_of(list.begin(), list.end(), [&](const Code& c) { return c.code == code; });
}

bool plausible_phone(const std::string& p) {
  if (p.size() < 7 || p.size() > 20) return false;
  return std::all_of(p.begin(), p.end(), [](char ch) { return (ch >= '0' && ch <= '9') || ch == '-'; });
}

// A date the user typed for something that happened: valid, not after today, not before `from`
// (the pair's start) when given. '' means today.
Result<std::string> past_date(const Context& ctx, const std::string& text, const std::string& field,
                              const std::string& label, const std::string& from = "") {
  DayNumber today = calendar::today(ctx);
  DayNumber d = today;
  if (!text.empty()) {
    auto parsed = calendar::parse_day(text);
    if (!parsed) return make_error("invalid_date", label + "应为 YYYY-MM-DD 格式的日期", field);
    d = *parsed;
  }
  if (d > today) return make_error("invalid_date", label + "不能晚于今天", field);
  std::string out = calendar::format_day(d);
  if (!from.empty() && out < from) return make_error("invalid_date", label + "不能早于结对日期（" + from + "）", field);
  return out;
}

Status check_money(const std::optional<std::int64_t>& fen, const std::string& field, const std::string& label) {
  if (!fen) return ok_status();
  if (*fen < 0) return make_error("invalid_amount", label + "不能为负数", field);
  if (*fen > kMaxFen) return make_error("invalid_amount", label + "超出合理范围（不超过10亿元）", field);
  return ok_status();
}

// Checks and cleans a helper; field names are prefixed with "helper.".
Status check_helper(Helper& h) {
  h.type = clean(h.type);
  h.name = clean(h.name);
  h.contact = clean(h.contact);
  h.phone = strip_spaces(h.phone);
  if (h.type.empty()) return make_error("field_required", "请选择帮扶方类型：部门、干部或驻军单位", "helper.type");
  if (!known(helper_types(), h.type))
    return make_error("unknown_helper_type", "帮扶方类型应为部门、干部或驻军单位", "helper.type");
  if (h.name.empty()) return make_error("field_required", "请填写帮扶方名称", "helper.name");
  if (h.name.size() > 300) return make_error("too_long", "帮扶方名称不能超过100个字", "helper.name");
  if (h.contact.size() > 150) return make_error("too_long", "联系人不能超过50个字", "helper.contact");
  if (!h.phone.empty() && !plausible_phone(h.phone))
    return make_error("invalid_phone", "联系电话应为7至20位数字", "helper.phone");
  return ok_status();
}

Status check_project(const std::string& project, const std::string& description) {
  if (project.empty()) return make_error("field_required", "请选择帮扶项目", "project");
  if (!known(projects(), project))
    return make_error("unknown_project", "未知的帮扶项目“" + project + "”，应为产业、就业、教育、医疗、住房或其他", "project");
  if (description.empty()) return make_error("field_required", "请填写帮扶项目的具体内容", "description");
  if (description.size() > 3000) return make_error("too_long", "项目内容不能超过1000个字", "description");
  return ok_status();
}

Result<std::optional<Pair>> read_pair(store::Conn& c, const Context& ctx, std::int64_t id) {
  SY_ASSIGN(auto row, c.query_one(std::string("SELECT ") + kPairColumns + kPairFrom + " WHERE p.id = ?", {id}));
  if (!row) return std::optional<Pair>();
  Pair p = pair_from_row(*row);
  if (!ctx.actor.in_scope(p.region_code)) return std::optional<Pair>();
  return std::optional<Pair>(std::move(p));
}

// The pair for a write: in scope, still active, at the version the caller read.
Result<Pair> pair_for_write(store::Conn& tx, const Context& ctx, std::int64_t id, int version) {
  SY_ASSIGN(std::optional<Pair> p, read_pair(tx, ctx, id));
  if (!p) return not_found();
  if (p->status != "active")
    return make_error("invalid_state", "该帮扶对子已于" + p->closed_on + "结束，不能再修改或登记");
  if (p->version != version) return stale();
  return std::move(*p);
}

Status bump(store::Conn& tx, const Context& ctx, const Pair& p) {
  SY_ASSIGN(std::int64_t n, tx.exec("UPDATE assistance_pairs SET updated_at = ?, updated_by = ?, version = version + 1 "
                                    "WHERE id = ? AND version = ?",
                                    {ctx.now(), ctx.actor.id_or_null(), p.id, p.version}));
  if (n == 0) return stale();
  return ok_status();
}

nlohmann::json pair_audit_json(const Pair& p) {
  return {{"household_id", std::to_string(p.household_id)},
          {"beneficiary_name", p.beneficiary_name},
          {"helper_type", p.helper.type},
          {"helper_name", p.helper.name},
          {"helper_contact", p.helper.contact},
          {"helper_phone", p.helper.phone},
          {"project", p.project},
          {"description", p.description},
          {"started_on", p.started_on},
          {"baseline_income", p.baseline_income ? nlohmann::json(*p.baseline_income) : nlohmann::json(nullptr)},
          {"status", p.status},
          {"closed_on", p.closed_on},
          {"outcome", p.outcome},
          {"version", p.version}};
}

std::string recorder(const Context& ctx) {
  return ctx.actor.display_name.empty() ? ctx.actor.username : ctx.actor.display_name;
}

Result<PairDetail> read_detail(store::Conn& c, const Context& ctx, std::int64_t id) {
  SY_ASSIGN(std::optional<Pair> p, read_pair(c, ctx, id));
  if (!p) return not_found();
  PairDetail d;
  d.pair = std::move(*p);
  SY_ASSIGN(store::Rows inputs, c.query("SELECT id, kind, given_on, amount, labour_days, description, created_at, "
                                        "created_by_name FROM assistance_inputs WHERE pair_id = ? ORDER BY given_on, id",
                                        {id}));
  for (const auto& r : inputs) {
    d.inputs.push_back(Input{.id = r.i64(0), .kind = r.str(1), .given_on = r.str(2), .amount = r.i64(3),
                             .labour_days = static_cast<int>(r.i64(4)), .description = r.str(5),
                             .created_at = r.i64(6), .created_by = r.str(7)});
  }
  SY_ASSIGN(store::Rows follows, c.query("SELECT id, visited_on, note, income, created_at, created_by_name "
                                         "FROM assistance_follow_ups WHERE pair_id = ? ORDER BY visited_on, id",
                                         {id}));
  for (const auto& r : follows) {
    d.follow_ups.push_back(FollowUp{.id = r.i64(0), .visited_on = r.str(1), .note = r.str(2), .income = r.opt_i64(3),
                                    .created_at = r.i64(4), .created_by = r.str(5)});
  }
  return d;
}

// The detail as stored now, with the household as the registry holds it (outside the pair's read:
// the registry opens its own).
Result<PairDetail> detail_after(const Context& ctx, std::int64_t id) {
  std::optional<PairDetail> out;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(PairDetail d, read_detail(c, ctx, id));
    out = std::move(d);
    return ok_status();
  }));
  auto h = registry::get_household(ctx, out->pair.household_id);
  if (h.ok()) out->household = std::move(*h);
  return std::move(*out);
}

// The WHERE clause and parameters of a list or the totals.
Result<std::pair<std::string, store::Params>> where_of(const Context& ctx, const PairQuery& q) {
  std::string where = " WHERE p.region_code LIKE ? ESCAPE '\\'";
  store::Params params{store::like_prefix(ctx.actor.scope_prefix())};
  if (!q.status.empty()) {
    if (!known(statuses(), q.status)) return make_error("invalid_filter", "状态应为 active 或 closed", "status");
    where += " AND p.status = ?";
    params.emplace_back(q.status);
  }
  if (!q.project.empty()) {
    if (!known(projects(), q.project)) return make_error("unknown_project", "未知的帮扶项目“" + q.project + "”", "project");
    where += " AND p.project = ?";
    params.emplace_back(q.project);
  }
  if (!q.helper_type.empty()) {
    if (!known(helper_types(), q.helper_type))
      return make_error("unknown_helper_type", "帮扶方类型应为部门、干部或驻军单位", "helper_type");
    where += " AND p.helper_type = ?";
    params.emplace_back(q.helper_type);
  }
  if (!q.region.empty()) {
    auto code = normalize_region_code(q.region);
    if (!code || !ctx.actor.in_scope(*code)) return make_error("not_found", "区划不存在或不在您的管辖范围内", "region");
    where += " AND p.region_code LIKE ? ESCAPE '\\'";
    params.emplace_back(store::like_prefix(region_prefix(*code)));
  }
  if (q.household_id) {
    where += " AND p.household_id = ?";
    params.emplace_back(q.household_id);
  }
  if (!q.q.empty()) {
    where += " AND (p.helper_name LIKE ? ESCAPE '\\' OR p.beneficiary_name LIKE ? ESCAPE '\\' "
             "OR p.description LIKE ? ESCAPE '\\' OR p.helper_contact LIKE ? ESCAPE '\\')";
    for (int i = 0; i < 4; ++i) params.emplace_back(store::like_contains(q.q));
  }
  return std::make_pair(where, params);
}

}  // namespace

const std::vector<Code>& projects() {
  static const std::vector<Code> k = {{"industry", "产业"},  {"employment", "就业"}, {"education", "教育"},
                                      {"medical", "医疗"},   {"housing", "住房"},    {"other", "其他"}};
  return k;
}
const std::vector<Code>& helper_types() {
  static const std::vector<Code> k = {{"department", "部门"}, {"cadre", "干部"}, {"unit", "驻军单位"}};
  return k;
}
const std::vector<Code>& input_kinds() {
  static const std::vector<Code> k = {{"funds", "资金"}, {"labour", "劳务"}, {"technical", "技术帮扶"}};
  return k;
}
const std::vector<Code>& statuses() {
  static const std::vector<Code> k = {{"active", "帮扶中"}, {"closed", "已结束"}};
  return k;
}
std::string label(const std::vector<Code>& list, const std::string& code) {
  for (const auto& c : list)
    if (c.code == code) return c.name;
  return code;
}

std::vector<TimelineEntry> timeline(const PairDetail& d) {
  // Rank within a day: start, then entries in the order recorded (ids are time-ordered), then close.
  struct Keyed {
    std::string on;
    int rank;
    std::int64_t id;
    TimelineEntry e;
  };
  std::vector<Keyed> all;
  all.push_back({d.pair.started_on, 0, 0, TimelineEntry{.type = "start", .on = d.pair.started_on}});
  for (const auto& i : d.inputs) all.push_back({i.given_on, 1, i.id, TimelineEntry{.type = "input", .on = i.given_on, .input = &i}});
  for (const auto& f : d.follow_ups)
    all.push_back({f.visited_on, 1, f.id, TimelineEntry{.type = "follow_up", .on = f.visited_on, .follow_up = &f}});
  if (d.pair.status == "closed")
    all.push_back({d.pair.closed_on, 2, 0, TimelineEntry{.type = "close", .on = d.pair.closed_on}});
  std::stable_sort(all.begin(), all.end(), [](const Keyed& a, const Keyed& b) {
    return std::tie(a.on, a.rank, a.id) < std::tie(b.on, b.rank, b.id);
  });
  std::vector<TimelineEntry> out;
  for (auto& k : all) out.push_back(k.e);
  return out;
}

Result<PairDetail> create_pair(const Context& ctx, const NewPair& raw) {
  if (!ctx.actor.has("business:write")) return make_error("forbidden", "您的角色无权登记帮扶对子");
  NewPair in = raw;
  in.description = clean(in.description);
  in.project = clean(in.project);
  if (in.household_id == 0) return make_error("field_required", "请选择受助户", "household_id");
  SY_TRY(check_helper(in.helper));
  SY_TRY(check_project(in.project, in.description));
  SY_ASSIGN(std::string started, past_date(ctx, in.started_on, "started_on", "结对日期"));
  SY_TRY(check_money(in.baseline_income, "baseline_income", "结对时家庭年收入"));
  // The household: in scope (else not_found) and still a household.
  auto view = registry::get_household(ctx, in.household_id);
  if (!view.ok()) {
    if (view.error().code == "not_found") return make_error("not_found", "受助户不存在或不在您的管辖范围内", "household_id");
    return view.error();
  }
  if (view->status != "active")
    return make_error("household_dissolved", "该户已没有成员（已注销），不能结对帮扶", "household_id");
  const registry::Household& h = view->household;
  if (!ctx.actor.in_scope(h.region_code))
    return make_error("not_found", "受助户不存在或不在您的管辖范围内", "household_id");
  std::int64_t id = ctx.ids.next();
  SY_TRY(audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    SY_ASSIGN(std::int64_t same,
              tx.query_int("SELECT count(*) FROM assistance_pairs WHERE household_id = ? AND status = 'active' AND "
                           "helper_type = ? AND helper_name = ? AND project = ?",
                           {in.household_id, in.helper.type, in.helper.name, in.project}));
    if (same > 0)
      return make_error("pair_exists", "“" + in.helper.name + "”已与该户结对帮扶" + label(projects(), in.project) +
                                           "项目，请在原对子中登记",
                        "household_id");
    SY_TRY(tx.exec("INSERT INTO assistance_pairs (id, region_code, household_id, beneficiary_name, helper_type, "
                   "helper_name, helper_contact, helper_phone, project, description, started_on, baseline_income, "
                   "status, created_at, created_by, updated_at, updated_by) "
                   "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,'active',?,?,?,?)",
                   {id, h.region_code, h.id, h.head_name, in.helper.type, in.helper.name, in.helper.contact,
                    in.helper.phone, in.project, in.description, started, store::Value(in.baseline_income), ctx.now(),
                    ctx.actor.id_or_null(), ctx.now(), ctx.actor.id_or_null()}));
    SY_ASSIGN(std::optional<Pair> p, read_pair(tx, ctx, id));
    entry = audit::Entry{.action = "assistance_pair.create", .entity = "assistance_pair",
                         .entity_id = std::to_string(id), .region_code = h.region_code,
                         .after = pair_audit_json(*p)};
    return ok_status();
  }));
  return detail_after(ctx, id);
}

Result<PairDetail> get_pair(const Context& ctx, std::int64_t id) {
  if (!ctx.actor.has("business:read")) return make_error("forbidden", "您的角色无权查看帮扶对子");
  return detail_after(ctx, id);
}

Result<PairDetail> update_pair(const Context& ctx, std::int64_t id, const PairChanges& raw) {
  if (!ctx.actor.has("business:write")) return make_error("forbidden", "您的角色无权修改帮扶对子");
  PairChanges in = raw;
  if (in.helper) SY_TRY(check_helper(*in.helper));
  if (in.baseline_income) SY_TRY(check_money(*in.baseline_income, "baseline_income", "结对时家庭年收入"));
  std::optional<std::string> started;
  if (in.started_on) {
    if (in.started_on->empty()) return make_error("field_required", "请填写结对日期", "started_on");
    SY_ASSIGN(std::string s, past_date(ctx, *in.started_on, "started_on", "结对日期"));
    started = s;
  }
  SY_TRY(audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    SY_ASSIGN(Pair before, pair_for_write(tx, ctx, id, in.version));
    Pair after = before;
    if (in.helper) {
      after.helper = *in.helper;
      if (in.keep_helper_phone) after.helper.phone = before.helper.phone;
    }
    if (in.project) after.project = clean(*in.project);
    if (in.description) after.description = clean(*in.description);
    if (in.baseline_income) after.baseline_income = *in.baseline_income;
    if (started) {
      after.started_on = *started;
      SY_ASSIGN(auto first, tx.query_one("SELECT min(d) FROM (SELECT given_on AS d FROM assistance_inputs WHERE pair_id = ? "
                                         "UNION ALL SELECT visited_on FROM assistance_follow_ups WHERE pair_id = ?) t",
                                         {id, id}));
      if (first && !first->is_null(0) && first->str(0) < after.started_on)
        return make_error("invalid_date", "结对日期不能晚于最早的投入或回访日期（" + first->str(0) + "）", "started_on");
    }
    SY_TRY(check_project(after.project, after.description));
    SY_TRY(bump(tx, ctx, before));
    SY_TRY(tx.exec("UPDATE assistance_pairs SET helper_type = ?, helper_name = ?, helper_contact = ?, helper_phone = ?, "
                   "project = ?, description = ?, started_on = ?, baseline_income = ? WHERE id = ?",
                   {after.helper.type, after.helper.name, after.helper.contact, after.helper.phone, after.project,
                    after.description, after.started_on, store::Value(after.baseline_income), id}));
    after.version = before.version + 1;
    entry = audit::Entry{.action = "assistance_pair.update", .entity = "assistance_pair",
                         .entity_id = std::to_string(id), .region_code = before.region_code,
                         .before = pair_audit_json(before), .after = pair_audit_json(after)};
    return ok_status();
  }));
  return detail_after(ctx, id);
}

Result<PairDetail> add_input(const Context& ctx, std::int64_t pair_id, const NewInput& raw) {
  if (!ctx.actor.has("business:write")) return make_error("forbidden", "您的角色无权登记帮扶投入");
  NewInput in = raw;
  in.kind = clean(in.kind);
  in.description = clean(in.description);
  if (in.kind.empty()) return make_error("field_required", "请选择投入类型：资金、劳务或技术帮扶", "kind");
  if (!known(input_kinds(), in.kind)) return make_error("unknown_input_kind", "投入类型应为资金、劳务或技术帮扶", "kind");
  if (in.description.size() > 3000) return make_error("too_long", "说明不能超过1000个字", "description");
  if (in.kind == "funds") {
    if (in.amount < 0) return make_error("invalid_amount", "资金金额不能为负数", "amount");
    if (in.amount == 0) return make_error("invalid_amount", "请填写大于0的资金金额", "amount");
    SY_TRY(check_money(in.amount, "amount", "资金金额"));
    in.labour_days = 0;
  } else if (in.kind == "labour") {
    if (in.labour_days < 0) return make_error("invalid_amount", "劳务工日不能为负数", "labour_days");
    if (in.labour_days == 0) return make_error("invalid_amount", "请填写大于0的劳务工日", "labour_days");
    if (in.labour_days > kMaxLabourDays) return make_error("invalid_amount", "劳务工日超出合理范围", "labour_days");
    in.amount = 0;
  } else {
    if (in.description.empty()) return make_error("field_required", "请填写技术帮扶的内容", "description");
    if (in.amount < 0 || in.labour_days < 0) return make_error("invalid_amount", "金额和工日不能为负数", "amount");
    in.amount = 0;
    in.labour_days = 0;
  }
  std::int64_t input_id = ctx.ids.next();
  SY_TRY(audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    SY_ASSIGN(Pair p, pair_for_write(tx, ctx, pair_id, in.version));
    SY_ASSIGN(std::string on, past_date(ctx, in.given_on, "given_on", "投入日期", p.started_on));
    SY_TRY(bump(tx, ctx, p));
    SY_TRY(tx.exec("INSERT INTO assistance_inputs (id, pair_id, kind, given_on, amount, labour_days, description, "
                   "created_at, created_by, created_by_name) VALUES (?,?,?,?,?,?,?,?,?,?)",
                   {input_id, pair_id, in.kind, on, in.amount, in.labour_days, in.description, ctx.now(),
                    ctx.actor.id_or_null(), recorder(ctx)}));
    nlohmann::json after = {{"input_id", std::to_string(input_id)}, {"kind", in.kind}, {"given_on", on},
                            {"description", in.description}, {"version", p.version + 1}};
    if (in.kind == "funds") after["amount"] = in.amount;
    if (in.kind == "labour") after["labour_days"] = in.labour_days;
    entry = audit::Entry{.action = "assistance_pair.input", .entity = "assistance_pair",
                         .entity_id = std::to_string(pair_id), .region_code = p.region_code,
                         .before = nlohmann::json{{"version", p.version}}, .after = after};
    return ok_status();
  }));
  return detail_after(ctx, pair_id);
}

Result<PairDetail> add_follow_up(const Context& ctx, std::int64_t pair_id, const NewFollowUp& raw) {
  if (!ctx.actor.has("business:write")) return make_error("forbidden", "您的角色无权登记回访");
  NewFollowUp in = raw;
  in.note = clean(in.note);
  if (in.note.empty()) return make_error("field_required", "请填写回访情况", "note");
  if (in.note.size() > 3000) return make_error("too_long", "回访情况不能超过1000个字", "note");
  SY_TRY(check_money(in.income, "income", "家庭年收入"));
  std::int64_t follow_id = ctx.ids.next();
  SY_TRY(audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    SY_ASSIGN(Pair p, pair_for_write(tx, ctx, pair_id, in.version));
    SY_ASSIGN(std::string on, past_date(ctx, in.visited_on, "visited_on", "回访日期", p.started_on));
    SY_TRY(bump(tx, ctx, p));
    SY_TRY(tx.exec("INSERT INTO assistance_follow_ups (id, pair_id, visited_on, note, income, created_at, created_by, "
                   "created_by_name) VALUES (?,?,?,?,?,?,?,?)",
                   {follow_id, pair_id, on, in.note, store::Value(in.income), ctx.now(), ctx.actor.id_or_null(),
                    recorder(ctx)}));
    entry = audit::Entry{.action = "assistance_pair.follow_up", .entity = "assistance_pair",
                         .entity_id = std::to_string(pair_id), .region_code = p.region_code,
                         .before = nlohmann::json{{"version", p.version}},
                         .after = nlohmann::json{{"follow_up_id", std::to_string(follow_id)},
                                                 {"visited_on", on},
                                                 {"note", in.note},
                                                 {"income", in.income ? nlohmann::json(*in.income) : nlohmann::json(nullptr)},
                                                 {"version", p.version + 1}}};
    return ok_status();
  }));
  return detail_after(ctx, pair_id);
}

Result<PairDetail> close_pair(const Context& ctx, std::int64_t pair_id, const Closing& raw) {
  if (!ctx.actor.has("business:write")) return make_error("forbidden", "您的角色无权结束帮扶对子");
  Closing in = raw;
  in.outcome = clean(in.outcome);
  if (in.outcome.empty()) return make_error("field_required", "请填写帮扶成效", "outcome");
  if (in.outcome.size() > 3000) return make_error("too_long", "帮扶成效不能超过1000个字", "outcome");
  SY_TRY(audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    SY_ASSIGN(Pair before, pair_for_write(tx, ctx, pair_id, in.version));
    SY_ASSIGN(std::string on, past_date(ctx, in.closed_on, "closed_on", "结束日期", before.started_on));
    if (!before.last_activity_on.empty() && on < before.last_activity_on)
      return make_error("invalid_date", "结束日期不能早于最后一次投入或回访（" + before.last_activity_on + "）", "closed_on");
    SY_TRY(bump(tx, ctx, before));
    SY_TRY(tx.exec("UPDATE assistance_pairs SET status = 'closed', closed_on = ?, outcome = ? WHERE id = ?",
                   {on, in.outcome, pair_id}));
    Pair after = before;
    after.status = "closed";
    after.closed_on = on;
    after.outcome = in.outcome;
    after.version = before.version + 1;
    entry = audit::Entry{.action = "assistance_pair.close", .entity = "assistance_pair",
                         .entity_id = std::to_string(pair_id), .region_code = before.region_code,
                         .before = pair_audit_json(before), .after = pair_audit_json(after)};
    return ok_status();
  }));
  return detail_after(ctx, pair_id);
}

Result<Page<Pair>> list_pairs(const Context& ctx, const PairQuery& q) {
  if (!ctx.actor.has("business:read")) return make_error("forbidden", "您的角色无权查看帮扶对子");
  SY_ASSIGN(auto w, where_of(ctx, q));
  Page<Pair> out;
  out.page = q.page.page;
  out.size = q.page.size;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(out.total, c.query_int("SELECT count(*) FROM assistance_pairs p" + w.first, w.second));
    store::Params params = w.second;
    params.emplace_back(q.page.size);
    params.emplace_back(q.page.offset());
    SY_ASSIGN(store::Rows rows, c.query(std::string("SELECT ") + kPairColumns + kPairFrom + w.first +
                                            " ORDER BY p.started_on DESC, p.id DESC LIMIT ? OFFSET ?",
                                        params));
    for (const auto& r : rows) out.items.push_back(pair_from_row(r));
    return ok_status();
  }));
  return out;
}

Result<Summary> summary(const Context& ctx, const std::string& region) {
  if (!ctx.actor.has("business:read")) return make_error("forbidden", "您的角色无权查看帮扶统计");
  PairQuery q;
  q.region = region;
  SY_ASSIGN(auto w, where_of(ctx, q));
  Summary s;
  for (const auto& p : projects()) s.by_project.push_back(ProjectCount{.project = p.code, .active = 0, .total = 0});
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(store::Rows counts, c.query("SELECT p.project, p.status, count(*) FROM assistance_pairs p" + w.first +
                                              " GROUP BY p.project, p.status",
                                          w.second));
    for (const auto& r : counts) {
      std::int64_t n = r.i64(2);
      (r.str(1) == "active" ? s.active : s.closed) += n;
      for (auto& pc : s.by_project) {
        if (pc.project != r.str(0)) continue;
        pc.total += n;
        if (r.str(1) == "active") pc.active += n;
      }
    }
    SY_ASSIGN(store::Rows inputs,
              c.query("SELECT CAST(COALESCE(SUM(CASE WHEN i.kind = 'funds' THEN i.amount ELSE 0 END), 0) AS BIGINT), "
                      "CAST(COALESCE(SUM(CASE WHEN i.kind = 'labour' THEN i.labour_days ELSE 0 END), 0) AS BIGINT), "
                      "CAST(COALESCE(SUM(CASE WHEN i.kind = 'technical' THEN 1 ELSE 0 END), 0) AS BIGINT) "
                      "FROM assistance_inputs i JOIN assistance_pairs p ON p.id = i.pair_id" + w.first,
                      w.second));
    s.funds = inputs.at(0).i64(0);
    s.labour_days = inputs.at(0).i64(1);
    s.technical = inputs.at(0).i64(2);
    SY_ASSIGN(s.follow_ups, c.query_int("SELECT count(*) FROM assistance_follow_ups f JOIN assistance_pairs p "
                                        "ON p.id = f.pair_id" + w.first,
                                        w.second));
    // Per pair with a baseline: the latest follow-up income, if any.
    SY_ASSIGN(store::Rows incomes,
              c.query("SELECT p.baseline_income, (SELECT f.income FROM assistance_follow_ups f WHERE f.pair_id = p.id "
                      "AND f.income IS NOT NULL ORDER BY f.visited_on DESC, f.id DESC LIMIT 1) "
                      "FROM assistance_pairs p" + w.first + " AND p.baseline_income IS NOT NULL",
                      w.second));
    for (const auto& r : incomes) {
      if (r.is_null(1)) continue;
      ++s.income_pairs;
      s.income_change_total += r.i64(1) - r.i64(0);
    }
    return ok_status();
  }));
  if (s.income_pairs) {
    std::int64_t t = s.income_change_total, n = s.income_pairs;
    std::int64_t half = n / 2;
    s.income_change_average = t >= 0 ? (t + half) / n : -((-t + half) / n);
  }
  return s;
}

}  // namespace sy::assistance
