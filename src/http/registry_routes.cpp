// Routes for 优抚对象 (the registry): list and search, create, read, update, status, history,
// reveal of a masked value, import, export and the import template; and for 户: list, read, flags,
// joining another household, moving out into a household of one's own, and choosing the head.

#include <charconv>

#include "audit/audit.h"
#include "core/id_number.h"
#include "core/text.h"
#include "http/json_io.h"
#include "http/router.h"
#include "registry/categories.h"
#include "registry/export.h"
#include "registry/households.h"
#include "registry/import.h"
#include "registry/persons.h"

namespace sy::http {
namespace {

using registry::Person;

nlohmann::json person_json(const Person& p) {
  nlohmann::json cats = nlohmann::json::array();
  for (const auto& c : p.categories) {
    cats.push_back({{"category", c.category},
                    {"category_name", registry::category_name(c.category)},
                    {"disability_grade", c.disability_grade ? nlohmann::json(*c.disability_grade) : nullptr},
                    {"grade_name", c.disability_grade ? registry::grade_name(*c.disability_grade) : ""},
                    {"disability_cause", c.disability_cause ? nlohmann::json(*c.disability_cause) : nullptr},
                    {"cause_name", c.disability_cause ? registry::cause_name(*c.disability_cause) : ""},
                    {"approved_on", c.approved_on},
                    {"status", c.status}});
  }
  return nlohmann::json{{"id", std::to_string(p.id)},
                        {"name", p.name},
                        {"id_number", mask_id_number(p.id_number)},
                        {"gender", p.gender},
                        {"gender_label", p.gender == "male" ? "男" : "女"},
                        {"birth_date", p.birth_date},
                        {"ethnicity", p.ethnicity},
                        {"phone", mask_phone(p.phone)},
                        {"address", p.address},
                        {"bank_name", p.bank_name},
                        {"bank_account", mask_account(p.bank_account)},
                        {"region_code", p.region_code},
                        {"region_name", p.region_name},
                        {"household_id", std::to_string(p.household_id)},
                        {"categories", cats},
                        {"enlisted_on", p.enlisted_on},
                        {"discharged_on", p.discharged_on},
                        {"paid_through", p.paid_through},
                        {"relation", p.relation},
                        {"related_name", p.related_name},
                        {"is_dibao", p.is_dibao},
                        {"is_tekun", p.is_tekun},
                        {"is_kongchao", p.is_kongchao},
                        {"status", p.status},
                        {"status_name", registry::status_name(p.status)},
                        {"status_date", p.status_date},
                        {"status_reason", p.status_reason},
                        {"note", p.note},
                        {"created_at", format_iso_shanghai(p.created_at)},
                        {"updated_at", format_iso_shanghai(p.updated_at)},
                        {"version", p.version}};
}

// JSON body → text fields; numbers and booleans are accepted where text is expected.
Result<registry::PersonFields> fields_from(const nlohmann::json& b) {
  registry::PersonFields f;
  auto text = [&](const char* key) -> Result<std::optional<std::string>> {
    auto it = b.find(key);
    if (it == b.end() || it->is_null()) return std::optional<std::string>();
    if (it->is_string()) return std::optional<std::string>(it->get<std::string>());
    if (it->is_boolean()) return std::optional<std::string>(it->get<bool>() ? "是" : "否");
    if (it->is_number_integer()) return std::optional<std::string>(std::to_string(it->get<long long>()));
    return make_error("invalid_field", std::string("字段格式不正确：") + key, key);
  };
  SY_ASSIGN(f.name, text("name"));
  SY_ASSIGN(f.id_number, text("id_number"));
  SY_ASSIGN(f.ethnicity, text("ethnicity"));
  SY_ASSIGN(f.phone, text("phone"));
  SY_ASSIGN(f.address, text("address"));
  SY_ASSIGN(f.bank_name, text("bank_name"));
  SY_ASSIGN(f.bank_account, text("bank_account"));
  SY_ASSIGN(f.region_code, text("region_code"));
  SY_ASSIGN(f.enlisted_on, text("enlisted_on"));
  SY_ASSIGN(f.discharged_on, text("discharged_on"));
  SY_ASSIGN(f.paid_through, text("paid_through"));
  SY_ASSIGN(f.relation, text("relation"));
  SY_ASSIGN(f.related_name, text("related_name"));
  SY_ASSIGN(f.note, text("note"));
  SY_ASSIGN(f.is_dibao, text("is_dibao"));
  SY_ASSIGN(f.is_tekun, text("is_tekun"));
  SY_ASSIGN(f.is_kongchao, text("is_kongchao"));
  if (b.contains("category") && !b["category"].is_null()) {
    const auto& c = b["category"];
    if (!c.is_object()) return make_error("invalid_field", "category 应为对象", "category");
    auto sub = [&](const char* key) -> std::optional<std::string> {
      if (!c.contains(key) || c[key].is_null()) return std::nullopt;
      if (c[key].is_number_integer()) return std::to_string(c[key].get<long long>());
      if (c[key].is_string()) return c[key].get<std::string>();
      return std::nullopt;
    };
    f.category = registry::CategoryFields{sub("category"), sub("disability_grade"), sub("disability_cause"),
                                          sub("approved_on")};
  }
  return f;
}

Result<registry::PersonQuery> query_from(const ApiRequest& req) {
  registry::PersonQuery q;
  q.q = req.query("q");
  q.region_code = req.query("region");
  q.category = req.query("category");
  q.status = req.query("status");
  q.cause = req.query("cause");
  auto int_param = [&](const char* key) -> Result<std::optional<int>> {
    std::string v = req.query(key);
    if (v.empty()) return std::optional<int>();
    try {
      size_t used = 0;
      int n = std::stoi(v, &used);
      if (used != v.size() || n < 0 || n > 200) throw std::invalid_argument(key);
      return std::optional<int>(n);
    } catch (...) {
      return make_error("invalid_parameter", std::string("参数应为整数：") + key, key);
    }
  };
  SY_ASSIGN(q.grade, int_param("grade"));
  SY_ASSIGN(q.age_min, int_param("age_min"));
  SY_ASSIGN(q.age_max, int_param("age_max"));
  auto flag = [&](const char* key) -> std::optional<bool> {
    std::string v = req.query(key);
    if (v.empty()) return std::nullopt;
    return v == "1" || v == "true" || v == "是";
  };
  q.dibao = flag("dibao");
  q.tekun = flag("tekun");
  q.kongchao = flag("kongchao");
  SY_ASSIGN(q.page, page_request(req));
  return q;
}

const char* kXlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const std::vector<ParamDoc> kFilters = {
    {"q", "姓名、身份证号（全号或末4–6位）、电话、拼音全拼或首字母"}, {"region", "区划代码（含下级）"},
    {"category", "优抚类别"}, {"grade", "伤残等级 1–10"}, {"cause", "伤残性质"}, {"status", "状态"},
    {"age_min", "最小年龄"}, {"age_max", "最大年龄"}, {"dibao", "低保 1/0"}, {"tekun", "特困 1/0"},
    {"kongchao", "空巢 1/0"}, {"page", "页码"}, {"size", "每页条数"}};

const char* kPersonExample =
    R"({"id":"…","name":"汪军","id_number":"1409**********3941","gender":"female","gender_label":"女","birth_date":"1956-04-21","region_code":"140924100002","region_name":"东泰社区","categories":[{"category":"martyr_survivor","category_name":"烈士遗属","approved_on":"2013-04-16"}],"status":"active","status_name":"在册","version":1})";

nlohmann::json household_json(const registry::Household& h) {
  return nlohmann::json{{"id", std::to_string(h.id)},        {"region_code", h.region_code},
                        {"region_name", h.region_name},       {"address", h.address},
                        {"head_person_id", std::to_string(h.head_person_id)}, {"head_name", h.head_name},
                        {"is_dibao", h.is_dibao},             {"is_tekun", h.is_tekun},
                        {"is_kongchao", h.is_kongchao},       {"note", h.note},
                        {"version", h.version}};
}

nlohmann::json household_view_json(const registry::HouseholdView& v) {
  nlohmann::json j = household_json(v.household);
  nlohmann::json members = nlohmann::json::array();
  for (const auto& m : v.members) {
    members.push_back({{"id", std::to_string(m.id)}, {"name", m.name}, {"status", m.status},
                       {"status_name", registry::status_name(m.status)}, {"head", m.head},
                       {"version", m.version}});
  }
  j["members"] = members;
  j["status"] = v.status;
  return j;
}

// A person's id in a body: the text form every response uses, or a JSON integer.
Result<std::int64_t> get_person_id(const nlohmann::json& body) {
  auto it = body.find("person_id");
  std::int64_t v = 0;
  if (it != body.end() && it->is_number_integer()) {
    v = it->get<std::int64_t>();
  } else if (it != body.end() && it->is_string()) {
    const std::string& s = it->get_ref<const std::string&>();
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) v = 0;
  }
  if (v <= 0) return make_error("person_required", "请选择人员（person_id）", "person_id");
  return v;
}

// What a person write answers: the person, and the warnings the input raised (a bank account that
// fails the Luhn check is saved, but the clerk is asked to check it).
nlohmann::json saved_person_json(const Person& p, const registry::PersonFields& f, Millis now) {
  nlohmann::json j = person_json(p);
  nlohmann::json warnings = nlohmann::json::array();
  auto n = registry::normalize_person(f, now);
  if (n.ok()) {
    for (const auto& w : n.value().warnings) warnings.push_back(w);
  }
  j["warnings"] = warnings;
  return j;
}

}  // namespace

