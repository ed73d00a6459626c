#include "registry/households.h"

#include "audit/audit.h"
#include "core/region_code.h"

namespace sy::registry {
namespace {

const char* kColumns =
    "SELECT h.id, h.region_code, r.short_name, h.address, h.head_person_id, p.name, h.is_dibao, h.is_tekun, "
    "h.is_kongchao, h.note, h.version FROM households h LEFT JOIN regions r ON r.code = h.region_code "
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
  SY_ASSIGN(store::Rows members, c.query("SELECT id, name, status FROM persons WHERE household_id = ? ORDER BY id", {id}));
  for (const auto& m : members) {
    v.members.push_back({m.i64(0), m.str(1), m.str(2), m.i64(0) == v.household.head_person_id});
    v.household.member_ids.push_back(m.i64(0));
  }
  return std::optional<HouseholdView>(std::move(v));
}

nlohmann::json flags_json(const Household& h) {
  return nlohmann::json{{"address", h.address}, {"note", h.note}, {"is_dibao", h.is_dibao},
                        {"is_tekun", h.is_tekun}, {"is_kongchao", h.is_kongchao}};
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
  std::string where = " WHERE h.region_code LIKE ? ESCAPE '\\'";
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

}  // namespace sy::registry
