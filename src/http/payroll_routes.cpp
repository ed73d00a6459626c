// Routes for 抚恤补助发放: benefit items, standards (list, add, correct, import, export), payment
// rules, payroll runs (make, recompute, discard, approve, lines, totals, bank file, 花名册,
// reconciliation, the progress of a computation), a person's payments, and 生存认证.
#include <charconv>

#include "core/id_number.h"
#include "http/json_io.h"
#include "http/router.h"
#include "payroll/progress.h"
#include "payroll/proof_of_life.h"
#include "payroll/rules.h"
#include "payroll/runs.h"
#include "payroll/standards.h"
#include "registry/categories.h"

namespace sy::http {
namespace {

using namespace payroll;

const char* kXlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

nlohmann::json funding_json(const FundingSplit& f) {
  if (f.empty()) return nullptr;
  return {{"central", f.central}, {"province", f.province}, {"city", f.city}, {"county", f.county}};
}

nlohmann::json item_json(const BenefitItem& i) {
  nlohmann::json cats = nlohmann::json::array();
  for (const auto& c : i.categories) cats.push_back({{"code", c}, {"name", registry::category_name(c)}});
  return {{"code", i.code}, {"name", i.name}, {"categories", cats}, {"frequency", i.frequency},
          {"max_grade", i.max_grade}, {"funding", funding_json(parse_funding(i.funding))}, {"sort", i.sort}};
}

// {"funding": {"central": 80, "province": 10, "city": 5, "county": 5}}; null or {} clears the split.
Result<FundingSplit> funding_input(const nlohmann::json& body) {
  if (!body.is_object() || !body.contains("funding")) return make_error("field_required", "请填写资金分担比例", "funding");
  const auto& f = body["funding"];
  FundingSplit out;
  if (f.is_null()) return out;
  if (!f.is_object()) return make_error("invalid_funding", "资金分担比例格式不正确", "funding");
  for (auto [key, level, share] : {std::tuple{"central", "中央", &out.central}, std::tuple{"province", "省级", &out.province},
                                   std::tuple{"city", "市级", &out.city}, std::tuple{"county", "县级", &out.county}}) {
    if (!f.contains(key) || f[key].is_null()) continue;
    if (!f[key].is_number_integer())
      return make_error("invalid_funding", std::string(level) + "分担比例应为 0 至 100 的整数（百分比）", std::string("funding.") + key);
    long long v = f[key].get<long long>();
    if (v < 0 || v > 100)
      return make_error("invalid_funding", std::string(level) + "分担比例应在 0% 至 100% 之间", std::string("funding.") + key);
    *share = static_cast<int>(v);
  }
  for (const auto& [key, value] : f.items())
    if (key != "central" && key != "province" && key != "city" && key != "county")
      return make_error("invalid_funding", "未知的分担层级：" + key + "（应为 central、province、city、county）", "funding");
  return out;
}

nlohmann::json standard_json(const StandardView& v) {
  return {{"id", std::to_string(v.row.id)},
          {"item", v.row.item_code},
          {"item_name", v.item_name},
          {"category", v.row.category},
          {"category_name", v.category_name},
          {"cause", v.row.cause},
          {"cause_name", v.cause_name},
          {"grade", v.row.grade},
          {"grade_name", v.grade_name},
          {"unit", v.row.unit},
          {"unit_name", v.unit_name},
          {"amount_fen", v.row.amount_fen},
          {"amount", format_yuan(v.row.amount_fen)},
          {"effective_from", v.row.effective_from},
          {"region_prefix", v.row.region_prefix},
          {"region_name", v.region_name},
          {"note", v.row.note},
          {"status", v.status},
          {"replaces_id", v.replaces_id ? nlohmann::json(std::to_string(v.replaces_id)) : nlohmann::json(nullptr)},
          {"created_at", format_iso_shanghai(v.created_at)},
          {"created_by", v.created_by},
          {"replaced_at", v.replaced_at ? nlohmann::json(format_iso_shanghai(v.replaced_at)) : nlohmann::json(nullptr)}};
}

nlohmann::json run_json(const RunSummary& r) {
  auto time = [](Millis t) { return t ? nlohmann::json(format_iso_shanghai(t)) : nlohmann::json(nullptr); };
  return {{"id", std::to_string(r.id)},
          {"month", r.month},
          {"kind", r.kind},
          {"status", r.status},
          {"items", r.items},
          {"region_code", r.region_code},
          {"region_name", r.region_name},
          {"parent_run_id", r.parent_run_id ? nlohmann::json(std::to_string(r.parent_run_id)) : nlohmann::json(nullptr)},
          {"reissue_run_id", r.reissue_run_id ? nlohmann::json(std::to_string(r.reissue_run_id)) : nlohmann::json(nullptr)},
          {"lines", r.line_count},
          {"persons", r.person_count},
          {"total_fen", r.total_fen},
          {"arrears_fen", r.arrears_fen},
          {"recovery_fen", r.recovery_fen},
          {"exceptions", r.exception_count},
          {"exception_fen", r.exception_fen},
          {"paid", r.paid_count},
          {"failed", r.failed_count},
          {"failed_fen", r.failed_fen},
          {"prepared_by", r.prepared_by},
          {"prepared_at", time(r.prepared_at)},
          {"computed_at", time(r.computed_at)},
          {"approved_by", r.approved_by},
          {"approved_at", time(r.approved_at)},
          {"exported_at", time(r.exported_at)},
          {"reconciled_at", time(r.reconciled_at)},
          {"version", r.version}};
}

nlohmann::json line_json(const RunLine& l) {
  return {{"id", std::to_string(l.id)},
          {"run_id", std::to_string(l.run_id)},
          {"seq", l.seq},
          {"person_id", std::to_string(l.person_id)},
          {"name", l.name},
          {"id_number", mask_id_number(l.id_number)},
          {"region_code", l.region_code},
          {"region_name", l.region_name},
          {"bank_name", l.bank_name},
          {"bank_account", mask_account(l.bank_account)},
          {"item", l.item_code},
          {"item_name", l.item_name},
          {"kind", l.kind},
          {"kind_name", line_kind_name(l.kind)},
          {"for_month", l.for_month},
          {"standard_id", l.standard_id ? nlohmann::json(std::to_string(l.standard_id)) : nlohmann::json(nullptr)},
          {"amount_fen", l.amount_fen},
          {"basis", l.basis},
          {"exception", l.exception},
          {"bank_status", l.bank_status},
          {"bank_reason", l.bank_reason},
          {"run_month", l.run_month},
          {"run_status", l.run_status}};
}

Result<StandardInput> standard_input(const nlohmann::json& b) {
  StandardInput in;
  auto text = [&](const char* key) -> Result<std::string> {
    auto it = b.find(key);
    if (it == b.end() || it->is_null()) return std::string();
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number_integer()) return std::to_string(it->get<long long>());
    if (it->is_number()) return nlohmann::json(*it).dump();
    return make_error("invalid_field", std::string("字段格式不正确：") + key, key);
  };
  SY_ASSIGN(in.item, text("item"));
  SY_ASSIGN(in.category, text("category"));
  SY_ASSIGN(in.cause, text("cause"));
  SY_ASSIGN(in.grade, text("grade"));
  SY_ASSIGN(in.unit, text("unit"));
  SY_ASSIGN(in.amount, text("amount"));
  SY_ASSIGN(in.effective_from, text("effective_from"));
  SY_ASSIGN(in.region, text("region"));
  SY_ASSIGN(in.note, text("note"));
  if (in.grade == "0") in.grade.clear();
  return in;
}

Result<std::string> multipart_file(const ApiRequest& req, std::string* name) {
  if (!req.raw.is_multipart_form_data() || !req.raw.has_file("file"))
    return make_error("file_required", "请选择要导入的文件", "file");
  const auto& f = req.raw.get_file_value("file");
  *name = f.filename;
  return f.content;
}

bool multipart_flag(const ApiRequest& req, const char* key) {
  if (!req.raw.has_file(key)) return false;
  std::string v = req.raw.get_file_value(key).content;
  return v == "1" || v == "true";
}

const char* kRunExample =
    R"({"id":"383028865903566848","month":"2019-10","kind":"regular","status":"draft","items":["disability_pension"],"region_code":"140924000000","region_name":"繁峙县","lines":3,"persons":1,"total_fen":868083,"arrears_fen":133500,"recovery_fen":0,"exceptions":0,"version":1})";

}  // namespace

