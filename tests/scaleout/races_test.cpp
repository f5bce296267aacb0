// Requests racing through two servers: the database decides, and only one of them wins.
#include <catch2/catch.hpp>
#include <functional>
#include <latch>
#include <thread>

#include "scaleout_fixture.h"

namespace connecthub::testing {
namespace {

// Runs `first` and `second` at the same moment, each on its own thread.
std::pair<ApiResponse, ApiResponse> AtOnce(const std::function<ApiResponse()>& first,
                                           const std::function<ApiResponse()>& second) {
  std::latch start(2);
  ApiResponse one;
  ApiResponse two;
  std::thread other([&] {
    start.arrive_and_wait();
    two = second();
  });
  start.arrive_and_wait();
  one = first();
  other.join();
  return {one, two};
}

constexpr int kRounds = 15;

TEST_CASE("activations that would close a circle through two servers never both succeed",
          "[scaleout]") {
  TwoServers servers;
  int both = 0;
  int cycles = 0;
  for (int round = 0; round < kRounds; ++round) {
    Registered x = servers.Register(Phone(2 * round), servers.a(), servers.a());
    Registered y = servers.Register(Phone(2 * round + 1), servers.b(), servers.b());
    auto [through_a, through_b] = AtOnce(
        [&] {
          return Call(servers.a(), "PATCH", "/api/clients/profile/",
                      {{"invitation_code", y.invitation_code}}, x.token);
        },
        [&] {
          return Call(servers.b(), "PATCH", "/api/clients/profile/",
                      {{"invitation_code", x.invitation_code}}, y.token);
        });
    INFO("round " << round << ": " << through_a.body.dump() << " / " << through_b.body.dump());
    // One activation wins; the other sees it and is refused as a circle.
    CHECK(through_a.status + through_b.status == 200 + 409);
    const ApiResponse& loser = through_a.status == 409 ? through_a : through_b;
    CHECK(loser.Error() == "invitation_cycle");
    if (through_a.status == 200 && through_b.status == 200) ++both;
    if (loser.Error() == "invitation_cycle") ++cycles;
  }
  CHECK(both == 0);
  CHECK(cycles == kRounds);
}

TEST_CASE("registrations of one phone through two servers at once make one user", "[scaleout]") {
  TwoServers servers;
  for (int round = 0; round < kRounds; ++round) {
    const std::string phone = Phone(round);
    // Step 1 through both at once: one code is sent, the other request is within the interval.
    auto [code_a, code_b] = AtOnce(
        [&] {
          return Call(servers.a(), "POST", "/api/register/", {{"phone", phone}});
        },
        [&] {
          return Call(servers.b(), "POST", "/api/register/", {{"phone", phone}});
        });
    INFO("round " << round << ": " << code_a.body.dump() << " / " << code_b.body.dump());
    REQUIRE(code_a.status + code_b.status == 200 + 429);
    const ApiResponse& sent = code_a.status == 200 ? code_a : code_b;
    const nlohmann::json step2 = {{"phone", phone}, {"sms_code", sent.body["sms_code"]}};
    // Step 2 through both at once with that code: one user, the other request is refused.
    auto [made_a, made_b] =
        AtOnce([&] { return Call(servers.a(), "POST", "/api/register/", step2); },
               [&] { return Call(servers.b(), "POST", "/api/register/", step2); });
    INFO(made_a.body.dump() << " / " << made_b.body.dump());
    CHECK(((made_a.status == 201) != (made_b.status == 201)));
    const ApiResponse& loser = made_a.status == 201 ? made_b : made_a;
    CHECK((loser.Error() == "phone_already_registered" || loser.Error() == "sms_code_expired"));
  }
  CommandResult stats = RunCli({"--db", servers.db(), "--json", "stats"});
  REQUIRE(stats.status == 0);
  CHECK(nlohmann::json::parse(stats.out)["users"] == kRounds);
}

}  // namespace
}  // namespace connecthub::testing
