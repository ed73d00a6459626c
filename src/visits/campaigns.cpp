#include "visits/campaigns.h"

#include <algorithm>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "audit/audit.h"
#include "calendar/calendar.h"
#include "core/region_code.h"
#include "core/text.h"
#include "registry/categories.h"
#include "visits/internal.h"
#include "visits/target_snapshot.h"

namespace sy::visits {

std::string occasion_name(const std::string& code) {
  if (code == "spring_festival") return "春节";
  if (code == "army_day") return "八一";
  if (code == "support_month") return "双拥月";
  if (code == "other") return "其他";
  return code;
}
std::string campaign_status_name(const std::string& code) {
  if (code == "draft") return "草稿";
  if (code == "active") return "进行中";
  if (code == "closed") return "已结束";
  return code;
}
std::string unit_name(const std::string& code) { return code == "person" ? "按人" : "按户"; }
std::string target_status_name(const std::string& code) {
  if (code == "pending") return "未走访";
  if (code == "visited") return "已走访";
  if (code == "not_home") return "不在家";
  if (code == "moved") return "已搬迁";
  if (code == "declined") return "谢绝";
  return code;
}
std::string flag_name(const std::string& code) {
  if (code == "dibao") return "低保";
  if (code == "tekun") return "特困";
  if (code == "kongchao") return "空巢";
  return code;
}
bool is_outcome(const std::string& code) {
  return code == "visited" || code == "not_home" || code == "moved" || code == "declined";
}

std::string yuan(std::int64_t fen) {
  bool neg = fen < 0;
  std::uint64_t v = neg ? static_cast<std::uint64_t>(-fen) : static_cast<std::uint64_t>(fen);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s%llu.%02llu", neg ? "-" : "", static_cast<unsigned long long>(v / 100),
                static_cast<unsigned long long>(v % 100));
  return buf;
}

namespace detail {

std::string clean(const std::string& s) { return std::string(trim_ascii(s)); }

std::string scope_like(const Actor& a) { return store::like_prefix(a.scope_prefix()); }

nlohmann::json groups_to_json(const std::vector<Group>& groups) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& g : groups)
    a.push_back({{"key", g.key},
                 {"name", g.name},
                 {"cash_fen", g.cash_fen},
                 {"gifts", g.gifts},
                 {"filter",
                  {{"categories", g.filter.categories},
                   {"grades", g.filter.grades},
                   {"causes", g.filter.causes},
                   {"flags", g.filter.flags},
                   {"region_codes", g.filter.region_codes}}}});
  return a;
}

std::vector<Group> groups_from_json(const std::string& text) {
  std::vector<Group> out;
  nlohmann::json a = nlohmann::json::parse(text, nullptr, false);
  if (!a.is_array()) return out;
  for (const auto& g : a) {
    Group x;
    x.key = g.value("key", "");
    x.name = g.value("name", "");
    x.cash_fen = g.value("cash_fen", std::int64_t{0});
    x.gifts = g.value("gifts", "");
    const nlohmann::json f = g.value("filter", nlohmann::json::object());
    x.filter.categories = f.value("categories", std::vector<std::string>{});
    x.filter.grades = f.value("grades", std::vector<int>{});
    x.filter.causes = f.value("causes", std::vector<std::string>{});
    x.filter.flags = f.value("flags", std::vector<std::string>{});
    x.filter.region_codes = f.value("region_codes", std::vector<std::string>{});
    out.push_back(std::move(x));
  }
  return out;
}

const char* kCampaignColumns =
    "c.id, c.name, c.occasion, c.region_code, c.starts_on, c.ends_on, c.unit, c.budget_fen, c.groups, c.status, "
    "c.generated_at, c.created_at, c.version, g.short_name";
const char* kCampaignFrom = " FROM campaigns c LEFT JOIN regions g ON g.code = c.region_code";

Campaign campaign_from_row(const store::Row& r) {
  Campaign c;
  c.id = r.i64(0);
  c.name = r.str(1);
  c.occasion = r.str(2);
  c.region_code = r.str(3);
  c.starts_on = r.str(4);
  c.ends_on = r.str(5);
  c.unit = r.str(6);
  c.budget_fen = r.i64(7);
  c.groups = groups_from_json(r.str(8));
  c.status = r.str(9);
  c.generated_at = r.is_null(10) ? 0 : r.i64(10);
  c.created_at = r.i64(11);
  c.version = static_cast<int>(r.i64(12));
  c.region_name = r.is_null(13) ? c.region_code : r.str(13);
  return c;
}

bool visible(const Actor& a, const std::string& campaign_region) {
  return a.in_scope(campaign_region) || region_contains(campaign_region, a.region_code);
}

Error campaign_not_found() { return make_error("not_found", "走访慰问活动不存在或不在您的管辖范围内"); }

Status fill_figures(store::Conn& c, const Actor& a, Campaign& k) {
  std::string like = scope_like(a);
  SY_ASSIGN(auto row, c.query_one("SELECT count(*), COALESCE(SUM(CASE WHEN status <> 'pending' THEN 1 ELSE 0 END), 0), "
                                  "COALESCE(SUM(CASE WHEN status = 'visited' THEN 1 ELSE 0 END), 0) "
                                  "FROM campaign_targets WHERE campaign_id = ? AND region_code LIKE ? ESCAPE '\\'",
                                  {k.id, like}));
  k.targets = row->i64(0);
  k.done = row->i64(1);
  k.visited = row->i64(2);
  SY_ASSIGN(k.spent_fen, c.query_int("SELECT COALESCE(SUM(cash_fen), 0) FROM visits WHERE campaign_id = ? AND "
                                     "region_code LIKE ? ESCAPE '\\'",
                                     {k.id, like}));
  return ok_status();
}

