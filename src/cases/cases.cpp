#include "cases/cases.h"


#include <algorithm>
#include <map>
#include <set>

#include "audit/audit.h"
#include "calendar/calendar.h"
#include "cases/attachment_check.h"
#include "core/region_code.h"
#include "core/text.h"
#include "io/xlsx_table.h"
#include "org/regions.h"
#include "registry/persons.h"

namespace sy::cases {
namespace {

using calendar::DayNumber;
using calendar::WorkingCalendar;

const char* kCaseColumns =
    "c.id, c.number, c.kind, c.category, c.title, c.description, c.region_code, c.applicant_type, "
    "c.applicant_person_id, c.applicant_name, c.applicant_phone, c.applicant_unit, c.registered_on, c.status, "
    "c.department, c.handler, c.hazard_level, c.measures, c.result, c.satisfaction, c.reject_reason, c.due_stage, "
    "c.due_date, c.created_at, c.updated_at, c.version, g.short_name, k.name, c.source_type, c.source_id, c.source_data";
const char* kCaseFrom =
    " FROM cases c LEFT JOIN regions g ON g.code = c.region_code "
    "LEFT JOIN case_categories k ON k.kind = c.kind AND k.code = c.category";

std::string township_of(const std::string& region_code) { return region_code.substr(0, 9) + "000"; }

Case case_from_row(const store::Row& r) {
  Case c;
  c.id = r.i64(0);
  c.number = r.str(1);
  c.kind = r.str(2);
  c.category = r.str(3);
  c.title = r.str(4);
  c.description = r.str(5);
  c.region_code = r.str(6);
  c.township_code = township_of(c.region_code);
  c.applicant.type = r.str(7);
  c.applicant.person_id = r.is_null(8) ? 0 : r.i64(8);
  c.applicant.name = r.str(9);
  c.applicant.phone = r.str(10);
  c.applicant.unit = r.str(11);
  c.registered_on = r.str(12);
  c.status = r.str(13);
  c.department = r.str(14);
  c.handler = r.str(15);
  c.hazard_level = r.str(16);
  c.measures = r.str(17);
  c.result = r.str(18);
  c.satisfaction = r.str(19);
  c.reject_reason = r.str(20);
  if (!r.str(21).empty()) c.deadline = Deadline{.stage = r.str(21), .due_date = r.str(22), .days_left = {}, .state = ""};
  c.created_at = r.i64(23);
  c.updated_at = r.i64(24);
  c.version = static_cast<int>(r.i64(25));
  c.region_name = r.str(26);
  c.category_name = r.is_null(27) ? c.category : r.str(27);
  c.source = Source{.type = r.str(28), .id = r.is_null(29) ? 0 : r.i64(29), .data_json = r.str(30)};
  return c;
}

// Fills days_left and state of a case's running deadline.
void rate_deadline(Case& c, const WorkingCalendar& cal, DayNumber today) {
  if (!c.deadline) return;
  DayNumber due = *calendar::parse_day(c.deadline->due_date);
  auto left = cal.working_days_left(today, due);
  if (left.ok()) c.deadline->days_left = *left;
  if (due < today) {
    c.deadline->state = "overdue";
  } else if (left.ok() && *left <= 2) {
    c.deadline->state = "due_soon";
  } else {
    c.deadline->state = "normal";
  }
}

Status load_escalations(store::Conn& c, std::vector<Case*> cases) {
  for (Case* k : cases) {
    SY_ASSIGN(auto row, c.query_one("SELECT escalated_at, stage, due_date, township_code, lead_user_ids "
                                    "FROM case_escalations WHERE case_id = ? ORDER BY escalated_at DESC, id DESC LIMIT 1",
                                    {k->id}));
    if (!row) continue;
    Escalation e{.at = row->i64(0), .stage = row->str(1), .due_date = row->str(2), .township_code = row->str(3), .leads = {}};
    for (const auto& id : split(row->str(4), ',')) {
      if (id.empty()) continue;
      SY_ASSIGN(auto u, c.query_one("SELECT id, display_name FROM users WHERE id = ?", {std::stoll(id)}));
      if (u) e.leads.push_back(Lead{u->i64(0), u->str(1)});
    }
    k->escalation = std::move(e);
  }
  return ok_status();
}

Result<std::optional<Case>> read_case(store::Conn& c, const Context& ctx, std::int64_t id) {
  SY_ASSIGN(auto row, c.query_one(std::string("SELECT ") + kCaseColumns + kCaseFrom + " WHERE c.id = ?", {id}));
  if (!row) return std::optional<Case>();
  Case k = case_from_row(*row);
  if (!ctx.actor.in_scope(k.region_code)) return std::optional<Case>();
  return std::optional<Case>(std::move(k));
}

Error not_found() { return make_error("not_found", "诉求不存在或不在您的管辖范围内"); }

Result<CaseDetail> read_detail(store::Conn& c, const Context& ctx, std::int64_t id) {
  SY_ASSIGN(std::optional<Case> k, read_case(c, ctx, id));
  if (!k) return not_found();
  CaseDetail d;
  d.c = std::move(*k);
  SY_ASSIGN(WorkingCalendar cal, calendar::load_working_calendar(c));
  rate_deadline(d.c, cal, calendar::today(ctx));
  SY_TRY(load_escalations(c, {&d.c}));
  SY_ASSIGN(store::Rows events, c.query("SELECT id, at, username, display_name, action, from_status, to_status, note, data "
                                        "FROM case_events WHERE case_id = ? ORDER BY at, id",
                                        {id}));
  for (const auto& e : events) {
    d.timeline.push_back(TimelineEntry{.id = e.i64(0), .at = e.i64(1), .username = e.str(2), .display_name = e.str(3),
                                       .action = e.str(4), .from_status = e.str(5), .to_status = e.str(6),
                                       .note = e.str(7), .data_json = e.str(8)});
  }
  SY_ASSIGN(store::Rows atts, c.query("SELECT id, file_name, content_type, purpose, uploaded_by_name, size, uploaded_at "
                                      "FROM case_attachments WHERE case_id = ? ORDER BY uploaded_at, id",
                                      {id}));
  for (const auto& a : atts) {
    d.attachments.push_back(AttachmentInfo{.id = a.i64(0), .file_name = a.str(1), .content_type = a.str(2),
                                           .purpose = a.str(3), .uploaded_by = a.str(4), .size = a.i64(5),
                                           .uploaded_at = a.i64(6)});
  }
  d.next_steps = next_steps(d.c.kind, d.c.status, ctx.actor);
  return d;
}

Result<CaseDetail> detail_after(const Context& ctx, std::int64_t id) {
  std::optional<CaseDetail> out;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(CaseDetail d, read_detail(c, ctx, id));
    out = std::move(d);
    return ok_status();
  }));
  return std::move(*out);
}

