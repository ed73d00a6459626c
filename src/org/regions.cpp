#include "org/regions.h"

#include "audit/audit.h"
#include "core/region_code.h"
#include "org/region_data.h"

namespace sy::org {
namespace {

const char* kColumns =
    "SELECT r.code, r.name, r.short_name, r.level, r.parent_code, "
    "EXISTS (SELECT 1 FROM regions c WHERE c.parent_code = r.code) FROM regions r";

Region to_region(const store::Row& row) {
  return Region{row.str(0), row.str(1), row.str(2), row.str(3), row.str(4), row.i64(5) != 0};
}

Error not_found() { return make_error("not_found", "区划不存在或不在您的管辖范围内", "code"); }

Status need_read(const Context& ctx) {
  if (!ctx.actor.has("region:read")) return make_error("forbidden", "无权查看区划");
  return ok_status();
}

}  // namespace

Result<int> load_county(const Context& ctx, store::Conn& tx, const std::string& county_code) {
  SY_ASSIGN(CountyData data, read_county(county_code));
  Millis now = ctx.now();
  int written = 0;
  auto insert = [&](const RegionRecord& r, const char* level, int order) -> Status {
    std::optional<std::string> parent;
    if (!r.parent_code.empty()) parent = r.parent_code;
    SY_TRY(tx.exec(
        "INSERT INTO regions (code, name, short_name, level, parent_code, sort_order, created_at, "
        "updated_at) VALUES (?,?,?,?,?,?,?,?)",
        {r.code, r.name, short_region_name(r.name), level, parent, order, now, now}));
    ++written;
    return ok_status();
  };
  SY_TRY(insert(data.county, "county", 0));
  int order = 0;
  for (const auto& t : data.townships) SY_TRY(insert(t, "township", ++order));
  order = 0;
  for (const auto& v : data.villages) SY_TRY(insert(v, "village", ++order));
  SY_TRY(audit::record(tx, ctx,
                       audit::Entry{.action = "region.load",
                                    .entity = "region",
                                    .entity_id = data.county.code,
                                    .region_code = data.county.code,
                                    .after = nlohmann::json{{"county", data.county.name},
                                                            {"townships", data.townships.size()},
                                                            {"villages", data.villages.size()}}}));
  return written;
}

Result<Region> get_region(const Context& ctx, const std::string& code) {
  SY_TRY(need_read(ctx));
  auto norm = normalize_region_code(code);
  if (!norm || !ctx.actor.in_scope(*norm)) return not_found();
  std::optional<Region> out;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(auto row, c.query_one(std::string(kColumns) + " WHERE r.code = ?", {*norm}));
    if (row) out = to_region(*row);
    return ok_status();
  }));
  if (!out) return not_found();
  return *out;
}

Result<Page<Region>> list_children(const Context& ctx, const std::string& parent,
                                   PageRequest page) {
  SY_TRY(need_read(ctx));
  Page<Region> out;
  out.page = page.page;
  out.size = page.size;
  if (parent.empty()) {
    if (ctx.actor.system) {
      SY_ASSIGN(auto root, root_region(ctx.db));
      if (root) out.items.push_back(*root);
    } else {
      SY_ASSIGN(Region own, get_region(ctx, ctx.actor.region_code));
      out.items.push_back(own);
    }
    out.total = static_cast<std::int64_t>(out.items.size());
    return out;
  }
  SY_ASSIGN(Region p, get_region(ctx, parent));
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(out.total, c.query_int("SELECT count(*) FROM regions WHERE parent_code = ?", {p.code}));
    SY_ASSIGN(store::Rows rows,
              c.query(std::string(kColumns) +
                          " WHERE r.parent_code = ? ORDER BY r.sort_order, r.code LIMIT ? OFFSET ?",
                      {p.code, page.size, page.offset()}));
    for (const auto& r : rows) out.items.push_back(to_region(r));
    return ok_status();
  }));
  return out;
}

Result<Page<Region>> search_regions(const Context& ctx, const std::string& q, PageRequest page) {
  SY_TRY(need_read(ctx));
  Page<Region> out;
  out.page = page.page;
  out.size = page.size;
  std::string where =
      " WHERE r.code LIKE ? ESCAPE '\\' AND (r.name LIKE ? ESCAPE '\\' OR r.short_name LIKE ? "
      "ESCAPE '\\' OR r.code LIKE ? ESCAPE '\\')";
  store::Params params = {store::like_prefix(ctx.actor.scope_prefix()), store::like_contains(q),
                          store::like_contains(q), store::like_prefix(q)};
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(out.total, c.query_int("SELECT count(*) FROM regions r" + where, params));
    store::Params p = params;
    p.emplace_back(page.size);
    p.emplace_back(page.offset());
    SY_ASSIGN(store::Rows rows,
              c.query(std::string(kColumns) + where + " ORDER BY r.code LIMIT ? OFFSET ?", p));
    for (const auto& r : rows) out.items.push_back(to_region(r));
    return ok_status();
  }));
  return out;
}

Result<std::vector<Region>> region_path(const Context& ctx, const std::string& code) {
  SY_ASSIGN(Region cur, get_region(ctx, code));
  std::vector<Region> path{cur};
  // Ancestors above the actor's own node are shown too: they are names, not records in scope.
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    std::string parent = cur.parent_code;
    while (!parent.empty() && path.size() < 5) {
      SY_ASSIGN(auto row, c.query_one(std::string(kColumns) + " WHERE r.code = ?", {parent}));
      if (!row) break;
      path.insert(path.begin(), to_region(*row));
      parent = path.front().parent_code;
    }
    return ok_status();
  }));
  return path;
}

Result<std::optional<Region>> root_region(store::Db& db) {
  std::optional<Region> out;
  SY_TRY(db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(auto row,
              c.query_one(std::string(kColumns) + " WHERE r.parent_code IS NULL ORDER BY r.code LIMIT 1"));
    if (row) out = to_region(*row);
    return ok_status();
  }));
  return out;
}

Result<RegionCounts> count_regions(const Context& ctx) {
  RegionCounts out;
  std::string prefix = store::like_prefix(ctx.actor.scope_prefix());
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(out.townships,
              c.query_int("SELECT count(*) FROM regions WHERE level = 'township' AND code LIKE ? ESCAPE '\\'",
                          {prefix}));
    SY_ASSIGN(out.villages,
              c.query_int("SELECT count(*) FROM regions WHERE level = 'village' AND code LIKE ? ESCAPE '\\'",
                          {prefix}));
    return ok_status();
  }));
  return out;
}

}  // namespace sy::org
