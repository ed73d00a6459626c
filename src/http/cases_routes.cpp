// Routes for 涉军维权与诉求台帐 (/api/v1/cases…) and the working-day calendar (/api/v1/calendar…):
// JSON in and out of cases/cases.h and calendar/calendar.h; the contract is docs/API.md.
#include "calendar/calendar.h"
#include "cases/attachment_check.h"
#include "cases/cases.h"
#include "core/id_number.h"
#include "http/json_io.h"
#include "http/router.h"

namespace sy::http {
namespace {

using namespace cases;

const char* kXlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

nlohmann::json id_json(std::int64_t id) { return id ? nlohmann::json(std::to_string(id)) : nlohmann::json(nullptr); }

std::string mask_phone(const std::string& p) {
  if (p.size() < 7) return p.empty() ? p : std::string(p.size(), '*');
  return p.substr(0, 3) + std::string(p.size() - 7, '*') + p.substr(p.size() - 4);
}

nlohmann::json case_json(const Case& c, bool full_phone) {
  nlohmann::json deadline = nullptr;
  if (c.deadline) {
    deadline = {{"stage", c.deadline->stage},
                {"stage_name", stage_name(c.deadline->stage)},
                {"due_date", c.deadline->due_date},
                {"days_left", c.deadline->days_left ? nlohmann::json(*c.deadline->days_left) : nlohmann::json(nullptr)},
                {"state", c.deadline->state},
                {"state_name", deadline_state_name(c.deadline->state)}};
  }
  nlohmann::json escalation = nullptr;
  if (c.escalation) {
    nlohmann::json leads = nlohmann::json::array();
    for (const auto& l : c.escalation->leads) leads.push_back({{"id", std::to_string(l.id)}, {"display_name", l.display_name}});
    escalation = {{"at", format_iso_shanghai(c.escalation->at)}, {"due_date", c.escalation->due_date},
                  {"stage", c.escalation->stage}, {"township_code", c.escalation->township_code}, {"leads", leads}};
  }
  nlohmann::json source = nullptr;
  if (!c.source.type.empty()) {
    source = nlohmann::json::parse(c.source.data_json, nullptr, false);
    if (!source.is_object()) source = nlohmann::json::object();
    source["type"] = c.source.type;
    source["id"] = std::to_string(c.source.id);
  }
  return {{"id", std::to_string(c.id)},
          {"number", c.number},
          {"kind", c.kind},
          {"kind_name", kind_name(c.kind)},
          {"category", c.category},
          {"category_name", c.category_name},
          {"title", c.title},
          {"description", c.description},
          {"region_code", c.region_code},
          {"region_name", c.region_name},
          {"township_code", c.township_code},
          {"applicant",
           {{"type", c.applicant.type},
            {"type_name", applicant_type_name(c.applicant.type)},
            {"person_id", id_json(c.applicant.person_id)},
            {"name", c.applicant.name},
            {"phone", full_phone ? c.applicant.phone : mask_phone(c.applicant.phone)},
            {"unit", c.applicant.unit}}},
          {"registered_on", c.registered_on},
          {"status", c.status},
          {"status_name", status_name(c.kind, c.status)},
          {"department", c.department},
          {"handler", c.handler},
          {"hazard_level", c.hazard_level},
          {"hazard_level_name", hazard_level_name(c.hazard_level)},
          {"measures", c.measures},
          {"result", c.result},
          {"satisfaction", c.satisfaction},
          {"satisfaction_name", satisfaction_name(c.satisfaction)},
          {"reject_reason", c.reject_reason},
          {"deadline", deadline},
          {"escalation", escalation},
          {"source", source},
          {"created_at", format_iso_shanghai(c.created_at)},
          {"updated_at", format_iso_shanghai(c.updated_at)},
          {"version", c.version}};
}

nlohmann::json attachment_json(const AttachmentInfo& a) {
  return {{"id", std::to_string(a.id)},         {"file_name", a.file_name},
          {"content_type", a.content_type},     {"size", a.size},
          {"purpose", a.purpose},               {"purpose_name", purpose_name(a.purpose)},
          {"uploaded_at", format_iso_shanghai(a.uploaded_at)}, {"uploaded_by", a.uploaded_by}};
}

nlohmann::json detail_json(const CaseDetail& d, const Actor& actor) {
  nlohmann::json j = case_json(d.c, actor.has("sensitive:reveal"));
  nlohmann::json timeline = nlohmann::json::array();
  for (const auto& e : d.timeline) {
    nlohmann::json data = nlohmann::json::parse(e.data_json, nullptr, false);
    if (data.is_discarded()) data = nlohmann::json::object();
    timeline.push_back({{"id", std::to_string(e.id)},
                        {"at", format_iso_shanghai(e.at)},
                        {"username", e.username},
                        {"display_name", e.display_name},
                        {"action", e.action},
                        {"action_name", action_name(e.action)},
                        {"from_status", e.from_status},
                        {"to_status", e.to_status},
                        {"note", e.note},
                        {"data", data}});
  }
  nlohmann::json atts = nlohmann::json::array();
  for (const auto& a : d.attachments) atts.push_back(attachment_json(a));
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& s : d.next_steps) {
    nlohmann::json fields = nlohmann::json::array();
    for (const auto& f : s.fields) {
      nlohmann::json fj = {{"name", f.name}, {"label", f.label}, {"type", f.type}, {"required", f.required}};
      if (!f.options.empty()) {
        nlohmann::json opts = nlohmann::json::array();
        for (const auto& [code, name] : f.options) opts.push_back({{"code", code}, {"name", name}});
        fj["options"] = opts;
      }
      fields.push_back(fj);
    }
    steps.push_back({{"action", s.action}, {"name", s.name}, {"fields", fields}});
  }
  j["timeline"] = timeline;
  j["attachments"] = atts;
  j["next_steps"] = steps;
  return j;
}

nlohmann::json kind_json(const KindInfo& k) {
  nlohmann::json cats = nlohmann::json::array();
  for (const auto& c : k.categories) cats.push_back({{"code", c.code}, {"name", c.name}});
  return {{"code", k.code},         {"name", k.name},         {"prefix", k.prefix},   {"accept_days", k.accept_days},
          {"resolve_days", k.resolve_days}, {"required", k.required}, {"categories", cats}, {"version", k.version}};
}

Result<int> get_int(const nlohmann::json& j, const char* key, const char* label) {
  if (!j.contains(key) || !j[key].is_number_integer())
    return make_error("field_required", std::string("请填写") + label + "（整数）", key);
  return j[key].get<int>();
}

Result<std::int64_t> parse_id_text(const nlohmann::json& v, const char* field) {
  std::string s = v.is_string() ? v.get<std::string>() : v.is_number_integer() ? std::to_string(v.get<std::int64_t>()) : "";
  if (s.empty() || s.size() > 19 || !std::all_of(s.begin(), s.end(), ::isdigit))
    return make_error("invalid_field", "编号格式不正确", field);
  return std::stoll(s);
}

CaseQuery case_query(const ApiRequest& req, PageRequest page) {
  return CaseQuery{.kind = req.query("kind"), .status = req.query("status"), .deadline = req.query("deadline"),
                   .category = req.query("category"), .region = req.query("region"), .handler = req.query("handler"),
                   .q = req.query("q"), .page = page};
}

const std::vector<ParamDoc> kListFilters = {
    {"kind", "rights | unit_request | hardship | hazard"},
    {"status", "状态代码，如 registered、in_progress"},
    {"deadline", "normal | due_soon（临期）| overdue（逾期）"},
    {"category", "类别代码"},
    {"region", "乡镇或村（社区）代码（本辖区内）"},
    {"handler", "责任人（包含）"},
    {"q", "编号、事项或诉求人"}};

const char* kCaseExample =
    R"({"id":"7301","number":"WQ-2026-0007","kind":"rights","kind_name":"涉军维权","category":"pension","category_name":"抚恤优待","title":"残疾抚恤金未按时发放","region_code":"140924100002","region_name":"东泰社区","applicant":{"type":"person","name":"汪军","phone":"138****1234"},"registered_on":"2026-11-02","status":"in_progress","status_name":"办理中","department":"县退役军人事务局","handler":"王芳","deadline":{"stage":"resolve","stage_name":"办理时限","due_date":"2026-11-24","days_left":1,"state":"due_soon","state_name":"临期"},"escalation":null,"version":4})";

nlohmann::json year_json(const calendar::YearDays& y) {
  return {{"year", y.year}, {"source", y.source}, {"holidays", y.holidays}, {"workdays", y.workdays}, {"version", y.version}};
}

Result<int> path_year(const ApiRequest& req) {
  std::string s = req.path_param(1);
  if (s.size() != 4 || !std::all_of(s.begin(), s.end(), ::isdigit)) return make_error("not_found", "年份格式不正确");
  return std::stoi(s);
}

}  // namespace

