#include "registry/households.h"

#include <algorithm>
#include <tuple>

#include "audit/audit.h"
#include "core/region_code.h"
#include "registry/person_store.h"

namespace sy::registry {
namespace {

const char* kColumns =
    "SELECT h.id, h.region_code, r.short_name, h.address, h.head_person_id, p.name, h.is_dibao, h.is_tekun, "
    "h.is_kongchao, h.note, h.version, h.status FROM households h LEFT JOIN regions r ON r.code = h.region_code "
    "LEFT JOIN persons p ON p.id = h.head_person_id";

Household to_household(const store::Row& r) {
  Household h;
  h.id = r.i64(0);
  h.region_code = r.str(1);
  h.region_name = r.str(2);
  h.address = r.str(3);
  h.head_person_id = r.is_null(4) ? 0 : r.i64(4);
  h.head_name = r.str(5);
  h.is_dibao = r.i64(6) != 0;
  h.is_tekun = r.i64(7) != 0;
  h.is_kongchao = r.i64(8) != 0;
  h.note = r.str(9);
  h.version = static_cast<int>(r.i64(10));
  return h;
}

Error not_found() { return make_error("not_found", "户不存在或不在您的管辖范围内"); }

Result<std::optional<HouseholdView>> load(store::Conn& c, std::int64_t id) {
  SY_ASSIGN(auto row, c.query_one(std::string(kColumns) + " WHERE h.id = ?", {id}));
  if (!row) return std::optional<HouseholdView>();
  HouseholdView v;
  v.household = to_household(*row);
  v.status = row->str(11);
  SY_ASSIGN(store::Rows members,
            c.query("SELECT id, name, status, version FROM persons WHERE household_id = ? ORDER BY id", {id}));
  for (const auto& m : members) {
    v.members.push_back({m.i64(0), m.str(1), m.str(2), m.i64(0) == v.household.head_person_id,
                         static_cast<int>(m.i64(3))});
    v.household.member_ids.push_back(m.i64(0));
  }
  return std::optional<HouseholdView>(std::move(v));
}

nlohmann::json flags_json(const Household& h) {
  return nlohmann::json{{"address", h.address}, {"note", h.note}, {"is_dibao", h.is_dibao},
                        {"is_tekun", h.is_tekun}, {"is_kongchao", h.is_kongchao}};
}

Error person_not_found() { return make_error("not_found", "优抚对象不存在或不在您的管辖范围内"); }
Error stale_household() { return make_error("stale_version", "该户信息已被他人修改，请刷新后重试", "version"); }
Error stale_person() { return make_error("stale_version", "该优抚对象已被他人修改，请刷新后重试", "version"); }

// How a household is named to people: by its head and village.
std::string describe(const HouseholdView& v) {
  const Household& h = v.household;
  std::string village = h.region_name.empty() ? h.region_code : h.region_name;
  if (h.head_name.empty()) return "户（" + village + "）";
  return "户主 " + h.head_name + " 的户（" + village + "）";
}

nlohmann::json change(const std::string& field, const std::string& label, const std::string& old_value,
                      const std::string& new_value) {
  return nlohmann::json{{"field", field}, {"label", label}, {"old", old_value}, {"new", new_value}};
}

// The 低保 / 特困 / 空巢 flags a person has through their household, as history changes.
void flag_changes(nlohmann::json& changes, const Household& from, const Household& to) {
  for (auto [field, a, b] : {std::tuple{"is_dibao", from.is_dibao, to.is_dibao},
                             std::tuple{"is_tekun", from.is_tekun, to.is_tekun},
                             std::tuple{"is_kongchao", from.is_kongchao, to.is_kongchao}}) {
    if (a != b) changes.push_back(change(field, field_label(field), a ? "是" : "否", b ? "是" : "否"));
  }
}

nlohmann::json members_json(const HouseholdView& v) {
  nlohmann::json names = nlohmann::json::array();
  for (const auto& m : v.members) names.push_back(m.name);
  return nlohmann::json{{"household_id", std::to_string(v.household.id)},
                        {"head", v.household.head_name},
                        {"members", names},
                        {"status", v.status}};
}

bool has_other_members(const HouseholdView& v, std::int64_t person_id) {
  return std::any_of(v.members.begin(), v.members.end(),
                     [&](const HouseholdMember& m) { return m.id != person_id; });
}

// The head may leave only a household with nobody else in it.
Status check_can_leave(const Person& p, const HouseholdView& from) {
  if (from.household.head_person_id == p.id && has_other_members(from, p.id)) {
    return make_error("head_must_change",
                      p.name + " 是本户户主，户内还有其他成员；请先把户主改为其他成员，再迁出", "person_id");
  }
  return ok_status();
}

// Records that `p` has left `from` (already checked): the household's version moves on, and a
// household left without members is dissolved.
Status leave(store::Conn& tx, const Context& ctx, const Person& p, const HouseholdView& from) {
  std::string set = has_other_members(from, p.id) ? "" : "status = 'dissolved', head_person_id = NULL, ";
  SY_ASSIGN(std::int64_t n, tx.exec("UPDATE households SET " + set +
                                        "updated_at = ?, updated_by = ?, version = version + 1 "
                                        "WHERE id = ? AND version = ?",
                                    {ctx.now(), ctx.actor.id_or_null(), from.household.id, from.household.version}));
  if (n == 0) return stale_household();
  return ok_status();
}

Status move_person(store::Conn& tx, const Context& ctx, const Person& p, std::int64_t household_id) {
  SY_ASSIGN(std::int64_t n, tx.exec("UPDATE persons SET household_id = ?, updated_at = ?, updated_by = ?, "
                                    "version = version + 1 WHERE id = ? AND version = ?",
                                    {household_id, ctx.now(), ctx.actor.id_or_null(), p.id, p.version}));
  if (n == 0) return stale_person();
  return ok_status();
}

// The person, in scope and at the version the caller read.
Result<Person> person_for_write(store::Conn& tx, const Context& ctx, std::int64_t id, int version) {
  SY_ASSIGN(auto p, load_person(tx, id));
  if (!p || !ctx.actor.in_scope(p->region_code)) return person_not_found();
  if (p->version != version) return stale_person();
  return *p;
}

}  // namespace

Result<HouseholdView> get_household(const Context& ctx, std::int64_t id) {
  if (!ctx.actor.has("business:read")) return make_error("forbidden", "您的角色无权查看户信息");
  std::optional<HouseholdView> out;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(out, load(c, id));
    return ok_status();
  }));
  if (!out || !ctx.actor.in_scope(out->household.region_code)) return not_found();
  return *out;
}