void add_household_routes(Router& r) {
  const char* example =
      R"({"id":"…","region_code":"140924100002","region_name":"东泰社区","address":"…","head_name":"汪军","is_dibao":false,"is_tekun":false,"is_kongchao":false,"note":"","version":1,"members":[{"id":"…","name":"汪军","status":"active","head":true}]})";
  r.add({.method = "GET", .path = "/api/v1/households", .tag = "户", .summary = "户列表（本辖区；可按低保、特困、空巢筛选）",
         .permission = "business:read",
         .query = {{"region", "区划代码"}, {"dibao", "1/0"}, {"tekun", "1/0"}, {"kongchao", "1/0"}, {"page", "页码"},
                   {"size", "每页条数"}}},
        [](ApiRequest& req) -> Result<Reply> {
          registry::HouseholdQuery q;
          q.region_code = req.query("region");
          auto flag = [&](const char* key) -> std::optional<bool> {
            std::string v = req.query(key);
            if (v.empty()) return std::nullopt;
            return v == "1" || v == "true";
          };
          q.dibao = flag("dibao");
          q.tekun = flag("tekun");
          q.kongchao = flag("kongchao");
          SY_ASSIGN(q.page, page_request(req));
          SY_ASSIGN(Page<registry::Household> page, registry::list_households(req.ctx, q));
          return Reply::json(list_json(page, household_json));
        });
  r.add({.method = "GET", .path = "/api/v1/households/{id}", .tag = "户", .summary = "户详情及成员",
         .permission = "business:read", .response_example = example},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(registry::HouseholdView v, registry::get_household(req.ctx, id));
          return Reply::json(household_view_json(v));
        });
  r.add({.method = "PUT", .path = "/api/v1/households/{id}", .tag = "户", .summary = "修改户的地址、备注和低保/特困/空巢标记",
         .permission = "business:write", .request_example = R"({"is_dibao":true,"version":1})",
         .response_example = example},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(nlohmann::json body, parse_body(req.raw.body));
          registry::HouseholdChanges ch;
          SY_ASSIGN(ch.version, get_version(body));
          SY_ASSIGN(ch.address, get_optional_string(body, "address"));
          SY_ASSIGN(ch.note, get_optional_string(body, "note"));
          for (auto [key, target] : {std::pair{"is_dibao", &ch.is_dibao}, std::pair{"is_tekun", &ch.is_tekun},
                                     std::pair{"is_kongchao", &ch.is_kongchao}}) {
            if (!body.contains(key) || body[key].is_null()) continue;
            if (!body[key].is_boolean()) return make_error("invalid_field", std::string(key) + " 应为 true 或 false", key);
            *target = body[key].get<bool>();
          }
          SY_ASSIGN(registry::HouseholdView v, registry::update_household(req.ctx, id, ch));
          return Reply::json(household_view_json(v));
        });
  r.add({.method = "POST", .path = "/api/v1/households/{id}/members", .tag = "户",
         .summary = "把一名优抚对象迁入该户（同一村；须带其 version；原户户主须先另设户主）",
         .permission = "business:write", .request_example = R"({"person_id":"…","version":3})",
         .response_example = example},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(nlohmann::json body, parse_body(req.raw.body));
          SY_ASSIGN(std::int64_t person, get_person_id(body));
          SY_ASSIGN(int version, get_version(body));
          SY_ASSIGN(registry::HouseholdView v, registry::join_household(req.ctx, id, person, version));
          return Reply::json(household_view_json(v));
        });
  r.add({.method = "POST", .path = "/api/v1/households/{id}/head", .tag = "户",
         .summary = "设为户主（须为该户成员；须带户的 version）", .permission = "business:write",
         .request_example = R"({"person_id":"…","version":2})", .response_example = example},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(nlohmann::json body, parse_body(req.raw.body));
          SY_ASSIGN(std::int64_t person, get_person_id(body));
          SY_ASSIGN(int version, get_version(body));
          SY_ASSIGN(registry::HouseholdView v, registry::set_household_head(req.ctx, id, person, version));
          return Reply::json(household_view_json(v));
        });
  r.add({.method = "POST", .path = "/api/v1/persons/{id}/household/split", .tag = "户",
         .summary = "迁出为独立户（本人为户主；须带其 version）", .permission = "business:write",
         .request_example = R"({"version":3})", .response_example = example, .success_status = 201},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(nlohmann::json body, parse_body(req.raw.body));
          SY_ASSIGN(int version, get_version(body));
          SY_ASSIGN(registry::HouseholdView v, registry::split_household(req.ctx, id, version));
          return Reply::json(household_view_json(v), 201);
        });
}

