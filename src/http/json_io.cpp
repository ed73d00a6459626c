#include "http/json_io.h"

#include <charconv>

namespace sy::http {
namespace {

// Deepest nesting in a JSON text, counting brackets outside strings. Bounds recursion before
// the parser sees the text.
int nesting_depth(const std::string& s) {
  int depth = 0, max = 0;
  bool in_string = false, escaped = false;
  for (char c : s) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      max = std::max(max, ++depth);
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return max;
}

Error invalid_json() { return make_error("invalid_json", "请求内容不是有效的 JSON"); }

}  // namespace

Result<nlohmann::json> parse_body(const std::string& body) {
  if (body.empty()) return make_error("invalid_json", "请求内容为空，应为 JSON 对象");
  if (nesting_depth(body) > 32) return invalid_json();
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded()) return invalid_json();
  if (!j.is_object()) return make_error("invalid_json", "请求内容应为 JSON 对象");
  return j;
}

Result<std::string> get_string(const nlohmann::json& j, const char* key, bool required) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    if (required) return make_error("missing_field", std::string("缺少字段：") + key, key);
    return std::string();
  }
  if (!it->is_string()) return make_error("invalid_field", std::string("字段应为文本：") + key, key);
  std::string v = it->get<std::string>();
  if (v.size() > 4096) return make_error("invalid_field", std::string("字段过长：") + key, key);
  return v;
}

Result<std::optional<std::string>> get_optional_string(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return std::optional<std::string>();
  SY_ASSIGN(std::string v, get_string(j, key));
  return std::optional<std::string>(v);
}

Result<int> get_version(const nlohmann::json& j) {
  auto it = j.find("version");
  if (it == j.end() || !it->is_number_integer()) {
    return make_error("missing_version", "缺少 version（请先读取记录再修改）", "version");
  }
  return it->get<int>();
}

Result<std::vector<std::string>> get_string_list(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  std::vector<std::string> out;
  if (it == j.end() || it->is_null()) return out;
  if (!it->is_array()) return make_error("invalid_field", std::string("字段应为列表：") + key, key);
  for (const auto& v : *it) {
    if (!v.is_string()) return make_error("invalid_field", std::string("列表项应为文本：") + key, key);
    out.push_back(v.get<std::string>());
  }
  return out;
}

static std::optional<int> to_int(const std::string& s) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

Result<PageRequest> page_request(const ApiRequest& req) {
  PageRequest p;
  std::string page = req.query("page"), size = req.query("size");
  if (!page.empty()) {
    auto v = to_int(page);
    if (!v || *v < 1 || *v > 1000000) return make_error("invalid_page", "页码应为正整数", "page");
    p.page = *v;
  }
  if (!size.empty()) {
    auto v = to_int(size);
    if (!v || *v < 1 || *v > 200) return make_error("invalid_page", "每页条数应在 1 到 200 之间", "size");
    p.size = *v;
  }
  return p;
}

Result<std::int64_t> path_id(const ApiRequest& req, size_t i) {
  std::string s = req.path_param(i);
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v <= 0) {
    return make_error("not_found", "记录不存在");
  }
  return v;
}

}  // namespace sy::http
