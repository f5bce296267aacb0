// The simulated SMS delay holds no worker: many waiting code requests finish together, other
// requests are served meanwhile, test phones skip it, and shutdown answers what is waiting.
// These tests use the real delay, so they measure wall time with generous bounds.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <thread>

#include "raw_http.h"
#include "test_server.h"

using connecthub::testing::RawConnection;
using connecthub::testing::TestServer;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

std::string CodeRequest(const std::string& phone) {
  std::string body = json{{"phone", phone}}.dump();
  return "POST /api/register/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
         "Content-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

TEST_CASE(
    "a thousand concurrent code requests with a 1-2 s delay are all answered within the delay") {
  constexpr int kRequests = 1000;
  TestServer t([](auto& o) {
    o.sms_delay = {std::chrono::milliseconds(1000), std::chrono::milliseconds(2000)};
    o.threads = std::max(1U, std::thread::hardware_concurrency());  // the default
  });
  std::vector<std::unique_ptr<RawConnection>> connections;
  for (int i = 0; i < kRequests; ++i) {
    connections.push_back(std::make_unique<RawConnection>(t.port()));
  }
  auto start = Clock::now();
  for (int i = 0; i < kRequests; ++i) {
    connections[i]->Send(CodeRequest(fmt::format("+7999{:07d}", i)));
  }
  // Once every code is made, all 1,000 replies wait for their delay: a waiting reply holds no
  // worker, so another request is served at once.
  auto deadline = Clock::now() + std::chrono::seconds(30);
  while (t.sms.Count() < static_cast<size_t>(kRequests) && Clock::now() < deadline) {
    std::this_thread::yield();
  }
  double made = SecondsSince(start);
  auto health_start = Clock::now();
  CHECK(t.Get("/healthz").status == 200);
  double health_seconds = SecondsSince(health_start);

  int ok = 0;
  double first = 0;
  for (int i = 0; i < kRequests; ++i) {
    auto r = connections[i]->Read(std::chrono::seconds(20));
    if (r && r->status == 200) ++ok;
    if (i == 0) first = SecondsSince(start);
  }
  double all = SecondsSince(start);
  WARN(fmt::format(
      "{} delayed code requests on {} threads: codes made after {:.2f} s, all answered "
      "after {:.2f} s; /healthz while they waited: {:.3f} s",
      kRequests, std::max(1U, std::thread::hardware_concurrency()), made, all, health_seconds));
  CHECK(ok == kRequests);
  CHECK(first >= 0.9);  // the delay was applied
  // Every reply is due at most 2 s after its code was made; the rest is the database's time to make
  // 1,000 codes (one durable write each), bounded generously for a loaded CI machine.
  CHECK(all < made + 2.0 + 1.0);
  CHECK(all < 15.0);
  CHECK(health_seconds < 0.5);
}

TEST_CASE("test phones get their fixed code at once with no delivery") {
  TestServer t([](auto& o) {
    o.sms_delay = {std::chrono::milliseconds(2000), std::chrono::milliseconds(2000)};
    o.echo_code = false;
    o.auth.test_phones = {{"+15550000001", "1234"}};
  });
  auto start = Clock::now();
  auto r = t.Post("/api/register/", {{"phone", "+1 555 000 0001"}});
  CHECK(SecondsSince(start) < 1.0);
  REQUIRE(r.status == 200);
  CHECK(r.body["phone"] == "+15550000001");
  CHECK(t.sms.Count() == 0);
  auto done = t.Post("/api/register/", {{"phone", "+15550000001"}, {"sms_code", "1234"}});
  CHECK(done.status == 201);
}

TEST_CASE("shutdown answers a code request that is still waiting for its delay") {
  TestServer t([](auto& o) {
    o.sms_delay = {std::chrono::seconds(30), std::chrono::seconds(30)};
    o.echo_code = false;
  });
  RawConnection c(t.port());
  c.Send(CodeRequest("+79912345678"));
  // The code is sent just before the reply is parked.
  auto deadline = Clock::now() + std::chrono::seconds(10);
  while (t.sms.Count() == 0 && Clock::now() < deadline) std::this_thread::yield();
  REQUIRE(t.sms.Count() == 1);
  auto start = Clock::now();
  std::thread stopper([&] { t.server->Shutdown(); });
  auto r = c.Read(std::chrono::seconds(10));
  stopper.join();
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(json::parse(r->body)["phone"] == "+79912345678");
  CHECK(SecondsSince(start) < 5.0);
}
