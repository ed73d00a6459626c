// /api/v1/openapi.json, generated from the router's own table.
#include "http/router.h"

namespace sy::http {

nlohmann::json openapi_document(const Router& router) {
  nlohmann::json paths = nlohmann::json::object();
  auto example = [](const std::string& text) -> nlohmann::json {
    auto j = nlohmann::json::parse(text, nullptr, false);
    return j.is_discarded() ? nlohmann::json(text) : j;
  };
  nlohmann::json error_schema = {
      {"type", "object"},
      {"properties",
       {{"error",
         {{"type", "object"},
          {"properties",
           {{"code", {{"type", "string"}}}, {"message", {{"type", "string"}}}, {"field", {{"type", "string"}}}}}}}}}};
  for (const Route& route : router.routes()) {
    const RouteSpec& s = route.spec;
    nlohmann::json op = {{"summary", s.summary}, {"tags", {s.tag}}};
    std::string lower = s.method;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    op["operationId"] = lower + s.path;
    nlohmann::json params = nlohmann::json::array();
    for (size_t i = 0; i < s.path.size(); ++i) {
      if (s.path[i] == '{') {
        size_t end = s.path.find('}', i);
        params.push_back({{"name", s.path.substr(i + 1, end - i - 1)},
                          {"in", "path"},
                          {"required", true},
                          {"schema", {{"type", "string"}}}});
      }
    }
    for (const auto& q : s.query) {
      params.push_back({{"name", q.name}, {"in", "query"}, {"description", q.description},
                        {"schema", {{"type", "string"}}}});
    }
    if (s.auth && s.method != "GET") {
      params.push_back({{"name", "X-CSRF-Token"}, {"in", "header"}, {"required", true},
                        {"description", "登录时返回的 csrf_token"}, {"schema", {{"type", "string"}}}});
    }
    if (!params.empty()) op["parameters"] = params;
    if (!s.request_example.empty()) {
      op["requestBody"] = {{"required", true},
                           {"content",
                            {{"application/json",
                              {{"schema", {{"type", "object"}}}, {"example", example(s.request_example)}}}}}};
    }
    nlohmann::json ok = {{"description", "成功"}};
    if (!s.response_type.empty()) {
      ok["content"] = {{s.response_type, {{"schema", {{"type", "string"}, {"format", "binary"}}}}}};
    } else if (!s.response_example.empty()) {
      ok["content"] = {{"application/json",
                        {{"schema", {{"type", "object"}}}, {"example", example(s.response_example)}}}};
    }
    nlohmann::json responses = {{std::to_string(s.success_status), ok}};
    nlohmann::json err = {{"description", "错误"},
                          {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
    responses["400"] = err;
    if (s.auth) {
      responses["401"] = err;
      responses["403"] = err;
    }
    op["responses"] = responses;
    if (s.auth) {
      op["security"] = {{{"session", nlohmann::json::array()}}};
      if (!s.permission.empty()) op["x-permission"] = s.permission;
    } else {
      op["security"] = nlohmann::json::array();
    }
    paths[s.path][lower] = op;
  }
  return {{"openapi", "3.0.3"},
          {"info",
           {{"title", "双拥工作管理系统 API"},
            {"version", "1"},
            {"description", "所有接口返回 UTF-8 JSON；错误格式见 Error；非 GET 请求须带 X-CSRF-Token。"}}},
          {"paths", paths},
          {"components",
           {{"schemas", {{"Error", error_schema}}},
            {"securitySchemes", {{"session", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "sy_session"}}}}}}}};
}

void add_openapi_route(Router& r) {
  const Router* self = &r;
  r.add({.method = "GET",
         .path = "/api/v1/openapi.json",
         .tag = "文档",
         .summary = "本文档（OpenAPI 3）",
         .auth = false},
        [self](ApiRequest&) -> Result<Reply> { return Reply::json(openapi_document(*self)); });
}

}  // namespace sy::http