void add_cases_routes(Router& r) {
  r.add({.method = "GET", .path = "/api/v1/cases/kinds", .tag = "诉求台帐", .summary = "诉求类型：类别字典、必填项和办理时限（工作日）",
         .permission = "business:read",
         .response_example = R"({"items":[{"code":"rights","name":"涉军维权","accept_days":3,"resolve_days":15,"required":["title","category","description","region_code","applicant"],"categories":[{"code":"pension","name":"抚恤优待"}],"version":1}]})"},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(auto kinds, list_kinds(req.ctx));
          nlohmann::json items = nlohmann::json::array();
          for (const auto& k : kinds) items.push_back(kind_json(k));
          return Reply::json({{"items", items}});
        });

  r.add({.method = "PUT", .path = "/api/v1/cases/kinds/{kind}", .tag = "诉求台帐", .summary = "修改诉求类型的办理时限和类别字典",
         .permission = "cases:decide",
         .request_example = R"({"accept_days":3,"resolve_days":15,"categories":[{"code":"pension","name":"抚恤优待"}],"version":1})"},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(auto body, parse_body(req.raw.body));
          SY_ASSIGN(int accept, get_int(body, "accept_days", "受理时限"));
          SY_ASSIGN(int resolve, get_int(body, "resolve_days", "办理时限"));
          SY_ASSIGN(int version, get_version(body));
          std::optional<std::vector<Category>> cats;
          if (body.contains("categories")) {
            if (!body["categories"].is_array()) return make_error("invalid_field", "类别应为列表", "categories");
            cats.emplace();
            for (const auto& c : body["categories"]) {
              if (!c.is_object()) return make_error("invalid_field", "类别应为 {code, name}", "categories");
              cats->push_back(Category{c.value("code", ""), c.value("name", "")});
            }
          }
          SY_ASSIGN(auto k, update_kind(req.ctx, req.path_param(1), accept, resolve, cats, version));
          return Reply::json(kind_json(k));
        });

  r.add({.method = "GET", .path = "/api/v1/cases/summary", .tag = "诉求台帐",
         .summary = "首页：各状态数量、正常/临期/逾期数量、逾期清单和上报给我的逾期诉求", .permission = "business:read",
         .response_example = R"({"by_status":[{"kind":"rights","kind_name":"涉军维权","status":"in_progress","status_name":"办理中","count":3}],"by_deadline":{"normal":5,"due_soon":1,"overdue":2},"overdue":[],"escalated_to_me":[]})"},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(auto s, summary(req.ctx));
          nlohmann::json by = nlohmann::json::array();
          for (const auto& c : s.by_status)
            by.push_back({{"kind", c.kind}, {"kind_name", kind_name(c.kind)}, {"status", c.status},
                          {"status_name", status_name(c.kind, c.status)}, {"count", c.count}});
          nlohmann::json overdue = nlohmann::json::array(), mine = nlohmann::json::array();
          for (const auto& c : s.overdue_cases) overdue.push_back(case_json(c, false));
          for (const auto& c : s.escalated_to_me) mine.push_back(case_json(c, false));
          return Reply::json({{"by_status", by},
                              {"by_deadline", {{"normal", s.normal}, {"due_soon", s.due_soon}, {"overdue", s.overdue}}},
                              {"overdue", overdue},
                              {"escalated_to_me", mine}});
        });

  r.add({.method = "POST", .path = "/api/v1/cases/escalate", .tag = "诉求台帐",
         .summary = "将当前逾期的诉求上报所属乡镇的业务管理员（每个时限只上报一次）", .permission = "cases:decide",
         .response_example = R"({"escalated":1,"items":[]})"},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(auto run, escalate_overdue(req.ctx));
          nlohmann::json items = nlohmann::json::array();
          for (const auto& c : run.overdue) items.push_back(case_json(c, false));
          return Reply::json({{"escalated", run.escalated}, {"items", items}});
        });

  r.add({.method = "GET", .path = "/api/v1/cases/export", .tag = "诉求台帐",
         .summary = "导出诉求台帐 .xlsx（序号、登记日期、诉求人、事项、责任单位、责任人、办理时限、办理结果、状态）",
         .permission = "business:read", .query = kListFilters, .response_type = kXlsxType},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::string bytes, export_ledger(req.ctx, case_query(req, PageRequest{})));
          return Reply::file(std::move(bytes), kXlsxType, "诉求台帐.xlsx", "cases.xlsx");
        });

  r.add({.method = "GET", .path = "/api/v1/cases", .tag = "诉求台帐", .summary = "诉求台帐（登记日期新的在前）",
         .permission = "business:read",
         .query = [] {
           auto q = kListFilters;
           q.push_back({"page", "页码，从 1 开始"});
           q.push_back({"size", "每页条数（默认 20，最多 200）"});
           return q;
         }(),
         .response_example = std::string(R"({"items":[)") + kCaseExample + R"(],"total":1,"page":1,"size":20})"},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(PageRequest page, page_request(req));
          SY_ASSIGN(auto list, list_cases(req.ctx, case_query(req, page)));
          return Reply::json(list_json(list, [](const Case& c) { return case_json(c, false); }));
        });

  r.add({.method = "POST", .path = "/api/v1/cases", .tag = "诉求台帐", .summary = "登记诉求（受理时限从登记日起按工作日计算）",
         .permission = "business:write",
         .request_example = R"({"kind":"rights","category":"pension","title":"残疾抚恤金未按时发放","description":"…","region_code":"140924100002","applicant":{"type":"individual","name":"汪军","phone":"13812341234"}})",
         .response_example = kCaseExample, .success_status = 201},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(auto body, parse_body(req.raw.body));
          NewCase in;
          SY_ASSIGN(in.kind, get_string(body, "kind", false));
          SY_ASSIGN(in.category, get_string(body, "category", false));
          SY_ASSIGN(in.title, get_string(body, "title", false));
          SY_ASSIGN(in.description, get_string(body, "description", false));
          SY_ASSIGN(in.region_code, get_string(body, "region_code", false));
          SY_ASSIGN(in.registered_on, get_string(body, "registered_on", false));
          if (body.contains("applicant") && !body["applicant"].is_null()) {
            const auto& a = body["applicant"];
            if (!a.is_object()) return make_error("bad_applicant", "诉求人格式不正确", "applicant");
            SY_ASSIGN(in.applicant.type, get_string(a, "type", false));
            SY_ASSIGN(in.applicant.name, get_string(a, "name", false));
            SY_ASSIGN(in.applicant.phone, get_string(a, "phone", false));
            SY_ASSIGN(in.applicant.unit, get_string(a, "unit", false));
            if (a.contains("person_id") && !a["person_id"].is_null()) {
              SY_ASSIGN(in.applicant.person_id, parse_id_text(a["person_id"], "applicant.person_id"));
            }
          }
          SY_ASSIGN(auto d, create_case(req.ctx, in));
          return Reply::json(detail_json(d, req.ctx.actor), 201);
        });

  r.add({.method = "GET", .path = "/api/v1/cases/{id}", .tag = "诉求台帐", .summary = "诉求详情：办理过程、附件和我可以进行的下一步",
         .permission = "business:read", .response_example = kCaseExample},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(auto d, get_case(req.ctx, id));
          return Reply::json(detail_json(d, req.ctx.actor));
        });

  r.add({.method = "POST", .path = "/api/v1/cases/{id}/actions/{action}", .tag = "诉求台帐",
         .summary = "办理：accept 受理, reject 不予受理, assign 交办, note 办理记录, resolve 办结, visit 回访, rectify 下达整改, "
                    "submit_review 申请复查, review 复查（每一步要求的权限和字段见 next_steps）",
         .permission = "business:read",
         .request_example = R"({"department":"县退役军人事务局","handler":"王芳","note":"请五个工作日内反馈","version":2})",
         .response_example = kCaseExample},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(auto body, parse_body(req.raw.body));
          ActionInput in;
          SY_ASSIGN(in.version, get_version(body));
          for (auto [key, dst] : std::initializer_list<std::pair<const char*, std::string*>>{
                   {"note", &in.note}, {"reason", &in.reason}, {"department", &in.department}, {"handler", &in.handler},
                   {"result", &in.result}, {"satisfaction", &in.satisfaction}, {"hazard_level", &in.hazard_level},
                   {"measures", &in.measures}, {"due_date", &in.due_date}}) {
            SY_ASSIGN(*dst, get_string(body, key, false));
          }
          if (body.contains("passed") && !body["passed"].is_null()) {
            if (!body["passed"].is_boolean()) return make_error("invalid_field", "复查是否通过应为 true 或 false", "passed");
            in.passed = body["passed"].get<bool>();
          }
          if (body.contains("evidence_ids") && !body["evidence_ids"].is_null()) {
            if (!body["evidence_ids"].is_array()) return make_error("invalid_field", "佐证材料应为附件编号列表", "evidence_ids");
            for (const auto& v : body["evidence_ids"]) {
              SY_ASSIGN(std::int64_t aid, parse_id_text(v, "evidence_ids"));
              in.evidence_ids.push_back(aid);
            }
          }
          SY_ASSIGN(auto d, act(req.ctx, id, req.path_param(2), in));
          return Reply::json(detail_json(d, req.ctx.actor));
        });

  r.add({.method = "POST", .path = "/api/v1/cases/{id}/attachments", .tag = "诉求台帐",
         .summary = "上传附件（multipart：file，purpose=material|evidence；JPG、PNG 或 PDF，按文件内容识别，不超过 10 MB）",
         .permission = "business:write",
         .response_example = R"({"id":"1","file_name":"诉求材料.pdf","content_type":"application/pdf","size":48213,"purpose":"material","purpose_name":"材料"})",
         .success_status = 201, .max_body = kMaxAttachmentBytes + (1u << 20)},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          if (!req.raw.is_multipart_form_data() || !req.raw.has_file("file"))
            return make_error("file_required", "请选择要上传的文件", "file");
          const auto& f = req.raw.get_file_value("file");
          std::string purpose = req.raw.has_file("purpose") ? req.raw.get_file_value("purpose").content : "";
          SY_ASSIGN(auto a, add_attachment(req.ctx, id, NewAttachment{f.filename, purpose, f.content}));
          return Reply::json(attachment_json(a), 201);
        });

  r.add({.method = "GET", .path = "/api/v1/cases/{id}/attachments/{aid}", .tag = "诉求台帐", .summary = "下载附件",
         .permission = "business:read", .response_type = "application/octet-stream"},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(std::int64_t aid, path_id(req, 2));
          SY_ASSIGN(auto f, get_attachment(req.ctx, id, aid));
          std::string ext = f.content_type == "application/pdf" ? ".pdf" : f.content_type == "image/png" ? ".png" : ".jpg";
          return Reply::file(std::move(f.bytes), f.content_type, f.file_name, "attachment" + ext);
        });
}

