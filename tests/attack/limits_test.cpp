// Abuse limits end to end, with real delivery (code echo off, --sms-command): an attacker who
// guesses codes gets 5 tries per code and 50 wrong codes a day in all; SMS pumping hits the hourly
// cap; a failing delivery command answers 503 and leaves no usable code; echo off without a
// command is refused at start; a token revoked with the CLI fails at the server at once.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "attack/attack_fixture.h"
#include "attack/process.h"
#include "support/api_client.h"
#include "support/temp_dir.h"

namespace connecthub::testing {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A code that is not `real`: the attacker's worst case is never guessing right by luck.
std::string WrongCode(const std::string& real, int n) {
  std::string guess = std::to_string(1000 + n % 9000);
  return guess == real ? std::to_string(1000 + (n + 1) % 9000) : guess;
}

// Echo off; the delivery command writes the code where only the test can read it.
std::vector<std::string> DeliveryArgs(const TempDir& dir, const std::string& command,
                                      const std::string& ip_rate_limit = "0") {
  return {"--db",
          dir.File("limits.db"),
          "--port",
          "0",
          "--sms-delay",
          "0",
          "--ip-rate-limit",
          ip_rate_limit,
          "--resend-interval",
          "0",
          "--echo-code",
          "false",
          "--sms-command",
          command};
}

}  // namespace

TEST_CASE("a code guesser gets 5 tries per code and 50 wrong codes a day, then nothing") {
  TempDir dir;
  const std::string inbox = dir.File("inbox");
  std::vector<std::string> args = DeliveryArgs(dir, "printf %s \"$CONNECTHUB_CODE\" > " + inbox);
  args.insert(args.end(), {"--max-codes-per-hour", "0"});  // the daily cap alone stops guessing
  ServerProcess server(args, dir.File("server.log"));
  ApiClient api(server.port());
  const std::string phone = TestPhone(40, 0);

  int wrong_answers = 0;
  std::string real;
  for (int code_number = 0; code_number < 10; ++code_number) {
    ApiResponse sent = api.Send("POST", "/api/register/", {{"phone", phone}});
    REQUIRE(sent.status == 200);
    CHECK_FALSE(sent.body.contains("sms_code"));
    real = ReadFile(inbox);
    REQUIRE(real.size() == 4);
    for (int attempt = 1; attempt <= 5; ++attempt) {
      ApiResponse guess =
          api.Send("POST", "/api/register/",
                   {{"phone", phone}, {"sms_code", WrongCode(real, wrong_answers)}});
      ++wrong_answers;
      if (attempt < 5) {
        CHECK(guess.status == 400);
        CHECK(guess.Error() == "invalid_sms_code");
      } else {
        CHECK(guess.status == 429);
        CHECK(guess.Error() == "too_many_attempts");
      }
    }
    // Burned: even the right code no longer works; after the 50th failure the daily cap answers.
    ApiResponse late = api.Send("POST", "/api/register/", {{"phone", phone}, {"sms_code", real}});
    if (wrong_answers < 50) {
      CHECK(late.status == 400);
      CHECK(late.Error() == "sms_code_expired");
    } else {
      CHECK(late.status == 429);
      CHECK(late.Error() == "too_many_attempts");
    }
  }
  REQUIRE(wrong_answers == 50);
  // The 50 failures of the day are spent: a fresh code, even guessed right, is refused.
  REQUIRE(api.Send("POST", "/api/register/", {{"phone", phone}}).status == 200);
  real = ReadFile(inbox);
  ApiResponse refused = api.Send("POST", "/api/register/", {{"phone", phone}, {"sms_code", real}});
  CHECK(refused.status == 429);
  CHECK(refused.Error() == "too_many_attempts");
}

TEST_CASE("SMS pumping stops at the hourly cap of codes per phone") {
  TempDir dir;
  ServerProcess server(DeliveryArgs(dir, "true"), dir.File("server.log"));
  ApiClient api(server.port());
  for (int i = 0; i < 10; ++i) {
    CHECK(api.Send("POST", "/api/register/", {{"phone", TestPhone(41, 0)}}).status == 200);
  }
  ApiResponse capped = api.Send("POST", "/api/register/", {{"phone", TestPhone(41, 0)}});
  CHECK(capped.status == 429);
  CHECK(capped.Error() == "too_many_requests");
}