Result<Page<Household>> list_households(const Context& ctx, const HouseholdQuery& q) {
  if (!ctx.actor.has("business:read")) return make_error("forbidden", "您的角色无权查看户信息");
  std::string prefix = ctx.actor.scope_prefix();
  if (!q.region_code.empty()) {
    auto code = normalize_region_code(q.region_code);
    if (!code || !ctx.actor.in_scope(*code)) return make_error("not_found", "区划不存在或不在您的管辖范围内", "region");
    prefix = region_prefix(*code);
  }
  std::string where = " WHERE h.status = 'active' AND h.region_code LIKE ? ESCAPE '\\'";
  store::Params params = {store::like_prefix(prefix)};
  for (auto [flag, column] : {std::pair{q.dibao, "h.is_dibao"}, std::pair{q.tekun, "h.is_tekun"},
                              std::pair{q.kongchao, "h.is_kongchao"}}) {
    if (!flag) continue;
    where += std::string(" AND ") + column + " = ?";
    params.emplace_back(*flag ? 1 : 0);
  }
  Page<Household> page;
  page.page = q.page.page;
  page.size = q.page.size;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(page.total, c.query_int("SELECT count(*) FROM households h" + where, params));
    store::Params p = params;
    p.emplace_back(q.page.size);
    p.emplace_back(q.page.offset());
    SY_ASSIGN(store::Rows rows, c.query(std::string(kColumns) + where + " ORDER BY h.region_code, h.id LIMIT ? OFFSET ?", p));
    for (const auto& r : rows) page.items.push_back(to_household(r));
    return ok_status();
  }));
  return page;
}

