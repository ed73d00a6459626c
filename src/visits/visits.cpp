#include "visits/visits.h"


#include "audit/audit.h"
#include "calendar/calendar.h"
#include "cases/cases.h"
#include "core/text.h"
#include "visits/campaigns.h"
#include "visits/internal.h"

namespace sy::visits {

std::string sniff_image(std::string_view b) {
  if (b.size() >= 3 && static_cast<unsigned char>(b[0]) == 0xFF && static_cast<unsigned char>(b[1]) == 0xD8 &&
      static_cast<unsigned char>(b[2]) == 0xFF)
    return "image/jpeg";
  if (b.size() >= 8 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) return "image/png";
  return "";
}

namespace {

using namespace detail;

Error visit_not_found() { return make_error("not_found", "走访记录不存在或不在您的管辖范围内"); }

const char* kVisitColumns =
    "v.id, v.campaign_id, v.target_id, v.visited_on, v.visitors, v.cash_fen, v.gifts, v.family_said, v.outcome, "
    "v.cash_note, v.revisit, v.case_id, v.recorded_by_name, v.created_at, v.warnings, v.region_code";

Visit visit_from_row(const store::Row& r) {
  Visit v;
  v.id = r.i64(0);
  v.campaign_id = r.i64(1);
  v.target_id = r.i64(2);
  v.visited_on = r.str(3);
  v.visitors = r.str(4);
  v.cash_fen = r.i64(5);
  v.gifts = r.str(6);
  v.family_said = r.str(7);
  v.outcome = r.str(8);
  v.cash_note = r.str(9);
  v.revisit = r.i64(10) != 0;
  v.case_id = r.is_null(11) ? 0 : r.i64(11);
  v.recorded_by = r.str(12);
  v.created_at = r.i64(13);
  nlohmann::json w = nlohmann::json::parse(r.str(14), nullptr, false);
  if (w.is_array())
    for (const auto& x : w) v.warnings.push_back(Warning{x.value("code", ""), x.value("message", "")});
  return v;
}

Status load_photos(store::Conn& c, Visit& v) {
  SY_ASSIGN(store::Rows rows, c.query("SELECT id, file_name, content_type, size FROM visit_photos WHERE visit_id = ? "
                                      "ORDER BY id",
                                      {v.id}));
  for (const auto& r : rows) v.photos.push_back(PhotoInfo{r.i64(0), r.str(1), r.str(2), r.i64(3)});
  return ok_status();
}

Result<Visit> read_visit(store::Conn& c, const Actor& a, std::int64_t id) {
  SY_ASSIGN(auto row, c.query_one(std::string("SELECT ") + kVisitColumns + " FROM visits v WHERE v.id = ?", {id}));
  if (!row || !a.in_scope(row->str(15))) return visit_not_found();
  Visit v = visit_from_row(*row);
  SY_TRY(load_photos(c, v));
  return v;
}

struct CheckedPhoto {
  std::string file_name, content_type, base64;
  std::int64_t size = 0;
};

Result<std::vector<CheckedPhoto>> check_photos(const std::vector<NewPhoto>& photos) {
  if (photos.size() > static_cast<size_t>(kMaxPhotos))
    return make_error("photo_limit", "每次走访最多上传" + std::to_string(kMaxPhotos) + "张照片", "photos");
  std::vector<CheckedPhoto> out;
  int n = 0;
  for (const auto& p : photos) {
    ++n;
    std::string name = clean(p.file_name);
    if (auto slash = name.find_last_of("/\\"); slash != std::string::npos) name = name.substr(slash + 1);
    if (name.empty()) name = "照片" + std::to_string(n);
    if (name.size() > 200) return make_error("invalid_field", "照片文件名不能超过200字节", "photos");
    if (p.bytes.size() > kMaxPhotoBytes)
      return make_error("photo_too_large", "照片“" + name + "”超过 10 MB，请压缩后再上传", "photos");
    std::string type = sniff_image(p.bytes);
    if (type.empty()) return make_error("photo_type", "“" + name + "”不是 JPG 或 PNG 图片", "photos");
    out.push_back(CheckedPhoto{name, type, base64_encode(p.bytes), static_cast<std::int64_t>(p.bytes.size())});
  }
  return out;
}

}  // namespace

Result<Visit> record_visit(const Context& ctx, const NewVisit& raw) {
  if (!ctx.actor.has("business:write")) return make_error("forbidden", "您的角色无权录入走访");
  NewVisit in = raw;
  for (std::string* s : {&in.visitors, &in.gifts, &in.family_said, &in.cash_note}) *s = clean(*s);
  if (!in.target_id) return make_error("field_required", "请选择走访对象", "target_id");
  if (in.outcome.empty()) return make_error("field_required", "请选择走访结果", "outcome");
  if (!is_outcome(in.outcome))
    return make_error("invalid_field", "走访结果应为 visited、not_home、moved 或 declined", "outcome");
  if (in.visited_on.empty()) return make_error("field_required", "请填写走访日期", "visited_on");
  auto day = calendar::parse_day(in.visited_on);
  if (!day) return make_error("invalid_date", "走访日期应为 YYYY-MM-DD", "visited_on");
  if (*day > calendar::today(ctx)) return make_error("invalid_date", "走访日期不能晚于今天", "visited_on");
  if (in.outcome == "visited" && in.visitors.empty()) return make_error("field_required", "请填写走访人", "visitors");
  if (in.cash_fen < 0) return make_error("invalid_field", "慰问金不能为负数", "cash_fen");
  if (in.visitors.size() > 600 || in.gifts.size() > 600 || in.family_said.size() > 6000 || in.cash_note.size() > 600)
    return make_error("too_long", "填写的内容过长", "family_said");
  SY_ASSIGN(std::vector<CheckedPhoto> photos, check_photos(in.photos));

  // The target, its campaign and (for a need) the case to open: checked before writing.
  SY_ASSIGN(Target target, get_target(ctx, in.target_id));
  Campaign campaign;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(campaign, must_read(c, Actor::system_actor(), target.campaign_id));
    return ok_status();
  }));
  if (campaign.status != "active")
    return make_error("invalid_state", campaign.status == "closed" ? "活动已结束，不能再录入走访" : "活动尚未开始走访");
  if (in.cash_fen > target.cash_fen && in.cash_note.empty())
    return make_error("cash_over_standard",
                      "慰问金" + yuan(in.cash_fen) + "元超过该组标准" + yuan(target.cash_fen) + "元，请填写说明",
                      "cash_note");
  std::vector<Warning> warnings;
  if (in.visited_on < campaign.starts_on || in.visited_on > campaign.ends_on)
    warnings.push_back(Warning{"outside_period", "走访日期不在活动期间（" + campaign.starts_on + "至" +
                                                     campaign.ends_on + "）内"});
  std::int64_t id = ctx.ids.next();
  std::optional<cases::NewCase> need_case;
  if (in.need) {
    Need need = *in.need;
    need.title = clean(need.title);
    need.description = clean(need.description);
    if (need.title.empty()) return make_error("field_required", "请填写困难诉求的事项", "need.title");
    if (need.description.empty()) need.description = need.title;
    nlohmann::json data{{"campaign_id", std::to_string(campaign.id)}, {"campaign_name", campaign.name},
                        {"visited_on", in.visited_on}};
    cases::NewCase nc{.kind = "hardship", .category = need.category.empty() ? "other" : need.category,
                      .title = need.title, .description = need.description, .region_code = target.region_code,
                      .applicant = cases::Applicant{.type = "person", .person_id = target.person_id, .name = "",
                                                    .phone = "", .unit = ""},
                      .registered_on = "",
                      .source = cases::Source{.type = "visit", .id = id, .data_json = data.dump()}};
    auto prepared = cases::prepare_case(ctx, nc);
    if (!prepared.ok()) {
      Error e = prepared.error();
      if (!e.field.empty()) e.field = "need." + e.field;
      return e;
    }
    need_case = std::move(*prepared);
  }
  std::string by = ctx.actor.display_name.empty() ? ctx.actor.username : ctx.actor.display_name;
  nlohmann::json warnings_json = nlohmann::json::array();
  for (const auto& w : warnings) warnings_json.push_back({{"code", w.code}, {"message", w.message}});
  SY_TRY(audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    SY_ASSIGN(auto state, tx.query_one("SELECT t.status, t.version, c.status FROM campaign_targets t JOIN campaigns c ON "
                                       "c.id = t.campaign_id WHERE t.id = ?",
                                       {in.target_id}));
    if (!state) return make_error("not_found", "走访对象不存在或不在您的管辖范围内");
    if (state->str(2) != "active") return make_error("invalid_state", "活动已结束，不能再录入走访");
    if (state->str(0) == "visited" && !in.revisit) {
      SY_ASSIGN(auto last, tx.query_one("SELECT max(visited_on) FROM visits WHERE target_id = ? AND outcome = 'visited'",
                                        {in.target_id}));
      std::string when = last && !last->is_null(0) ? last->str(0) : "";
      return make_error("already_visited",
                        std::string(campaign.unit == "person" ? "该对象" : "该户") + "已于" + when +
                            "走访，如需再次走访请勾选补访",
                        "revisit");
    }
    std::int64_t case_id = 0;
    if (need_case) {
      SY_ASSIGN(case_id, cases::insert_case(tx, ctx, *need_case));
    }
    SY_TRY(tx.exec("INSERT INTO visits (id, campaign_id, target_id, region_code, visited_on, visitors, cash_fen, gifts, "
                   "family_said, outcome, cash_note, revisit, case_id, warnings, created_at, created_by, recorded_by_name) "
                   "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                   {id, campaign.id, in.target_id, target.region_code, in.visited_on, in.visitors, in.cash_fen, in.gifts,
                    in.family_said, in.outcome, in.cash_note, in.revisit ? 1 : 0,
                    case_id ? store::Value(case_id) : store::Value(), warnings_json.dump(), ctx.now(),
                    ctx.actor.id_or_null(), by}));
    nlohmann::json photo_ids = nlohmann::json::array();
    for (const auto& p : photos) {
      std::int64_t pid = ctx.ids.next();
      SY_TRY(tx.exec("INSERT INTO visit_photos (id, visit_id, file_name, content_type, size, data_base64) "
                     "VALUES (?,?,?,?,?,?)",
                     {pid, id, p.file_name, p.content_type, p.size, p.base64}));
      photo_ids.push_back({{"id", std::to_string(pid)}, {"file_name", p.file_name}, {"size", p.size}});
    }
    // A revisit after a successful visit keeps the target visited whatever this one found.
    std::string status = state->str(0) == "visited" ? "visited" : in.outcome;
    SY_ASSIGN(std::int64_t n, tx.exec("UPDATE campaign_targets SET status = ?, visit_id = ?, version = version + 1 "
                                      "WHERE id = ? AND version = ?",
                                      {status, id, in.target_id, state->i64(1)}));
    if (n == 0) return make_error("stale_version", "该户的走访情况刚被他人更新，请刷新后重试", "target_id");
    nlohmann::json after{{"campaign_id", std::to_string(campaign.id)},
                         {"target_id", std::to_string(in.target_id)},
                         {"name", target.name},
                         {"visited_on", in.visited_on},
                         {"outcome", in.outcome},
                         {"cash_fen", in.cash_fen},
                         {"revisit", in.revisit},
                         {"photos", photo_ids},
                         {"target_status", status}};
    if (!in.cash_note.empty()) after["cash_note"] = in.cash_note;
    if (case_id) after["case_id"] = std::to_string(case_id);
    if (!warnings.empty()) after["warnings"] = warnings_json;
    entry = audit::Entry{.action = "visit.record", .entity = "visit", .entity_id = std::to_string(id),
                         .region_code = target.region_code, .before = nlohmann::json{{"target_status", state->str(0)}},
                         .after = after};
    return ok_status();
  }));
  return get_visit(ctx, id);
}

