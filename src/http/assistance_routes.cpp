// Routes for 一助一 / 结对帮扶 (/api/v1/assistance-pairs…): JSON in and out of
// assistance/assistance.h; the contract is docs/API.md.
#include <map>

#include "assistance/assistance.h"
#include "http/json_io.h"
#include "http/router.h"

namespace sy::http {
namespace {

using namespace assistance;

std::string mask_phone(const std::string& p) {
  if (p.size() < 7) return p.empty() ? p : std::string(p.size(), '*');
  return p.substr(0, 3) + std::string(p.size() - 7, '*') + p.substr(p.size() - 4);
}

nlohmann::json fen_json(const std::optional<std::int64_t>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }

nlohmann::json pair_json(const Pair& p, bool full_phone) {
  std::optional<std::int64_t> change;
  if (p.baseline_income && p.latest_income) change = *p.latest_income - *p.baseline_income;
  return {{"id", std::to_string(p.id)},
          {"region_code", p.region_code},
          {"region_name", p.region_name},
          {"household_id", std::to_string(p.household_id)},
          {"beneficiary_name", p.beneficiary_name},
          {"helper",
           {{"type", p.helper.type},
            {"type_name", label(helper_types(), p.helper.type)},
            {"name", p.helper.name},
            {"contact", p.helper.contact},
            {"phone", full_phone ? p.helper.phone : mask_phone(p.helper.phone)}}},
          {"project", p.project},
          {"project_name", label(projects(), p.project)},
          {"description", p.description},
          {"started_on", p.started_on},
          {"baseline_income", fen_json(p.baseline_income)},
          {"status", p.status},
          {"status_name", label(statuses(), p.status)},
          {"closed_on", p.closed_on},
          {"outcome", p.outcome},
          {"totals",
           {{"funds", p.funds},
            {"labour_days", p.labour_days},
            {"technical", p.technical},
            {"follow_ups", p.follow_ups},
            {"latest_income", fen_json(p.latest_income)},
            {"income_change", fen_json(change)}}},
          {"last_activity_on", p.last_activity_on},
          {"created_at", format_iso_shanghai(p.created_at)},
          {"updated_at", format_iso_shanghai(p.updated_at)},
          {"version", p.version}};
}

nlohmann::json input_json(const Input& i) {
  return {{"id", std::to_string(i.id)},
          {"kind", i.kind},
          {"kind_name", label(input_kinds(), i.kind)},
          {"given_on", i.given_on},
          {"amount", i.amount},
          {"labour_days", i.labour_days},
          {"description", i.description},
          {"recorded_at", format_iso_shanghai(i.created_at)},
          {"recorded_by", i.created_by}};
}

nlohmann::json follow_up_json(const FollowUp& f) {
  return {{"id", std::to_string(f.id)},
          {"visited_on", f.visited_on},
          {"note", f.note},
          {"income", fen_json(f.income)},
          {"recorded_at", format_iso_shanghai(f.created_at)},
          {"recorded_by", f.created_by}};
}

const std::map<std::string, std::string>& timeline_names() {
  static const std::map<std::string, std::string> k = {
      {"start", "结对"}, {"input", "帮扶投入"}, {"follow_up", "回访"}, {"close", "结束帮扶"}};
  return k;
}

nlohmann::json detail_json(const PairDetail& d, const Actor& actor) {
  nlohmann::json j = pair_json(d.pair, actor.has("sensitive:reveal"));
  nlohmann::json household = nullptr;
  if (d.household) {
    const auto& h = d.household->household;
    nlohmann::json members = nlohmann::json::array();
    for (const auto& m : d.household->members)
      members.push_back({{"id", std::to_string(m.id)}, {"name", m.name}, {"head", m.head}, {"status", m.status}});
    household = {{"id", std::to_string(h.id)},          {"region_code", h.region_code}, {"region_name", h.region_name},
                 {"address", h.address},                {"head_name", h.head_name},     {"is_dibao", h.is_dibao},
                 {"is_tekun", h.is_tekun},              {"is_kongchao", h.is_kongchao}, {"status", d.household->status},
                 {"members", members}};
  }
  nlohmann::json inputs = nlohmann::json::array(), follows = nlohmann::json::array(), lines = nlohmann::json::array();
  for (const auto& i : d.inputs) inputs.push_back(input_json(i));
  for (const auto& f : d.follow_ups) follows.push_back(follow_up_json(f));
  for (const auto& e : timeline(d)) {
    nlohmann::json line = {{"type", e.type}, {"type_name", timeline_names().at(e.type)}, {"on", e.on}};
    if (e.input) line["input"] = input_json(*e.input);
    if (e.follow_up) line["follow_up"] = follow_up_json(*e.follow_up);
    lines.push_back(line);
  }
  j["household"] = household;
  j["inputs"] = inputs;
  j["follow_ups"] = follows;
  j["timeline"] = lines;
  return j;
}

nlohmann::json codes_json(const std::vector<Code>& list) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& c : list) a.push_back({{"code", c.code}, {"name", c.name}});
  return a;
}