Result<std::optional<Campaign>> read_campaign(store::Conn& c, const Actor& a, std::int64_t id) {
  SY_ASSIGN(auto row, c.query_one(std::string("SELECT ") + kCampaignColumns + kCampaignFrom + " WHERE c.id = ?", {id}));
  if (!row) return std::optional<Campaign>();
  Campaign k = campaign_from_row(*row);
  if (!visible(a, k.region_code)) return std::optional<Campaign>();
  return std::optional<Campaign>(std::move(k));
}

Result<Campaign> must_read(store::Conn& c, const Actor& a, std::int64_t id) {
  SY_ASSIGN(auto k, read_campaign(c, a, id));
  if (!k) return campaign_not_found();
  return std::move(*k);
}

const char* kTargetColumns =
    "t.id, t.campaign_id, t.group_no, t.household_id, t.person_id, t.name, t.members, t.categories, t.region_code, "
    "t.address, t.phone, t.assignee_id, t.department, t.leader, t.status, t.visit_id, t.appended, t.version, "
    "g.short_name, u.display_name";
const char* kTargetFrom =
    " FROM campaign_targets t LEFT JOIN regions g ON g.code = t.region_code LEFT JOIN users u ON u.id = t.assignee_id";

Target target_from_row(const store::Row& r, const std::vector<Group>& groups) {
  Target t;
  t.id = r.i64(0);
  t.campaign_id = r.i64(1);
  auto no = static_cast<size_t>(r.i64(2));
  if (no >= 1 && no <= groups.size()) {
    const Group& g = groups[no - 1];
    t.group_key = g.key;
    t.group_name = g.name;
    t.cash_fen = g.cash_fen;
    t.gifts = g.gifts;
  }
  t.household_id = r.is_null(3) ? 0 : r.i64(3);
  t.person_id = r.i64(4);
  t.name = r.str(5);
  const std::string members = r.str(6), sep = "、";
  for (size_t pos = 0; pos <= members.size();) {
    size_t next = members.find(sep, pos);
    std::string m = members.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
    if (!m.empty()) t.members.push_back(m);
    if (next == std::string::npos) break;
    pos = next + sep.size();
  }
  for (auto& c : split(r.str(7), ',')) {
    if (!c.empty()) t.categories.push_back(c);
  }
  t.region_code = r.str(8);
  t.address = r.str(9);
  t.phone = r.str(10);
  t.assignee_id = r.is_null(11) ? 0 : r.i64(11);
  t.department = r.str(12);
  t.leader = r.str(13);
  t.status = r.str(14);
  t.visit_id = r.is_null(15) ? 0 : r.i64(15);
  t.appended = r.i64(16) != 0;
  t.version = static_cast<int>(r.i64(17));
  t.region_name = r.is_null(18) ? t.region_code : r.str(18);
  t.assignee_name = r.is_null(19) ? "" : r.str(19);
  return t;
}

}  // namespace detail

using namespace detail;

namespace {

Result<CampaignInput> check_input(const Context& ctx, const CampaignInput& raw) {
  CampaignInput in = raw;
  in.name = clean(in.name);
  if (in.name.empty()) return make_error("field_required", "请填写活动名称", "name");
  if (in.name.size() > 300) return make_error("too_long", "活动名称不能超过100个字", "name");
  if (in.occasion.empty()) return make_error("field_required", "请选择节日（春节、八一、双拥月或其他）", "occasion");
  if (in.occasion != "spring_festival" && in.occasion != "army_day" && in.occasion != "support_month" &&
      in.occasion != "other")
    return make_error("invalid_field", "节日应为 spring_festival、army_day、support_month 或 other", "occasion");
  if (in.starts_on.empty()) return make_error("field_required", "请填写开始日期", "starts_on");
  if (in.ends_on.empty()) return make_error("field_required", "请填写结束日期", "ends_on");
  auto from = calendar::parse_day(in.starts_on);
  if (!from) return make_error("invalid_date", "开始日期应为 YYYY-MM-DD", "starts_on");
  auto to = calendar::parse_day(in.ends_on);
  if (!to) return make_error("invalid_date", "结束日期应为 YYYY-MM-DD", "ends_on");
  if (*to < *from) return make_error("invalid_period", "结束日期不能早于开始日期", "ends_on");
  if (in.unit.empty()) in.unit = "household";
  if (in.unit != "household" && in.unit != "person")
    return make_error("invalid_field", "走访单位应为 household（按户）或 person（按人）", "unit");
  if (in.budget_fen < 0) return make_error("invalid_field", "预算不能为负数", "budget_fen");
  // Area: the actor's own by default; a county or township in scope.
  if (in.region_code.empty()) {
    if (ctx.actor.system) {
      in.region_code = "";
    } else {
      in.region_code = ctx.actor.region_code;
    }
  }
  if (!in.region_code.empty()) {
    auto code = normalize_region_code(in.region_code);
    if (!code) return make_error("bad_region", "活动范围应为县或乡镇（街道）代码", "region_code");
    if (!ctx.actor.in_scope(*code)) return make_error("not_found", "区划不存在或不在您的管辖范围内", "region_code");
    in.region_code = *code;
  }
  if (in.groups.empty()) return make_error("no_groups", "请至少设置一个走访对象分组", "groups");
  if (in.groups.size() > 20) return make_error("invalid_field", "分组不能超过20个", "groups");
  int n = 0;
  for (auto& g : in.groups) {
    ++n;
    std::string at = "groups[" + std::to_string(n - 1) + "]";
    g.key = "g" + std::to_string(n);
    g.name = clean(g.name);
    g.gifts = clean(g.gifts);
    if (g.name.empty()) return make_error("field_required", "请填写第" + std::to_string(n) + "组的名称", at + ".name");
    if (g.cash_fen < 0) return make_error("invalid_field", "慰问金不能为负数", at + ".cash_fen");
    for (auto& c : g.filter.categories) {
      auto code = registry::parse_category(c);
      if (!code) return make_error("unknown_category", "优抚类别不正确：" + c, at + ".filter.categories");
      c = *code;
    }
    for (int grade : g.filter.grades)
      if (grade < 1 || grade > 10) return make_error("invalid_field", "伤残等级应为1至10级", at + ".filter.grades");
    for (auto& c : g.filter.causes) {
      auto code = registry::parse_cause(c);
      if (!code) return make_error("invalid_field", "伤残性质应为因战、因公或因病", at + ".filter.causes");
      c = *code;
    }
    for (const auto& f : g.filter.flags)
      if (f != "dibao" && f != "tekun" && f != "kongchao")
        return make_error("invalid_field", "家庭标记应为 dibao、tekun 或 kongchao", at + ".filter.flags");
    for (auto& r : g.filter.region_codes) {
      auto code = normalize_region_code(r);
      if (!code || region_level_of(*code) == RegionLevel::kCounty)
        return make_error("bad_region", "筛选的区划应为乡镇或村（社区）代码：" + r, at + ".filter.region_codes");
      if (!in.region_code.empty() && !region_contains(in.region_code, *code))
        return make_error("bad_region", "筛选的区划不在活动范围内：" + r, at + ".filter.region_codes");
      r = *code;
    }
  }
  return in;
}

nlohmann::json campaign_audit(const CampaignInput& in) {
  return {{"name", in.name}, {"occasion", in.occasion}, {"starts_on", in.starts_on}, {"ends_on", in.ends_on},
          {"unit", in.unit}, {"budget_fen", in.budget_fen}, {"region_code", in.region_code},
          {"groups", groups_to_json(in.groups)}};
}

Result<Campaign> campaign_after(const Context& ctx, std::int64_t id) {
  Campaign out;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(out, must_read(c, ctx.actor, id));
    return fill_figures(c, ctx.actor, out);
  }));
  return out;
}

