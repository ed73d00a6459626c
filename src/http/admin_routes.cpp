// Routes for 系统管理: regions, users, roles, permissions, settings.
#include "auth/roles.h"
#include "auth/settings.h"
#include "auth/users.h"
#include "http/json_io.h"
#include "http/router.h"
#include "http/views.h"
#include "org/regions.h"

namespace sy::http {
namespace {

const char* kUserExample =
    R"({"id":"7301234567890123","username":"fc_clerk","display_name":"李明","region_code":"140924100000","region_name":"繁城镇","roles":["clerk"],"role_names":["经办人"],"status":"active","must_change_password":false,"locked_until":null,"last_login_at":null,"version":1})";
const char* kRegionExample =
    R"({"code":"140924100002","name":"东泰社区居委会","short_name":"东泰社区","level":"village","level_name":"村/社区","parent_code":"140924100000","has_children":false})";

Result<Reply> user_reply(const Result<auth::User>& u) {
  if (!u.ok()) return u.error();
  return Reply::json(auth::user_to_json(*u));
}

nlohmann::json role_json(const auth::Role& r) {
  return nlohmann::json{{"code", r.code},       {"name", r.name},   {"description", r.description},
                        {"permissions", r.permissions}, {"admin", r.admin}, {"version", r.version}};
}

}  // namespace

void add_admin_routes(Router& r) {
  r.add({.method = "GET",
         .path = "/api/v1/regions",
         .tag = "区划",
         .summary = "下级区划列表，或按名称/代码搜索（本辖区内）",
         .permission = "region:read",
         .query = {{"parent", "上级区划代码；省略时返回本人所属区划"},
                   {"q", "名称或代码关键字"},
                   {"page", "页码"},
                   {"size", "每页条数"}},
         .response_example = std::string(R"({"items":[)") + kRegionExample +
                             R"(],"total":1,"page":1,"size":20})"},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(PageRequest page, page_request(req));
          std::string q = req.query("q");
          Result<Page<org::Region>> list = q.empty() ? org::list_children(req.ctx, req.query("parent"), page)
                                                     : org::search_regions(req.ctx, q, page);
          if (!list.ok()) return list.error();
          return Reply::json(list_json(*list, region_to_json));
        });

