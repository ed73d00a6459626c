// Routes for log-in, log-out, the current user and 首页 counts.
#include <algorithm>
#include <mutex>
#include <unordered_map>

#include "auth/users.h"
#include "http/json_io.h"
#include "http/router.h"
#include "http/server.h"
#include "http/views.h"
#include "org/regions.h"
#include "registry/persons.h"

namespace sy::http {
namespace {

nlohmann::json region_json(const org::Region& r) {
  auto level = r.level == "county" ? RegionLevel::kCounty
               : r.level == "township" ? RegionLevel::kTownship
                                       : RegionLevel::kVillage;
  return nlohmann::json{{"code", r.code},         {"name", r.name},
                        {"short_name", r.short_name}, {"level", r.level},
                        {"level_name", region_level_label(level)},
                        {"parent_code", r.parent_code.empty() ? nlohmann::json(nullptr)
                                                              : nlohmann::json(r.parent_code)},
                        {"has_children", r.has_children}};
}

std::string session_cookie(const std::string& token, bool secure, bool clear) {
  std::string c = "sy_session=" + token + "; Path=/; HttpOnly; SameSite=Strict";
  if (clear) c += "; Max-Age=0";
  if (secure) c += "; Secure";
  return c;
}

// A user's own region as /me and 首页 show it: the JSON and its text.
struct OwnRegion {
  nlohmann::json json;
  std::string text;
};

// Users' own regions by code, for one config version: regions change only through init and
// migrations, and the triggers of migration 0004 bump the version when they do. Kept beside the
// Db (Db::attachment); holds at most one entry per region.
class OwnRegionCache {
 public:
  std::shared_ptr<const OwnRegion> get(std::int64_t version, const std::string& code) {
    std::lock_guard<std::mutex> lock(mu_);
    if (version != version_) return nullptr;
    auto it = by_code_.find(code);
    return it == by_code_.end() ? nullptr : it->second;
  }
  void put(std::int64_t version, const std::string& code, std::shared_ptr<const OwnRegion> r) {
    std::lock_guard<std::mutex> lock(mu_);
    if (version != version_) {
      by_code_.clear();
      version_ = version;
    }
    by_code_[code] = std::move(r);
  }

 private:
  std::mutex mu_;
  std::int64_t version_ = -1;
  std::unordered_map<std::string, std::shared_ptr<const OwnRegion>> by_code_;
};

// Region of the user's own node, read without the region:read permission (admins lack it); null
// when it cannot be read. Read after the session (and its config version), so what is cached is
// never older than the version it is filed under.
std::shared_ptr<const OwnRegion> own_region(const ApiRequest& req) {
  const Context& ctx = req.ctx;
  auto& cache = ctx.db.attachment<OwnRegionCache>();
  std::int64_t version = req.session->config_version;
  if (auto hit = cache.get(version, ctx.actor.region_code)) return hit;
  Context c = ctx;
  c.actor.permissions.insert("region:read");
  auto r = org::get_region(c, ctx.actor.region_code);
  if (!r.ok()) return nullptr;
  auto region = std::make_shared<OwnRegion>();
  region->json = region_json(*r);
  region->text = Reply::json(region->json).body;
  cache.put(version, ctx.actor.region_code, region);
  return region;
}

// Appends a JSON string: plain printable ASCII as it is, anything else through nlohmann.
void append_json_string(std::string& out, const std::string& s) {
  bool plain = std::all_of(s.begin(), s.end(), [](char c) {
    return c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
  });
  if (plain) {
    out.push_back('"');
    out += s;
    out.push_back('"');
  } else {
    out += nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
}

}  // namespace

nlohmann::json region_to_json(const org::Region& r) { return region_json(r); }

void add_session_routes(Router& r) {
  r.add({.method = "POST",
         .path = "/api/v1/session",
         .tag = "会话",
         .summary = "登录",
         .auth = false,
         .request_example = R"({"username":"fc_clerk","password":"••••••••"})",
         .response_example = R"({"user":{},"csrf_token":"…","must_change_password":false})"},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(nlohmann::json body, parse_body(req.raw.body));
          SY_ASSIGN(std::string username, get_string(body, "username", false));
          SY_ASSIGN(std::string password, get_string(body, "password", false));
          SY_ASSIGN(auth::LoginResult login,
                    auth::login(req.ctx, req.state.throttle, username, password,
                                req.raw.get_header_value("User-Agent")));
          Reply reply = Reply::json({{"user", auth::user_to_json(login.user)},
                                     {"csrf_token", login.csrf_token},
                                     {"must_change_password", login.must_change_password}});
          reply.headers.emplace("Set-Cookie",
                                session_cookie(login.token, req.state.options.secure_cookie, false));
          return reply;
        });

