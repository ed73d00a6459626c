// Routes for 审计日志: search and export (审计员 only).
#include "audit/audit.h"
#include "core/clock.h"
#include "http/json_io.h"
#include "http/router.h"
#include "io/xlsx_table.h"

namespace sy::http {
namespace {

nlohmann::json parse_or_null(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  auto j = nlohmann::json::parse(*text, nullptr, false);
  return j.is_discarded() ? nlohmann::json(*text) : j;
}

nlohmann::json row_json(const audit::Row& r) {
  return nlohmann::json{{"id", std::to_string(r.id)},
                        {"at", format_iso_shanghai(r.at)},
                        {"user_id", r.user_id ? nlohmann::json(std::to_string(*r.user_id)) : nullptr},
                        {"username", r.username},
                        {"ip", r.ip},
                        {"action", r.action},
                        {"action_name", audit::action_label(r.action)},
                        {"entity", r.entity},
                        {"entity_id", r.entity_id},
                        {"region_code", r.region_code},
                        {"before", parse_or_null(r.before_json)},
                        {"after", parse_or_null(r.after_json)},
                        {"result", r.result},
                        {"detail", r.detail}};
}

Result<audit::Query> query_from(const ApiRequest& req) {
  audit::Query q;
  q.username = req.query("username");
  q.action = req.query("action");
  q.entity = req.query("entity");
  q.entity_id = req.query("entity_id");
  q.result = req.query("result");
  if (!q.result.empty() && q.result != "ok" && q.result != "failed") {
    return make_error("invalid_result", "结果应为 ok 或 failed", "result");
  }
  for (const char* key : {"from", "to"}) {
    std::string v = req.query(key);
    if (v.empty()) continue;
    auto t = parse_time_shanghai(v);
    if (!t) return make_error("invalid_date", std::string("日期格式应为 YYYY-MM-DD：") + key, key);
    // A bare date for `to` includes that whole day.
    if (std::string(key) == "to" && v.size() == 10) *t += 86400000;
    (std::string(key) == "from" ? q.from : q.to) = *t;
  }
  SY_ASSIGN(q.page, page_request(req));
  return q;
}

const std::vector<ParamDoc> kFilters = {
    {"username", "用户名"}, {"action", "操作，如 user 或 user.create"}, {"entity", "对象类型"},
    {"entity_id", "对象ID"}, {"result", "ok 或 failed"}, {"from", "起始日期 YYYY-MM-DD"},
    {"to", "截止日期 YYYY-MM-DD（含当天）"}, {"page", "页码"}, {"size", "每页条数"}};

}  // namespace

void add_audit_routes(Router& r) {
  r.add({.method = "GET",
         .path = "/api/v1/audit",
         .tag = "审计",
         .summary = "审计日志查询（新的在前）",
         .permission = "audit:read",
         .query = kFilters,
         .response_example =
             R"({"items":[{"id":"…","at":"2026-11-22T19:30:00+08:00","username":"admin","ip":"127.0.0.1","action":"user.create","action_name":"新增用户","entity":"user","entity_id":"…","before":null,"after":{},"result":"ok","detail":""}],"total":1,"page":1,"size":20})"},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(audit::Query q, query_from(req));
          SY_ASSIGN(Page<audit::Row> page, audit::search(req.ctx, q));
          return Reply::json(list_json(page, row_json));
        });

  r.add({.method = "GET",
         .path = "/api/v1/audit/export",
         .tag = "审计",
         .summary = "导出审计日志为 Excel（导出本身也记入审计）",
         .permission = "audit:export",
         .query = kFilters,
         .response_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(audit::Query q, query_from(req));
          SY_ASSIGN(std::vector<audit::Row> rows, audit::export_rows(req.ctx, q));
          io::Table t{"审计日志",
                      {"时间", "用户", "IP", "操作", "操作代码", "对象", "对象ID", "区划", "结果", "详情",
                       "修改前", "修改后"},
                      {}};
          for (const auto& x : rows) {
            t.rows.push_back({format_iso_shanghai(x.at), x.username, x.ip, audit::action_label(x.action),
                              x.action, x.entity, x.entity_id, x.region_code,
                              x.result == "ok" ? "成功" : "失败", x.detail, x.before_json.value_or(""),
                              x.after_json.value_or("")});
          }
          SY_ASSIGN(std::string bytes, io::write_xlsx(t));
          Reply reply;
          reply.body = std::move(bytes);
          reply.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
          reply.headers.emplace("Content-Disposition",
                                "attachment; filename=\"audit.xlsx\"; filename*=UTF-8''%E5%AE%A1%E8%AE%A1%E6%97%A5%E5%BF%97.xlsx");
          return reply;
        });
}

}  // namespace sy::http