  r.add({.method = "GET",
         .path = "/api/v1/regions/{code}",
         .tag = "区划",
         .summary = "区划详情及其上级路径",
         .permission = "region:read",
         .response_example = kRegionExample},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::vector<org::Region> path, org::region_path(req.ctx, req.path_param(1)));
          nlohmann::json j = region_to_json(path.back());
          nlohmann::json p = nlohmann::json::array();
          for (const auto& x : path) p.push_back(region_to_json(x));
          j["path"] = p;
          return Reply::json(j);
        });

  r.add({.method = "GET",
         .path = "/api/v1/users",
         .tag = "用户",
         .summary = "用户列表（本辖区）",
         .permission = "user:read",
         .query = {{"q", "用户名或姓名关键字"}, {"status", "active 或 disabled"}, {"page", "页码"},
                   {"size", "每页条数"}},
         .response_example = std::string(R"({"items":[)") + kUserExample +
                             R"(],"total":1,"page":1,"size":20})"},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(PageRequest page, page_request(req));
          std::string status = req.query("status");
          if (!status.empty() && status != "active" && status != "disabled") {
            return make_error("invalid_status", "状态应为 active 或 disabled", "status");
          }
          SY_ASSIGN(Page<auth::User> list,
                    auth::list_users(req.ctx, auth::UserQuery{req.query("q"), status, page}));
          return Reply::json(list_json(list, auth::user_to_json));
        });

  r.add({.method = "POST",
         .path = "/api/v1/users",
         .tag = "用户",
         .summary = "新增用户（仅可授予业务角色）",
         .permission = "user:manage",
         .request_example =
             R"({"username":"fc_clerk2","display_name":"王芳","region_code":"140924100000","password":"…","roles":["clerk"]})",
         .response_example = kUserExample,
         .success_status = 201},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(nlohmann::json body, parse_body(req.raw.body));
          auth::NewUser in;
          SY_ASSIGN(in.username, get_string(body, "username"));
          SY_ASSIGN(in.display_name, get_string(body, "display_name"));
          SY_ASSIGN(in.region_code, get_string(body, "region_code"));
          SY_ASSIGN(in.password, get_string(body, "password"));
          SY_ASSIGN(in.roles, get_string_list(body, "roles"));
          if (in.roles.empty()) in.roles = {"viewer"};
          SY_ASSIGN(auth::User u, auth::create_user(req.ctx, in));
          return Reply::json(auth::user_to_json(u), 201);
        });

  r.add({.method = "GET",
         .path = "/api/v1/users/{id}",
         .tag = "用户",
         .summary = "用户详情",
         .permission = "user:read",
         .response_example = kUserExample},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          return user_reply(auth::get_user(req.ctx, id));
        });

  r.add({.method = "PATCH",
         .path = "/api/v1/users/{id}",
         .tag = "用户",
         .summary = "修改姓名或所属区划",
         .permission = "user:manage",
         .request_example = R"({"display_name":"李明","region_code":"140924100000","version":1})",
         .response_example = kUserExample},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(nlohmann::json body, parse_body(req.raw.body));
          auth::UserChanges ch;
          SY_ASSIGN(ch.version, get_version(body));
          SY_ASSIGN(ch.display_name, get_optional_string(body, "display_name"));
          SY_ASSIGN(ch.region_code, get_optional_string(body, "region_code"));
          return user_reply(auth::update_user(req.ctx, id, ch));
        });

  r.add({.method = "POST",
         .path = "/api/v1/users/{id}/disable",
         .tag = "用户",
         .summary = "停用用户（其会话立即结束）",
         .permission = "user:manage",
         .request_example = R"({"reason":"调离","version":1})",
         .response_example = kUserExample},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(nlohmann::json body, parse_body(req.raw.body));
          SY_ASSIGN(int version, get_version(body));
          SY_ASSIGN(std::string reason, get_string(body, "reason"));
          return user_reply(auth::disable_user(req.ctx, id, reason, version));
        });

  r.add({.method = "POST",
         .path = "/api/v1/users/{id}/enable",
         .tag = "用户",
         .summary = "启用用户",
         .permission = "user:manage",
         .request_example = R"({"version":2})",
         .response_example = kUserExample},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(nlohmann::json body, parse_body(req.raw.body));
          SY_ASSIGN(int version, get_version(body));
          return user_reply(auth::enable_user(req.ctx, id, version));
        });

  r.add({.method = "POST",
         .path = "/api/v1/users/{id}/password",
         .tag = "用户",
         .summary = "重置密码（用户下次登录须修改，其会话立即结束）",
         .permission = "user:manage",
         .request_example = R"({"new_password":"…"})",
         .success_status = 204},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(nlohmann::json body, parse_body(req.raw.body));
          SY_ASSIGN(std::string pw, get_string(body, "new_password"));
          SY_TRY(auth::reset_password(req.ctx, id, pw));
          return Reply::no_content();
        });

  r.add({.method = "PUT",
         .path = "/api/v1/users/{id}/roles",
         .tag = "用户",
         .summary = "分配角色（三员分立：管理员角色不能兼任）",
         .permission = "role:manage",
         .request_example = R"({"roles":["clerk"],"version":1})",
         .response_example = kUserExample},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          SY_ASSIGN(nlohmann::json body, parse_body(req.raw.body));
          SY_ASSIGN(int version, get_version(body));
          SY_ASSIGN(std::vector<std::string> roles, get_string_list(body, "roles"));
          return user_reply(auth::set_roles(req.ctx, id, roles, version));
        });

  r.add({.method = "POST",
         .path = "/api/v1/users/{id}/unlock",
         .tag = "用户",
         .summary = "解锁因密码错误被锁定的账户",
         .permission = "role:manage",
         .response_example = kUserExample},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::int64_t id, path_id(req));
          return user_reply(auth::unlock_user(req.ctx, id));
        });

  r.add({.method = "GET",
         .path = "/api/v1/roles",
         .tag = "角色",
         .summary = "角色及其权限",
         .permission = "role:read",
         .response_example =
             R"({"items":[{"code":"clerk","name":"经办人","description":"…","permissions":["business:read"],"admin":false,"version":1}],"total":6,"page":1,"size":6})"},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(std::vector<auth::Role> roles, auth::list_roles(req.ctx));
          nlohmann::json items = nlohmann::json::array();
          for (const auto& role : roles) items.push_back(role_json(role));
          auto n = static_cast<std::int64_t>(items.size());
          return Reply::json({{"items", items}, {"total", n}, {"page", 1}, {"size", n}});
        });

  r.add({.method = "PUT",
         .path = "/api/v1/roles/{code}",
         .tag = "角色",
         .summary = "修改业务角色的权限",
         .permission = "role:manage",
         .request_example = R"({"permissions":["dashboard:read","region:read","business:read"],"version":1})"},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(nlohmann::json body, parse_body(req.raw.body));
          SY_ASSIGN(int version, get_version(body));
          SY_ASSIGN(std::vector<std::string> perms, get_string_list(body, "permissions"));
          SY_ASSIGN(auth::Role role,
                    auth::update_role_permissions(req.ctx, req.path_param(1), perms, version));
          return Reply::json(role_json(role));
        });

  r.add({.method = "GET",
         .path = "/api/v1/permissions",
         .tag = "角色",
         .summary = "全部权限",
         .permission = "role:read",
         .response_example = R"({"items":[{"code":"region:read","name":"查看区划"}]})"},
        [](ApiRequest&) -> Result<Reply> {
          nlohmann::json items = nlohmann::json::array();
          for (const auto& p : auth::all_permissions()) items.push_back({{"code", p.code}, {"name", p.name}});
          return Reply::json({{"items", items}});
        });

  r.add({.method = "GET",
         .path = "/api/v1/settings",
         .tag = "系统设置",
         .summary = "系统设置（密码规则、会话与锁定、导入上限）",
         .permission = "settings:manage",
         .response_example =
             R"({"password_min_length":8,"password_min_classes":3,"password_expiry_days":0,"session_idle_minutes":30,"session_absolute_hours":12,"lockout_threshold":5,"lockout_minutes":15,"ip_max_failures":20,"import_web_max_mb":50,"import_web_max_rows":100000,"import_cli_max_mb":1024,"import_cli_max_rows":2000000})"},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(auth::Settings s, auth::load_settings(req.ctx.db));
          return Reply::json(auth::settings_to_json(s));
        });

  r.add({.method = "GET",
         .path = "/api/v1/settings/fields",
         .tag = "系统设置",
         .summary = "每个设置项的名称、分组、取值范围和默认值（设置页面按此显示与校验）",
         .permission = "settings:manage",
         .response_example =
             R"({"items":[{"key":"password_min_length","label":"密码最小长度","group":"密码","min":8,"max":64,"default":8}]})"},
        [](ApiRequest&) -> Result<Reply> { return Reply::json({{"items", auth::settings_fields_json()}}); });

  r.add({.method = "PUT",
         .path = "/api/v1/settings",
         .tag = "系统设置",
         .summary = "修改系统设置（可只传部分项）",
         .permission = "settings:manage",
         .request_example = R"({"password_min_length":10})"},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(nlohmann::json body, parse_body(req.raw.body));
          SY_ASSIGN(auth::Settings s, auth::update_settings(req.ctx, body));
          return Reply::json(auth::settings_to_json(s));
        });
}

}  // namespace sy::http
