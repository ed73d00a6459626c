// Routes for 走访慰问 (/api/v1/campaigns…, /api/v1/visits…): JSON in and out of visits/campaigns.h
// and visits/visits.h; the contract is docs/API.md.

#include "core/id_number.h"
#include "core/text.h"
#include "http/json_io.h"
#include "http/router.h"
#include "registry/categories.h"
#include "visits/campaigns.h"
#include "visits/visits.h"

namespace sy::http {
namespace {

using namespace visits;

const char* kXlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const char* kTag = "走访慰问";

nlohmann::json id_or_null(std::int64_t id) { return id ? nlohmann::json(std::to_string(id)) : nlohmann::json(nullptr); }

nlohmann::json group_json(const Group& g) {
  return {{"key", g.key},
          {"name", g.name},
          {"cash_fen", g.cash_fen},
          {"gifts", g.gifts},
          {"filter",
           {{"categories", g.filter.categories},
            {"grades", g.filter.grades},
            {"causes", g.filter.causes},
            {"flags", g.filter.flags},
            {"region_codes", g.filter.region_codes}}}};
}

nlohmann::json campaign_json(const Campaign& c) {
  nlohmann::json groups = nlohmann::json::array();
  for (const auto& g : c.groups) groups.push_back(group_json(g));
  double coverage = c.targets ? static_cast<double>(c.visited) / static_cast<double>(c.targets) : 0.0;
  coverage = static_cast<double>(static_cast<std::int64_t>(coverage * 10000 + 0.5)) / 10000;
  return {{"id", std::to_string(c.id)},
          {"name", c.name},
          {"occasion", c.occasion},
          {"occasion_name", occasion_name(c.occasion)},
          {"region_code", c.region_code},
          {"region_name", c.region_name},
          {"starts_on", c.starts_on},
          {"ends_on", c.ends_on},
          {"unit", c.unit},
          {"unit_name", unit_name(c.unit)},
          {"budget_fen", c.budget_fen},
          {"status", c.status},
          {"status_name", campaign_status_name(c.status)},
          {"groups", groups},
          {"targets", c.targets},
          {"done", c.done},
          {"visited", c.visited},
          {"coverage", coverage},
          {"spent_fen", c.spent_fen},
          {"generated_at", c.generated_at ? nlohmann::json(format_iso_shanghai(c.generated_at)) : nlohmann::json(nullptr)},
          {"created_at", format_iso_shanghai(c.created_at)},
          {"version", c.version}};
}

nlohmann::json target_json(const Target& t, bool reveal, bool with_campaign) {
  nlohmann::json cats = nlohmann::json::array();
  for (const auto& c : t.categories) cats.push_back({{"code", c}, {"name", registry::category_name(c)}});
  nlohmann::json j = {{"id", std::to_string(t.id)},
                      {"campaign_id", std::to_string(t.campaign_id)},
                      {"group_key", t.group_key},
                      {"group_name", t.group_name},
                      {"cash_fen", t.cash_fen},
                      {"gifts", t.gifts},
                      {"household_id", id_or_null(t.household_id)},
                      {"person_id", id_or_null(t.person_id)},
                      {"name", t.name},
                      {"members", t.members},
                      {"categories", cats},
                      {"region_code", t.region_code},
                      {"region_name", t.region_name},
                      {"address", t.address},
                      {"phone", reveal ? t.phone : mask_phone(t.phone)},
                      {"assignee", t.assignee_id ? nlohmann::json{{"user_id", std::to_string(t.assignee_id)},
                                                                  {"display_name", t.assignee_name}}
                                                 : nlohmann::json(nullptr)},
                      {"department", t.department},
                      {"leader", t.leader},
                      {"status", t.status},
                      {"status_name", target_status_name(t.status)},
                      {"visit_id", id_or_null(t.visit_id)},
                      {"appended", t.appended}};
  if (with_campaign) {
    j["campaign_name"] = t.campaign_name;
    j["starts_on"] = t.campaign_starts_on;
    j["ends_on"] = t.campaign_ends_on;
  }
  return j;
}

nlohmann::json visit_json(const Visit& v) {
  nlohmann::json photos = nlohmann::json::array();
  for (const auto& p : v.photos)
    photos.push_back({{"id", std::to_string(p.id)}, {"file_name", p.file_name}, {"content_type", p.content_type},
                      {"size", p.size}});
  nlohmann::json warnings = nlohmann::json::array();
  for (const auto& w : v.warnings) warnings.push_back({{"code", w.code}, {"message", w.message}});
  return {{"id", std::to_string(v.id)},
          {"campaign_id", std::to_string(v.campaign_id)},
          {"target_id", std::to_string(v.target_id)},
          {"visited_on", v.visited_on},
          {"visitors", v.visitors},
          {"cash_fen", v.cash_fen},
          {"gifts", v.gifts},
          {"family_said", v.family_said},
          {"outcome", v.outcome},
          {"outcome_name", target_status_name(v.outcome)},
          {"cash_note", v.cash_note},
          {"revisit", v.revisit},
          {"case_id", id_or_null(v.case_id)},
          {"photos", photos},
          {"recorded_by", v.recorded_by},
          {"created_at", format_iso_shanghai(v.created_at)},
          {"warnings", warnings}};
}

double ratio(std::int64_t a, std::int64_t b) {
  if (!b) return 0.0;
  double r = static_cast<double>(a) / static_cast<double>(b);
  return static_cast<double>(static_cast<std::int64_t>(r * 10000 + 0.5)) / 10000;
}

Result<std::int64_t> id_text(const nlohmann::json& v, const char* field) {
  std::string s = v.is_string() ? v.get<std::string>() : v.is_number_integer() ? std::to_string(v.get<std::int64_t>()) : "";
  if (s.empty() || s.size() > 19 || !std::all_of(s.begin(), s.end(), ::isdigit))
    return make_error("invalid_field", "编号格式不正确", field);
  return std::stoll(s);
}

Result<std::int64_t> get_fen(const nlohmann::json& j, const char* key, bool required, const char* label) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    if (required) return make_error("field_required", std::string("请填写") + label + "（以分为单位的整数）", key);
    return std::int64_t{0};
  }
  if (!it->is_number_integer()) return make_error("invalid_field", std::string(label) + "应为以分为单位的整数", key);
  return it->get<std::int64_t>();
}