// A campaign the actor may change: the whole area in scope.
Result<Campaign> read_for_change(store::Conn& tx, const Context& ctx, std::int64_t id, int version) {
  SY_ASSIGN(Campaign k, must_read(tx, ctx.actor, id));
  if (!ctx.actor.in_scope(k.region_code))
    return make_error("forbidden", "该活动由上级部门组织，只能查看和走访，不能修改");
  if (version >= 0 && k.version != version)
    return make_error("stale_version", "该活动已被他人修改，请刷新后重试", "version");
  return k;
}

std::string categories_of(store::Dialect d, const std::string& person) {
  if (d == store::Dialect::kPostgres)
    return "(SELECT COALESCE(string_agg(pc.category, ',' ORDER BY pc.category), '') FROM person_categories pc "
           "WHERE pc.person_id = " + person + " AND pc.status = 'active')";
  return "(SELECT COALESCE(group_concat(pc.category, ','), '') FROM person_categories pc WHERE pc.person_id = " +
         person + " AND pc.status = 'active')";
}

std::string members_of(store::Dialect d, const std::string& household, const std::string& name) {
  std::string agg = d == store::Dialect::kPostgres
                        ? "(SELECT string_agg(q.name, '、' ORDER BY q.id) FROM persons q WHERE q.household_id = " +
                              household + " AND q.status = 'active')"
                        : "(SELECT group_concat(q.name, '、') FROM persons q WHERE q.household_id = " + household +
                              " AND q.status = 'active')";
  return "CASE WHEN " + household + " IS NULL THEN " + name + " ELSE COALESCE(" + agg + ", " + name + ") END";
}

const char* kTargetInsert =
    "INSERT INTO campaign_targets (campaign_id, group_no, household_id, person_id, name, name_sort, members, "
    "categories, region_code, address, phone, appended) ";

}  // namespace

Result<Campaign> create_campaign(const Context& ctx, const CampaignInput& raw) {
  if (!ctx.actor.has("business:write")) return make_error("forbidden", "您的角色无权创建走访慰问活动");
  SY_ASSIGN(CampaignInput in, check_input(ctx, raw));
  if (in.region_code.empty()) {
    SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
      SY_ASSIGN(auto row, c.query_one("SELECT code FROM regions WHERE level = 'county' ORDER BY code LIMIT 1"));
      if (row) in.region_code = row->str(0);
      return ok_status();
    }));
    if (in.region_code.empty()) return make_error("field_required", "请选择活动范围", "region_code");
  }
  std::int64_t id = ctx.ids.next();
  SY_TRY(audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    SY_TRY(tx.exec("INSERT INTO campaigns (id, name, occasion, region_code, starts_on, ends_on, unit, budget_fen, groups, "
                   "status, created_at, created_by, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,'draft',?,?,?,?)",
                   {id, in.name, in.occasion, in.region_code, in.starts_on, in.ends_on, in.unit, in.budget_fen,
                    groups_to_json(in.groups).dump(), ctx.now(), ctx.actor.id_or_null(), ctx.now(),
                    ctx.actor.id_or_null()}));
    entry = audit::Entry{.action = "campaign.create", .entity = "campaign", .entity_id = std::to_string(id),
                         .region_code = in.region_code, .after = campaign_audit(in)};
    return ok_status();
  }));
  return campaign_after(ctx, id);
}

