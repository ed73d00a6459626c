// ApiClient: a test's browser stand-in for the JSON API — keeps the session cookie and the CSRF
// token like the web app does, over a real loopback connection.
#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace sy::testing {

struct ApiResponse {
  int status = 0;
  nlohmann::json json;
  std::string body;
  httplib::Headers headers;
  std::string error_code() const {
    return json.is_object() && json.contains("error") ? json["error"].value("code", "") : "";
  }
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

class ApiClient {
 public:
  explicit ApiClient(int port) : client_("127.0.0.1", port) {
    client_.set_read_timeout(20, 0);
    client_.set_connection_timeout(5, 0);
  }
  ApiResponse login(const std::string& user, const std::string& password);
  ApiResponse get(const std::string& path);
  ApiResponse post(const std::string& path, const nlohmann::json& body);
  ApiResponse put(const std::string& path, const nlohmann::json& body);
  ApiResponse patch(const std::string& path, const nlohmann::json& body);
  ApiResponse del(const std::string& path);
  // multipart/form-data with a file field "file" and plain fields, with the CSRF header.
  ApiResponse upload(const std::string& path, const std::string& filename, const std::string& content,
                     const std::vector<std::pair<std::string, std::string>>& fields = {});
  // Sends exactly what it is given (no CSRF header unless in `headers`).
  ApiResponse raw(const std::string& method, const std::string& path, const std::string& body,
                  httplib::Headers headers = {});

  std::string cookie;  // "sy_session=..."
  std::string csrf;

 private:
  ApiResponse send(const std::string& method, const std::string& path, const std::string& body,
                   httplib::Headers headers);
  httplib::Client client_;
};

}  // namespace sy::testing
