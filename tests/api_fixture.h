// ApiTest: the fixture of API tests — a demo county database on the backend under test, the real
// server on 127.0.0.1 with an ephemeral port, and a fixed clock tests can advance.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "api_client.h"
#include "demo/demo.h"
#include "http/server.h"
#include "test_support.h"

namespace sy::testing {

inline const std::string kPw = demo::kDemoPassword;

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = make_demo_db(clock_, ids_);
    start({});
  }
  void start(http::ServerOptions o) {
    server_.reset();
    o.host = "127.0.0.1";
    o.port = 0;
    server_ = std::make_unique<http::Server>(*db_->db, clock_, ids_, o);
    auto port = server_->start();
    ASSERT_TRUE(port.ok());
    port_ = *port;
  }
  void TearDown() override { server_.reset(); }

  ApiClient client() { return ApiClient(port_); }
  ApiClient logged_in(const std::string& user) {
    ApiClient c(port_);
    ApiResponse r = c.login(user, kPw);
    EXPECT_EQ(r.status, 200) << user << ": " << r.body;
    return c;
  }
  std::int64_t count(const std::string& sql) {
    std::int64_t n = -1;
    EXPECT_TRUE(db_->db->read([&](store::Conn& c) -> Status {
      SY_ASSIGN(n, c.query_int(sql));
      return ok_status();
    }).ok());
    return n;
  }
  std::string user_id(const std::string& username) {
    std::string id;
    EXPECT_TRUE(db_->db->read([&](store::Conn& c) -> Status {
      SY_ASSIGN(auto row, c.query_one("SELECT id FROM users WHERE username = ?", {username}));
      id = row->str(0);
      return ok_status();
    }).ok());
    return id;
  }

  FixedClock clock_{test_now()};
  IdGenerator ids_{clock_};
  std::unique_ptr<TestDb> db_;
  std::unique_ptr<http::Server> server_;
  int port_ = 0;
};

}  // namespace sy::testing