nlohmann::json case_audit_json(const Case& c) {
  return {{"number", c.number}, {"kind", c.kind}, {"status", c.status}, {"department", c.department},
          {"handler", c.handler}, {"due_stage", c.deadline ? c.deadline->stage : ""},
          {"due_date", c.deadline ? c.deadline->due_date : ""}, {"version", c.version}};
}

Status add_event(store::Conn& tx, const Context& ctx, std::int64_t case_id, const std::string& action,
                 const std::string& from, const std::string& to, const std::string& note, const nlohmann::json& data) {
  SY_TRY(tx.exec("INSERT INTO case_events (id, case_id, at, user_id, username, display_name, action, from_status, "
                 "to_status, note, data) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                 {ctx.ids.next(), case_id, ctx.now(), ctx.actor.id_or_null(), ctx.actor.username,
                  ctx.actor.display_name.empty() ? ctx.actor.username : ctx.actor.display_name, action, from, to, note,
                  data.dump()}));
  return ok_status();
}

Result<KindInfo> read_kind(store::Conn& c, const std::string& code) {
  SY_ASSIGN(auto row, c.query_one("SELECT code, name, prefix, accept_days, resolve_days, version FROM case_kinds "
                                  "WHERE code = ?",
                                  {code}));
  if (!row) return make_error("unknown_kind", "未知的诉求类型：" + code, "kind");
  KindInfo k{.code = row->str(0), .name = row->str(1), .prefix = row->str(2),
             .accept_days = static_cast<int>(row->i64(3)), .resolve_days = static_cast<int>(row->i64(4)),
             .required = {}, .categories = {}, .version = static_cast<int>(row->i64(5))};
  k.required = {"title", "category", "description", "region_code"};
  if (k.code == "unit_request") k.required.push_back("applicant.unit");
  if (k.code == "rights" || k.code == "hardship") k.required.push_back("applicant");
  SY_ASSIGN(store::Rows cats, c.query("SELECT code, name FROM case_categories WHERE kind = ? ORDER BY sort, code", {code}));
  for (const auto& r : cats) k.categories.push_back(Category{r.str(0), r.str(1)});
  return k;
}

std::string clean(const std::string& s) { return std::string(trim_ascii(s)); }

bool plausible_phone(const std::string& p) {
  if (p.size() < 7 || p.size() > 20) return false;
  return std::all_of(p.begin(), p.end(), [](char ch) { return (ch >= '0' && ch <= '9') || ch == '-'; });
}

Result<DayNumber> add_days(const WorkingCalendar& cal, DayNumber from, int n) { return cal.add_working_days(from, n); }

// The WHERE clause and parameters of a list or export.
Result<std::pair<std::string, store::Params>> where_of(store::Conn& c, const Context& ctx, const CaseQuery& q) {
  std::string where = " WHERE c.region_code LIKE ? ESCAPE '\\'";
  store::Params params{store::like_prefix(ctx.actor.scope_prefix())};
  if (!q.kind.empty()) {
    where += " AND c.kind = ?";
    params.emplace_back(q.kind);
  }
  if (!q.status.empty()) {
    where += " AND c.status = ?";
    params.emplace_back(q.status);
  }
  if (!q.category.empty()) {
    where += " AND c.category = ?";
    params.emplace_back(q.category);
  }
  if (!q.region.empty()) {
    auto code = normalize_region_code(q.region);
    if (!code || !ctx.actor.in_scope(*code)) return make_error("not_found", "区划不存在或不在您的管辖范围内", "region");
    where += " AND c.region_code LIKE ? ESCAPE '\\'";
    params.emplace_back(store::like_prefix(region_prefix(*code)));
  }
  if (!q.handler.empty()) {
    where += " AND c.handler LIKE ? ESCAPE '\\'";
    params.emplace_back(store::like_contains(q.handler));
  }
  if (!q.q.empty()) {
    where += " AND (c.number LIKE ? ESCAPE '\\' OR c.title LIKE ? ESCAPE '\\' OR c.applicant_name LIKE ? ESCAPE '\\' "
             "OR c.applicant_unit LIKE ? ESCAPE '\\')";
    for (int i = 0; i < 4; ++i) params.emplace_back(store::like_contains(q.q));
  }
  if (!q.deadline.empty()) {
    DayNumber today = calendar::today(ctx);
    if (q.deadline == "overdue") {
      where += " AND c.due_stage <> '' AND c.due_date < ?";
      params.emplace_back(calendar::format_day(today));
    } else if (q.deadline == "due_soon" || q.deadline == "normal") {
      SY_ASSIGN(WorkingCalendar cal, calendar::load_working_calendar(c));
      SY_ASSIGN(DayNumber limit, cal.add_working_days(today, 2));
      if (q.deadline == "due_soon") {
        where += " AND c.due_stage <> '' AND c.due_date >= ? AND c.due_date <= ?";
        params.emplace_back(calendar::format_day(today));
      } else {
        where += " AND c.due_stage <> '' AND c.due_date > ?";
      }
      params.emplace_back(calendar::format_day(limit));
    } else {
      return make_error("invalid_filter", "时限状态应为 normal、due_soon 或 overdue", "deadline");
    }
  }
  return std::make_pair(where, params);
}