// An amount in fen: a JSON integer (never a fraction); absent or null → nullopt.
Result<std::optional<std::int64_t>> get_fen(const nlohmann::json& j, const char* key, const std::string& label) {
  if (!j.contains(key) || j[key].is_null()) return std::optional<std::int64_t>();
  if (!j[key].is_number_integer()) return make_error("invalid_amount", label + "应为以分为单位的整数", key);
  return std::optional<std::int64_t>(j[key].get<std::int64_t>());
}

Result<int> get_days(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return 0;
  if (!j[key].is_number_integer()) return make_error("invalid_amount", "劳务工日应为整数", key);
  auto v = j[key].get<std::int64_t>();
  if (v > kMaxLabourDays || v < -kMaxLabourDays) return make_error("invalid_amount", "劳务工日超出合理范围", key);
  return static_cast<int>(v);
}

Result<std::int64_t> parse_id_text(const nlohmann::json& v, const char* field) {
  std::string s = v.is_string() ? v.get<std::string>() : v.is_number_integer() ? std::to_string(v.get<std::int64_t>()) : "";
  if (s.empty() || s.size() > 18 || !std::all_of(s.begin(), s.end(), ::isdigit))
    return make_error("invalid_field", "编号格式不正确", field);
  return std::stoll(s);
}

Result<Helper> get_helper(const nlohmann::json& body) {
  if (!body.contains("helper") || body["helper"].is_null())
    return make_error("field_required", "请填写帮扶方", "helper.type");
  const auto& h = body["helper"];
  if (!h.is_object()) return make_error("invalid_field", "帮扶方格式不正确", "helper");
  Helper out;
  SY_ASSIGN(out.type, get_string(h, "type", false));
  SY_ASSIGN(out.name, get_string(h, "name", false));
  SY_ASSIGN(out.contact, get_string(h, "contact", false));
  SY_ASSIGN(out.phone, get_string(h, "phone", false));
  return out;
}

PairQuery pair_query(const ApiRequest& req, PageRequest page) {
  return PairQuery{.status = req.query("status"), .project = req.query("project"), .helper_type = req.query("helper_type"),
                   .region = req.query("region"), .q = req.query("q"), .household_id = 0, .page = page};
}

const char* kPairExample =
    R"({"id":"7301","region_code":"140924100002","region_name":"东泰社区","household_id":"7290","beneficiary_name":"汪军","helper":{"type":"department","type_name":"部门","name":"县退役军人事务局","contact":"王芳","phone":"139****1234"},"project":"industry","project_name":"产业","description":"扶持养殖肉牛5头","started_on":"2026-03-01","baseline_income":1800000,"status":"active","status_name":"帮扶中","closed_on":"","outcome":"","totals":{"funds":500000,"labour_days":6,"technical":1,"follow_ups":2,"latest_income":2600000,"income_change":800000},"last_activity_on":"2026-10-12","version":5})";

}  // namespace