Result<CampaignInput> campaign_input(const nlohmann::json& body) {
  CampaignInput in;
  SY_ASSIGN(in.name, get_string(body, "name", false));
  SY_ASSIGN(in.occasion, get_string(body, "occasion", false));
  SY_ASSIGN(in.starts_on, get_string(body, "starts_on", false));
  SY_ASSIGN(in.ends_on, get_string(body, "ends_on", false));
  SY_ASSIGN(in.unit, get_string(body, "unit", false));
  SY_ASSIGN(in.region_code, get_string(body, "region_code", false));
  SY_ASSIGN(in.budget_fen, get_fen(body, "budget_fen", false, "预算"));
  if (body.contains("groups") && !body["groups"].is_null()) {
    if (!body["groups"].is_array()) return make_error("invalid_field", "分组应为列表", "groups");
    for (const auto& g : body["groups"]) {
      if (!g.is_object()) return make_error("invalid_field", "分组应为 {name, cash_fen, gifts, filter}", "groups");
      Group x;
      SY_ASSIGN(x.name, get_string(g, "name", false));
      SY_ASSIGN(x.cash_fen, get_fen(g, "cash_fen", false, "慰问金标准"));
      SY_ASSIGN(x.gifts, get_string(g, "gifts", false));
      if (g.contains("filter") && !g["filter"].is_null()) {
        const auto& f = g["filter"];
        if (!f.is_object()) return make_error("invalid_field", "筛选条件格式不正确", "groups");
        SY_ASSIGN(x.filter.categories, get_string_list(f, "categories"));
        SY_ASSIGN(x.filter.causes, get_string_list(f, "causes"));
        SY_ASSIGN(x.filter.flags, get_string_list(f, "flags"));
        SY_ASSIGN(x.filter.region_codes, get_string_list(f, "region_codes"));
        if (f.contains("grades") && !f["grades"].is_null()) {
          if (!f["grades"].is_array()) return make_error("invalid_field", "伤残等级应为列表", "groups");
          for (const auto& v : f["grades"]) {
            if (v.is_number_integer()) {
              x.filter.grades.push_back(v.get<int>());
            } else if (v.is_string()) {
              auto grade = registry::parse_grade(v.get<std::string>());
              if (!grade) return make_error("invalid_field", "伤残等级应为1至10级", "groups");
              x.filter.grades.push_back(*grade);
            } else {
              return make_error("invalid_field", "伤残等级应为1至10级", "groups");
            }
          }
        }
      }
      in.groups.push_back(std::move(x));
    }
  }
  return in;
}