Result<std::vector<Case>> overdue_in(store::Conn& c, const Context& ctx, int limit) {
  std::string today = calendar::format_day(calendar::today(ctx));
  SY_ASSIGN(store::Rows rows, c.query(std::string("SELECT ") + kCaseColumns + kCaseFrom +
                                          " WHERE c.region_code LIKE ? ESCAPE '\\' AND c.due_stage <> '' AND c.due_date < ? "
                                          "ORDER BY c.due_date, c.id LIMIT ?",
                                      {store::like_prefix(ctx.actor.scope_prefix()), today, limit}));
  SY_ASSIGN(WorkingCalendar cal, calendar::load_working_calendar(c));
  std::vector<Case> out;
  for (const auto& r : rows) {
    out.push_back(case_from_row(r));
    rate_deadline(out.back(), cal, calendar::today(ctx));
  }
  std::vector<Case*> ptrs;
  for (auto& k : out) ptrs.push_back(&k);
  SY_TRY(load_escalations(c, ptrs));
  return out;
}

}  // namespace

Result<std::vector<KindInfo>> list_kinds(const Context& ctx) {
  if (!ctx.actor.has("business:read")) return make_error("forbidden", "您的角色无权查看诉求");
  std::vector<KindInfo> out;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(store::Rows rows, c.query("SELECT code FROM case_kinds ORDER BY sort"));
    for (const auto& r : rows) {
      SY_ASSIGN(KindInfo k, read_kind(c, r.str(0)));
      out.push_back(std::move(k));
    }
    return ok_status();
  }));
  return out;
}

Result<KindInfo> update_kind(const Context& ctx, const std::string& kind, int accept_days, int resolve_days,
                             const std::optional<std::vector<Category>>& categories, int version) {
  if (!ctx.actor.has("cases:decide")) return make_error("forbidden", "您的角色无权修改诉求类型设置");
  if (accept_days < 1 || accept_days > 365)
    return make_error("invalid_days", "受理时限应为1至365个工作日", "accept_days");
  if (resolve_days < 1 || resolve_days > 365)
    return make_error("invalid_days", "办理时限应为1至365个工作日", "resolve_days");
  if (categories) {
    if (categories->empty()) return make_error("field_required", "请至少保留一个类别", "categories");
    std::set<std::string> seen;
    for (const auto& cat : *categories) {
      if (clean(cat.code).empty() || clean(cat.name).empty())
        return make_error("field_required", "类别的代码和名称都不能为空", "categories");
      if (!seen.insert(cat.code).second) return make_error("duplicate_category", "类别代码重复：" + cat.code, "categories");
    }
  }
  KindInfo out;
  SY_TRY(audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    SY_ASSIGN(KindInfo before, read_kind(tx, kind));
    SY_ASSIGN(std::int64_t n, tx.exec("UPDATE case_kinds SET accept_days = ?, resolve_days = ?, updated_at = ?, "
                                      "updated_by = ?, version = version + 1 WHERE code = ? AND version = ?",
                                      {accept_days, resolve_days, ctx.now(), ctx.actor.id_or_null(), kind, version}));
    if (n == 0) return make_error("stale_version", "该类型设置已被他人修改，请刷新后重试", "version");
    if (categories) {
      for (const auto& old : before.categories) {
        bool kept = std::any_of(categories->begin(), categories->end(), [&](const Category& c) { return c.code == old.code; });
        if (kept) continue;
        SY_ASSIGN(std::int64_t used, tx.query_int("SELECT count(*) FROM cases WHERE kind = ? AND category = ?", {kind, old.code}));
        if (used > 0)
          return make_error("category_in_use", "类别“" + old.name + "”已有诉求使用，不能删除", "categories");
      }
      SY_TRY(tx.exec("DELETE FROM case_categories WHERE kind = ?", {kind}));
      int sort = 0;
      for (const auto& cat : *categories)
        SY_TRY(tx.exec("INSERT INTO case_categories (kind, code, name, sort) VALUES (?,?,?,?)",
                       {kind, clean(cat.code), clean(cat.name), sort += 10}));
    }
    SY_ASSIGN(out, read_kind(tx, kind));
    auto cats = [](const KindInfo& k) {
      nlohmann::json a = nlohmann::json::array();
      for (const auto& c : k.categories) a.push_back({{"code", c.code}, {"name", c.name}});
      return a;
    };
    entry = audit::Entry{.action = "case_kind.update", .entity = "case_kind", .entity_id = kind,
                         .before = nlohmann::json{{"accept_days", before.accept_days}, {"resolve_days", before.resolve_days},
                                                  {"categories", cats(before)}},
                         .after = nlohmann::json{{"accept_days", out.accept_days}, {"resolve_days", out.resolve_days},
                                                 {"categories", cats(out)}}};
    return ok_status();
  }));
  return out;
}

