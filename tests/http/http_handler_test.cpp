// HTTP/1.1 framing as RFC 9112 and CONTRACT.md ask: keep-alive, Connection: close, pipelining,
// HTTP/1.0, malformed lengths, oversized bodies; raw bytes on a socket.
#include <catch2/catch.hpp>

#include "raw_http.h"
#include "test_server.h"

using connecthub::testing::RawConnection;
using connecthub::testing::TestServer;
using nlohmann::json;

namespace {

const std::string kHealth = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

std::string Post(const std::string& path, const std::string& body, const std::string& extra = "") {
  return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + extra +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::string ErrorOf(const connecthub::testing::RawResponse& r) {
  return json::parse(r.body).value("error", "");
}

}  // namespace

TEST_CASE(
    "an HTTP/1.1 request without Connection keeps the connection open, without Connection: close") {
  TestServer t;
  RawConnection c(t.port());
  for (int i = 0; i < 3; ++i) {
    c.Send(kHealth);
    auto r = c.Read();
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK_FALSE(r->Has("connection"));
    CHECK(r->Get("content-type") == "application/json");
  }
}

TEST_CASE("Connection: close is answered with Connection: close and the server closes") {
  TestServer t;
  RawConnection c(t.port());
  c.Send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  auto r = c.Read();
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->Get("connection") == "close");
  CHECK(c.ClosedByServer());
}

TEST_CASE("pipelined requests are all answered in order") {
  TestServer t;
  RawConnection c(t.port());
  auto user = t.RegisterUser("+79912345678");
  c.Send(kHealth + "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n" +
         "GET /api/clients/profile/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + user.token +
         "\r\n\r\n");
  auto first = c.Read();
  auto second = c.Read();
  auto third = c.Read();
  REQUIRE(first);
  REQUIRE(second);
  REQUIRE(third);
  CHECK(first->status == 200);
  CHECK(second->status == 404);
  CHECK(third->status == 200);
  CHECK(json::parse(third->body)["phone"] == "+79912345678");
}

TEST_CASE("pipelined bodies and a request split over several packets") {
  TestServer t;
  RawConnection c(t.port());
  std::string a = Post("/api/register/", R"({"phone": "+79912345678"})");
  std::string b = Post("/api/register/", R"({"phone": "12"})");
  c.Send(a + b.substr(0, 20));
  c.Send(b.substr(20, 30));
  c.Send(b.substr(50));
  auto ra = c.Read();
  auto rb = c.Read();
  REQUIRE(ra);
  REQUIRE(rb);
  CHECK(ra->status == 200);
  CHECK(rb->status == 400);
  CHECK(ErrorOf(*rb) == "invalid_phone");
}

TEST_CASE("a reply held by the SMS delay keeps later pipelined replies behind it") {
  TestServer t([](auto& o) {
    o.sms_delay = {std::chrono::milliseconds(300), std::chrono::milliseconds(300)};
  });
  RawConnection c(t.port());
  c.Send(Post("/api/register/", R"({"phone": "+79912345678"})") + kHealth);
  auto first = c.Read();
  auto second = c.Read();
  REQUIRE(first);
  REQUIRE(second);
  CHECK(json::parse(first->body)["phone"] == "+79912345678");
  CHECK(json::parse(second->body)["status"] == "ok");
}

TEST_CASE("HTTP/1.0 closes after the answer unless it asks for keep-alive which is echoed") {
  TestServer t;
  {
    RawConnection c(t.port());
    c.Send("GET /healthz HTTP/1.0\r\n\r\n");
    auto r = c.Read();
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(c.ClosedByServer());
  }
  RawConnection c(t.port());
  for (int i = 0; i < 2; ++i) {
    c.Send("GET /healthz HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
    auto r = c.Read();
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->Get("connection") == "keep-alive");
  }
}

TEST_CASE("a malformed Content-Length is a JSON 400 and the server keeps serving") {
  TestServer t;
  for (std::string length : {"-5", "abc", "12x", ""}) {
    RawConnection c(t.port());
    c.Send("POST /api/register/ HTTP/1.1\r\nHost: x\r\nContent-Length: " + length + "\r\n\r\n{}");
    auto r = c.Read();
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK(ErrorOf(*r) == "invalid_request");
    CHECK(r->body.find("exception") == std::string::npos);
    CHECK(c.ClosedByServer());
  }
  CHECK(t.Get("/healthz").status == 200);
}

TEST_CASE("garbage and broken header lines are a JSON 400") {
  TestServer t;
  for (std::string bytes : {"HELLO\r\n\r\n", "GET /healthz HTTP/1.1\r\nno colon here\r\n\r\n",
                            "GET /healthz HTTP/9.9\r\n\r\n"}) {
    RawConnection c(t.port());
    c.Send(bytes);
    auto r = c.Read();
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK(ErrorOf(*r) == "invalid_request");
  }
}

TEST_CASE("a body over the limit is a JSON 413 payload_too_large") {
  TestServer t;
  std::string big(64 * 1024 + 1, ' ');
  auto r = t.Request("POST", "/api/register/", big);
  CHECK(r.status == 413);
  CHECK(r.Error() == "payload_too_large");
  auto at_limit = t.Request("POST", "/api/register/", std::string(64 * 1024 - 2, ' ') + "{}");
  CHECK(at_limit.Error() == "invalid_request");  // read whole: the phone is missing

  TestServer small([](auto& o) { o.max_body = 1024; });
  CHECK(small.Request("POST", "/api/register/", std::string(1025, ' ')).status == 413);
}

TEST_CASE("oversized headers are refused with JSON not held") {
  TestServer t;
  RawConnection c(t.port());
  c.Send("GET /healthz HTTP/1.1\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n");
  auto r = c.Read();
  REQUIRE(r);
  CHECK(r->status == 413);
  CHECK(ErrorOf(*r) == "payload_too_large");
}

TEST_CASE("a chunked request body is read") {
  TestServer t;
  RawConnection c(t.port());
  std::string body = R"({"phone": "+79912345678"})";
  char size[16];
  std::snprintf(size, sizeof(size), "%zx", body.size());
  c.Send(
      std::string("POST /api/register/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n") +
      size + "\r\n" + body + "\r\n0\r\n\r\n");
  auto r = c.Read();
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(json::parse(r->body)["phone"] == "+79912345678");
}
