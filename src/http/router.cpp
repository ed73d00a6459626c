#include "http/router.h"

#include <cctype>

#include <sodium.h>

#include <cstdio>
#include <map>
#include <regex>

#include "http/server.h"

namespace sy::http {

Reply Reply::json(const nlohmann::json& j, int status) {
  Reply r;
  r.status = status;
  r.body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Reply Reply::file(std::string bytes, std::string content_type, const std::string& file_name,
                  const std::string& ascii_fallback) {
  Reply r;
  r.body = std::move(bytes);
  r.content_type = std::move(content_type);
  std::string encoded;
  static const char* kHex = "0123456789ABCDEF";
  for (unsigned char ch : file_name) {
    if (std::isalnum(ch) || ch == '.' || ch == '-' || ch == '_') {
      encoded += static_cast<char>(ch);
    } else {
      encoded += '%';
      encoded += kHex[ch >> 4];
      encoded += kHex[ch & 15];
    }
  }
  r.headers.emplace("Content-Disposition",
                    "attachment; filename=\"" + ascii_fallback + "\"; filename*=UTF-8''" + encoded);
  return r;
}

Reply Reply::no_content() {
  Reply r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

std::string ApiRequest::path_param(size_t i) const {
  return i < raw.matches.size() ? std::string(raw.matches[i]) : std::string();
}

std::string ApiRequest::query(const std::string& name) const {
  return raw.has_param(name.c_str()) ? raw.get_param_value(name.c_str()) : std::string();
}

int error_status(const std::string& code) {
  static const std::map<std::string, int> kStatus = {
      {"unauthenticated", 401},
      {"session_expired", 401},
      {"bad_credentials", 401},
      {"forbidden", 403},
      {"forbidden_role", 403},
      {"csrf_missing", 403},
      {"csrf_mismatch", 403},
      {"account_locked", 403},
      {"account_disabled", 403},
      {"password_change_required", 403},
      {"cannot_change_own_roles", 403},
      {"cannot_disable_self", 403},
      {"admin_account_protected", 403},
      {"not_found", 404},
      {"route_not_found", 404},
      {"stale_version", 409},
      {"maker_checker", 403},
      {"draft_exists", 409},
      {"month_already_run", 409},
      {"month_before_last_run", 409},
      {"run_not_draft", 409},
      {"run_not_approved", 409},
      {"run_not_exported", 409},
      {"run_reconciled", 409},
      {"standard_overlap", 409},
      {"standard_replaced", 409},
      {"db_conflict", 409},
      {"invalid_transition", 409},
      {"category_in_use", 409},
      {"invalid_state", 409},
      {"pair_exists", 409},
      {"already_visited", 409},
      {"payload_too_large", 413},
      {"attachment_too_large", 413},
      {"photo_too_large", 413},
      {"too_many_attempts", 429},
      {"db_unavailable", 503},
      {"db_busy", 503},
      {"storage_full", 507},
      {"storage_io", 500},
      {"db_error", 500},
      {"db_corrupt", 500},
      {"internal_error", 500},
      {"export_failed", 500},
  };
  auto it = kStatus.find(code);
  return it == kStatus.end() ? 400 : it->second;
}

Reply error_reply(const Error& e) {
  nlohmann::json err = {{"code", e.code}, {"message", e.message}};
  if (!e.field.empty()) err["field"] = e.field;
  return Reply::json(nlohmann::json{{"error", err}}, error_status(e.code));
}

void Router::add(RouteSpec spec, Handler handler) {
  routes_.push_back(Route{std::move(spec), std::move(handler)});
}

namespace {

std::string to_regex(const std::string& path) {
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '{') {
      size_t end = path.find('}', i);
      out += "([^/]+)";
      i = end;
    } else if (std::string(".+*?^$()[]|\\").find(path[i]) != std::string::npos) {
      out += '\\';
      out += path[i];
    } else {
      out += path[i];
    }
  }
  return out;
}

std::string cookie_value(const httplib::Request& req, const std::string& name) {
  std::string header = req.get_header_value("Cookie");
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string part = header.substr(pos, end - pos);
    size_t b = part.find_first_not_of(' ');
    if (b != std::string::npos) part = part.substr(b);
    if (part.size() > name.size() && part.compare(0, name.size(), name) == 0 &&
        part[name.size()] == '=') {
      return part.substr(name.size() + 1);
    }
    pos = end + 1;
  }
  return {};
}

bool same_token(const std::string& a, const std::string& b) {
  return a.size() == b.size() && !a.empty() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

Result<Reply> run_route(const Route& route, const httplib::Request& raw, ServerState& state) {
  std::string ip = raw.remote_addr;
  if (state.options.trust_proxy && raw.has_header("X-Forwarded-For")) {
    std::string fwd = raw.get_header_value("X-Forwarded-For");
    ip = fwd.substr(0, fwd.find(','));
  }
  Actor anonymous;
  anonymous.ip = ip;
  ApiRequest req{raw, state, Context{state.db, state.clock, state.ids, anonymous}, std::nullopt};
  const RouteSpec& spec = route.spec;
  size_t body = raw.body.size();
  for (const auto& [name, file] : raw.files) body += file.content.size();
  if (body > spec.max_body) {
    return make_error("payload_too_large",
                      "请求内容过大（上限 " + std::to_string(spec.max_body >> 20) + " MB）");
  }
  if (spec.auth) {
    std::string token = cookie_value(raw, "sy_session");
    if (token.empty()) return make_error("unauthenticated", "未登录或会话已失效，请重新登录");
    SY_ASSIGN(auth::SessionInfo info, auth::authenticate(req.ctx, token));
    req.ctx.actor = info.actor;
    req.session = std::move(info);
    if (spec.method != "GET") {
      std::string csrf = raw.get_header_value("X-CSRF-Token");
      if (csrf.empty()) return make_error("csrf_missing", "缺少 X-CSRF-Token 请求头，请刷新页面后重试");
      if (!same_token(csrf, req.session->csrf_token)) {
        return make_error("csrf_mismatch", "X-CSRF-Token 不正确，请刷新页面后重试");
      }
    }
    if (req.session->must_change_password && !spec.during_password_change) {
      return make_error("password_change_required", "首次登录或密码已过期，请先修改密码");
    }
    if (!spec.permission.empty() && !req.ctx.actor.has(spec.permission)) {
      return make_error("forbidden", "您的角色无权进行此操作");
    }
  }
  return route.handler(req);
}

void send(httplib::Response& res, const Reply& reply) {
  res.status = reply.status;
  for (const auto& [k, v] : reply.headers) res.headers.emplace(k, v);
  if (!reply.content_type.empty()) res.set_content(reply.body, reply.content_type.c_str());
}

}  // namespace

void Router::install(httplib::Server& server, ServerState& state) const {
  for (const Route& route : routes_) {
    const Route* r = &route;
    auto handler = [r, &state](const httplib::Request& raw, httplib::Response& res) {
      try {
        Result<Reply> reply = run_route(*r, raw, state);
        send(res, reply.ok() ? reply.value() : error_reply(reply.error()));
      } catch (const std::exception& e) {
        std::fprintf(stderr, "internal error on %s %s: %s\n", raw.method.c_str(), raw.path.c_str(),
                     e.what());
        send(res, error_reply(make_error("internal_error", "服务器内部错误，请联系管理员")));
      }
      res.set_header("Cache-Control", "no-store");
    };
    std::string pattern = to_regex(route.spec.path);
    const std::string& m = route.spec.method;
    if (m == "GET") server.Get(pattern, handler);
    else if (m == "POST") server.Post(pattern, handler);
    else if (m == "PUT") server.Put(pattern, handler);
    else if (m == "PATCH") server.Patch(pattern, handler);
    else if (m == "DELETE") server.Delete(pattern, handler);
  }
}

}  // namespace sy::http