Result<Campaign> update_campaign(const Context& ctx, std::int64_t id, const CampaignInput& raw, int version) {
  if (!ctx.actor.has("business:write")) return make_error("forbidden", "您的角色无权修改走访慰问活动");
  SY_ASSIGN(CampaignInput in, check_input(ctx, raw));
  SY_TRY(audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    SY_ASSIGN(Campaign before, read_for_change(tx, ctx, id, version));
    if (before.status != "draft")
      return make_error("invalid_state", "活动已" + campaign_status_name(before.status) + "，不能再修改");
    if (raw.region_code.empty()) in.region_code = before.region_code;
    SY_ASSIGN(std::int64_t n,
              tx.exec("UPDATE campaigns SET name = ?, occasion = ?, region_code = ?, starts_on = ?, ends_on = ?, unit = ?, "
                      "budget_fen = ?, groups = ?, updated_at = ?, updated_by = ?, version = version + 1 "
                      "WHERE id = ? AND version = ?",
                      {in.name, in.occasion, in.region_code, in.starts_on, in.ends_on, in.unit, in.budget_fen,
                       groups_to_json(in.groups).dump(), ctx.now(), ctx.actor.id_or_null(), id, version}));
    if (n == 0) return make_error("stale_version", "该活动已被他人修改，请刷新后重试", "version");
    CampaignInput old{.name = before.name, .occasion = before.occasion, .starts_on = before.starts_on,
                      .ends_on = before.ends_on, .unit = before.unit, .region_code = before.region_code,
                      .budget_fen = before.budget_fen, .groups = before.groups};
    entry = audit::Entry{.action = "campaign.update", .entity = "campaign", .entity_id = std::to_string(id),
                         .region_code = in.region_code, .before = campaign_audit(old), .after = campaign_audit(in)};
    return ok_status();
  }));
  return campaign_after(ctx, id);
}

Result<Campaign> get_campaign(const Context& ctx, std::int64_t id) {
  if (!ctx.actor.has("business:read")) return make_error("forbidden", "您的角色无权查看走访慰问活动");
  return campaign_after(ctx, id);
}

Result<Page<Campaign>> list_campaigns(const Context& ctx, const CampaignQuery& q) {
  if (!ctx.actor.has("business:read")) return make_error("forbidden", "您的角色无权查看走访慰问活动");
  std::string where = " WHERE 1 = 1";
  store::Params params;
  if (!ctx.actor.system) {
    // Inside the actor's scope, or an area containing it (the county's campaign seen by a township).
    where += " AND (c.region_code LIKE ? ESCAPE '\\' OR c.region_code IN (?,?,?,?))";
    params.emplace_back(scope_like(ctx.actor));
    const std::string& r = ctx.actor.region_code;
    params.emplace_back(r.substr(0, 2) + "0000000000");
    params.emplace_back(r.substr(0, 4) + "00000000");
    params.emplace_back(r.substr(0, 6) + "000000");
    params.emplace_back(r.substr(0, 9) + "000");
  }
  if (!q.status.empty()) {
    where += " AND c.status = ?";
    params.emplace_back(q.status);
  }
  if (!q.occasion.empty()) {
    where += " AND c.occasion = ?";
    params.emplace_back(q.occasion);
  }
  if (!q.year.empty()) {
    if (q.year.size() != 4 || !std::all_of(q.year.begin(), q.year.end(), ::isdigit))
      return make_error("invalid_filter", "年份应为四位数字", "year");
    where += " AND c.starts_on LIKE ?";
    params.emplace_back(q.year + "-%");
  }
  Page<Campaign> out;
  out.page = q.page.page;
  out.size = q.page.size;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(out.total, c.query_int("SELECT count(*) FROM campaigns c" + where, params));
    store::Params p = params;
    p.emplace_back(q.page.size);
    p.emplace_back(q.page.offset());
    SY_ASSIGN(store::Rows rows, c.query(std::string("SELECT ") + kCampaignColumns + kCampaignFrom + where +
                                            " ORDER BY c.starts_on DESC, c.id DESC LIMIT ? OFFSET ?",
                                        p));
    for (const auto& r : rows) {
      out.items.push_back(campaign_from_row(r));
      SY_TRY(fill_figures(c, ctx.actor, out.items.back()));
    }
    return ok_status();
  }));
  return out;
}

Result<Campaign> generate_campaign(const Context& ctx, std::int64_t id, int version) {
  if (!ctx.actor.has("business:write")) return make_error("forbidden", "您的角色无权生成走访名单");
  SY_TRY(audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    SY_ASSIGN(Campaign k, read_for_change(tx, ctx, id, version));
    if (k.status != "draft")
      return make_error("invalid_state", "活动已" + campaign_status_name(k.status) + "，走访名单已生成");
    SY_ASSIGN(std::int64_t n, snapshot_targets(tx, k));
    if (n == 0) return make_error("no_targets", "没有符合条件的优抚对象，未生成走访对象", "groups");
    SY_ASSIGN(std::int64_t updated,
              tx.exec("UPDATE campaigns SET status = 'active', generated_at = ?, updated_at = ?, updated_by = ?, "
                      "version = version + 1 WHERE id = ? AND version = ?",
                      {ctx.now(), ctx.now(), ctx.actor.id_or_null(), id, k.version}));
    if (updated == 0) return make_error("stale_version", "该活动已被他人修改，请刷新后重试", "version");
    entry = audit::Entry{.action = "campaign.generate", .entity = "campaign", .entity_id = std::to_string(id),
                         .region_code = k.region_code, .before = nlohmann::json{{"status", "draft"}},
                         .after = nlohmann::json{{"status", "active"}, {"targets", n}, {"unit", k.unit}}};
    return ok_status();
  }));
  return campaign_after(ctx, id);
}