Result<HouseholdView> update_household(const Context& ctx, std::int64_t id, const HouseholdChanges& ch) {
  if (!ctx.actor.has("business:write")) return make_error("forbidden", "您的角色无权修改户信息");
  std::optional<HouseholdView> out;
  SY_TRY(audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    SY_ASSIGN(auto before, load(tx, id));
    if (!before || !ctx.actor.in_scope(before->household.region_code)) return not_found();
    Household h = before->household;
    if (ch.address) h.address = *ch.address;
    if (ch.note) h.note = *ch.note;
    if (ch.is_dibao) h.is_dibao = *ch.is_dibao;
    if (ch.is_tekun) h.is_tekun = *ch.is_tekun;
    if (ch.is_kongchao) h.is_kongchao = *ch.is_kongchao;
    if (h.address.size() > 300 || h.note.size() > 1000) return make_error("too_long", "地址或备注过长");
    SY_ASSIGN(std::int64_t n, tx.exec("UPDATE households SET address = ?, note = ?, is_dibao = ?, is_tekun = ?, "
                                      "is_kongchao = ?, updated_at = ?, updated_by = ?, version = version + 1 "
                                      "WHERE id = ? AND version = ?",
                                      {h.address, h.note, h.is_dibao, h.is_tekun, h.is_kongchao, ctx.now(),
                                       ctx.actor.id_or_null(), id, ch.version}));
    if (n == 0) return make_error("stale_version", "该户信息已被他人修改，请刷新后重试", "version");
    SY_ASSIGN(out, load(tx, id));
    entry = audit::Entry{.action = "household.update", .entity = "household", .entity_id = std::to_string(id),
                         .region_code = h.region_code, .before = flags_json(before->household),
                         .after = flags_json(out->household)};
    return ok_status();
  }));
  return *out;
}

Result<HouseholdView> join_household(const Context& ctx, std::int64_t household_id, std::int64_t person_id,
                                     int person_version) {
  if (!ctx.actor.has("business:write")) return make_error("forbidden", "您的角色无权修改户信息");
  std::optional<HouseholdView> out;
  SY_TRY(audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    SY_ASSIGN(Person p, person_for_write(tx, ctx, person_id, person_version));
    SY_ASSIGN(auto target, load(tx, household_id));
    if (!target || !ctx.actor.in_scope(target->household.region_code)) return not_found();
    if (p.household_id == household_id) return make_error("already_member", p.name + " 已是该户成员", "person_id");
    if (target->status != "active") {
      return make_error("household_dissolved", "该户已无成员（已撤销），不能加入；请选择其他户", "household_id");
    }
    if (p.region_code != target->household.region_code) {
      return make_error("household_other_village",
                        p.name + " 登记在" + p.region_name + "，该户在" + target->household.region_name +
                            "；只能加入同一村（社区）的户。如确已迁居，请先修改其所属村（社区）",
                        "household_id");
    }
    std::optional<HouseholdView> from;
    if (p.household_id) {
      SY_ASSIGN(from, load(tx, p.household_id));
    }
    if (from) SY_TRY(check_can_leave(p, *from));
    SY_TRY(move_person(tx, ctx, p, household_id));
    if (from) SY_TRY(leave(tx, ctx, p, *from));
    SY_ASSIGN(std::int64_t n, tx.exec("UPDATE households SET updated_at = ?, updated_by = ?, version = version + 1 "
                                      "WHERE id = ? AND version = ?",
                                      {ctx.now(), ctx.actor.id_or_null(), household_id, target->household.version}));
    if (n == 0) return stale_household();
    nlohmann::json changes =
        nlohmann::json::array({change("household", "所属户", from ? describe(*from) : "", describe(*target))});
    if (from) flag_changes(changes, from->household, target->household);
    SY_TRY(record_person_history(tx, ctx, p.id, "household", changes));
    SY_ASSIGN(out, load(tx, household_id));
    nlohmann::json before = {{"person_id", std::to_string(p.id)}, {"person", p.name}};
    if (from) before["from"] = members_json(*from);
    entry = audit::Entry{.action = "household.join", .entity = "household", .entity_id = std::to_string(household_id),
                         .region_code = out->household.region_code, .before = before, .after = members_json(*out),
                         .detail = p.name + " 加入" + describe(*target)};
    return ok_status();
  }));
  return *out;
}