void add_calendar_routes(Router& r) {
  r.add({.method = "GET", .path = "/api/v1/calendar", .tag = "工作日历", .summary = "已录入节假日安排的年份",
         .permission = "",
         .response_example = R"({"items":[{"year":2026,"source":"国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）","holidays":34,"workdays":6,"updated_at":"…","version":1}]})"},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(auto years, calendar::list_years(req.ctx));
          nlohmann::json items = nlohmann::json::array();
          for (const auto& y : years)
            items.push_back({{"year", y.year}, {"source", y.source}, {"holidays", y.holidays}, {"workdays", y.workdays},
                             {"updated_at", y.updated_at ? nlohmann::json(format_iso_shanghai(y.updated_at)) : nlohmann::json(nullptr)},
                             {"version", y.version}});
          return Reply::json({{"items", items}});
        });

  r.add({.method = "GET", .path = "/api/v1/calendar/add", .tag = "工作日历", .summary = "从某日起第 N 个工作日",
         .permission = "", .query = {{"from", "起算日期 YYYY-MM-DD（不计入）"}, {"days", "工作日天数"}},
         .response_example = R"({"from":"2026-09-30","days":3,"date":"2026-10-12"})"},
        [](ApiRequest& req) -> Result<Reply> {
          if (!req.ctx.actor.has("business:read") && !req.ctx.actor.has("calendar:manage"))
            return make_error("forbidden", "您的角色无权查看工作日历");
          auto from = calendar::parse_day(req.query("from"));
          if (!from) return make_error("invalid_date", "起算日期应为 YYYY-MM-DD", "from");
          std::string ds = req.query("days");
          if (ds.empty() || ds.size() > 3 || !std::all_of(ds.begin(), ds.end(), ::isdigit))
            return make_error("invalid_days", "工作日天数应为0至999的整数", "days");
          int days = std::stoi(ds);
          calendar::WorkingCalendar cal;
          SY_TRY(req.ctx.db.read([&](store::Conn& c) -> Status {
            SY_ASSIGN(cal, calendar::load_working_calendar(c));
            return ok_status();
          }));
          SY_ASSIGN(calendar::DayNumber date, cal.add_working_days(*from, days));
          return Reply::json({{"from", calendar::format_day(*from)}, {"days", days}, {"date", calendar::format_day(date)}});
        });

  r.add({.method = "GET", .path = "/api/v1/calendar/{year}", .tag = "工作日历", .summary = "某年的放假日期和调休上班日期",
         .permission = "",
         .response_example = R"({"year":2026,"source":"…","holidays":["2026-01-01"],"workdays":["2026-01-04"],"version":1})"},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(int year, path_year(req));
          auto y = calendar::get_year(req.ctx, year);
          if (!y.ok()) {
            if (y.error().code == "calendar_missing") return make_error("not_found", y.error().message);
            return y.error();
          }
          return Reply::json(year_json(*y));
        });

  r.add({.method = "PUT", .path = "/api/v1/calendar/{year}", .tag = "工作日历",
         .summary = "录入或修改某年的节假日安排（放假日期、调休上班日期和依据）", .permission = "calendar:manage",
         .request_example = R"({"source":"国务院办公厅关于2027年部分节假日安排的通知","holidays":["2027-01-01"],"workdays":[],"version":null})",
         .response_example = R"({"year":2027,"source":"…","holidays":["2027-01-01"],"workdays":[],"version":1})"},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(int year, path_year(req));
          SY_ASSIGN(auto body, parse_body(req.raw.body));
          SY_ASSIGN(std::string source, get_string(body, "source", false));
          SY_ASSIGN(auto holidays, get_string_list(body, "holidays"));
          SY_ASSIGN(auto workdays, get_string_list(body, "workdays"));
          std::optional<int> version;
          if (body.contains("version") && !body["version"].is_null()) {
            SY_ASSIGN(int v, get_version(body));
            version = v;
          }
          SY_ASSIGN(auto y, calendar::put_year(req.ctx, year, source, holidays, workdays, version));
          return Reply::json(year_json(y));
        });
}

}  // namespace sy::http
