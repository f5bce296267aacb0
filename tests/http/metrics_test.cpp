// GET /metrics: Prometheus text with requests by route and status, latency and domain counters.
#include <catch2/catch.hpp>

#include "test_server.h"

using connecthub::testing::TestServer;

TEST_CASE("metrics count requests by route and status and the domain events") {
  TestServer t;
  auto a = t.RegisterUser("+79912345678");
  auto b = t.RegisterUser("+79990000001");
  std::string code = t.CodeFor("+79912345678", "/api/login/");
  CHECK(t.Post("/api/login/", {{"phone", "+79912345678"}, {"sms_code", code}}).status == 200);
  CHECK(
      t.Patch("/api/clients/profile/", {{"invitation_code", a.invitation_code}}, b.token).status ==
      200);
  t.Get("/nowhere");

  auto r = t.Get("/metrics");
  REQUIRE(r.status == 200);
  CHECK(r.Header("Content-Type") == "text/plain; version=0.0.4");
  const std::string& m = r.raw_body;
  CHECK_THAT(
      m, Catch::Contains("connecthub_http_requests_total{method=\"POST\",route=\"/api/register/\","
                         "status=\"200\"} 2"));
  CHECK_THAT(
      m, Catch::Contains("connecthub_http_requests_total{method=\"POST\",route=\"/api/register/\","
                         "status=\"201\"} 2"));
  CHECK_THAT(m, Catch::Contains("connecthub_http_requests_total{method=\"\",route=\"none\","
                                "status=\"404\"} 1"));
  CHECK_THAT(m, Catch::Contains("# TYPE connecthub_http_request_duration_seconds histogram"));
  CHECK_THAT(m, Catch::Contains("connecthub_http_request_duration_seconds_count{method=\"POST\","
                                "route=\"/api/login/\"} 2"));
  CHECK_THAT(m, Catch::Contains("connecthub_codes_sent_total 3"));
  CHECK_THAT(m, Catch::Contains("connecthub_registrations_total 2"));
  CHECK_THAT(m, Catch::Contains("connecthub_logins_total 1"));
  CHECK_THAT(m, Catch::Contains("connecthub_invitations_activated_total 1"));
}
