// Any server on the database answers any request the same way: codes, resend interval, tokens
// and the CLI are shared through PostgreSQL, not through a process.
#include <catch2/catch.hpp>

#include "scaleout_fixture.h"

namespace connecthub::testing {
namespace {

TEST_CASE("a code requested through one server verifies through the other", "[scaleout]") {
  TwoServers servers;
  ApiResponse sent = Call(servers.a(), "POST", "/api/register/", {{"phone", "+79912345678"}});
  REQUIRE(sent.status == 200);
  ApiResponse wrong = Call(servers.b(), "POST", "/api/register/",
                           {{"phone", "+79912345678"}, {"sms_code", "0000"}});
  CHECK(wrong.status == 400);
  ApiResponse made = Call(servers.b(), "POST", "/api/register/",
                          {{"phone", "+79912345678"}, {"sms_code", sent.body["sms_code"]}});
  REQUIRE(made.status == 201);
  CHECK(made.body["phone"] == "+79912345678");
  // Used once, through either server.
  ApiResponse again = Call(servers.a(), "POST", "/api/register/",
                           {{"phone", "+79912345678"}, {"sms_code", sent.body["sms_code"]}});
  CHECK(again.status == 409);
  CHECK(again.Error() == "phone_already_registered");
  // Login: code through B, verified through A.
  ApiResponse login_code = Call(servers.b(), "POST", "/api/login/", {{"phone", "+79912345678"}});
  REQUIRE(login_code.status == 200);
  ApiResponse login = Call(servers.a(), "POST", "/api/login/",
                           {{"phone", "+79912345678"}, {"sms_code", login_code.body["sms_code"]}});
  CHECK(login.status == 200);
  CHECK(login.body["id"] == made.body["id"]);
}

TEST_CASE("a resend through the second server within the interval gets 429", "[scaleout]") {
  TwoServers servers;
  REQUIRE(Call(servers.a(), "POST", "/api/register/", {{"phone", "+79912345678"}}).status == 200);
  ApiResponse resend = Call(servers.b(), "POST", "/api/register/", {{"phone", "+79912345678"}});
  CHECK(resend.status == 429);
  CHECK(resend.Error() == "too_many_requests");
  CHECK_FALSE(resend.retry_after.empty());
  // Another phone is not held up.
  CHECK(Call(servers.b(), "POST", "/api/register/", {{"phone", "+79912345679"}}).status == 200);
}

TEST_CASE("a token from one server or from connecthub-cli is good at the other", "[scaleout]") {
  TwoServers servers;
  Registered user = servers.Register("+79912345678", servers.a(), servers.a());
  for (uint16_t port : {servers.a(), servers.b()}) {
    ApiResponse profile = Call(port, "GET", "/api/clients/profile/", nullptr, user.token);
    CHECK(profile.status == 200);
    CHECK(profile.body["phone"] == "+79912345678");
  }
  CommandResult login = RunCli({"--db", servers.db(), "--json", "login", "+79912345678"});
  REQUIRE(login.status == 0);
  const std::string cli_token = nlohmann::json::parse(login.out)["access_token"];
  CommandResult made = RunCli({"--db", servers.db(), "--json", "register", "+79990000001"});
  REQUIRE(made.status == 0);
  const std::string new_user_token = nlohmann::json::parse(made.out)["access_token"];
  for (uint16_t port : {servers.a(), servers.b()}) {
    CHECK(Call(port, "GET", "/api/clients/profile/", nullptr, cli_token).status == 200);
    ApiResponse profile = Call(port, "GET", "/api/clients/profile/", nullptr, new_user_token);
    CHECK(profile.status == 200);
    CHECK(profile.body["phone"] == "+79990000001");
  }
  // An activation through B shows in the profile read through A and in the CLI.
  REQUIRE(Call(servers.b(), "PATCH", "/api/clients/profile/",
               {{"invitation_code", user.invitation_code}}, new_user_token)
              .status == 200);
  ApiResponse inviter = Call(servers.a(), "GET", "/api/clients/profile/", nullptr, user.token);
  CHECK(inviter.body["connections_invited_clients"] == nlohmann::json::array({"+79990000001"}));
  CommandResult listed = RunCli({"--db", servers.db(), "--json", "list-invited", "+79912345678"});
  REQUIRE(listed.status == 0);
  CHECK(nlohmann::json::parse(listed.out).size() == 1);
  // Revoked by the CLI: refused at every server.
  REQUIRE(RunCli({"--db", servers.db(), "revoke", "+79912345678"}).status == 0);
  for (uint16_t port : {servers.a(), servers.b()}) {
    ApiResponse refused = Call(port, "GET", "/api/clients/profile/", nullptr, user.token);
    CHECK(refused.status == 401);
    CHECK(refused.Error() == "invalid_token");
  }
}

TEST_CASE("the CLI purges codes on PostgreSQL and points to pg_dump for backups", "[scaleout]") {
  TwoServers servers;
  REQUIRE(Call(servers.a(), "POST", "/api/register/", {{"phone", "+79912345678"}}).status == 200);
  CHECK(RunCli({"--db", servers.db(), "purge-codes"}).status == 0);
  CommandResult backup = RunCli({"--db", servers.db(), "backup", "/tmp/never-written.db"});
  CHECK(backup.status != 0);
}

}  // namespace
}  // namespace connecthub::testing
