// Hostile HTTP: slow clients, thousands of idle keep-alive connections, truncated and oversized
// requests and long pipelines. The server must keep answering everyone else promptly, and its
// memory (VmRSS) must stay bounded; the figures are printed for the project's notes.
#include <sys/resource.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>
#include <vector>

#include "attack/attack_fixture.h"
#include "attack/process.h"
#include "http/raw_http.h"
#include "support/api_client.h"
#include "support/temp_dir.h"

namespace connecthub::testing {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// Sanitizers make every request slower, and AddressSanitizer keeps freed memory in quarantine
// (256 MiB by default): memory bounds get that much slack there.
#if defined(__SANITIZE_ADDRESS__)
#define CONNECTHUB_ATTACK_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CONNECTHUB_ATTACK_SANITIZED 1
#endif
#endif
#ifdef CONNECTHUB_ATTACK_SANITIZED
constexpr int kSlowdown = 4;
constexpr long kSanitizerSlackKiB = 300 * 1024;
#else
constexpr int kSlowdown = 1;
constexpr long kSanitizerSlackKiB = 0;
#endif

const milliseconds kPrompt{500 * kSlowdown};

// The slowest of `count` ordinary requests from a well-behaved client; all must succeed.
milliseconds SlowestOf(uint16_t port, int count) {
  ApiClient api(port);
  milliseconds slowest{0};
  for (int i = 0; i < count; ++i) {
    auto start = Clock::now();
    ApiResponse r = api.Send("GET", "/healthz");
    REQUIRE(r.status == 200);
    slowest = std::max(slowest, std::chrono::duration_cast<milliseconds>(Clock::now() - start));
  }
  return slowest;
}

std::string Get(const std::string& path) {
  return "GET " + path + " HTTP/1.1\r\nHost: attack\r\n\r\n";
}

void RaiseFileLimit() {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
}

struct Fixture {
  TempDir dir;
  ServerProcess server{UnthrottledArgs(dir.File("hostile.db")), dir.File("server.log")};
};

}  // namespace

TEST_CASE("slow clients holding connections do not stall other clients") {
  Fixture f;
  constexpr int kSlowClients = 64;
  const long rss_start = f.server.RssKiB();
  const std::string request =
      "POST /api/register/ HTTP/1.1\r\nHost: attack\r\n"
      "Content-Type: application/json\r\nContent-Length: 26\r\n\r\n"
      "{\"phone\": \"+15550000001\"}";
  std::vector<std::unique_ptr<RawConnection>> slow;
  for (int i = 0; i < kSlowClients; ++i)
    slow.push_back(std::make_unique<RawConnection>(f.server.port()));
  milliseconds slowest{0};
  // A byte a second on each slow connection; between bytes, ordinary clients are served.
  for (size_t byte = 0; byte < 6; ++byte) {
    for (auto& c : slow) c->Send(request.substr(byte, 1));
    const auto next = Clock::now() + std::chrono::seconds(1);
    while (Clock::now() < next) slowest = std::max(slowest, SlowestOf(f.server.port(), 5));
  }
  const long rss = f.server.RssKiB();
  std::printf(
      "slow clients: %d connections dripping a byte a second; slowest other request %lld ms; "
      "RSS %ld KiB (start %ld KiB)\n",
      kSlowClients, static_cast<long long>(slowest.count()), rss, rss_start);
  CHECK(slowest < kPrompt);
  CHECK(rss - rss_start < 16 * 1024 + kSanitizerSlackKiB);
}

TEST_CASE("thousands of idle keep-alive connections cost bounded memory and stall no one") {
  RaiseFileLimit();
  Fixture f;
  constexpr int kIdle = 2000;
  SlowestOf(f.server.port(), 20);
  const long rss_start = f.server.RssKiB();
  long rss_after_first = 0;
  long rss_held = 0;
  for (int round = 0; round < 2; ++round) {
    std::vector<std::unique_ptr<RawConnection>> idle;
    for (int i = 0; i < kIdle; ++i) {
      auto c = std::make_unique<RawConnection>(f.server.port());
      c->Send(Get("/healthz"));
      auto response = c->Read();
      REQUIRE(response.has_value());
      REQUIRE(response->status == 200);
      REQUIRE_FALSE(response->Has("connection"));  // still open: keep-alive
      idle.push_back(std::move(c));
    }
    rss_held = f.server.RssKiB();
    const milliseconds slowest = SlowestOf(f.server.port(), 50);
    std::printf(
        "idle keep-alive: round %d, %d connections held open; slowest other request %lld "
        "ms; RSS %ld KiB (start %ld KiB)\n",
        round + 1, kIdle, static_cast<long long>(slowest.count()), rss_held, rss_start);
    CHECK(slowest < kPrompt);
    // Every idle connection still works.
    for (size_t i = 0; i < idle.size(); i += 97) {
      idle[i]->Send(Get("/healthz"));
      auto again = idle[i]->Read();
      REQUIRE(again.has_value());
      CHECK(again->status == 200);
    }
    idle.clear();
    SlowestOf(f.server.port(), 20);  // the server notices the closed sockets
    if (round == 0) rss_after_first = f.server.RssKiB();
  }
  const long rss_end = f.server.RssKiB();
  std::printf("idle keep-alive: RSS after first round %ld KiB, after second %ld KiB\n",
              rss_after_first, rss_end);
  // Under 16 KiB per idle connection, and a second round costs nothing new (no leak).
  CHECK(rss_held - rss_start < kIdle * 16 + kSanitizerSlackKiB);
  CHECK(rss_end - rss_after_first < 8 * 1024 + kSanitizerSlackKiB);
}