Result<HouseholdView> split_household(const Context& ctx, std::int64_t person_id, int person_version) {
  if (!ctx.actor.has("business:write")) return make_error("forbidden", "您的角色无权修改户信息");
  std::optional<HouseholdView> out;
  SY_TRY(audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    SY_ASSIGN(Person p, person_for_write(tx, ctx, person_id, person_version));
    std::optional<HouseholdView> from;
    if (p.household_id) {
      SY_ASSIGN(from, load(tx, p.household_id));
    }
    if (from && !has_other_members(*from, p.id)) {
      return make_error("already_own_household", p.name + " 已单独成户，无需迁出", "person_id");
    }
    if (from) SY_TRY(check_can_leave(p, *from));
    std::int64_t id = ctx.ids.next();
    Millis now = ctx.now();
    SY_TRY(tx.exec("INSERT INTO households (id, region_code, address, head_person_id, created_at, created_by, "
                   "updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?)",
                   {id, p.region_code, p.address, p.id, now, ctx.actor.id_or_null(), now, ctx.actor.id_or_null()}));
    SY_TRY(move_person(tx, ctx, p, id));
    if (from) SY_TRY(leave(tx, ctx, p, *from));
    SY_ASSIGN(out, load(tx, id));
    nlohmann::json changes = nlohmann::json::array(
        {change("household", "所属户", from ? describe(*from) : "", "独立成户：" + describe(*out))});
    if (from) flag_changes(changes, from->household, out->household);
    SY_TRY(record_person_history(tx, ctx, p.id, "household", changes));
    nlohmann::json before = {{"person_id", std::to_string(p.id)}, {"person", p.name}};
    if (from) before["from"] = members_json(*from);
    entry = audit::Entry{.action = "household.split", .entity = "household", .entity_id = std::to_string(id),
                         .region_code = out->household.region_code, .before = before, .after = members_json(*out),
                         .detail = p.name + " 迁出为独立户"};
    return ok_status();
  }));
  return *out;
}

Result<HouseholdView> set_household_head(const Context& ctx, std::int64_t household_id, std::int64_t person_id,
                                         int version) {
  if (!ctx.actor.has("business:write")) return make_error("forbidden", "您的角色无权修改户信息");
  std::optional<HouseholdView> out;
  SY_TRY(audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    SY_ASSIGN(auto before, load(tx, household_id));
    if (!before || !ctx.actor.in_scope(before->household.region_code)) return not_found();
    if (before->household.version != version) return stale_household();
    auto member = std::find_if(before->members.begin(), before->members.end(),
                               [&](const HouseholdMember& m) { return m.id == person_id; });
    if (member == before->members.end()) return make_error("not_member", "所选人员不是该户成员", "person_id");
    if (member->head) return make_error("already_head", member->name + " 已是户主", "person_id");
    if (member->status == "deceased" || member->status == "cancelled") {
      return make_error("head_inactive",
                        member->name + " 已" + std::string(member->status == "deceased" ? "死亡" : "注销") +
                            "，不能设为户主",
                        "person_id");
    }
    SY_ASSIGN(std::int64_t n, tx.exec("UPDATE households SET head_person_id = ?, updated_at = ?, updated_by = ?, "
                                      "version = version + 1 WHERE id = ? AND version = ?",
                                      {person_id, ctx.now(), ctx.actor.id_or_null(), household_id, version}));
    if (n == 0) return stale_household();
    nlohmann::json changes =
        nlohmann::json::array({change("household_head", "户主", before->household.head_name, member->name)});
    SY_TRY(record_person_history(tx, ctx, person_id, "household", changes));
    std::int64_t old_head = before->household.head_person_id;
    if (old_head && old_head != person_id) SY_TRY(record_person_history(tx, ctx, old_head, "household", changes));
    SY_ASSIGN(out, load(tx, household_id));
    entry = audit::Entry{.action = "household.head", .entity = "household", .entity_id = std::to_string(household_id),
                         .region_code = out->household.region_code, .before = members_json(*before),
                         .after = members_json(*out), .detail = "户主改为 " + member->name};
    return ok_status();
  }));
  return *out;
}

}  // namespace sy::registry