Result<Campaign> close_campaign(const Context& ctx, std::int64_t id, int version) {
  if (!ctx.actor.has("business:write")) return make_error("forbidden", "您的角色无权结束走访慰问活动");
  SY_TRY(audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    SY_ASSIGN(Campaign k, read_for_change(tx, ctx, id, version));
    if (k.status != "active")
      return make_error("invalid_state", k.status == "draft" ? "活动尚未生成走访名单，不能结束" : "活动已结束");
    SY_ASSIGN(std::int64_t n, tx.exec("UPDATE campaigns SET status = 'closed', closed_at = ?, updated_at = ?, "
                                      "updated_by = ?, version = version + 1 WHERE id = ? AND version = ?",
                                      {ctx.now(), ctx.now(), ctx.actor.id_or_null(), id, version}));
    if (n == 0) return make_error("stale_version", "该活动已被他人修改，请刷新后重试", "version");
    SY_ASSIGN(auto figures, tx.query_one("SELECT count(*), COALESCE(SUM(CASE WHEN status = 'visited' THEN 1 ELSE 0 END), 0) "
                                         "FROM campaign_targets WHERE campaign_id = ?",
                                         {id}));
    entry = audit::Entry{.action = "campaign.close", .entity = "campaign", .entity_id = std::to_string(id),
                         .region_code = k.region_code, .before = nlohmann::json{{"status", "active"}},
                         .after = nlohmann::json{{"status", "closed"}, {"targets", figures->i64(0)},
                                                 {"visited", figures->i64(1)}}};
    return ok_status();
  }));
  return campaign_after(ctx, id);
}

Result<AppendResult> append_targets(const Context& ctx, std::int64_t id, const std::vector<std::int64_t>& person_ids,
                                    const std::string& group_key) {
  if (!ctx.actor.has("business:write")) return make_error("forbidden", "您的角色无权追加走访对象");
  if (person_ids.empty()) return make_error("field_required", "请选择要追加的优抚对象", "person_ids");
  if (person_ids.size() > 1000) return make_error("invalid_field", "一次最多追加1000人", "person_ids");
  AppendResult out;
  SY_TRY(audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    SY_ASSIGN(Campaign k, must_read(tx, ctx.actor, id));
    if (k.status != "active")
      return make_error("invalid_state", k.status == "draft" ? "请先生成走访名单，再追加对象" : "活动已结束，不能追加对象");
    size_t group_no = 0;
    for (size_t i = 0; i < k.groups.size(); ++i)
      if (k.groups[i].key == group_key) group_no = i + 1;
    if (group_no == 0) return make_error("field_required", "请选择追加到哪个分组", "group_key");
    std::set<std::int64_t> seen;
    nlohmann::json added = nlohmann::json::array();
    for (std::int64_t pid : person_ids) {
      if (!seen.insert(pid).second) continue;
      SY_ASSIGN(auto p, tx.query_one("SELECT region_code, status, household_id FROM persons WHERE id = ?", {pid}));
      if (!p || !ctx.actor.in_scope(p->str(0)) || !region_contains(k.region_code, p->str(0))) {
        out.skipped.push_back(Skipped{pid, "优抚对象不存在或不在活动范围内"});
        continue;
      }
      if (p->str(1) != "active") {
        out.skipped.push_back(Skipped{pid, "该优抚对象不在册"});
        continue;
      }
      std::int64_t already = 0;
      if (k.unit == "household" && !p->is_null(2)) {
        SY_ASSIGN(already, tx.query_int("SELECT count(*) FROM campaign_targets WHERE campaign_id = ? AND household_id = ?",
                                        {id, p->i64(2)}));
      } else {
        SY_ASSIGN(already, tx.query_int("SELECT count(*) FROM campaign_targets WHERE campaign_id = ? AND person_id = ?",
                                        {id, pid}));
      }
      if (already) {
        out.skipped.push_back(Skipped{pid, k.unit == "household" ? "该户已在走访名单中" : "该对象已在走访名单中"});
        continue;
      }
      store::Dialect d = tx.dialect();
      std::string members = k.unit == "household" ? members_of(d, "p.household_id", "p.name") : "p.name";
      SY_TRY(tx.exec(std::string(kTargetInsert) + "SELECT CAST(? AS BIGINT), CAST(? AS INTEGER), p.household_id, p.id, p.name, p.name_sort, " + members +
                         ", " + categories_of(d, "p.id") +
                         ", p.region_code, CASE WHEN p.address <> '' THEN p.address ELSE COALESCE(h.address, '') END, "
                         "p.phone, 1 FROM persons p LEFT JOIN households h ON h.id = p.household_id WHERE p.id = ?",
                     {id, static_cast<std::int64_t>(group_no), pid}));
      added.push_back(std::to_string(pid));
      ++out.appended;
    }
    entry = audit::Entry{.action = "campaign.append", .entity = "campaign", .entity_id = std::to_string(id),
                         .region_code = k.region_code,
                         .after = nlohmann::json{{"group_key", group_key}, {"person_ids", added}, {"appended", out.appended},
                                                 {"skipped", out.skipped.size()}}};
    return ok_status();
  }));
  return out;
}