void add_assistance_routes(Router& r) {
  r.add({.method = "GET", .path = "/api/v1/assistance-pairs/codes", .tag = "结对帮扶",
         .summary = "代码表：帮扶项目、帮扶方类型、投入类型和状态（代码与中文名称）", .permission = "business:read",
         .response_example = R"({"projects":[{"code":"industry","name":"产业"}],"helper_types":[{"code":"department","name":"部门"}],"input_kinds":[{"code":"funds","name":"资金"}],"statuses":[{"code":"active","name":"帮扶中"}]})"},
        [](ApiRequest&) -> Result<Reply> {
          return Reply::json({{"projects", codes_json(projects())},
                              {"helper_types", codes_json(helper_types())},
                              {"input_kinds", codes_json(input_kinds())},
                              {"statuses", codes_json(statuses())}});
        });

  r.add({.method = "GET", .path = "/api/v1/assistance-pairs/summary", .tag = "结对帮扶",
         .summary = "帮扶统计：在帮对子数、各项目对子数、资金（分）、劳务工日、技术帮扶次数、家庭年收入变化（最近一次回访收入减结对时收入，按同时具备两者的对子合计和平均）",
         .permission = "business:read", .query = {{"region", "乡镇或村（社区）代码（本辖区内）"}},
         .response_example = R"({"active":9,"closed":3,"total":12,"by_project":[{"project":"industry","project_name":"产业","active":3,"total":4}],"funds":4250000,"labour_days":86,"technical":7,"follow_ups":20,"income":{"pairs":8,"total_change":5600000,"average_change":700000}})"},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(auto s, summary(req.ctx, req.query("region")));
          nlohmann::json by = nlohmann::json::array();
          for (const auto& p : s.by_project)
            by.push_back({{"project", p.project}, {"project_name", label(projects(), p.project)}, {"active", p.active},
                          {"total", p.total}});
          return Reply::json({{"active", s.active},
                              {"closed", s.closed},
                              {"total", s.active + s.closed},
                              {"by_project", by},
                              {"funds", s.funds},
                              {"labour_days", s.labour_days},
                              {"technical", s.technical},
                              {"follow_ups", s.follow_ups},
                              {"income",
                               {{"pairs", s.income_pairs},
                                {"total_change", s.income_change_total},
                                {"average_change", s.income_change_average}}}});
        });

  r.add({.method = "GET", .path = "/api/v1/assistance-pairs", .tag = "结对帮扶", .summary = "帮扶对子（结对日期新的在前）",
         .permission = "business:read",
         .query = {{"status", "active（帮扶中）| closed（已结束）"},
                   {"project", "industry | employment | education | medical | housing | other"},
                   {"helper_type", "department | cadre | unit"},
                   {"region", "乡镇或村（社区）代码（本辖区内）"},
                   {"household_id", "受助户编号"},
                   {"q", "帮扶方、联系人、户主或项目内容"},
                   {"page", "页码，从 1 开始"},
                   {"size", "每页条数（默认 20，最多 200）"}},
         .response_example = std::string(R"({"items":[)") + kPairExample + R"(],"total":1,"page":1,"size":20})"},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(PageRequest page, page_request(req));
          PairQuery q = pair_query(req, page);
          if (!req.query("household_id").empty()) {
            SY_ASSIGN(q.household_id, parse_id_text(req.query("household_id"), "household_id"));
          }
          SY_ASSIGN(auto list, list_pairs(req.ctx, q));
          return Reply::json(list_json(list, [](const Pair& p) { return pair_json(p, false); }));
        });

  r.add({.method = "POST", .path = "/api/v1/assistance-pairs", .tag = "结对帮扶",
         .summary = "结对：帮扶方（部门、干部或驻军单位）与本辖区内的受助户，选择帮扶项目", .permission = "business:write",
         .request_example = R"({"household_id":"7290","helper":{"type":"department","name":"县退役军人事务局","contact":"王芳","phone":"13912341234"},"project":"industry","description":"扶持养殖肉牛5头","started_on":"2026-03-01","baseline_income":1800000})",
         .response_example = kPairExample, .success_status = 201},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(auto body, parse_body(req.raw.body));
          NewPair in;
          if (body.contains("household_id") && !body["household_id"].is_null()) {
            SY_ASSIGN(in.household_id, parse_id_text(body["household_id"], "household_id"));
          }
          SY_ASSIGN(in.helper, get_helper(body));
          SY_ASSIGN(in.project, get_string(body, "project", false));
          SY_ASSIGN(in.description, get_string(body, "description", false));
          SY_ASSIGN(in.started_on, get_string(body, "started_on", false));
          SY_ASSIGN(in.baseline_income, get_fen(body, "baseline_income", "结对时家庭年收入"));
          SY_ASSIGN(auto d, create_pair(req.ctx, in));
          return Reply::json(detail_json(d, req.ctx.actor), 201);
        });

  r.add({.method = "GET", .path = "/api/v1/assistance-pairs/{id}", .tag = "结对帮扶",
         .summary = "帮扶对子详情：受助户、投入、回访和按日期排列的帮扶过程", .permission = "business:read",
         .response_example = kPairExample},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(auto d, get_pair(req.ctx, id));
          return Reply::json(detail_json(d, req.ctx.actor));
        });

  r.add({.method = "PATCH", .path = "/api/v1/assistance-pairs/{id}", .tag = "结对帮扶",
         .summary = "修改帮扶中的对子：帮扶方（不传 phone 则保留原电话）、项目、内容、结对日期、结对时家庭年收入（只传要改的字段和 version）",
         .permission = "business:write",
         .request_example = R"({"helper":{"type":"cadre","name":"张卫东","contact":"","phone":"13912341234"},"baseline_income":1750000,"version":3})",
         .response_example = kPairExample},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(auto body, parse_body(req.raw.body));
          PairChanges in;
          SY_ASSIGN(in.version, get_version(body));
          if (body.contains("helper")) {
            SY_ASSIGN(Helper h, get_helper(body));
            in.helper = h;
            in.keep_helper_phone = body["helper"].is_object() && !body["helper"].contains("phone");
          }
          SY_ASSIGN(in.project, get_optional_string(body, "project"));
          SY_ASSIGN(in.description, get_optional_string(body, "description"));
          SY_ASSIGN(in.started_on, get_optional_string(body, "started_on"));
          if (body.contains("baseline_income")) {
            SY_ASSIGN(auto v, get_fen(body, "baseline_income", "结对时家庭年收入"));
            in.baseline_income = v;
          }
          SY_ASSIGN(auto d, update_pair(req.ctx, id, in));
          return Reply::json(detail_json(d, req.ctx.actor));
        });

  r.add({.method = "POST", .path = "/api/v1/assistance-pairs/{id}/inputs", .tag = "结对帮扶",
         .summary = "登记帮扶投入：funds 资金（amount，分）、labour 劳务（labour_days，工日）或 technical 技术帮扶（description）",
         .permission = "business:write",
         .request_example = R"({"kind":"funds","given_on":"2026-04-10","amount":500000,"description":"购买肉牛","version":2})",
         .response_example = kPairExample, .success_status = 201},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(auto body, parse_body(req.raw.body));
          NewInput in;
          SY_ASSIGN(in.version, get_version(body));
          SY_ASSIGN(in.kind, get_string(body, "kind", false));
          SY_ASSIGN(in.given_on, get_string(body, "given_on", false));
          SY_ASSIGN(in.description, get_string(body, "description", false));
          SY_ASSIGN(auto amount, get_fen(body, "amount", "资金金额"));
          in.amount = amount.value_or(0);
          SY_ASSIGN(in.labour_days, get_days(body, "labour_days"));
          SY_ASSIGN(auto d, add_input(req.ctx, id, in));
          return Reply::json(detail_json(d, req.ctx.actor), 201);
        });

  r.add({.method = "POST", .path = "/api/v1/assistance-pairs/{id}/follow-ups", .tag = "结对帮扶",
         .summary = "登记回访：日期、情况、家庭年收入估算（分，可不填）", .permission = "business:write",
         .request_example = R"({"visited_on":"2026-10-12","note":"肉牛存栏7头，长势良好","income":2600000,"version":3})",
         .response_example = kPairExample, .success_status = 201},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(auto body, parse_body(req.raw.body));
          NewFollowUp in;
          SY_ASSIGN(in.version, get_version(body));
          SY_ASSIGN(in.visited_on, get_string(body, "visited_on", false));
          SY_ASSIGN(in.note, get_string(body, "note", false));
          SY_ASSIGN(in.income, get_fen(body, "income", "家庭年收入"));
          SY_ASSIGN(auto d, add_follow_up(req.ctx, id, in));
          return Reply::json(detail_json(d, req.ctx.actor), 201);
        });

  r.add({.method = "POST", .path = "/api/v1/assistance-pairs/{id}/close", .tag = "结对帮扶",
         .summary = "结束帮扶：结束日期（不早于最后一次投入或回访）和帮扶成效；结束后不能再登记", .permission = "business:write",
         .request_example = R"({"closed_on":"2026-11-20","outcome":"年收入增加8000元，已稳定脱困","version":6})",
         .response_example = kPairExample},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(auto body, parse_body(req.raw.body));
          Closing in;
          SY_ASSIGN(in.version, get_version(body));
          SY_ASSIGN(in.closed_on, get_string(body, "closed_on", false));
          SY_ASSIGN(in.outcome, get_string(body, "outcome", false));
          SY_ASSIGN(auto d, close_pair(req.ctx, id, in));
          return Reply::json(detail_json(d, req.ctx.actor));
        });
}

}  // namespace sy::http