TEST_CASE("the per-address limit behind a proxy counts the address the proxy saw") {
  TempDir dir;
  std::vector<std::string> args = DeliveryArgs(dir, "true", "3");
  args.insert(args.end(), {"--trust-proxy", "true"});
  ServerProcess server(args, dir.File("server.log"));
  httplib::Client client("127.0.0.1", server.port());
  // The proxy appends the address it saw to whatever X-Forwarded-For the client sent, so only the
  // last entry can be trusted: a client rotating made-up entries must not escape the limit.
  auto request = [&](int n, const std::string& forwarded) {
    auto r = client.Post("/api/login/", {{"X-Forwarded-For", forwarded}},
                         "{\"phone\": \"" + TestPhone(42, n) + "\"}", "application/json");
    REQUIRE(r);
    return r->status;
  };
  for (int i = 0; i < 3; ++i) {
    CHECK(request(i, "198.51.100." + std::to_string(i) + ", 203.0.113.7") == 404);  // counted
  }
  CHECK(request(3, "198.51.100.99, 203.0.113.7") == 429);
  CHECK(request(4, "203.0.113.7") == 429);
  CHECK(request(5, "203.0.113.8") == 404);  // another client is not punished
}

TEST_CASE("a failing delivery command answers 503 and leaves no usable code") {
  TempDir dir;
  const std::string inbox = dir.File("inbox");
  ServerProcess server(DeliveryArgs(dir, "printf %s \"$CONNECTHUB_CODE\" > " + inbox + "; exit 3"),
                       dir.File("server.log"));
  ApiClient api(server.port());
  const std::string phone = TestPhone(43, 0);
  ApiResponse sent = api.Send("POST", "/api/register/", {{"phone", phone}});
  CHECK(sent.status == 503);
  CHECK(sent.Error() == "service_unavailable");
  const std::string code = ReadFile(inbox);
  REQUIRE(code.size() == 4);
  ApiResponse use = api.Send("POST", "/api/register/", {{"phone", phone}, {"sms_code", code}});
  CHECK(use.status == 400);
  CHECK(use.Error() == "sms_code_expired");
  CHECK(server.Log().find(" 503 ") != std::string::npos);
  // The operator learns why from the log; the client only that the SMS could not be sent.
  CHECK(server.Log().find("delivery command exited with status 3") != std::string::npos);
  CHECK(sent.body["message"].get<std::string>().find("status 3") == std::string::npos);
}

TEST_CASE("code echo off without a delivery command is refused at start") {
  TempDir dir;
  ProgramResult r =
      RunProgram({ServerPath(), "--db", dir.File("x.db"), "--port", "0", "--echo-code", "false"},
                 dir.path().string());
  CHECK(r.status == 2);
  CHECK(r.err.find("--sms-command") != std::string::npos);
}

TEST_CASE("tokens revoked with the CLI fail at the running server at once") {
  TempDir dir;
  const std::string db = dir.File("revoke.db");
  ServerProcess server(UnthrottledArgs(db), dir.File("server.log"));
  ApiClient api(server.port());
  ApiResponse user = api.Register(TestPhone(44, 0));
  REQUIRE(user.status == 201);
  const std::string token = user.body["access_token"];
  REQUIRE(api.Profile(token).status == 200);

  ProgramResult revoke =
      RunProgram({CliPath(), "--db", db, "revoke", TestPhone(44, 0)}, dir.path().string());
  REQUIRE(revoke.status == 0);
  ApiResponse after = api.Profile(token);
  CHECK(after.status == 401);
  CHECK(after.Error() == "invalid_token");
  // A token issued after the revocation works.
  ProgramResult login =
      RunProgram({CliPath(), "--db", db, "--json", "login", TestPhone(44, 0)}, dir.path().string());
  REQUIRE(login.status == 0);
  CHECK(api.Profile(nlohmann::json::parse(login.out)["access_token"]).status == 200);
}

}  // namespace connecthub::testing