Result<NewCase> prepare_case(const Context& ctx, const NewCase& raw) {
  if (!ctx.actor.has("business:write")) return make_error("forbidden", "您的角色无权登记诉求");
  NewCase in = raw;
  in.title = clean(in.title);
  in.description = clean(in.description);
  in.applicant.name = clean(in.applicant.name);
  in.applicant.phone = strip_spaces(in.applicant.phone);
  in.applicant.unit = clean(in.applicant.unit);
  if (!is_known_kind(in.kind)) return make_error("unknown_kind", "请选择诉求类型", "kind");
  if (in.category.empty()) return make_error("field_required", "请选择类别", "category");
  if (in.title.empty()) return make_error("field_required", "请填写事项（诉求的简要内容）", "title");
  if (in.title.size() > 300) return make_error("too_long", "事项不能超过100个字", "title");
  if (in.description.empty()) return make_error("field_required", "请填写诉求的具体情况", "description");
  // The applicant, by kind.
  Applicant& a = in.applicant;
  if (a.type == "person") {
    if (a.person_id == 0) return make_error("field_required", "请选择优抚对象", "applicant.person_id");
    SY_ASSIGN(registry::Person p, registry::get_person(ctx, a.person_id));
    a.name = p.name;
    if (a.phone.empty()) a.phone = p.phone;
    a.unit.clear();
    if (in.region_code.empty()) in.region_code = p.region_code;
  } else if (a.type == "unit") {
    if (a.unit.empty()) return make_error("field_required", "请填写部队（单位）名称", "applicant.unit");
    if (!a.phone.empty() && !plausible_phone(a.phone))
      return make_error("bad_applicant", "联系电话应为7至20位数字", "applicant.phone");
    a.person_id = 0;
  } else if (a.type == "individual") {
    if (a.name.empty()) return make_error("field_required", "请填写诉求人姓名", "applicant.name");
    if (a.phone.empty()) return make_error("field_required", "请填写诉求人联系电话", "applicant.phone");
    if (!plausible_phone(a.phone)) return make_error("bad_applicant", "联系电话应为7至20位数字", "applicant.phone");
    a.person_id = 0;
    a.unit.clear();
  } else if (a.type.empty()) {
    if (!is_hazard(in.kind)) return make_error("field_required", "请填写诉求人", "applicant");
    a = Applicant{};
  } else {
    return make_error("bad_applicant", "诉求人类型应为优抚对象、部队或个人", "applicant.type");
  }
  if (in.kind == "unit_request" && a.type != "unit")
    return make_error("bad_applicant", "部队诉求的诉求人应为部队（单位）", "applicant.type");
  if ((in.kind == "rights" || in.kind == "hardship") && a.type == "unit")
    return make_error("bad_applicant", "涉军维权和困难诉求的诉求人应为优抚对象或个人", "applicant.type");
  // Region: a township or village in scope.
  if (in.region_code.empty()) return make_error("field_required", "请选择所属乡镇或村（社区）", "region_code");
  auto code = normalize_region_code(in.region_code);
  if (!code || region_level_of(*code) == RegionLevel::kCounty)
    return make_error("bad_region", "所属区划应为乡镇（街道）或村（社区）", "region_code");
  if (!ctx.actor.in_scope(*code)) return make_error("not_found", "区划不存在或不在您的管辖范围内", "region_code");
  in.region_code = *code;
  DayNumber today = calendar::today(ctx);
  if (!in.registered_on.empty()) {
    auto d = calendar::parse_day(in.registered_on);
    if (!d) return make_error("invalid_date", "登记日期应为 YYYY-MM-DD", "registered_on");
    if (*d > today) return make_error("invalid_date", "登记日期不能晚于今天", "registered_on");
  } else {
    in.registered_on = calendar::format_day(today);
  }
  if (in.source.data_json.empty()) in.source.data_json = "{}";
  return in;
}