void add_registry_routes(Router& r) {
  add_household_routes(r);
  r.add({.method = "GET", .path = "/api/v1/persons", .tag = "优抚对象", .summary = "优抚对象列表与搜索（本辖区）",
         .permission = "business:read", .query = kFilters,
         .response_example = std::string(R"({"items":[)") + kPersonExample + R"(],"total":1,"page":1,"size":20})"},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(registry::PersonQuery q, query_from(req));
          SY_ASSIGN(Page<Person> page, registry::search_persons(req.ctx, q));
          return Reply::json(list_json(page, person_json));
        });

  r.add({.method = "POST", .path = "/api/v1/persons", .tag = "优抚对象",
         .summary = "新增优抚对象（回答另带 warnings：保存了但须核对的提示，如银行账号未通过校验）",
         .permission = "business:write",
         .request_example =
             R"({"name":"汪军","id_number":"11010519491231002X","region_code":"140924100002","category":{"category":"烈士遗属","approved_on":"2019-10-01"}})",
         .response_example = kPersonExample, .success_status = 201},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(nlohmann::json body, parse_body(req.raw.body));
          SY_ASSIGN(registry::PersonFields f, fields_from(body));
          SY_ASSIGN(Person p, registry::create_person(req.ctx, f));
          return Reply::json(saved_person_json(p, f, req.ctx.now()), 201);
        });

  r.add({.method = "GET", .path = "/api/v1/persons/export", .tag = "优抚对象",
         .summary = "按当前筛选导出（与导入模板同列；无查看权限时敏感信息打码）", .permission = "business:read",
         .query = kFilters, .response_type = kXlsx},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(registry::PersonQuery q, query_from(req));
          SY_ASSIGN(std::string bytes, registry::export_persons(req.ctx, q, registry::ExportFormat::kXlsx));
          return Reply::file(std::move(bytes), kXlsx, "优抚对象.xlsx", "persons.xlsx");
        });

  r.add({.method = "GET", .path = "/api/v1/persons/template", .tag = "优抚对象", .summary = "导入模板下载",
         .permission = "business:read", .response_type = kXlsx},
        [](ApiRequest&) -> Result<Reply> {
          SY_ASSIGN(std::string bytes, registry::import_template());
          return Reply::file(std::move(bytes), kXlsx, "优抚对象导入模板.xlsx", "template.xlsx");
        });

  r.add({.method = "POST", .path = "/api/v1/persons/import", .tag = "优抚对象",
         .summary = "导入花名册（multipart：file，town，dry_run）；返回每行结论和错误工作簿（base64）；"
                    "文件大小与行数上限为系统设置 import_web_max_mb、import_web_max_rows，超出为 413 或 400",
         .permission = "business:write",
         .response_example =
             R"({"rows":40,"created":35,"updated":0,"unchanged":0,"rejected":5,"errors":[{"row":5,"column":"伤残等级","code":"grade_required","message":"残疾军人缺少伤残等级"}],"error_workbook":"UEsDB…"})",
         // The cap is the setting import_web_max_mb, which the import checks; this is its ceiling.
         .max_body = 64u << 20},
        [](ApiRequest& req) -> Result<Reply> {
          if (!req.raw.is_multipart_form_data() || !req.raw.has_file("file")) {
            return make_error("file_required", "请选择要导入的文件", "file");
          }
          const auto& file = req.raw.get_file_value("file");
          registry::ImportOptions o;
          o.file_name = file.filename;
          if (req.raw.has_file("town")) o.town = req.raw.get_file_value("town").content;
          if (req.raw.has_file("dry_run")) {
            std::string v = req.raw.get_file_value("dry_run").content;
            o.dry_run = v == "1" || v == "true";
          }
          SY_ASSIGN(registry::ImportReport report, registry::import_persons(req.ctx, file.content, o));
          nlohmann::json errors = nlohmann::json::array();
          nlohmann::json warnings = nlohmann::json::array();
          for (const auto& v : report.verdicts) {
            if (v.verdict == "rejected") {
              errors.push_back({{"row", v.row}, {"column", v.column}, {"code", v.code}, {"message", v.message}});
            }
            for (const auto& w : v.warnings) warnings.push_back({{"row", v.row}, {"message", w}});
          }
          nlohmann::json out = {{"rows", report.rows},           {"created", report.created},
                                {"updated", report.updated},     {"unchanged", report.unchanged},
                                {"rejected", report.rejected},   {"dry_run", report.dry_run},
                                {"header_row", report.header_row}, {"errors", errors},
                                {"warnings", warnings}};
          if (report.rejected > 0) {
            SY_ASSIGN(std::string wb, registry::error_workbook(report));
            out["error_workbook"] = base64_encode(wb);
          }
          return Reply::json(out);
        });

  r.add({.method = "GET", .path = "/api/v1/persons/{id}", .tag = "优抚对象", .summary = "优抚对象详情（敏感信息打码）",
         .permission = "business:read", .response_example = kPersonExample},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(Person p, registry::get_person(req.ctx, id));
          return Reply::json(person_json(p));
        });

  r.add({.method = "PUT", .path = "/api/v1/persons/{id}", .tag = "优抚对象",
         .summary = "修改优抚对象（只改传入的字段；须带 version；回答另带 warnings）", .permission = "business:write",
         .request_example = R"({"phone":"13900000000","version":1})", .response_example = kPersonExample},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(nlohmann::json body, parse_body(req.raw.body));
          SY_ASSIGN(int version, get_version(body));
          SY_ASSIGN(registry::PersonFields f, fields_from(body));
          SY_ASSIGN(Person p, registry::update_person(req.ctx, id, f, version));
          return Reply::json(saved_person_json(p, f, req.ctx.now()));
        });

  r.add({.method = "POST", .path = "/api/v1/persons/{id}/status", .tag = "优抚对象",
         .summary = "变更状态：在册、暂停、迁出、死亡、注销（日期、原因）", .permission = "business:write",
         .request_example = R"({"status":"deceased","date":"2026-11-15","reason":"病故","version":1})",
         .response_example = kPersonExample},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(nlohmann::json body, parse_body(req.raw.body));
          SY_ASSIGN(int version, get_version(body));
          registry::StatusChange ch;
          SY_ASSIGN(ch.status, get_string(body, "status"));
          SY_ASSIGN(ch.date, get_string(body, "date", false));
          SY_ASSIGN(ch.reason, get_string(body, "reason", false));
          SY_ASSIGN(Person p, registry::change_status(req.ctx, id, ch, version));
          return Reply::json(person_json(p));
        });

  r.add({.method = "GET", .path = "/api/v1/persons/{id}/history", .tag = "优抚对象", .summary = "变更记录",
         .permission = "business:read",
         .response_example =
             R"({"items":[{"at":"2026-11-22T10:00:00+08:00","username":"fc_clerk","action":"update","changes":[{"field":"phone","label":"联系电话","old":"…","new":"…"}]}]})"},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(std::vector<registry::HistoryEntry> h, registry::person_history(req.ctx, id));
          nlohmann::json items = nlohmann::json::array();
          for (const auto& e : h) {
            items.push_back({{"at", format_iso_shanghai(e.at)}, {"username", e.username}, {"action", e.action},
                             {"changes", e.changes}});
          }
          return Reply::json({{"items", items}});
        });

  r.add({.method = "POST", .path = "/api/v1/persons/{id}/reveal", .tag = "优抚对象",
         .summary = "查看完整的身份证号、银行账号或电话（记入审计）", .permission = "sensitive:reveal",
         .request_example = R"({"field":"id_number"})", .response_example = R"({"field":"id_number","value":"…"})"},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(nlohmann::json body, parse_body(req.raw.body));
          SY_ASSIGN(std::string field, get_string(body, "field"));
          if (field != "id_number" && field != "bank_account" && field != "phone") {
            return make_error("invalid_field", "只能查看身份证号、银行账号或电话", "field");
          }
          SY_ASSIGN(Person p, registry::get_person(req.ctx, id));
          std::string value = field == "id_number" ? p.id_number : field == "phone" ? p.phone : p.bank_account;
          SY_TRY(audit::record_now(req.ctx, audit::Entry{.action = "person.reveal", .entity = "person",
                                                         .entity_id = std::to_string(id), .region_code = p.region_code,
                                                         .detail = "查看完整" + registry::field_label(field)}));
          return Reply::json({{"field", field}, {"value", value}});
        });
}

}  // namespace sy::http