const char* kCampaignExample =
    R"({"id":"7301","name":"2027年春节走访慰问","occasion":"spring_festival","occasion_name":"春节","region_code":"140924000000","region_name":"繁峙县","starts_on":"2027-01-15","ends_on":"2027-02-10","unit":"household","unit_name":"按户","budget_fen":5000000,"status":"active","status_name":"进行中","groups":[{"key":"g1","name":"烈士遗属","cash_fen":50000,"gifts":"米面油一份","filter":{"categories":["martyr_survivor"],"grades":[],"causes":[],"flags":[],"region_codes":[]}}],"targets":120,"done":45,"visited":40,"coverage":0.3333,"spent_fen":1950000,"generated_at":"2027-01-10T09:00:00+08:00","created_at":"2027-01-08T10:00:00+08:00","version":3})";
const char* kTargetExample =
    R"({"id":"15","campaign_id":"7301","group_key":"g1","group_name":"烈士遗属","cash_fen":50000,"gifts":"米面油一份","household_id":"88","person_id":"89","name":"汪军","members":["汪军","李秀英"],"categories":[{"code":"martyr_survivor","name":"烈士遗属"}],"region_code":"140924100002","region_name":"东泰社区","address":"…","phone":"138****1234","assignee":{"user_id":"5","display_name":"李明"},"department":"","leader":"","status":"pending","status_name":"未走访","visit_id":null,"appended":false})";
const char* kVisitExample =
    R"({"id":"9001","campaign_id":"7301","target_id":"15","visited_on":"2027-01-20","visitors":"张强、李明","cash_fen":50000,"gifts":"米面油一份","family_said":"身体还好，希望解决看病报销","outcome":"visited","outcome_name":"已走访","cash_note":"","revisit":false,"case_id":null,"photos":[{"id":"9002","file_name":"IMG_001.jpg","content_type":"image/jpeg","size":123456}],"recorded_by":"李明","created_at":"2027-01-20T15:00:00+08:00","warnings":[]})";

std::string page_list(const char* item) { return std::string(R"({"items":[)") + item + R"(],"total":1,"page":1,"size":20})"; }

Reply html_reply(std::string html) {
  Reply rep;
  rep.body = std::move(html);
  rep.content_type = "text/html; charset=utf-8";
  return rep;
}

Result<std::string> decode_base64(const std::string& b64) {
  auto bytes = base64_decode(b64, " \r\n");
  if (!bytes) return make_error("photo_type", "照片数据不是有效的 base64", "photos");
  return std::move(*bytes);
}