Result<std::int64_t> insert_case(store::Conn& tx, const Context& ctx, const NewCase& in) {
  const Applicant& a = in.applicant;
  DayNumber registered = *calendar::parse_day(in.registered_on);
  std::int64_t id = ctx.ids.next();
  {
    SY_ASSIGN(auto region, tx.query_one("SELECT code FROM regions WHERE code = ?", {in.region_code}));
    if (!region) return make_error("not_found", "区划不存在或不在您的管辖范围内", "region_code");
    SY_ASSIGN(KindInfo kind, read_kind(tx, in.kind));
    bool known = std::any_of(kind.categories.begin(), kind.categories.end(),
                             [&](const Category& c) { return c.code == in.category; });
    if (!known) return make_error("unknown_category", kind.name + "没有类别“" + in.category + "”", "category");
    SY_ASSIGN(WorkingCalendar cal, calendar::load_working_calendar(tx));
    SY_ASSIGN(DayNumber due, add_days(cal, registered, kind.accept_days));
    std::string year = calendar::format_day(registered).substr(0, 4);
    std::string stem = kind.prefix + "-" + year + "-";
    SY_ASSIGN(auto last, tx.query_one("SELECT max(number) FROM cases WHERE number LIKE ? ESCAPE '\\'",
                                      {store::like_prefix(stem)}));
    int seq = 1;
    if (last && !last->is_null(0)) seq = std::stoi(last->str(0).substr(stem.size())) + 1;
    char num[16];
    std::snprintf(num, sizeof num, "%04d", seq);
    std::string number = stem + num;
    SY_TRY(tx.exec("INSERT INTO cases (id, number, kind, category, title, description, region_code, applicant_type, "
                   "applicant_person_id, applicant_name, applicant_phone, applicant_unit, registered_on, status, "
                   "due_stage, due_date, created_at, created_by, updated_at, updated_by, source_type, source_id, "
                   "source_data) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,'registered','accept',?,?,?,?,?,?,?,?)",
                   {id, number, in.kind, in.category, in.title, in.description, in.region_code, a.type,
                    a.person_id ? store::Value(a.person_id) : store::Value(), a.name, a.phone, a.unit,
                    calendar::format_day(registered), calendar::format_day(due), ctx.now(), ctx.actor.id_or_null(),
                    ctx.now(), ctx.actor.id_or_null(), in.source.type,
                    in.source.id ? store::Value(in.source.id) : store::Value(), in.source.data_json}));
    nlohmann::json data{{"accept_due", calendar::format_day(due)}};
    nlohmann::json after{{"number", number}, {"kind", in.kind}, {"category", in.category}, {"title", in.title},
                         {"applicant", a.type == "unit" ? a.unit : a.name}, {"accept_due", calendar::format_day(due)}};
    if (!in.source.type.empty()) {
      data["source"] = {{"type", in.source.type}, {"id", std::to_string(in.source.id)}};
      after["source"] = data["source"];
    }
    SY_TRY(add_event(tx, ctx, id, "register", "", "registered", "", data));
    SY_TRY(audit::record(tx, ctx, audit::Entry{.action = "case.register", .entity = "case",
                                               .entity_id = std::to_string(id), .region_code = in.region_code,
                                               .after = after}));
  }
  return id;
}

Result<CaseDetail> create_case(const Context& ctx, const NewCase& raw) {
  SY_ASSIGN(NewCase in, prepare_case(ctx, raw));
  std::int64_t id = 0;
  SY_TRY(ctx.db.transact([&](store::Conn& tx) -> Status {
    SY_ASSIGN(id, insert_case(tx, ctx, in));
    return ok_status();
  }));
  return detail_after(ctx, id);
}

Result<CaseDetail> get_case(const Context& ctx, std::int64_t id) {
  if (!ctx.actor.has("business:read")) return make_error("forbidden", "您的角色无权查看诉求");
  return detail_after(ctx, id);
}