  r.add({.method = "DELETE",
         .path = "/api/v1/session",
         .tag = "会话",
         .summary = "退出登录",
         .during_password_change = true,
         .success_status = 204},
        [](ApiRequest& req) -> Result<Reply> {
          SY_TRY(auth::logout(req.ctx, req.session->session_id));
          Reply reply = Reply::no_content();
          reply.headers.emplace("Set-Cookie",
                                session_cookie("", req.state.options.secure_cookie, true));
          return reply;
        });

  r.add({.method = "GET",
         .path = "/api/v1/me",
         .tag = "会话",
         .summary = "当前用户、权限和 CSRF 令牌",
         .during_password_change = true,
         .response_example = R"({"user":{},"csrf_token":"…","permissions":["dashboard:read"],"region":{}})"},
        [](ApiRequest& req) -> Result<Reply> {
          // Written directly (the same bytes as dumping the nlohmann object, keys in its order):
          // building and dumping that object cost more than the rest of the request's own work.
          // The user record is the one authenticate read with the session.
          auto region = own_region(req);
          Reply reply;
          std::string& out = reply.body;
          out.reserve(1024);
          out += "{\"csrf_token\":";
          append_json_string(out, req.session->csrf_token);
          out += ",\"must_change_password\":";
          out += req.session->must_change_password ? "true" : "false";
          out += ",\"permissions\":[";
          bool first = true;
          for (const auto& p : req.ctx.actor.permissions) {
            if (!first) out.push_back(',');
            first = false;
            append_json_string(out, p);
          }
          out += "],\"region\":";
          out += region ? region->text : "null";
          out += ",\"user\":";
          out += auth::user_json_text(req.session->user);
          out.push_back('}');
          return reply;
        });

  r.add({.method = "POST",
         .path = "/api/v1/me/password",
         .tag = "会话",
         .summary = "修改本人密码（其他会话随之结束）",
         .during_password_change = true,
         .request_example = R"({"old_password":"…","new_password":"…"})",
         .success_status = 204},
        [](ApiRequest& req) -> Result<Reply> {
          SY_ASSIGN(nlohmann::json body, parse_body(req.raw.body));
          SY_ASSIGN(std::string old_pw, get_string(body, "old_password"));
          SY_ASSIGN(std::string new_pw, get_string(body, "new_password"));
          SY_TRY(auth::change_own_password(req.ctx, old_pw, new_pw, req.session->session_id));
          return Reply::no_content();
        });

  r.add({.method = "GET",
         .path = "/api/v1/dashboard",
         .tag = "首页",
         .summary = "首页统计（本辖区）",
         .permission = "dashboard:read",
         .response_example =
             R"({"region":{},"persons":{"active":2509,"total":2560,"disabled_veterans":510,"martyr_families":420,"conscript_families":318},"counts":{"townships":13,"villages":200,"users":7,"active_users":7,"audit_today":20,"logins_today":3,"failed_logins_today":0}})"},
        [](ApiRequest& req) -> Result<Reply> {
          Context c = req.ctx;
          c.actor.permissions.insert("region:read");
          SY_ASSIGN(org::RegionCounts regions, org::count_regions(c));
          SY_ASSIGN(auth::UserCounts users, auth::count_users(c));
          SY_ASSIGN(auth::LoginCounts today, auth::count_today(c));
          nlohmann::json persons = nullptr;
          if (req.ctx.actor.has("business:read")) {
            SY_ASSIGN(registry::PersonCounts pc, registry::count_persons(req.ctx));
            persons = {{"active", pc.active}, {"total", pc.total}, {"disabled_veterans", pc.disabled_veterans},
                       {"martyr_families", pc.martyr_families}, {"conscript_families", pc.conscript_families}};
          }
          auto own = own_region(req);
          return Reply::json({{"region", own ? own->json : nlohmann::json(nullptr)},
                              {"persons", persons},
                              {"counts",
                               {{"townships", regions.townships},
                                {"villages", regions.villages},
                                {"users", users.total},
                                {"active_users", users.active},
                                {"audit_today", today.audit_today},
                                {"logins_today", today.logins_today},
                                {"failed_logins_today", today.failed_today}}}});
        });
}

}  // namespace sy::http