// A visit from a JSON body or a multipart form (fields by the same names, photos as files "photos").
Result<NewVisit> visit_input(const ApiRequest& req) {
  NewVisit in;
  if (req.raw.is_multipart_form_data()) {
    auto field = [&](const char* name) -> std::string {
      return req.raw.has_file(name) ? req.raw.get_file_value(name).content : std::string();
    };
    std::string target = field("target_id");
    if (target.empty()) return make_error("field_required", "请选择走访对象", "target_id");
    SY_ASSIGN(in.target_id, id_text(nlohmann::json(target), "target_id"));
    in.visited_on = field("visited_on");
    in.visitors = field("visitors");
    in.gifts = field("gifts");
    in.family_said = field("family_said");
    in.outcome = field("outcome");
    in.cash_note = field("cash_note");
    std::string cash = field("cash_fen");
    if (!cash.empty()) {
      if (cash.size() > 15 || !std::all_of(cash.begin(), cash.end(), ::isdigit))
        return make_error("invalid_field", "慰问金应为以分为单位的整数", "cash_fen");
      in.cash_fen = std::stoll(cash);
    }
    std::string revisit = field("revisit");
    in.revisit = revisit == "true" || revisit == "1";
    std::string title = field("need_title");
    if (!title.empty()) in.need = Need{title, field("need_description"), field("need_category")};
    for (const char* key : {"photos", "file"}) {
      auto range = req.raw.files.equal_range(key);
      for (auto it = range.first; it != range.second; ++it)
        in.photos.push_back(NewPhoto{it->second.filename, it->second.content});
    }
    return in;
  }
  SY_ASSIGN(auto body, parse_body(req.raw.body));
  if (!body.contains("target_id") || body["target_id"].is_null())
    return make_error("field_required", "请选择走访对象", "target_id");
  SY_ASSIGN(in.target_id, id_text(body["target_id"], "target_id"));
  SY_ASSIGN(in.visited_on, get_string(body, "visited_on", false));
  SY_ASSIGN(in.visitors, get_string(body, "visitors", false));
  SY_ASSIGN(in.cash_fen, get_fen(body, "cash_fen", false, "慰问金"));
  SY_ASSIGN(in.gifts, get_string(body, "gifts", false));
  SY_ASSIGN(in.family_said, get_string(body, "family_said", false));
  SY_ASSIGN(in.outcome, get_string(body, "outcome", false));
  SY_ASSIGN(in.cash_note, get_string(body, "cash_note", false));
  if (body.contains("revisit") && !body["revisit"].is_null()) {
    if (!body["revisit"].is_boolean()) return make_error("invalid_field", "补访应为 true 或 false", "revisit");
    in.revisit = body["revisit"].get<bool>();
  }
  if (body.contains("need") && !body["need"].is_null()) {
    const auto& n = body["need"];
    if (!n.is_object()) return make_error("invalid_field", "困难诉求应为 {title, description}", "need");
    Need need;
    SY_ASSIGN(need.title, get_string(n, "title", false));
    SY_ASSIGN(need.description, get_string(n, "description", false));
    SY_ASSIGN(need.category, get_string(n, "category", false));
    in.need = need;
  }
  if (body.contains("photos") && !body["photos"].is_null()) {
    if (!body["photos"].is_array()) return make_error("invalid_field", "照片应为列表", "photos");
    if (body["photos"].size() > static_cast<size_t>(kMaxPhotos))
      return make_error("photo_limit", "每次走访最多上传" + std::to_string(kMaxPhotos) + "张照片", "photos");
    for (const auto& p : body["photos"]) {
      if (!p.is_object()) return make_error("invalid_field", "照片应为 {file_name, content_base64}", "photos");
      SY_ASSIGN(std::string name, get_string(p, "file_name", false));
      auto content = p.find("content_base64");
      if (content == p.end() || !content->is_string())
        return make_error("field_required", "照片内容应为 base64 文本", "photos");
      const std::string& b64 = content->get_ref<const std::string&>();
      if (b64.size() > (kMaxPhotoBytes / 3 + 1) * 4 + 1024)
        return make_error("photo_too_large", "照片“" + name + "”超过 10 MB，请压缩后再上传", "photos");
      SY_ASSIGN(std::string bytes, decode_base64(b64));
      in.photos.push_back(NewPhoto{name, std::move(bytes)});
    }
  }
  return in;
}

}  // namespace