Result<CaseDetail> act(const Context& ctx, std::int64_t id, const std::string& action, const ActionInput& raw) {
  if (!is_known_action(action)) return make_error("not_found", "未知的办理操作：" + action);
  if (!ctx.actor.has(action_permission(action)))
    return make_error("forbidden", "您的角色无权进行“" + action_name(action) + "”");
  ActionInput in = raw;
  for (std::string* s : {&in.note, &in.reason, &in.department, &in.handler, &in.result, &in.measures})
    *s = clean(*s);
  SY_TRY(audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    SY_ASSIGN(std::optional<Case> found, read_case(tx, ctx, id));
    if (!found) return not_found();
    Case before = *found;
    Case after = before;
    if (before.version != in.version)
      return make_error("stale_version", "该诉求已被他人办理或修改，请刷新后重试", "version");
    if (!allowed(before.kind, before.status, action))
      return make_error("invalid_transition", "诉求当前状态为“" + status_name(before.kind, before.status) + "”，不能进行“" +
                                                  action_name(action) + "”");
    SY_ASSIGN(KindInfo kind, read_kind(tx, before.kind));
    SY_ASSIGN(WorkingCalendar cal, calendar::load_working_calendar(tx));
    DayNumber today = calendar::today(ctx);
    auto set_due = [&](const std::string& stage, DayNumber due) {
      after.deadline = Deadline{.stage = stage, .due_date = calendar::format_day(due), .days_left = {}, .state = ""};
    };
    // A 整改时限 typed by the user: a working day after today, inside calendars we have.
    auto rectify_due = [&]() -> Result<DayNumber> {
      if (in.due_date.empty()) return make_error("field_required", "请填写整改时限", "due_date");
      auto d = calendar::parse_day(in.due_date);
      if (!d) return make_error("invalid_date", "整改时限应为 YYYY-MM-DD", "due_date");
      if (*d <= today) return make_error("invalid_date", "整改时限应晚于今天", "due_date");
      SY_ASSIGN(int left, cal.working_days_left(today, *d));
      (void)left;
      SY_ASSIGN(bool working, cal.is_working_day(*d));
      if (!working) return make_error("invalid_date", "整改时限" + in.due_date + "不是工作日", "due_date");
      return *d;
    };
    nlohmann::json data = nlohmann::json::object();
    std::string note = in.note;
    if (action == "accept") {
      after.status = "accepted";
      SY_ASSIGN(DayNumber due, add_days(cal, today, kind.resolve_days));
      set_due("resolve", due);
    } else if (action == "reject") {
      if (in.reason.empty()) return make_error("field_required", "请填写不予受理的理由", "reason");
      after.status = "rejected";
      after.reject_reason = in.reason;
      after.deadline.reset();
      note = in.reason;
    } else if (action == "assign") {
      if (in.department.empty()) return make_error("field_required", "请填写责任单位", "department");
      if (in.handler.empty()) return make_error("field_required", "请填写责任人", "handler");
      after.status = "in_progress";
      after.department = in.department;
      after.handler = in.handler;
      data = {{"department", in.department}, {"handler", in.handler}};
    } else if (action == "note") {
      if (in.note.empty()) return make_error("field_required", "请填写办理情况", "note");
    } else if (action == "resolve") {
      if (in.result.empty()) return make_error("field_required", "请填写办理结果", "result");
      after.status = "resolved";
      after.result = in.result;
      after.deadline.reset();
      data = {{"result", in.result}};
    } else if (action == "visit") {
      if (in.satisfaction != "satisfied" && in.satisfaction != "basically_satisfied" &&
          in.satisfaction != "dissatisfied")
        return make_error("field_required", "请选择回访结果：满意、基本满意或不满意", "satisfaction");
      after.satisfaction = in.satisfaction;
      data = {{"satisfaction", in.satisfaction}};
      if (in.satisfaction == "dissatisfied") {
        if (in.note.empty()) return make_error("field_required", "回访不满意时请填写原因", "note");
        after.status = "in_progress";
        SY_ASSIGN(DayNumber due, add_days(cal, today, kind.resolve_days));
        set_due("resolve", due);
        data["reopened"] = true;
      } else {
        after.status = "closed";
        after.deadline.reset();
      }
    } else if (action == "rectify") {
      if (in.hazard_level != "general" && in.hazard_level != "major")
        return make_error("field_required", "请选择隐患等级：一般或重大", "hazard_level");
      if (in.measures.empty()) return make_error("field_required", "请填写整改措施", "measures");
      if (in.department.empty()) return make_error("field_required", "请填写整改责任单位", "department");
      if (in.handler.empty()) return make_error("field_required", "请填写整改责任人", "handler");
      SY_ASSIGN(DayNumber due, rectify_due());
      after.status = "rectifying";
      after.hazard_level = in.hazard_level;
      after.measures = in.measures;
      after.department = in.department;
      after.handler = in.handler;
      set_due("rectify", due);
      data = {{"hazard_level", in.hazard_level}, {"measures", in.measures}, {"department", in.department},
              {"handler", in.handler}, {"due_date", calendar::format_day(due)}};
    } else if (action == "submit_review") {
      if (in.note.empty()) return make_error("field_required", "请填写整改情况", "note");
      after.status = "reviewing";
      after.deadline.reset();
    } else if (action == "review") {
      if (!in.passed) return make_error("field_required", "请选择复查是否通过", "passed");
      if (in.note.empty()) return make_error("field_required", "请填写复查意见", "note");
      data = {{"passed", *in.passed}};
      if (*in.passed) {
        after.status = "closed";
        after.deadline.reset();
      } else {
        SY_ASSIGN(DayNumber due, rectify_due());
        after.status = "rectifying";
        set_due("rectify", due);
        data["due_date"] = calendar::format_day(due);
      }
    }
    if (!in.evidence_ids.empty()) {
      if (action != "resolve" && action != "submit_review")
        return make_error("invalid_field", "只有办结和申请复查时可以关联佐证材料", "evidence_ids");
      nlohmann::json ids = nlohmann::json::array();
      for (std::int64_t aid : in.evidence_ids) {
        SY_ASSIGN(std::int64_t n, tx.exec("UPDATE case_attachments SET purpose = 'evidence' WHERE id = ? AND case_id = ?",
                                          {aid, id}));
        if (n == 0) return make_error("not_found", "佐证材料不是本诉求的附件", "evidence_ids");
        ids.push_back(std::to_string(aid));
      }
      data["evidence_ids"] = ids;
    }
    SY_ASSIGN(std::int64_t n,
              tx.exec("UPDATE cases SET status = ?, department = ?, handler = ?, hazard_level = ?, measures = ?, result = ?, "
                      "satisfaction = ?, reject_reason = ?, due_stage = ?, due_date = ?, updated_at = ?, updated_by = ?, "
                      "version = version + 1 WHERE id = ? AND version = ?",
                      {after.status, after.department, after.handler, after.hazard_level, after.measures, after.result,
                       after.satisfaction, after.reject_reason, after.deadline ? after.deadline->stage : "",
                       after.deadline ? after.deadline->due_date : "", ctx.now(), ctx.actor.id_or_null(), id,
                       in.version}));
    if (n == 0) return make_error("stale_version", "该诉求已被他人办理或修改，请刷新后重试", "version");
    after.version = before.version + 1;
    if (after.deadline) data["due_date"] = after.deadline->due_date;
    SY_TRY(add_event(tx, ctx, id, action, before.status, after.status, note, data));
    entry = audit::Entry{.action = "case." + action, .entity = "case", .entity_id = std::to_string(id),
                         .region_code = before.region_code, .before = case_audit_json(before),
                         .after = case_audit_json(after)};
    return ok_status();
  }));
  return detail_after(ctx, id);
}

