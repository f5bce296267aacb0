// --ip-rate-limit and --trust-proxy over HTTP.
#include <catch2/catch.hpp>

#include "test_server.h"

using connecthub::testing::TestServer;

namespace {
httplib::Headers From(const std::string& address) { return {{"X-Forwarded-For", address}}; }
std::string Phone(int i) { return "+7999000000" + std::to_string(i); }
}  // namespace

TEST_CASE("code requests past the per-address limit get 429 too_many_requests with Retry-After") {
  TestServer t([](auto& o) { o.ip_rate_limit = 3; });
  for (int i = 0; i < 3; ++i) CHECK(t.Post("/api/register/", {{"phone", Phone(i)}}).status == 200);
  auto r = t.Post("/api/login/", {{"phone", Phone(3)}});
  CHECK(r.status == 429);
  CHECK(r.Error() == "too_many_requests");
  CHECK(r.Header("Retry-After") == "60");
  // Verifying a code is not a code request.
  CHECK(t.Post("/api/register/", {{"phone", Phone(0)}, {"sms_code", "1000"}}).status != 429);
  t.clock.Advance(std::chrono::seconds(60));
  CHECK(t.Post("/api/register/", {{"phone", Phone(4)}}).status == 200);
}

TEST_CASE("behind a trusted proxy the client address is the one the proxy appended") {
  TestServer t([](auto& o) {
    o.ip_rate_limit = 1;
    o.trust_proxy = true;
  });
  auto body = [](int i) { return nlohmann::json{{"phone", Phone(i)}}.dump(); };
  CHECK(t.Request("POST", "/api/register/", body(1), From("203.0.113.7")).status == 200);
  CHECK(t.Request("POST", "/api/register/", body(2), From("203.0.113.7")).status == 429);
  // Entries before the proxy's are the client's own claims: they do not dodge the limit.
  CHECK(t.Request("POST", "/api/register/", body(3), From("198.51.100.9, 203.0.113.7")).status ==
        429);
  CHECK(t.Request("POST", "/api/register/", body(4), From("198.51.100.1")).status == 200);
}

TEST_CASE("without --trust-proxy X-Forwarded-For is ignored") {
  TestServer t([](auto& o) { o.ip_rate_limit = 1; });
  std::string body1 = nlohmann::json{{"phone", Phone(1)}}.dump();
  std::string body2 = nlohmann::json{{"phone", Phone(2)}}.dump();
  CHECK(t.Request("POST", "/api/register/", body1, From("203.0.113.7")).status == 200);
  CHECK(t.Request("POST", "/api/register/", body2, From("198.51.100.1")).status == 429);
}
