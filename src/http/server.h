// The HTTP server: the JSON API under /api/v1, /healthz, and the web app, in one process.
//
// Contract:
// - Binds where told (tests bind 127.0.0.1 on an ephemeral port); `stop` returns once the
//   listener has closed.
// - Limits: request body `max_body_bytes` (413 beyond), header/body read timeout, keep-alive
//   timeout; workers grow with open connections (see WorkerPool) so idle keep-alive clients
//   cannot starve new ones.
// - Every response carries the security headers (CSP, nosniff, Referrer-Policy, frame denial);
//   API responses are never cached.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "audit/context.h"
#include "auth/sessions.h"
#include "core/clock.h"
#include "core/id.h"
#include "http/static_files.h"
#include "store/db.h"

namespace httplib {
class Server;
}

namespace sy::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 = any free port
  size_t max_body_bytes = 64 << 20;  // the largest any route accepts (uploads); each route has its own cap
  int read_timeout_s = 10;
  int keep_alive_timeout_s = 5;
  size_t min_threads = 8;
  size_t max_threads = 1024;
  bool secure_cookie = false;     // set when served over TLS (directly or behind a TLS proxy)
  bool trust_proxy = false;       // take the client IP from X-Forwarded-For
  std::string web_root;           // serve the web app from this folder instead of the built-in copy
};

struct ServerState {
  store::Db& db;
  const Clock& clock;
  IdGenerator& ids;
  ServerOptions options;
  auth::LoginThrottle throttle;
  StaticFiles static_files;
};

class Router;

class Server {
 public:
  Server(store::Db& db, const Clock& clock, IdGenerator& ids, ServerOptions options);
  ~Server();
  // Binds and starts serving on a background thread; returns the bound port.
  Result<int> start();
  // Binds and serves on the calling thread until stop().
  Status run();
  void stop();
  int port() const { return port_; }
  const Router& router() const { return *router_; }

 private:
  Status bind();
  std::unique_ptr<ServerState> state_;
  std::unique_ptr<Router> router_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  int listen_fd_ = -1;
};

}  // namespace sy::http