Result<Page<Case>> list_cases(const Context& ctx, const CaseQuery& q) {
  if (!ctx.actor.has("business:read")) return make_error("forbidden", "您的角色无权查看诉求");
  Page<Case> out;
  out.page = q.page.page;
  out.size = q.page.size;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(auto w, where_of(c, ctx, q));
    SY_ASSIGN(out.total, c.query_int("SELECT count(*) FROM cases c" + w.first, w.second));
    store::Params params = w.second;
    params.emplace_back(q.page.size);
    params.emplace_back(q.page.offset());
    SY_ASSIGN(store::Rows rows, c.query(std::string("SELECT ") + kCaseColumns + kCaseFrom + w.first +
                                            " ORDER BY c.registered_on DESC, c.id DESC LIMIT ? OFFSET ?",
                                        params));
    SY_ASSIGN(WorkingCalendar cal, calendar::load_working_calendar(c));
    for (const auto& r : rows) {
      out.items.push_back(case_from_row(r));
      rate_deadline(out.items.back(), cal, calendar::today(ctx));
    }
    std::vector<Case*> ptrs;
    for (auto& k : out.items) ptrs.push_back(&k);
    return load_escalations(c, ptrs);
  }));
  return out;
}

Result<std::string> export_ledger(const Context& ctx, const CaseQuery& q) {
  if (!ctx.actor.has("business:read")) return make_error("forbidden", "您的角色无权导出诉求台帐");
  io::Table table{"诉求台帐", {"序号", "登记日期", "诉求人", "事项", "责任单位", "责任人", "办理时限", "办理结果", "状态"}, {}};
  std::int64_t total = 0;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(auto w, where_of(c, ctx, q));
    SY_ASSIGN(store::Rows rows, c.query(std::string("SELECT ") + kCaseColumns + kCaseFrom + w.first +
                                            " ORDER BY c.registered_on, c.id LIMIT 100000",
                                        w.second));
    SY_ASSIGN(WorkingCalendar cal, calendar::load_working_calendar(c));
    int seq = 0;
    for (const auto& r : rows) {
      Case k = case_from_row(r);
      rate_deadline(k, cal, calendar::today(ctx));
      std::string who = k.applicant.type == "unit" ? k.applicant.unit : k.applicant.name;
      std::string state = status_name(k.kind, k.status);
      if (k.deadline && k.deadline->state != "normal") state += "（" + deadline_state_name(k.deadline->state) + "）";
      std::string result = k.status == "rejected" ? "不予受理：" + k.reject_reason : k.result;
      table.rows.push_back({std::to_string(++seq), k.registered_on, who, k.title, k.department, k.handler,
                            k.deadline ? k.deadline->due_date : "", result, state});
    }
    total = seq;
    return ok_status();
  }));
  SY_ASSIGN(std::string bytes, io::write_xlsx(table));
  SY_TRY(audit::record_now(ctx, audit::Entry{.action = "case.export", .entity = "case",
                                             .after = nlohmann::json{{"kind", q.kind}, {"status", q.status},
                                                                     {"deadline", q.deadline}, {"rows", total}}}));
  return bytes;
}

Result<AttachmentInfo> add_attachment(const Context& ctx, std::int64_t case_id, const NewAttachment& in) {
  if (!ctx.actor.has("business:write")) return make_error("forbidden", "您的角色无权上传附件");
  std::string purpose = in.purpose.empty() ? "material" : in.purpose;
  if (purpose != "material" && purpose != "evidence")
    return make_error("invalid_field", "附件用途应为材料或佐证材料", "purpose");
  std::string name = clean(in.file_name);
  if (auto slash = name.find_last_of("/\\"); slash != std::string::npos) name = name.substr(slash + 1);
  if (name.empty() || name.size() > 200) return make_error("invalid_field", "请提供文件名（不超过200字节）", "file");
  SY_ASSIGN(std::string type, check_attachment(in.bytes, name));
  std::string encoded = base64_encode(in.bytes);
  AttachmentInfo info{.id = ctx.ids.next(), .file_name = name, .content_type = type, .purpose = purpose,
                      .uploaded_by = ctx.actor.display_name.empty() ? ctx.actor.username : ctx.actor.display_name,
                      .size = static_cast<std::int64_t>(in.bytes.size()), .uploaded_at = ctx.now()};
  SY_TRY(audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    SY_ASSIGN(std::optional<Case> k, read_case(tx, ctx, case_id));
    if (!k) return not_found();
    if (is_final(k->status))
      return make_error("invalid_transition",
                        "诉求已" + status_name(k->kind, k->status) + "，不能再上传附件");
    SY_ASSIGN(std::int64_t count, tx.query_int("SELECT count(*) FROM case_attachments WHERE case_id = ?", {case_id}));
    if (count >= kMaxAttachmentsPerCase)
      return make_error("attachment_limit", "每件诉求最多" + std::to_string(kMaxAttachmentsPerCase) + "个附件", "file");
    SY_TRY(tx.exec("INSERT INTO case_attachments (id, case_id, file_name, content_type, size, purpose, data_base64, "
                   "uploaded_at, uploaded_by, uploaded_by_name) VALUES (?,?,?,?,?,?,?,?,?,?)",
                   {info.id, case_id, name, type, info.size, purpose, encoded, info.uploaded_at, ctx.actor.id_or_null(),
                    info.uploaded_by}));
    SY_TRY(add_event(tx, ctx, case_id, "attach", k->status, k->status, name,
                     nlohmann::json{{"attachment_id", std::to_string(info.id)}, {"purpose", purpose}}));
    entry = audit::Entry{.action = "case.attach", .entity = "case", .entity_id = std::to_string(case_id),
                         .region_code = k->region_code,
                         .after = nlohmann::json{{"attachment_id", std::to_string(info.id)}, {"file_name", name},
                                                 {"content_type", type}, {"size", info.size}}};
    return ok_status();
  }));
  return info;
}

