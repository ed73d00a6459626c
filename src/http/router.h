// Router: the table of API routes. Each route declares its method, path, what it needs (log-in,
// permission, CSRF) and its documentation; the same table installs the handlers into the HTTP
// server and generates /api/v1/openapi.json, so the two cannot drift.
//
// Contract for every route (enforced here, once, before a handler runs):
// - routes with `auth` resolve the session cookie into a Context whose actor is the user; no or a
//   dead session → 401;
// - non-GET routes with `auth` need X-CSRF-Token equal to the session's token → else 403;
// - while the user must change their password, only routes marked `during_password_change` run;
// - `permission` (when set) must be held → else 403;
// - a handler returns a Reply or an Error; errors map to statuses in one table (error_status).
#pragma once

#include <httplib.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "audit/context.h"
#include "auth/sessions.h"
#include "core/result.h"

namespace sy::http {

struct Reply {
  int status = 200;
  std::string body;
  std::string content_type = "application/json; charset=utf-8";
  httplib::Headers headers;

  static Reply json(const nlohmann::json& j, int status = 200);
  static Reply no_content();
  // A download: `file_name` may be Chinese (sent RFC 5987-encoded, with an ASCII fallback).
  static Reply file(std::string bytes, std::string content_type, const std::string& file_name,
                    const std::string& ascii_fallback);
};

struct ServerState;

struct ApiRequest {
  const httplib::Request& raw;
  ServerState& state;
  Context ctx;
  std::optional<auth::SessionInfo> session;
  std::string path_param(size_t i) const;  // i-th {param} of the path, from 1
  std::string query(const std::string& name) const;
};

struct ParamDoc {
  std::string name;
  std::string description;
};

struct RouteSpec {
  std::string method;  // GET POST PUT PATCH DELETE
  std::string path;    // /api/v1/users/{id}
  std::string tag;
  std::string summary;
  std::string permission;  // "" = any logged-in user (or anyone when !auth)
  bool auth = true;
  bool during_password_change = false;
  std::vector<ParamDoc> query;
  std::string request_example;   // JSON text, for the document
  std::string response_example;  // JSON text
  int success_status = 200;
  size_t max_body = 1 << 20;     // larger bodies get 413 before the handler runs
  std::string response_type;     // non-JSON answers, e.g. an .xlsx mime type
};

using Handler = std::function<Result<Reply>(ApiRequest&)>;

struct Route {
  RouteSpec spec;
  Handler handler;
};

class Router {
 public:
  void add(RouteSpec spec, Handler handler);
  const std::vector<Route>& routes() const { return routes_; }
  void install(httplib::Server& server, ServerState& state) const;

 private:
  std::vector<Route> routes_;
};

int error_status(const std::string& code);
Reply error_reply(const Error& e);

// Route groups, each in its own file.
void add_session_routes(Router& r);
void add_admin_routes(Router& r);
void add_audit_routes(Router& r);
void add_registry_routes(Router& r);
void add_payroll_routes(Router& r);
void add_cases_routes(Router& r);
void add_calendar_routes(Router& r);
void add_assistance_routes(Router& r);
void add_visits_routes(Router& r);
void add_openapi_route(Router& r);
nlohmann::json openapi_document(const Router& r);

}  // namespace sy::http
