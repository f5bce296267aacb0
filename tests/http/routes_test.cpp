// The route table: every path with and without its trailing slash, the aliases, 404 and 405, and
// the OpenAPI document that must describe every route.
#include "routes.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "test_server.h"

using connecthub::testing::TestServer;
using nlohmann::json;

TEST_CASE("every code path answers with and without the trailing slash aliases included") {
  TestServer t;
  int n = 0;
  for (std::string path :
       {"/api/register/", "/api/register", "/api/clients/register/", "/api/clients/register"}) {
    std::string phone = "+7999000000" + std::to_string(n++);
    auto r = t.Post(path, {{"phone", phone}});
    CHECK(r.status == 200);
    auto done = t.Post(path, {{"phone", phone}, {"sms_code", r.body["sms_code"]}});
    CHECK(done.status == 201);
    for (std::string login :
         {"/api/login/", "/api/login", "/api/clients/login/", "/api/clients/login"}) {
      t.clock.Advance(std::chrono::seconds(31));
      auto code = t.Post(login, {{"phone", phone}});
      CHECK(code.status == 200);
      CHECK(t.Post(login, {{"phone", phone}, {"sms_code", code.body["sms_code"]}}).status == 200);
    }
    CHECK(t.Get("/api/clients/profile", done.body["access_token"]).status == 200);
  }
  CHECK(t.Get("/healthz/").status == 200);
  CHECK(t.Get("/metrics/").status == 200);
}

TEST_CASE("an unknown path is a JSON 404 not_found") {
  TestServer t;
  auto r = t.Get("/api/nothing/");
  CHECK(r.status == 404);
  CHECK(r.Error() == "not_found");
  CHECK(r.Header("Content-Type") == "application/json");
}

TEST_CASE("a wrong method is a JSON 405 with Allow") {
  TestServer t;
  auto get = t.Get("/api/register/");
  CHECK(get.status == 405);
  CHECK(get.Error() == "method_not_allowed");
  CHECK(get.Header("Allow") == "POST");
  auto put = t.Request("PUT", "/api/clients/profile/", "{}");
  CHECK(put.status == 405);
  CHECK(put.Header("Allow") == "GET, PATCH");
  CHECK(t.Request("DELETE", "/healthz").Header("Allow") == "GET");
}

TEST_CASE("docs/openapi.yaml describes every route of the server") {
  std::ifstream file(std::string(CONNECTHUB_SOURCE_DIR) + "/docs/openapi.yaml");
  REQUIRE(file);
  std::stringstream text;
  text << file.rdbuf();
  std::string doc = text.str();
  CHECK(doc.rfind("openapi: 3.", 0) == 0);
  for (const auto& route : connecthub::server::Routes()) {
    std::string key = "\n  " + std::string(route.path) + ":\n";
    size_t at = doc.find(key);
    INFO(route.path);
    REQUIRE(at != std::string::npos);
    size_t next = doc.find("\n  /", at + key.size());
    std::string block = doc.substr(at, next == std::string::npos ? std::string::npos : next - at);
    std::string method = Pistache::Http::methodString(route.method);
    for (char& ch : method) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    CHECK(block.find("\n    " + method + ":") != std::string::npos);
  }
}