Result<AttachmentFile> get_attachment(const Context& ctx, std::int64_t case_id, std::int64_t attachment_id) {
  if (!ctx.actor.has("business:read")) return make_error("forbidden", "您的角色无权查看附件");
  AttachmentFile out;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(std::optional<Case> k, read_case(c, ctx, case_id));
    if (!k) return not_found();
    SY_ASSIGN(auto row, c.query_one("SELECT file_name, content_type, data_base64 FROM case_attachments "
                                    "WHERE id = ? AND case_id = ?",
                                    {attachment_id, case_id}));
    if (!row) return make_error("not_found", "附件不存在");
    out.file_name = row->str(0);
    out.content_type = row->str(1);
    auto bytes = base64_decode(row->str(2));
    if (!bytes) return make_error("internal_error", "附件数据已损坏");
    out.bytes = std::move(*bytes);
    return ok_status();
  }));
  return out;
}

Result<Summary> summary(const Context& ctx) {
  if (!ctx.actor.has("business:read")) return make_error("forbidden", "您的角色无权查看诉求");
  Summary s;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    std::string like = store::like_prefix(ctx.actor.scope_prefix());
    SY_ASSIGN(store::Rows counts, c.query("SELECT kind, status, count(*) FROM cases WHERE region_code LIKE ? ESCAPE '\\' "
                                          "GROUP BY kind, status ORDER BY kind, status",
                                          {like}));
    for (const auto& r : counts) s.by_status.push_back(StatusCount{r.str(0), r.str(1), r.i64(2)});
    SY_ASSIGN(store::Rows running, c.query("SELECT due_date FROM cases WHERE region_code LIKE ? ESCAPE '\\' AND due_stage <> ''",
                                           {like}));
    SY_ASSIGN(WorkingCalendar cal, calendar::load_working_calendar(c));
    DayNumber today = calendar::today(ctx);
    for (const auto& r : running) {
      Case k;
      k.deadline = Deadline{.stage = "x", .due_date = r.str(0), .days_left = {}, .state = ""};
      rate_deadline(k, cal, today);
      (k.deadline->state == "overdue" ? s.overdue : k.deadline->state == "due_soon" ? s.due_soon : s.normal)++;
    }
    SY_ASSIGN(s.overdue_cases, overdue_in(c, ctx, 20));
    if (ctx.actor.user_id) {
      SY_ASSIGN(std::vector<Case> all, overdue_in(c, ctx, 100000));
      std::string me = std::to_string(ctx.actor.user_id);
      for (auto& k : all) {
        if (!k.escalation || !k.deadline || k.escalation->due_date != k.deadline->due_date) continue;
        bool mine = std::any_of(k.escalation->leads.begin(), k.escalation->leads.end(),
                                [&](const Lead& l) { return l.id == ctx.actor.user_id; });
        if (mine) s.escalated_to_me.push_back(std::move(k));
      }
    }
    return ok_status();
  }));
  return s;
}

Result<EscalationRun> escalate_overdue(const Context& ctx) {
  if (!ctx.actor.has("cases:decide")) return make_error("forbidden", "您的角色无权上报逾期诉求");
  EscalationRun run;
  SY_TRY(ctx.db.transact([&](store::Conn& tx) -> Status {
    SY_ASSIGN(std::vector<Case> overdue, overdue_in(tx, ctx, 100000));
    for (const Case& k : overdue) {
      SY_ASSIGN(std::int64_t done, tx.query_int("SELECT count(*) FROM case_escalations WHERE case_id = ? AND stage = ? "
                                                "AND due_date = ?",
                                                {k.id, k.deadline->stage, k.deadline->due_date}));
      if (done) continue;
      SY_ASSIGN(store::Rows leads, tx.query("SELECT id, display_name, roles FROM users WHERE region_code = ? AND "
                                            "status = 'active' ORDER BY id",
                                            {k.township_code}));
      std::vector<std::string> ids, names;
      for (const auto& u : leads) {
        auto roles = split(u.str(2), ',');
        if (std::find(roles.begin(), roles.end(), "biz_admin") == roles.end()) continue;
        ids.push_back(u.str(0));
        names.push_back(u.str(1));
      }
      SY_TRY(tx.exec("INSERT INTO case_escalations (id, case_id, stage, due_date, township_code, lead_user_ids, "
                     "escalated_at) VALUES (?,?,?,?,?,?,?)",
                     {ctx.ids.next(), k.id, k.deadline->stage, k.deadline->due_date, k.township_code, join(ids, ","),
                      ctx.now()}));
      std::string note = stage_name(k.deadline->stage) + k.deadline->due_date + "已过，" +
                         (names.empty() ? std::string("该乡镇没有业务管理员账号") : "已上报" + join(names, "、"));
      SY_TRY(add_event(tx, ctx, k.id, "escalate", k.status, k.status, note,
                       nlohmann::json{{"stage", k.deadline->stage}, {"due_date", k.deadline->due_date},
                                      {"township_code", k.township_code}, {"lead_user_ids", ids}}));
      SY_TRY(audit::record(tx, ctx, audit::Entry{.action = "case.escalate", .entity = "case",
                                                 .entity_id = std::to_string(k.id), .region_code = k.region_code,
                                                 .after = nlohmann::json{{"number", k.number},
                                                                         {"due_date", k.deadline->due_date},
                                                                         {"leads", names}}}));
      ++run.escalated;
    }
    return ok_status();
  }));
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(run.overdue, overdue_in(c, ctx, 100000));
    return ok_status();
  }));
  return run;
}

}  // namespace sy::cases