void add_visits_routes(Router& r) {
  r.add({.method = "GET", .path = "/api/v1/campaigns", .tag = kTag, .summary = "走访慰问活动（开始日期新的在前）",
         .permission = "business:read",
         .query = {{"status", "draft | active | closed"},
                   {"occasion", "spring_festival | army_day | support_month | other"},
                   {"year", "开始日期的年份，如 2027"},
                   {"page", "页码，从 1 开始"},
                   {"size", "每页条数（默认 20，最多 200）"}},
         .response_example = page_list(kCampaignExample)},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(PageRequest page, page_request(req));
          SY_ASSIGN(auto list, list_campaigns(req.ctx, CampaignQuery{.status = req.query("status"),
                                                                     .occasion = req.query("occasion"),
                                                                     .year = req.query("year"), .page = page}));
          return Reply::json(list_json(list, campaign_json));
        });

  r.add({.method = "POST", .path = "/api/v1/campaigns", .tag = kTag,
         .summary = "创建走访慰问活动（草稿）：节日、期间、按户或按人、预算、分组（筛选条件和慰问标准）",
         .permission = "business:write",
         .request_example = R"({"name":"2027年春节走访慰问","occasion":"spring_festival","starts_on":"2027-01-15","ends_on":"2027-02-10","unit":"household","budget_fen":5000000,"groups":[{"name":"烈士遗属","cash_fen":50000,"gifts":"米面油一份","filter":{"categories":["martyr_survivor"],"grades":[],"causes":[],"flags":[],"region_codes":[]}}]})",
         .response_example = kCampaignExample, .success_status = 201},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(auto body, parse_body(req.raw.body));
          SY_ASSIGN(CampaignInput in, campaign_input(body));
          SY_ASSIGN(auto c, create_campaign(req.ctx, in));
          return Reply::json(campaign_json(c), 201);
        });

  r.add({.method = "GET", .path = "/api/v1/campaigns/{id}", .tag = kTag, .summary = "活动详情（数字限于本辖区）",
         .permission = "business:read", .response_example = kCampaignExample},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(auto c, get_campaign(req.ctx, id));
          return Reply::json(campaign_json(c));
        });

  r.add({.method = "PUT", .path = "/api/v1/campaigns/{id}", .tag = kTag, .summary = "修改活动（仅草稿）",
         .permission = "business:write", .request_example = R"({"name":"…","occasion":"army_day","starts_on":"2027-07-20","ends_on":"2027-08-05","budget_fen":0,"groups":[],"version":1})",
         .response_example = kCampaignExample},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(auto body, parse_body(req.raw.body));
          SY_ASSIGN(int version, get_version(body));
          SY_ASSIGN(CampaignInput in, campaign_input(body));
          SY_ASSIGN(auto c, update_campaign(req.ctx, id, in, version));
          return Reply::json(campaign_json(c));
        });

  r.add({.method = "POST", .path = "/api/v1/campaigns/{id}/generate", .tag = kTag,
         .summary = "生成走访名单：按分组筛选条件从信息库快照走访对象（之后信息库的修改不影响名单）；无人符合时 400 no_targets",
         .permission = "business:write", .request_example = R"({"version":1})", .response_example = kCampaignExample},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(auto body, parse_body(req.raw.body));
          SY_ASSIGN(int version, get_version(body));
          SY_ASSIGN(auto c, generate_campaign(req.ctx, id, version));
          return Reply::json(campaign_json(c));
        });

  r.add({.method = "POST", .path = "/api/v1/campaigns/{id}/append", .tag = kTag,
         .summary = "追加走访对象（生成后新增的人员）；已在名单中的户或人跳过",
         .permission = "business:write", .request_example = R"({"person_ids":["1201"],"group_key":"g1"})",
         .response_example = R"({"appended":1,"skipped":[{"person_id":"1202","reason":"该户已在走访名单中"}]})"},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(auto body, parse_body(req.raw.body));
          std::vector<std::int64_t> ids;
          if (!body.contains("person_ids") || !body["person_ids"].is_array())
            return make_error("field_required", "请选择要追加的优抚对象", "person_ids");
          for (const auto& v : body["person_ids"]) {
            SY_ASSIGN(std::int64_t pid, id_text(v, "person_ids"));
            ids.push_back(pid);
          }
          SY_ASSIGN(std::string group, get_string(body, "group_key", false));
          SY_ASSIGN(auto res, append_targets(req.ctx, id, ids, group));
          nlohmann::json skipped = nlohmann::json::array();
          for (const auto& s : res.skipped) skipped.push_back({{"person_id", std::to_string(s.person_id)}, {"reason", s.reason}});
          return Reply::json({{"appended", res.appended}, {"skipped", skipped}});
        });

  r.add({.method = "POST", .path = "/api/v1/campaigns/{id}/close", .tag = kTag, .summary = "结束活动（之后不能再录入走访）",
         .permission = "business:write", .request_example = R"({"version":3})", .response_example = kCampaignExample},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(auto body, parse_body(req.raw.body));
          SY_ASSIGN(int version, get_version(body));
          SY_ASSIGN(auto c, close_campaign(req.ctx, id, version));
          return Reply::json(campaign_json(c));
        });

  r.add({.method = "GET", .path = "/api/v1/campaigns/{id}/targets", .tag = kTag, .summary = "走访对象（按村、姓名排序；限于本辖区）",
         .permission = "business:read",
         .query = {{"region", "村（社区）或乡镇代码"},
                   {"status", "pending | visited | not_home | moved | declined"},
                   {"group", "分组 key，如 g1"},
                   {"assignee", "me（我）、none（未分配）或用户编号"},
                   {"q", "姓名"},
                   {"page", "页码，从 1 开始"},
                   {"size", "每页条数（默认 20，最多 200）"}},
         .response_example = page_list(kTargetExample)},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(PageRequest page, page_request(req));
          SY_ASSIGN(auto list, list_targets(req.ctx, id, TargetQuery{.region = req.query("region"),
                                                                      .status = req.query("status"),
                                                                      .group = req.query("group"),
                                                                      .assignee = req.query("assignee"),
                                                                      .q = req.query("q"), .page = page}));
          bool reveal = req.ctx.actor.has("sensitive:reveal");
          return Reply::json(list_json(list, [&](const Target& t) { return target_json(t, reveal, false); }));
        });

  r.add({.method = "POST", .path = "/api/v1/campaigns/{id}/assignments", .tag = kTag,
         .summary = "分配走访任务：按走访对象或按村/乡镇批量，分给经办人（须有该村的管辖范围）、责任部门或包联领导",
         .permission = "business:write",
         .request_example = R"({"region_code":"140924100002","user_id":"5","department":"东泰社区居委会","leader":""})",
         .response_example = R"({"assigned":12})"},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(auto body, parse_body(req.raw.body));
          Assignment a;
          if (body.contains("target_ids") && !body["target_ids"].is_null()) {
            if (!body["target_ids"].is_array()) return make_error("invalid_field", "走访对象应为编号列表", "target_ids");
            for (const auto& v : body["target_ids"]) {
              SY_ASSIGN(std::int64_t tid, id_text(v, "target_ids"));
              a.target_ids.push_back(tid);
            }
          }
          SY_ASSIGN(a.region_code, get_string(body, "region_code", false));
          if (body.contains("user_id") && !body["user_id"].is_null() &&
              !(body["user_id"].is_string() && body["user_id"].get<std::string>().empty())) {
            SY_ASSIGN(a.user_id, id_text(body["user_id"], "user_id"));
          }
          SY_ASSIGN(a.department, get_optional_string(body, "department"));
          SY_ASSIGN(a.leader, get_optional_string(body, "leader"));
          if (a.department && a.department->empty() && a.user_id) a.department.reset();
          if (a.leader && a.leader->empty() && a.user_id) a.leader.reset();
          SY_ASSIGN(std::int64_t n, assign_targets(req.ctx, id, a));
          return Reply::json({{"assigned", n}});
        });

  r.add({.method = "GET", .path = "/api/v1/campaigns/{id}/assignees", .tag = kTag,
         .summary = "可分配的走访干部：有业务经办权限、管辖范围包括该村（乡镇）的启用账号",
         .permission = "business:write", .query = {{"region", "村（社区）或乡镇代码；不填为与本辖区相关的全部"}},
         .response_example = R"({"items":[{"user_id":"5","username":"fc_clerk","display_name":"李明","region_code":"140924100000","region_name":"繁城镇"}]})"},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(auto list, list_assignees(req.ctx, id, req.query("region")));
          nlohmann::json items = nlohmann::json::array();
          for (const auto& a : list)
            items.push_back({{"user_id", std::to_string(a.user_id)}, {"username", a.username},
                             {"display_name", a.display_name}, {"region_code", a.region_code},
                             {"region_name", a.region_name}});
          return Reply::json({{"items", items}});
        });

  r.add({.method = "GET", .path = "/api/v1/campaigns/{id}/progress", .tag = kTag,
         .summary = "走访进度：覆盖率（按村、分组、类别）、慰问金支出与预算、期满未走访的对象（限于本辖区）",
         .permission = "business:read",
         .response_example = R"({"targets":120,"done":45,"visited":40,"coverage":0.3333,"budget_fen":5000000,"spent_fen":1950000,"by_village":[{"region_code":"140924100002","region_name":"东泰社区","targets":12,"visited":5,"coverage":0.4167,"spent_fen":250000}],"by_group":[{"key":"g1","name":"烈士遗属","targets":30,"visited":10,"coverage":0.3333,"spent_fen":500000}],"by_category":[{"code":"martyr_survivor","name":"烈士遗属","targets":30,"visited":10}],"ended":false,"not_visited":[]})"},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(auto p, campaign_progress(req.ctx, id));
          nlohmann::json villages = nlohmann::json::array(), groups = nlohmann::json::array(),
                         cats = nlohmann::json::array(), nv = nlohmann::json::array();
          for (const auto& t : p.by_village)
            villages.push_back({{"region_code", t.code}, {"region_name", t.name}, {"targets", t.targets},
                                {"visited", t.visited}, {"coverage", ratio(t.visited, t.targets)}, {"spent_fen", t.spent_fen}});
          for (const auto& t : p.by_group)
            groups.push_back({{"key", t.code}, {"name", t.name}, {"targets", t.targets}, {"visited", t.visited},
                              {"coverage", ratio(t.visited, t.targets)}, {"spent_fen", t.spent_fen}});
          for (const auto& t : p.by_category)
            cats.push_back({{"code", t.code}, {"name", t.name}, {"targets", t.targets}, {"visited", t.visited}});
          bool reveal = req.ctx.actor.has("sensitive:reveal");
          for (const auto& t : p.not_visited) nv.push_back(target_json(t, reveal, false));
          return Reply::json({{"targets", p.targets}, {"done", p.done}, {"visited", p.visited},
                              {"coverage", ratio(p.visited, p.targets)}, {"budget_fen", p.budget_fen},
                              {"spent_fen", p.spent_fen}, {"by_village", villages}, {"by_group", groups},
                              {"by_category", cats}, {"ended", p.ended}, {"not_visited", nv}});
        });

  r.add({.method = "GET", .path = "/api/v1/campaigns/{id}/roster", .tag = kTag,
         .summary = "慰问名单 .xlsx（format=html 为可打印页面）：按村分组，小计和总计",
         .permission = "business:read", .query = {{"format", "xlsx（默认）或 html"}}, .response_type = kXlsxType},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          if (req.query("format") == "html") {
            SY_ASSIGN(std::string html, roster_html(req.ctx, id));
            return html_reply(std::move(html));
          }
          SY_ASSIGN(std::string bytes, roster_xlsx(req.ctx, id));
          return Reply::file(std::move(bytes), kXlsxType, "慰问名单.xlsx", "roster.xlsx");
        });

  r.add({.method = "GET", .path = "/api/v1/campaigns/{id}/signature-sheet", .tag = kTag,
         .summary = "签收表 .xlsx（format=html 为可打印页面）：按村分组，签收人签字和日期留空，小计和总计",
         .permission = "business:read", .query = {{"format", "xlsx（默认）或 html"}}, .response_type = kXlsxType},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          if (req.query("format") == "html") {
            SY_ASSIGN(std::string html, signature_html(req.ctx, id));
            return html_reply(std::move(html));
          }
          SY_ASSIGN(std::string bytes, signature_xlsx(req.ctx, id));
          return Reply::file(std::move(bytes), kXlsxType, "签收表.xlsx", "signature-sheet.xlsx");
        });

  r.add({.method = "GET", .path = "/api/v1/visits/mine", .tag = kTag, .summary = "我的走访：分配给我的、进行中活动的走访对象",
         .permission = "business:read",
         .query = {{"status", "pending | visited | not_home | moved | declined"},
                   {"page", "页码，从 1 开始"},
                   {"size", "每页条数（默认 20，最多 200）"}},
         .response_example = page_list(kTargetExample)},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(PageRequest page, page_request(req));
          SY_ASSIGN(auto list, my_targets(req.ctx, req.query("status"), page));
          bool reveal = req.ctx.actor.has("sensitive:reveal");
          return Reply::json(list_json(list, [&](const Target& t) { return target_json(t, reveal, true); }));
        });

  r.add({.method = "POST", .path = "/api/v1/visits", .tag = kTag,
         .summary = "录入走访（JSON，照片为 base64；或 multipart，照片字段 photos，可多个）：超标准须说明，照片按内容识别 JPG/PNG，"
                    "每张不超过 10 MB、最多 6 张；已走访的须勾选补访；期间外的日期给出提醒；need 登记困难诉求",
         .permission = "business:write",
         .request_example = R"({"target_id":"15","visited_on":"2027-01-20","visitors":"张强、李明","cash_fen":50000,"gifts":"米面油一份","family_said":"身体还好，希望解决看病报销","outcome":"visited","cash_note":"","revisit":false,"need":{"title":"看病报销困难","description":"…"},"photos":[{"file_name":"IMG_001.jpg","content_base64":"/9j/4AAQ…"}]})",
         .response_example = kVisitExample, .success_status = 201, .max_body = 100u << 20},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(NewVisit in, visit_input(req));
          SY_ASSIGN(auto v, record_visit(req.ctx, in));
          return Reply::json(visit_json(v), 201);
        });

  r.add({.method = "GET", .path = "/api/v1/visits", .tag = kTag, .summary = "走访记录（按活动或走访对象）",
         .permission = "business:read", .query = {{"campaign_id", "活动编号"}, {"target_id", "走访对象编号"}},
         .response_example = std::string(R"({"items":[)") + kVisitExample + "]}"},
        [](ApiRequest& req) -> Result<Reply> {
          std::int64_t campaign = 0, target = 0;
          if (!req.query("campaign_id").empty()) {
            SY_ASSIGN(campaign, id_text(nlohmann::json(req.query("campaign_id")), "campaign_id"));
          }
          if (!req.query("target_id").empty()) {
            SY_ASSIGN(target, id_text(nlohmann::json(req.query("target_id")), "target_id"));
          }
          SY_ASSIGN(auto list, list_visits(req.ctx, campaign, target));
          nlohmann::json items = nlohmann::json::array();
          for (const auto& v : list) items.push_back(visit_json(v));
          return Reply::json({{"items", items}, {"total", items.size()}});
        });

  r.add({.method = "GET", .path = "/api/v1/visits/{id}", .tag = kTag, .summary = "走访记录详情",
         .permission = "business:read", .response_example = kVisitExample},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(auto v, get_visit(req.ctx, id));
          return Reply::json(visit_json(v));
        });

  r.add({.method = "GET", .path = "/api/v1/visits/{id}/photos/{photo_id}", .tag = kTag, .summary = "走访照片",
         .permission = "business:read", .response_type = "image/jpeg"},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(std::int64_t pid, path_id(req, 2));
          SY_ASSIGN(auto f, get_photo(req.ctx, id, pid));
          std::string ext = f.content_type == "image/png" ? ".png" : ".jpg";
          return Reply::file(std::move(f.bytes), f.content_type, f.file_name, "photo" + ext);
        });
}

}  // namespace sy::http
