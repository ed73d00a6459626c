#include "http/server.h"

#include <httplib.h>
#include <sys/socket.h>

#include "http/router.h"
#include "http/static_files.h"
#include "http/worker_pool.h"

namespace sy::http {

Server::Server(store::Db& db, const Clock& clock, IdGenerator& ids, ServerOptions options)
    : state_(new ServerState{db, clock, ids, options, {}, StaticFiles(options.web_root)}),
      router_(std::make_unique<Router>()),
      server_(std::make_unique<httplib::Server>()) {
  add_session_routes(*router_);
  add_admin_routes(*router_);
  add_audit_routes(*router_);
  add_registry_routes(*router_);
  add_payroll_routes(*router_);
  add_cases_routes(*router_);
  add_calendar_routes(*router_);
  add_assistance_routes(*router_);
  add_visits_routes(*router_);
  add_openapi_route(*router_);
  router_->add({.method = "GET",
                .path = "/healthz",
                .tag = "运维",
                .summary = "健康检查（不查数据库）",
                .auth = false,
                .response_example = R"({"status":"ok"})"},
               [](ApiRequest&) -> Result<Reply> {
                 Reply r;
                 r.body = R"({"status":"ok"})";
                 return r;
               });

  const ServerOptions& o = state_->options;
  httplib::Server& s = *server_;
  s.set_tcp_nodelay(true);
  // SO_REUSEADDR only (the library's default SO_REUSEPORT would let a second server silently share
  // the port), and remember the listening socket to raise its backlog after bind.
  int* listen_fd = &listen_fd_;
  s.set_socket_options([listen_fd](int sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    *listen_fd = sock;
  });
  s.set_payload_max_length(o.max_body_bytes);
  s.set_read_timeout(o.read_timeout_s, 0);
  s.set_write_timeout(o.read_timeout_s, 0);
  s.set_keep_alive_timeout(o.keep_alive_timeout_s);
  s.set_keep_alive_max_count(10000);
  size_t min_threads = o.min_threads, max_threads = o.max_threads;
  s.new_task_queue = [min_threads, max_threads] { return new WorkerPool(min_threads, max_threads); };
  s.set_default_headers({
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "same-origin"},
      {"X-Frame-Options", "DENY"},
      {"Content-Security-Policy",
       "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"},
  });

  router_->install(s, *state_);
  StaticFiles* files = &state_->static_files;
  s.Get("/.*", [files](const httplib::Request& req, httplib::Response& res) {
    if (req.path.starts_with("/api/")) {
      res.status = 404;
      return;
    }
    files->serve(req, res);
  });
  s.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    Error e;
    switch (res.status) {
      case 404:
        e = make_error("route_not_found", "请求的接口不存在：" + req.method + " " + req.path);
        break;
      case 413:
        e = make_error("payload_too_large", "请求内容过大");
        break;
      case 405:
        e = make_error("method_not_allowed", "不支持的请求方法");
        break;
      case 414:
      case 431:
        e = make_error("request_too_large", "请求地址或请求头过长");
        break;
      default:
        e = make_error("bad_request", "请求格式不正确");
    }
    Reply r = error_reply(e);
    res.set_content(r.body, r.content_type.c_str());
    res.set_header("Cache-Control", "no-store");
  });
}

Server::~Server() { stop(); }

Status Server::bind() {
  const ServerOptions& o = state_->options;
  if (o.port == 0) {
    port_ = server_->bind_to_any_port(o.host.c_str());
  } else {
    port_ = server_->bind_to_port(o.host.c_str(), o.port) ? o.port : -1;
  }
  // cpp-httplib listens with a backlog of 5: 64 clients connecting at once overflow it and wait
  // a second for SYN retransmission. Listening again on the same socket raises the backlog.
  if (port_ > 0 && listen_fd_ >= 0) ::listen(listen_fd_, 1024);
  if (port_ <= 0) {
    return make_error("listen_failed", "无法在 " + o.host + ":" + std::to_string(o.port) +
                                           " 上监听（端口被占用或地址无效）");
  }
  return ok_status();
}

Result<int> Server::start() {
  SY_TRY(bind());
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  for (int i = 0; i < 2000 && !server_->is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return port_;
}

Status Server::run() {
  SY_TRY(bind());
  if (!server_->listen_after_bind()) return make_error("listen_failed", "服务意外停止");
  return ok_status();
}

void Server::stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace sy::http