Result<Page<Target>> list_targets(const Context& ctx, std::int64_t campaign_id, const TargetQuery& q) {
  if (!ctx.actor.has("business:read")) return make_error("forbidden", "您的角色无权查看走访对象");
  Page<Target> out;
  out.page = q.page.page;
  out.size = q.page.size;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(Campaign k, must_read(c, ctx.actor, campaign_id));
    std::string where = " WHERE t.campaign_id = ? AND t.region_code LIKE ? ESCAPE '\\'";
    store::Params params{campaign_id, scope_like(ctx.actor)};
    if (!q.region.empty()) {
      auto code = normalize_region_code(q.region);
      if (!code || !ctx.actor.in_scope(*code)) return make_error("not_found", "区划不存在或不在您的管辖范围内", "region");
      where += " AND t.region_code LIKE ? ESCAPE '\\'";
      params.emplace_back(store::like_prefix(region_prefix(*code)));
    }
    if (!q.status.empty()) {
      where += " AND t.status = ?";
      params.emplace_back(q.status);
    }
    if (!q.group.empty()) {
      size_t no = 0;
      for (size_t i = 0; i < k.groups.size(); ++i)
        if (k.groups[i].key == q.group) no = i + 1;
      where += " AND t.group_no = ?";
      params.emplace_back(static_cast<std::int64_t>(no));
    }
    if (q.assignee == "none") {
      where += " AND t.assignee_id IS NULL";
    } else if (q.assignee == "me") {
      where += " AND t.assignee_id = ?";
      params.emplace_back(ctx.actor.user_id);
    } else if (!q.assignee.empty()) {
      if (!std::all_of(q.assignee.begin(), q.assignee.end(), ::isdigit) || q.assignee.size() > 19)
        return make_error("invalid_filter", "走访人应为 me、none 或用户编号", "assignee");
      where += " AND t.assignee_id = ?";
      params.emplace_back(static_cast<std::int64_t>(std::stoll(q.assignee)));
    }
    if (!q.q.empty()) {
      where += " AND (t.name LIKE ? ESCAPE '\\' OR t.members LIKE ? ESCAPE '\\')";
      params.emplace_back(store::like_contains(q.q));
      params.emplace_back(store::like_contains(q.q));
    }
    SY_ASSIGN(out.total, c.query_int("SELECT count(*) FROM campaign_targets t" + where, params));
    params.emplace_back(q.page.size);
    params.emplace_back(q.page.offset());
    SY_ASSIGN(store::Rows rows, c.query(std::string("SELECT ") + kTargetColumns + kTargetFrom + where +
                                            " ORDER BY t.region_code, t.name_sort, t.id LIMIT ? OFFSET ?",
                                        params));
    for (const auto& r : rows) {
      out.items.push_back(target_from_row(r, k.groups));
      out.items.back().campaign_name = k.name;
      out.items.back().campaign_starts_on = k.starts_on;
      out.items.back().campaign_ends_on = k.ends_on;
    }
    return ok_status();
  }));
  return out;
}

Result<Page<Target>> my_targets(const Context& ctx, const std::string& status, PageRequest page) {
  if (!ctx.actor.has("business:read")) return make_error("forbidden", "您的角色无权查看走访对象");
  Page<Target> out;
  out.page = page.page;
  out.size = page.size;
  if (!ctx.actor.user_id) return out;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    std::string where =
        " WHERE t.assignee_id = ? AND t.region_code LIKE ? ESCAPE '\\' AND t.campaign_id IN "
        "(SELECT id FROM campaigns WHERE status = 'active')";
    store::Params params{ctx.actor.user_id, scope_like(ctx.actor)};
    if (!status.empty()) {
      where += " AND t.status = ?";
      params.emplace_back(status);
    }
    SY_ASSIGN(out.total, c.query_int("SELECT count(*) FROM campaign_targets t" + where, params));
    params.emplace_back(page.size);
    params.emplace_back(page.offset());
    SY_ASSIGN(store::Rows rows, c.query(std::string("SELECT ") + kTargetColumns + kTargetFrom + where +
                                            " ORDER BY CASE WHEN t.status = 'pending' THEN 0 ELSE 1 END, t.campaign_id DESC, "
                                            "t.region_code, t.name_sort, t.id LIMIT ? OFFSET ?",
                                        params));
    std::map<std::int64_t, Campaign> campaigns;
    for (const auto& r : rows) {
      std::int64_t cid = r.i64(1);
      if (!campaigns.count(cid)) {
        SY_ASSIGN(Campaign k, must_read(c, Actor::system_actor(), cid));
        campaigns[cid] = std::move(k);
      }
      out.items.push_back(target_from_row(r, campaigns[cid].groups));
      out.items.back().campaign_name = campaigns[cid].name;
      out.items.back().campaign_starts_on = campaigns[cid].starts_on;
      out.items.back().campaign_ends_on = campaigns[cid].ends_on;
    }
    return ok_status();
  }));
  return out;
}

Result<Target> get_target(const Context& ctx, std::int64_t target_id) {
  if (!ctx.actor.has("business:read")) return make_error("forbidden", "您的角色无权查看走访对象");
  std::optional<Target> out;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(auto row, c.query_one(std::string("SELECT ") + kTargetColumns + kTargetFrom + " WHERE t.id = ?", {target_id}));
    if (!row || !ctx.actor.in_scope(row->str(8))) return make_error("not_found", "走访对象不存在或不在您的管辖范围内");
    SY_ASSIGN(Campaign k, must_read(c, Actor::system_actor(), row->i64(1)));
    out = target_from_row(*row, k.groups);
    out->campaign_name = k.name;
    out->campaign_starts_on = k.starts_on;
    out->campaign_ends_on = k.ends_on;
    return ok_status();
  }));
  return std::move(*out);
}