void add_payroll_routes(Router& r) {
  r.add({.method = "GET", .path = "/api/v1/benefit-items", .tag = "待遇标准", .summary = "待遇项目（服务的类别、发放频次）",
         .permission = "business:read",
         .response_example = R"({"items":[{"code":"disability_pension","name":"残疾抚恤金","frequency":"monthly"}]})"},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(auto items, list_items(req.ctx));
          nlohmann::json out = nlohmann::json::array();
          for (const auto& i : items) out.push_back(item_json(i));
          return Reply::json({{"items", out}});
        });

  r.add({.method = "PUT", .path = "/api/v1/benefit-items/{code}/funding", .tag = "待遇标准",
         .summary = "修改待遇项目的资金分担比例（中央、省、市、县，整数百分比，合计 100%；null 清除）",
         .permission = "standards:manage",
         .request_example = R"({"funding":{"central":80,"province":10,"city":5,"county":5}})",
         .response_example = R"({"code":"disability_pension","name":"残疾抚恤金","funding":{"central":80,"province":10,"city":5,"county":5}})"},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(auto body, parse_body(req.raw.body));
          SY_ASSIGN(FundingSplit f, funding_input(body));
          SY_ASSIGN(auto item, set_item_funding(req.ctx, req.path_param(1), f));
          return Reply::json(item_json(item));
        });

  r.add({.method = "GET", .path = "/api/v1/standards", .tag = "待遇标准", .summary = "待遇标准（history=1 含已更正的历史）",
         .permission = "business:read",
         .query = {{"item", "待遇项目"}, {"category", "优抚类别"}, {"history", "1 = 含历史"}},
         .response_example = R"({"items":[{"id":"1","item_name":"残疾抚恤金","category_name":"残疾军人","grade_name":"一级","cause_name":"因战","unit_name":"按年","amount":"88150.00","effective_from":"2019-08-01","region_name":"全国","status":"active"}]})"},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(auto list, list_standards(req.ctx, StandardQuery{.item = req.query("item"), .category = req.query("category"),
                                                                     .include_replaced = req.query("history") == "1"}));
          nlohmann::json out = nlohmann::json::array();
          for (const auto& v : list) out.push_back(standard_json(v));
          return Reply::json({{"items", out}, {"total", out.size()}});
        });

  r.add({.method = "POST", .path = "/api/v1/standards", .tag = "待遇标准", .summary = "录入一条待遇标准（与已有标准重叠则拒绝）",
         .permission = "standards:manage",
         .request_example = R"({"item":"定期生活补助","category":"带病回乡退役军人","unit":"按月","amount":"600","effective_from":"2019-08-01","region":"全国"})",
         .success_status = 201},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(auto body, parse_body(req.raw.body));
          SY_ASSIGN(auto in, standard_input(body));
          SY_ASSIGN(auto v, create_standard(req.ctx, in));
          return Reply::json(standard_json(v), 201);
        });

  r.add({.method = "POST", .path = "/api/v1/standards/{id}/correct", .tag = "待遇标准",
         .summary = "更正一条标准：原标准保留为历史，新标准生效；已发放月份在下一批次补发或扣回",
         .permission = "standards:manage",
         .request_example = R"({"item":"定期生活补助","category":"带病回乡退役军人","unit":"按月","amount":"650","effective_from":"2019-08-01"})"},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(auto body, parse_body(req.raw.body));
          SY_ASSIGN(auto in, standard_input(body));
          SY_ASSIGN(auto v, correct_standard(req.ctx, id, in));
          return Reply::json(standard_json(v));
        });

  r.add({.method = "POST", .path = "/api/v1/standards/import", .tag = "待遇标准",
         .summary = "导入待遇标准（multipart：file，dry_run）；任何一行有误则整份不写入",
         .permission = "standards:manage",
         .response_example = R"j({"rows":21,"created":20,"unchanged":0,"rejected":1,"errors":[{"row":5,"field":"amount","column":"标准(元)","message":"“很多”不是金额（应为元，最多两位小数）"}]})j",
         .max_body = 10u << 20},
        [](ApiRequest& req) -> Result<Reply> {
          std::string name;
          SY_ASSIGN(std::string bytes, multipart_file(req, &name));
          bool dry = multipart_flag(req, "dry_run");
          SY_ASSIGN(auto rep, import_standards(req.ctx, bytes, name, dry));
          nlohmann::json errors = nlohmann::json::array();
          for (const auto& e : rep.problems)
            errors.push_back({{"row", e.row}, {"field", e.field}, {"column", e.column}, {"message", e.message}});
          return Reply::json({{"rows", rep.rows}, {"created", rep.created}, {"unchanged", rep.unchanged},
                              {"rejected", rep.rejected}, {"dry_run", dry}, {"errors", errors}});
        });

  r.add({.method = "GET", .path = "/api/v1/standards/export", .tag = "待遇标准", .summary = "导出待遇标准（与导入格式相同）",
         .permission = "business:read", .query = {{"history", "1 = 含已更正的历史"}}, .response_type = kXlsxType},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::string bytes, export_standards(req.ctx, req.query("history") == "1"));
          return Reply::file(std::move(bytes), kXlsxType, "待遇标准.xlsx", "standards.xlsx");
        });

  r.add({.method = "GET", .path = "/api/v1/payroll-rules", .tag = "发放批次", .summary = "发放规则（首次发放月份、丧葬补助月数、生存认证截止日等）",
         .permission = "business:read",
         .response_example = R"({"first_month":"2019-08","funeral_months":6,"funeral_months_disabled_illness":12,"part_year_counts":false,"proof_of_life_deadline":""})"},
        [](ApiRequest& req) -> Result<Reply> {
          RulesSettings rules;
          SY_TRY(req.ctx.db.read([&](store::Conn& c) -> Status {
            SY_ASSIGN(rules, load_rules(c));
            return ok_status();
          }));
          return Reply::json(rules_json(rules));
        });

  r.add({.method = "PUT", .path = "/api/v1/payroll-rules", .tag = "发放批次", .summary = "修改发放规则",
         .permission = "standards:manage", .request_example = R"({"proof_of_life_deadline":"06-30"})"},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(auto body, parse_body(req.raw.body));
          SY_ASSIGN(auto rules, update_rules(req.ctx, body));
          return Reply::json(rules_json(rules));
        });

  r.add({.method = "GET", .path = "/api/v1/payroll-runs", .tag = "发放批次", .summary = "发放批次列表（新的在前）",
         .permission = "business:read", .query = {{"page", "页码"}, {"size", "每页条数"}},
         .response_example = std::string(R"({"items":[)") + kRunExample + R"(],"total":1,"page":1,"size":20})"},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(PageRequest page, page_request(req));
          SY_ASSIGN(auto list, list_runs(req.ctx, page));
          return Reply::json(list_json(list, run_json));
        });

  r.add({.method = "POST", .path = "/api/v1/payroll-runs", .tag = "发放批次",
         .summary = "编制某月发放批次（草稿）：按优抚对象信息和待遇标准计算，每行写明依据",
         .permission = "payroll:prepare", .request_example = R"({"month":"2019-10","items":[],"progress":"k3f9a0c2d1e4"})",
         .response_example = kRunExample, .success_status = 201},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(auto body, parse_body(req.raw.body));
          SY_ASSIGN(std::string month, get_string(body, "month"));
          std::vector<std::string> items;
          if (body.contains("items") && !body["items"].is_null()) {
            SY_ASSIGN(items, get_string_list(body, "items"));
          }
          SY_ASSIGN(auto progress, get_optional_string(body, "progress"));
          SY_ASSIGN(auto run, create_run(req.ctx, RunRequest{.month = month, .items = items, .progress = progress.value_or("")}));
          return Reply::json(run_json(run), 201);
        });

  r.add({.method = "GET", .path = "/api/v1/payroll-progress/{token}", .tag = "发放批次",
         .summary = "批次计算进度：编制或重新计算时在请求中带上 progress（页面自选的标识），计算期间轮询此处（已处理人数 / 区域内总人数、阶段）",
         .permission = "payroll:prepare",
         .response_example = R"({"token":"k3f9a0c2d1e4","phase":"compute","phase_name":"逐人计算","done":5200,"total":12000,"percent":43,"run_id":null,"message":""})"},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(auto p, get_progress(req.ctx, req.path_param(1)));
          int percent = p.phase == "done" ? 100 : p.total > 0 ? static_cast<int>(p.done * 100 / p.total) : 0;
          if (p.phase != "done" && percent > 99) percent = 99;  // saving still to come
          return Reply::json({{"token", p.token}, {"phase", p.phase}, {"phase_name", progress_phase_name(p.phase)},
                              {"done", p.done}, {"total", p.total}, {"percent", percent},
                              {"run_id", p.run_id ? nlohmann::json(std::to_string(p.run_id)) : nlohmann::json(nullptr)},
                              {"message", p.message}});
        });

  r.add({.method = "GET", .path = "/api/v1/payroll-runs/{id}", .tag = "发放批次", .summary = "发放批次详情",
         .permission = "business:read", .response_example = kRunExample},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(auto run, get_run(req.ctx, id));
          return Reply::json(run_json(run));
        });

  r.add({.method = "GET", .path = "/api/v1/payroll-runs/{id}/lines", .tag = "发放批次",
         .summary = "批次明细：每行的项目、所属月份、金额、计算依据；exceptions=1 只看暂缓发放；bank= 按银行结果筛选",
         .permission = "business:read",
         .query = {{"exceptions", "1 = 只看暂缓发放"}, {"kind", "regular|arrears|recovery|one_off|reissue"},
                   {"bank", "银行结果：paid 成功 | failed 失败 | none 未对账（应发而无银行结果）"},
                   {"q", "姓名或身份证号末几位"}, {"page", "页码"}, {"size", "每页条数"}},
         .response_example = R"({"items":[{"name":"张三","item_name":"残疾抚恤金","kind":"arrears","kind_name":"补发","for_month":"2019-08","amount_fen":66750,"basis":"补发2019年8月残疾抚恤金：应发7345.83元…","exception":""}],"total":1,"page":1,"size":20})"},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          LineQuery q{.run_id = id, .exceptions_only = req.query("exceptions") == "1", .kind = req.query("kind"),
                      .q = req.query("q"), .bank = req.query("bank")};
          SY_ASSIGN(q.page, page_request(req));
          SY_ASSIGN(auto list, run_lines(req.ctx, q));
          return Reply::json(list_json(list, line_json));
        });

  r.add({.method = "GET", .path = "/api/v1/payroll-runs/{id}/totals", .tag = "发放批次", .summary = "批次合计：按项目、按村、按类型",
         .permission = "business:read",
         .response_example = R"({"by_item":[{"key":"disability_pension","name":"残疾抚恤金","persons":1,"lines":3,"fen":868083,"funding_fen":{"central":694466,"province":86808,"city":43404,"county":43405}}],"by_village":[],"by_kind":[]})"},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(auto t, run_totals(req.ctx, id));
          auto rows = [](const std::vector<TotalRow>& v) {
            nlohmann::json a = nlohmann::json::array();
            for (const auto& x : v) {
              nlohmann::json row = {{"key", x.key}, {"name", x.name}, {"persons", x.persons}, {"lines", x.lines}, {"fen", x.fen}};
              if (x.funding.size() == 4)
                row["funding_fen"] = {{"central", x.funding[0]}, {"province", x.funding[1]}, {"city", x.funding[2]},
                                      {"county", x.funding[3]}};
              a.push_back(std::move(row));
            }
            return a;
          };
          return Reply::json({{"by_item", rows(t.by_item)}, {"by_village", rows(t.by_village)}, {"by_kind", rows(t.by_kind)}});
        });

  for (const char* action : {"recompute", "discard", "approve"}) {
    std::string a = action;
    r.add({.method = "POST", .path = "/api/v1/payroll-runs/{id}/" + a, .tag = "发放批次",
           .summary = a == "recompute" ? "重新计算草稿批次（输入不变则结果不变）"
                      : a == "discard" ? "作废草稿批次"
                                       : "审核批次（审核人须与编制人不同；审核后不可更改）",
           .permission = a == "approve" ? "payroll:approve" : "payroll:prepare",
           .request_example = R"({"version":1})", .response_example = kRunExample},
          [a](ApiRequest& req) -> Result<Reply> {
            SY_ASSIGN(std::int64_t id, path_id(req));
            SY_ASSIGN(auto body, parse_body(req.raw.body));
            SY_ASSIGN(int version, get_version(body));
            SY_ASSIGN(auto progress, get_optional_string(body, "progress"));
            Result<RunSummary> run = a == "recompute" ? recompute_run(req.ctx, id, version, progress.value_or(""))
                                     : a == "discard" ? discard_run(req.ctx, id, version)
                                                      : approve_run(req.ctx, id, version);
            if (!run.ok()) return run.error();
            return Reply::json(run_json(*run));
          });
  }

  r.add({.method = "GET", .path = "/api/v1/payroll-runs/{id}/bank-file", .tag = "发放批次",
         .summary = "导出银行代发文件（已审核批次；序号、姓名、身份证号、银行账号、开户行、金额、备注；数据行之外不加合计行，笔数与总金额在 xlsx 的“汇总”表和响应头 X-Row-Count、X-Total-Fen）",
         .permission = "payroll:prepare",
         .query = {{"format", "xlsx 或 csv（默认取模板的格式，否则 xlsx）"}, {"template", "银行文件模板名称（发放规则中设置；默认标准列）"}},
         .response_type = kXlsxType},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(auto f, export_bank_file(req.ctx, id, req.query("format"), req.query("template")));
          Reply rep = Reply::file(std::move(f.bytes), f.content_type, f.file_name, f.file_name.substr(f.file_name.find('_') + 1));
          // The control totals, for the covering 支付令 (the data rows carry no 合计 line).
          rep.headers.emplace("X-Row-Count", std::to_string(f.rows));
          rep.headers.emplace("X-Total-Fen", std::to_string(f.total_fen));
          return rep;
        });

  r.add({.method = "GET", .path = "/api/v1/payroll-runs/{id}/roster", .tag = "发放批次",
         .summary = "发放花名册：按村分组、小计、总计，供签字存档（format=html 为可打印页面）",
         .permission = "business:read", .query = {{"format", "xlsx（默认）或 html"}}, .response_type = kXlsxType},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          if (req.query("format") == "html") {
            SY_ASSIGN(std::string html, roster_html(req.ctx, id));
            Reply rep;
            rep.body = std::move(html);
            rep.content_type = "text/html; charset=utf-8";
            return rep;
          }
          SY_ASSIGN(std::string bytes, roster_xlsx(req.ctx, id));
          return Reply::file(std::move(bytes), kXlsxType, "发放花名册.xlsx", "roster.xlsx");
        });

  r.add({.method = "POST", .path = "/api/v1/payroll-runs/{id}/reconcile", .tag = "发放批次",
         .summary = "导入银行回盘文件（multipart：file）：逐笔成功或失败；失败的生成重发批次；与本批次不符则不做任何更改",
         .permission = "payroll:prepare",
         .response_example = R"({"rows":2,"paid":1,"failed":1,"paid_fen":734583,"failed_fen":60000,"reissue_run_id":"383","verdicts":[{"row":3,"name":"张三","result":"failed","reason":"账户已销户","amount_fen":60000}]})",
         .max_body = 64u << 20},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          std::string name;
          SY_ASSIGN(std::string bytes, multipart_file(req, &name));
          SY_ASSIGN(auto rep, reconcile_run(req.ctx, id, bytes, name));
          nlohmann::json verdicts = nlohmann::json::array();
          for (const auto& v : rep.verdicts)
            verdicts.push_back({{"row", v.row}, {"name", v.name}, {"account", mask_account(v.account)}, {"result", v.result},
                                {"reason", v.reason}, {"amount_fen", v.amount_fen}});
          return Reply::json({{"rows", rep.rows}, {"paid", rep.paid}, {"failed", rep.failed}, {"paid_fen", rep.paid_fen},
                              {"failed_fen", rep.failed_fen},
                              {"reissue_run_id", rep.reissue_run_id ? nlohmann::json(std::to_string(rep.reissue_run_id)) : nlohmann::json(nullptr)},
                              {"verdicts", verdicts}});
        });

  r.add({.method = "GET", .path = "/api/v1/persons/{id}/payments", .tag = "发放批次", .summary = "某优抚对象的发放记录（含补发、扣回）",
         .permission = "business:read",
         .response_example = R"({"items":[{"run_month":"2019-10","item_name":"残疾抚恤金","kind_name":"补发","for_month":"2019-08","amount_fen":66750}]})"},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(auto lines, person_payments(req.ctx, id));
          nlohmann::json out = nlohmann::json::array();
          for (const auto& l : lines) out.push_back(line_json(l));
          return Reply::json({{"items", out}});
        });

  r.add({.method = "GET", .path = "/api/v1/proof-of-life", .tag = "生存认证",
         .summary = "生存认证名单：享受定期待遇的对象及其当年认证情况（missing=1 只看未认证）",
         .permission = "business:read", .query = {{"year", "年度"}, {"missing", "1 = 只看未认证"}, {"page", "页码"}, {"size", "每页条数"}},
         .response_example = R"({"items":[{"person_id":"1","name":"张三","verified_on":"","overdue":true}],"total":1,"deadline":"2026-06-30","checked":10,"missing":1})"},
        [](ApiRequest& req) -> Result<Reply> {
          ProofQuery q;
          std::string y = req.query("year");
          if (!y.empty()) {
            auto [p, ec] = std::from_chars(y.data(), y.data() + y.size(), q.year);
            if (ec != std::errc() || p != y.data() + y.size()) return make_error("invalid_parameter", "年度应为数字", "year");
          }
          q.only_missing = req.query("missing") == "1";
          SY_ASSIGN(q.page, page_request(req));
          SY_ASSIGN(auto list, list_proof_of_life(req.ctx, q));
          auto out = list_json(list.page, [](const ProofStatus& s) {
            return nlohmann::json{{"person_id", std::to_string(s.person_id)}, {"name", s.name},
                                  {"id_number", mask_id_number(s.id_number)}, {"region_code", s.region_code},
                                  {"region_name", s.region_name}, {"verified_on", s.verified_on}, {"method", s.method},
                                  {"overdue", s.overdue}};
          });
          out["deadline"] = list.deadline;
          out["checked"] = list.checked;
          out["missing"] = list.missing;
          return Reply::json(out);
        });

  r.add({.method = "POST", .path = "/api/v1/proof-of-life", .tag = "生存认证", .summary = "登记一次生存认证",
         .permission = "business:write",
         .request_example = R"({"person_id":"1","year":2026,"verified_on":"2026-03-05","method":"人脸识别"})",
         .success_status = 204},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(auto body, parse_body(req.raw.body));
          SY_ASSIGN(std::string pid, get_string(body, "person_id"));
          ProofOfLife p;
          auto [ptr, ec] = std::from_chars(pid.data(), pid.data() + pid.size(), p.person_id);
          if (ec != std::errc() || ptr != pid.data() + pid.size()) return make_error("not_found", "优抚对象不存在", "person_id");
          if (body.contains("year") && body["year"].is_number_integer()) p.year = body["year"].get<int>();
          SY_ASSIGN(p.verified_on, get_string(body, "verified_on"));
          SY_ASSIGN(auto method, get_optional_string(body, "method"));
          SY_ASSIGN(auto note, get_optional_string(body, "note"));
          p.method = method.value_or("");
          p.note = note.value_or("");
          SY_TRY(record_proof_of_life(req.ctx, p));
          return Reply::no_content();
        });

  r.add({.method = "POST", .path = "/api/v1/proof-of-life/import", .tag = "生存认证",
         .summary = "导入生存认证结果（multipart：file；列：身份证号、认证日期、认证年度、认证方式）；有错误行则不写入",
         .permission = "business:write", .response_example = R"({"rows":10,"recorded":10,"rejected":0,"errors":[]})",
         .max_body = 50u << 20},
        [](ApiRequest& req) -> Result<Reply> {
          std::string name;
          SY_ASSIGN(std::string bytes, multipart_file(req, &name));
          SY_ASSIGN(auto rep, import_proof_of_life(req.ctx, bytes, name));
          nlohmann::json errors = nlohmann::json::array();
          for (const auto& e : rep.problems) errors.push_back({{"row", e.row}, {"column", e.column}, {"message", e.message}});
          return Reply::json({{"rows", rep.rows}, {"recorded", rep.recorded}, {"rejected", rep.rejected}, {"errors", errors}});
        });
}

}  // namespace sy::http