TEST_CASE("truncated, oversized and malformed requests leave the server serving others") {
  Fixture f;
  const uint16_t port = f.server.port();
  const long rss_start = f.server.RssKiB();

  SECTION("requests cut off mid-header or mid-body, then abandoned") {
    for (int i = 0; i < 200; ++i) {
      RawConnection c(port);
      if (i % 2 == 0) {
        c.Send("POST /api/register/ HTTP/1.1\r\nHost: attack\r\nContent-Le");
      } else {
        c.Send("POST /api/register/ HTTP/1.1\r\nHost: attack\r\nContent-Length: 1000\r\n\r\n{\"ph");
      }
    }
    CHECK(SlowestOf(port, 20) < kPrompt);
  }
  SECTION("a header block far over the limit is refused and the connection closed") {
    RawConnection c(port);
    const std::string huge =
        "GET /healthz HTTP/1.1\r\nHost: attack\r\nX-Pad: " + std::string(1 << 20, 'a') + "\r\n\r\n";
    bool cut_off = false;
    try {
      c.Send(huge);
    } catch (const std::runtime_error&) {
      cut_off = true;  // the server closed before reading it all: that is a refusal too
    }
    if (auto response = c.Read(); response) {
      CHECK((response->status == 413 || response->status == 431));
      CHECK(c.ClosedByServer());
    } else {
      CHECK((cut_off || c.ClosedByServer()));
    }
    CHECK(SlowestOf(port, 20) < kPrompt);
  }
  SECTION("a body announced over --max-body is refused before it is sent") {
    RawConnection c(port);
    c.Send(
        "POST /api/register/ HTTP/1.1\r\nHost: attack\r\nContent-Type: application/json\r\n"
        "Content-Length: 104857600\r\n\r\n");
    auto response = c.Read();
    REQUIRE(response.has_value());
    CHECK(response->status == 413);
    CHECK(nlohmann::json::parse(response->body)["error"] == "payload_too_large");
    CHECK(c.ClosedByServer());
  }
  SECTION("garbage and bad framing get a 400 or a close, never a 500") {
    for (const std::string& bytes :
         {std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 16),
          std::string("GET /healthz HTTP/1.1\r\nContent-Length: -5\r\n\r\n"),
          std::string("POST /api/login/ HTTP/1.1\r\nContent-Length: abc\r\n\r\n"),
          std::string("GET /healthz HTTP/9.9\r\n\r\n"),
          std::string("GET /healthz HTTP/1.1\r\nNoColonHere\r\n\r\n"),
          std::string("\r\n\r\n\r\n\r\n"),
          std::string(
              "POST /api/register/ HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")}) {
      RawConnection c(port);
      c.Send(bytes);
      auto response = c.Read(std::chrono::seconds(3));
      INFO("request: " << bytes);
      if (response) CHECK(response->status < 500);
    }
    CHECK(SlowestOf(port, 20) < kPrompt);
  }
  const long rss = f.server.RssKiB();
  std::printf("malformed requests: RSS %ld KiB before, %ld KiB after\n", rss_start, rss);
  CHECK(rss - rss_start < 16 * 1024 + kSanitizerSlackKiB);
}

TEST_CASE("a long pipeline is answered completely and in order") {
  Fixture f;
  constexpr int kRequests = 300;
  std::string pipeline;
  std::vector<int> expected;
  for (int i = 0; i < kRequests; ++i) {
    switch (i % 3) {
      case 0:
        pipeline += Get("/healthz");
        expected.push_back(200);
        break;
      case 1:
        pipeline += Get("/no/such/path");
        expected.push_back(404);
        break;
      case 2: {
        const std::string body = "{\"phone\": \"not a phone\"}";
        pipeline +=
            "POST /api/register/ HTTP/1.1\r\nHost: attack\r\nContent-Type: "
            "application/json\r\nContent-Length: " +
            std::to_string(body.size()) + "\r\n\r\n" + body;
        expected.push_back(400);
        break;
      }
    }
  }
  RawConnection c(f.server.port());
  c.Send(pipeline);
  std::vector<int> statuses;
  for (int i = 0; i < kRequests; ++i) {
    auto response = c.Read();
    if (!response) break;
    statuses.push_back(response->status);
  }
  CHECK(statuses == expected);
}

}  // namespace connecthub::testing