Result<std::vector<Assignee>> list_assignees(const Context& ctx, std::int64_t campaign_id, const std::string& region) {
  if (!ctx.actor.has("business:write")) return make_error("forbidden", "您的角色无权分配走访任务");
  std::vector<Assignee> out;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_TRY(must_read(c, ctx.actor, campaign_id));
    std::string code;
    if (!region.empty()) {
      auto n = normalize_region_code(region);
      if (!n || !ctx.actor.in_scope(*n)) return make_error("not_found", "区划不存在或不在您的管辖范围内", "region");
      code = *n;
    }
    SY_ASSIGN(auto perms, c.query("SELECT code, permissions FROM roles"));
    std::set<std::string> writers;
    for (const auto& r : perms)
      for (const auto& p : split(r.str(1), ','))
        if (p == "business:write") writers.insert(r.str(0));
    SY_ASSIGN(store::Rows users, c.query("SELECT u.id, u.username, u.display_name, u.region_code, g.short_name, u.roles "
                                         "FROM users u LEFT JOIN regions g ON g.code = u.region_code "
                                         "WHERE u.status = 'active' ORDER BY u.region_code, u.display_name, u.id"));
    for (const auto& u : users) {
      bool writes = false;
      for (const auto& role : split(u.str(5), ','))
        if (writers.count(role)) writes = true;
      if (!writes) continue;
      std::string ur = u.str(3);
      bool fits = !code.empty() ? region_contains(ur, code)
                                : ctx.actor.in_scope(ur) || region_contains(ur, ctx.actor.region_code) || ctx.actor.system;
      if (!fits) continue;
      out.push_back(Assignee{.user_id = u.i64(0), .username = u.str(1), .display_name = u.str(2), .region_code = ur,
                             .region_name = u.is_null(4) ? ur : u.str(4)});
      if (out.size() >= 500) break;
    }
    return ok_status();
  }));
  return out;
}

Result<std::int64_t> assign_targets(const Context& ctx, std::int64_t campaign_id, const Assignment& raw) {
  if (!ctx.actor.has("business:write")) return make_error("forbidden", "您的角色无权分配走访任务");
  Assignment a = raw;
  if (a.department) a.department = clean(*a.department);
  if (a.leader) a.leader = clean(*a.leader);
  if (a.target_ids.empty() && a.region_code.empty())
    return make_error("field_required", "请选择走访对象，或选择一个村（社区）/乡镇批量分配", "target_ids");
  if (!a.target_ids.empty() && !a.region_code.empty())
    return make_error("invalid_field", "走访对象和区划只能选一种", "region_code");
  if (!a.user_id && !a.department && !a.leader)
    return make_error("field_required", "请选择走访人、责任部门或包联领导", "user_id");
  if (a.target_ids.size() > 5000) return make_error("invalid_field", "一次最多分配5000户", "target_ids");
  std::int64_t assigned = 0;
  SY_TRY(audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    SY_ASSIGN(Campaign k, must_read(tx, ctx.actor, campaign_id));
    if (k.status == "closed") return make_error("invalid_state", "活动已结束，不能再分配");
    // The chosen targets, within the actor's scope.
    std::string where = " WHERE campaign_id = ? AND region_code LIKE ? ESCAPE '\\'";
    store::Params params{campaign_id, scope_like(ctx.actor)};
    if (!a.region_code.empty()) {
      auto code = normalize_region_code(a.region_code);
      if (!code || !ctx.actor.in_scope(*code)) return make_error("not_found", "区划不存在或不在您的管辖范围内", "region_code");
      where += " AND region_code LIKE ? ESCAPE '\\'";
      params.emplace_back(store::like_prefix(region_prefix(*code)));
    } else {
      std::string in;
      for (size_t i = 0; i < a.target_ids.size(); ++i) {
        in += i ? ",?" : "?";
        params.emplace_back(a.target_ids[i]);
      }
      where += " AND id IN (" + in + ")";
      std::set<std::int64_t> distinct(a.target_ids.begin(), a.target_ids.end());
      SY_ASSIGN(std::int64_t found, tx.query_int("SELECT count(*) FROM campaign_targets" + where, params));
      if (found != static_cast<std::int64_t>(distinct.size()))
        return make_error("not_found", "部分走访对象不存在或不在您的管辖范围内", "target_ids");
    }
    SY_ASSIGN(store::Rows villages, tx.query("SELECT DISTINCT region_code FROM campaign_targets" + where, params));
    if (villages.empty()) return make_error("no_targets", "该区划内没有走访对象", "region_code");
    std::string assignee_name;
    if (a.user_id) {
      SY_ASSIGN(auto u, tx.query_one("SELECT display_name, region_code, roles, status FROM users WHERE id = ?", {a.user_id}));
      if (!u || u->str(3) != "active") return make_error("not_found", "走访人账号不存在或已停用", "user_id");
      assignee_name = u->str(0);
      bool can_write = false;
      for (const auto& role : split(u->str(2), ',')) {
        SY_ASSIGN(auto perms, tx.query_one("SELECT permissions FROM roles WHERE code = ?", {role}));
        if (!perms) continue;
        for (const auto& p : split(perms->str(0), ','))
          if (p == "business:write") can_write = true;
      }
      if (!can_write)
        return make_error("assignee_out_of_scope", assignee_name + "的角色不能录入走访（需要业务经办权限）", "user_id");
      for (const auto& v : villages) {
        if (!region_contains(u->str(1), v.str(0))) {
          SY_ASSIGN(auto name, tx.query_one("SELECT short_name FROM regions WHERE code = ?", {v.str(0)}));
          return make_error("assignee_out_of_scope",
                            assignee_name + "的管辖范围不包括" + (name ? name->str(0) : v.str(0)) + "，不能分配给该用户",
                            "user_id");
        }
      }
    }
    std::string sets;
    store::Params set_params;
    if (a.user_id) {
      sets += "assignee_id = ?, ";
      set_params.emplace_back(a.user_id);
    }
    if (a.department) {
      sets += "department = ?, ";
      set_params.emplace_back(*a.department);
    }
    if (a.leader) {
      sets += "leader = ?, ";
      set_params.emplace_back(*a.leader);
    }
    for (auto& p : params) set_params.push_back(p);
    SY_ASSIGN(assigned, tx.exec("UPDATE campaign_targets SET " + sets + "version = version + 1" + where, set_params));
    nlohmann::json after{{"assigned", assigned}};
    if (a.user_id) after["user"] = {{"id", std::to_string(a.user_id)}, {"display_name", assignee_name}};
    if (a.department) after["department"] = *a.department;
    if (a.leader) after["leader"] = *a.leader;
    if (!a.region_code.empty()) after["region_code"] = a.region_code;
    else after["targets"] = a.target_ids.size();
    entry = audit::Entry{.action = "campaign.assign", .entity = "campaign", .entity_id = std::to_string(campaign_id),
                         .region_code = k.region_code, .after = after};
    return ok_status();
  }));
  return assigned;
}

