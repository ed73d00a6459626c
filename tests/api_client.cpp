#include "api_client.h"

namespace sy::testing {
namespace {

ApiResponse to_response(const httplib::Result& r) {
  ApiResponse out;
  if (!r) {
    out.status = -1;
    return out;
  }
  out.status = r->status;
  out.body = r->body;
  out.headers = r->headers;
  if (!r->body.empty()) out.json = nlohmann::json::parse(r->body, nullptr, false);
  return out;
}

}  // namespace

ApiResponse ApiClient::send(const std::string& method, const std::string& path, const std::string& body,
                            httplib::Headers headers) {
  if (!cookie.empty()) headers.emplace("Cookie", cookie);
  httplib::Result r = method == "GET"    ? client_.Get(path, headers)
                      : method == "POST" ? client_.Post(path, headers, body, "application/json")
                      : method == "PUT"  ? client_.Put(path, headers, body, "application/json")
                      : method == "PATCH" ? client_.Patch(path, headers, body, "application/json")
                                          : client_.Delete(path, headers, body, "application/json");
  return to_response(r);
}

ApiResponse ApiClient::raw(const std::string& method, const std::string& path, const std::string& body,
                           httplib::Headers headers) {
  return send(method, path, body, std::move(headers));
}

ApiResponse ApiClient::login(const std::string& user, const std::string& password) {
  ApiResponse r = send("POST", "/api/v1/session",
                       nlohmann::json{{"username", user}, {"password", password}}.dump(), {});
  if (r.status == 200) {
    std::string set = r.header("Set-Cookie");
    cookie = set.substr(0, set.find(';'));
    csrf = r.json["csrf_token"].get<std::string>();
  }
  return r;
}

ApiResponse ApiClient::upload(const std::string& path, const std::string& filename, const std::string& content,
                              const std::vector<std::pair<std::string, std::string>>& fields) {
  httplib::MultipartFormDataItems items = {{"file", content, filename, "application/octet-stream"}};
  for (const auto& [k, v] : fields) items.push_back({k, v, "", ""});
  httplib::Headers headers = {{"X-CSRF-Token", csrf}};
  if (!cookie.empty()) headers.emplace("Cookie", cookie);
  auto r = client_.Post(path, headers, items);
  return to_response(r);
}

ApiResponse ApiClient::get(const std::string& path) { return send("GET", path, "", {}); }

ApiResponse ApiClient::post(const std::string& path, const nlohmann::json& body) {
  return send("POST", path, body.dump(), {{"X-CSRF-Token", csrf}});
}
ApiResponse ApiClient::put(const std::string& path, const nlohmann::json& body) {
  return send("PUT", path, body.dump(), {{"X-CSRF-Token", csrf}});
}
ApiResponse ApiClient::patch(const std::string& path, const nlohmann::json& body) {
  return send("PATCH", path, body.dump(), {{"X-CSRF-Token", csrf}});
}
ApiResponse ApiClient::del(const std::string& path) {
  return send("DELETE", path, "", {{"X-CSRF-Token", csrf}});
}

}  // namespace sy::testing
