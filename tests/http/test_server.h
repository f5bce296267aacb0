// The real connecthub server started in-process on 127.0.0.1, port 0, with its own temporary
// database, a FakeClock and a RecordingSmsSender, plus an HTTP client for it (cpp-httplib).
#pragma once

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <catch2/catch.hpp>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "server.h"
#include "support/fakes.h"
#include "support/test_database.h"

namespace connecthub::testing {

struct HttpResponse {
  int status = 0;
  nlohmann::json body;  // null if the body is not JSON
  std::string raw_body;
  httplib::Headers headers;
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
  std::string Error() const { return body.is_object() ? body.value("error", "") : ""; }
};

class TestServer {
 public:
  // `configure` may change the options (defaults here: no SMS delay, no IP rate limit).
  explicit TestServer(const std::function<void(server::ServerOptions&)>& configure = {},
                      bool with_sender = true) {
    spdlog::set_level(spdlog::level::err);
    server::ServerOptions options;
    options.db = db.location();
    options.port = 0;
    options.threads = 2;
    options.sms_delay = {std::chrono::milliseconds(0), std::chrono::milliseconds(0)};
    options.ip_rate_limit = 0;
    if (configure) configure(options);
    server::ServerDeps deps;
    deps.clock = &clock;
    deps.sms_sender = with_sender ? &sms : nullptr;
    auto created = server::Server::Create(options, deps);
    if (!created.ok()) FAIL("server did not start: " << created.error().message);
    server = std::move(*created);
    server->Start();
  }

  uint16_t port() const { return server->port(); }

  httplib::Client Client() const {
    httplib::Client client("127.0.0.1", port());
    client.set_read_timeout(30, 0);
    return client;
  }

  HttpResponse Request(const std::string& method, const std::string& path,
                       const std::string& body = "", const httplib::Headers& headers = {}) {
    auto client = Client();
    auto result = [&]() -> httplib::Result {
      if (method == "GET") return client.Get(path.c_str(), headers);
      if (method == "POST") return client.Post(path.c_str(), headers, body, "application/json");
      if (method == "PATCH") return client.Patch(path.c_str(), headers, body, "application/json");
      if (method == "PUT") return client.Put(path.c_str(), headers, body, "application/json");
      return client.Delete(path.c_str(), headers);
    }();
    REQUIRE(result);
    HttpResponse out;
    out.status = result->status;
    out.raw_body = result->body;
    out.headers = result->headers;
    out.body = nlohmann::json::parse(result->body, nullptr, false);
    if (out.body.is_discarded()) out.body = nullptr;
    return out;
  }
  HttpResponse Post(const std::string& path, const nlohmann::json& body) {
    return Request("POST", path, body.dump());
  }
  HttpResponse Get(const std::string& path, const std::string& token = "") {
    return Request("GET", path, "", AuthHeader(token));
  }
  HttpResponse Patch(const std::string& path, const nlohmann::json& body,
                     const std::string& token) {
    return Request("PATCH", path, body.dump(), AuthHeader(token));
  }

  // Requests a code for `phone` and returns it (from the echo, or from the recorded SMS).
  std::string CodeFor(const std::string& phone, const std::string& path = "/api/register/") {
    auto r = Post(path, {{"phone", phone}});
    REQUIRE(r.status == 200);
    if (r.body.contains("sms_code")) return r.body["sms_code"].get<std::string>();
    REQUIRE(sms.Last());
    return sms.Last()->code;
  }

  struct User {
    int64_t id = 0;
    std::string phone;
    std::string invitation_code;
    std::string token;
  };
  User RegisterUser(const std::string& phone) {
    std::string code = CodeFor(phone);
    auto r = Post("/api/register/", {{"phone", phone}, {"sms_code", code}});
    REQUIRE(r.status == 201);
    return {r.body["id"].get<int64_t>(), r.body["phone"].get<std::string>(),
            r.body["invitation_code"].get<std::string>(),
            r.body["access_token"].get<std::string>()};
  }

  static httplib::Headers AuthHeader(const std::string& token) {
    if (token.empty()) return {};
    return {{"Authorization", "Bearer " + token}};
  }

  TestDatabase db;  // SQLite file, or a fresh PostgreSQL database in the PostgreSQL run
  FakeClock clock;
  RecordingSmsSender sms;
  std::unique_ptr<server::Server> server;
};

// A 4-digit code that is not `code`.
inline std::string WrongCode(const std::string& code) { return code == "1000" ? "1001" : "1000"; }

}  // namespace connecthub::testing