Result<Progress> campaign_progress(const Context& ctx, std::int64_t id) {
  if (!ctx.actor.has("business:read")) return make_error("forbidden", "您的角色无权查看走访进度");
  Progress p;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(Campaign k, must_read(c, ctx.actor, id));
    SY_TRY(fill_figures(c, ctx.actor, k));
    p.targets = k.targets;
    p.done = k.done;
    p.visited = k.visited;
    p.spent_fen = k.spent_fen;
    p.budget_fen = k.budget_fen;
    std::string like = scope_like(ctx.actor);
    // By village.
    SY_ASSIGN(store::Rows vs, c.query("SELECT t.region_code, MAX(g.short_name), count(*), "
                                      "SUM(CASE WHEN t.status = 'visited' THEN 1 ELSE 0 END) FROM campaign_targets t "
                                      "LEFT JOIN regions g ON g.code = t.region_code WHERE t.campaign_id = ? AND "
                                      "t.region_code LIKE ? ESCAPE '\\' GROUP BY t.region_code ORDER BY t.region_code",
                                      {id, like}));
    SY_ASSIGN(store::Rows spent_v, c.query("SELECT region_code, SUM(cash_fen) FROM visits WHERE campaign_id = ? AND "
                                           "region_code LIKE ? ESCAPE '\\' GROUP BY region_code",
                                           {id, like}));
    std::map<std::string, std::int64_t> spent_by_village;
    for (const auto& r : spent_v) spent_by_village[r.str(0)] = r.i64(1);
    for (const auto& r : vs)
      p.by_village.push_back(Tally{.code = r.str(0), .name = r.is_null(1) ? r.str(0) : r.str(1), .targets = r.i64(2),
                                   .visited = r.i64(3), .spent_fen = spent_by_village[r.str(0)]});
    // By group.
    SY_ASSIGN(store::Rows gs, c.query("SELECT group_no, count(*), SUM(CASE WHEN status = 'visited' THEN 1 ELSE 0 END) "
                                      "FROM campaign_targets WHERE campaign_id = ? AND region_code LIKE ? ESCAPE '\\' "
                                      "GROUP BY group_no",
                                      {id, like}));
    SY_ASSIGN(store::Rows spent_g, c.query("SELECT t.group_no, SUM(v.cash_fen) FROM visits v JOIN campaign_targets t ON "
                                           "t.id = v.target_id WHERE v.campaign_id = ? AND v.region_code LIKE ? ESCAPE '\\' "
                                           "GROUP BY t.group_no",
                                           {id, like}));
    std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> group_counts;
    std::map<std::int64_t, std::int64_t> spent_by_group;
    for (const auto& r : gs) group_counts[r.i64(0)] = {r.i64(1), r.i64(2)};
    for (const auto& r : spent_g) spent_by_group[r.i64(0)] = r.i64(1);
    for (size_t i = 0; i < k.groups.size(); ++i) {
      auto no = static_cast<std::int64_t>(i + 1);
      p.by_group.push_back(Tally{.code = k.groups[i].key, .name = k.groups[i].name, .targets = group_counts[no].first,
                                 .visited = group_counts[no].second, .spent_fen = spent_by_group[no]});
    }
    // By category: a target with several categories counts under each.
    SY_ASSIGN(store::Rows cs, c.query("SELECT categories, count(*), SUM(CASE WHEN status = 'visited' THEN 1 ELSE 0 END) "
                                      "FROM campaign_targets WHERE campaign_id = ? AND region_code LIKE ? ESCAPE '\\' "
                                      "GROUP BY categories",
                                      {id, like}));
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> by_cat;
    for (const auto& r : cs)
      for (const auto& code : split(r.str(0), ',')) {
        if (code.empty()) continue;
        by_cat[code].first += r.i64(1);
        by_cat[code].second += r.i64(2);
      }
    for (const auto& info : registry::all_categories()) {
      auto it = by_cat.find(info.code);
      if (it == by_cat.end()) continue;
      p.by_category.push_back(Tally{.code = info.code, .name = info.name, .targets = it->second.first,
                                    .visited = it->second.second, .spent_fen = 0});
    }
    // Not visited, once the period is over.
    auto ends = calendar::parse_day(k.ends_on);
    p.ended = ends && *ends < calendar::today(ctx);
    if (p.ended) {
      SY_ASSIGN(store::Rows rows, c.query(std::string("SELECT ") + kTargetColumns + kTargetFrom +
                                              " WHERE t.campaign_id = ? AND t.region_code LIKE ? ESCAPE '\\' AND "
                                              "t.status <> 'visited' ORDER BY t.region_code, t.name_sort, t.id LIMIT 200",
                                          {id, like}));
      for (const auto& r : rows) {
        p.not_visited.push_back(target_from_row(r, k.groups));
        p.not_visited.back().campaign_name = k.name;
      }
    }
    return ok_status();
  }));
  return p;
}

}  // namespace sy::visits