Result<Visit> get_visit(const Context& ctx, std::int64_t id) {
  if (!ctx.actor.has("business:read")) return make_error("forbidden", "您的角色无权查看走访记录");
  Visit out;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(out, read_visit(c, ctx.actor, id));
    return ok_status();
  }));
  return out;
}

Result<std::vector<Visit>> list_visits(const Context& ctx, std::int64_t campaign_id, std::int64_t target_id) {
  if (!ctx.actor.has("business:read")) return make_error("forbidden", "您的角色无权查看走访记录");
  if (!campaign_id && !target_id) return make_error("field_required", "请指定活动或走访对象", "campaign_id");
  std::vector<Visit> out;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    std::string where = " WHERE v.region_code LIKE ? ESCAPE '\\'";
    store::Params params{scope_like(ctx.actor)};
    if (campaign_id) {
      SY_TRY(must_read(c, ctx.actor, campaign_id));
      where += " AND v.campaign_id = ?";
      params.emplace_back(campaign_id);
    }
    if (target_id) {
      where += " AND v.target_id = ?";
      params.emplace_back(target_id);
    }
    SY_ASSIGN(store::Rows rows, c.query(std::string("SELECT ") + kVisitColumns + " FROM visits v" + where +
                                            " ORDER BY v.visited_on DESC, v.id DESC LIMIT 500",
                                        params));
    for (const auto& r : rows) {
      out.push_back(visit_from_row(r));
      SY_TRY(load_photos(c, out.back()));
    }
    return ok_status();
  }));
  return out;
}

Result<PhotoFile> get_photo(const Context& ctx, std::int64_t visit_id, std::int64_t photo_id) {
  if (!ctx.actor.has("business:read")) return make_error("forbidden", "您的角色无权查看走访照片");
  PhotoFile out;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_TRY(read_visit(c, ctx.actor, visit_id));
    SY_ASSIGN(auto row, c.query_one("SELECT file_name, content_type, data_base64 FROM visit_photos WHERE id = ? AND "
                                    "visit_id = ?",
                                    {photo_id, visit_id}));
    if (!row) return make_error("not_found", "照片不存在");
    out.file_name = row->str(0);
    out.content_type = row->str(1);
    auto bytes = base64_decode(row->str(2));
    if (!bytes) return make_error("internal_error", "照片数据已损坏");
    out.bytes = std::move(*bytes);
    return ok_status();
  }));
  return out;
}

}  // namespace sy::visits
