// PostgreSQL going away under two servers: requests in that moment get 503 service_unavailable,
// /healthz says so, nothing acknowledged is lost, and the servers recover by themselves. Each test
// has a cluster of its own, so that stopping it disturbs no other test.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <mutex>
#include <pqxx/nontransaction>
#include <thread>
#include <vector>

#include "scaleout_fixture.h"

namespace connecthub::testing {
namespace {

class PrivateCluster {
 public:
  PrivateCluster() {
    REQUIRE(RunCluster("start", state_));
    std::ifstream in(state_ + "/uri");
    std::string admin;
    REQUIRE(in >> admin);
    pqxx::connection connection(admin);
    pqxx::nontransaction(connection).exec("CREATE DATABASE connecthub");
    uri_ = admin.substr(0, admin.rfind('/') + 1) + "connecthub";
  }
  ~PrivateCluster() { RunCluster("stop", state_); }

  const std::string& uri() const { return uri_; }
  bool Run(const std::string& command) { return RunCluster(command, state_); }

 private:
  TempDir dir_;
  std::string state_ = dir_.File("cluster");
  std::string uri_;
};

void CheckUnavailable(const ApiResponse& answer) {
  INFO(answer.body.dump());
  CHECK(answer.status == 503);
  CHECK(answer.Error() == "service_unavailable");
  CHECK_FALSE(answer.retry_after.empty());
}

// Waits for the server on `port` to report `status` on /healthz (the database coming back is an
// event outside the test's clock); false after 20 s.
bool HealthBecomes(uint16_t port, int status) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (Call(port, "GET", "/healthz").status == status) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

TEST_CASE("while PostgreSQL is down requests get 503 and /healthz says so until it is back",
          "[scaleout]") {
  PrivateCluster cluster;
  ServerProcess a(cluster.uri());
  ServerProcess b(cluster.uri());
  REQUIRE(Call(a.port(), "GET", "/healthz").status == 200);
  ApiResponse sent = Call(a.port(), "POST", "/api/register/", {{"phone", "+79912345678"}});
  REQUIRE(sent.status == 200);

  REQUIRE(cluster.Run("halt"));
  for (uint16_t port : {a.port(), b.port()}) {
    CheckUnavailable(Call(port, "GET", "/healthz"));
    CheckUnavailable(Call(port, "POST", "/api/register/", {{"phone", "+79912345679"}}));
  }
  CheckUnavailable(Call(b.port(), "POST", "/api/register/",
                        {{"phone", "+79912345678"}, {"sms_code", sent.body["sms_code"]}}));

  REQUIRE(cluster.Run("resume"));
  for (uint16_t port : {a.port(), b.port()}) CHECK(HealthBecomes(port, 200));
  // The code sent before the outage still works, through the other server.
  ApiResponse made = Call(b.port(), "POST", "/api/register/",
                          {{"phone", "+79912345678"}, {"sms_code", sent.body["sms_code"]}});
  CHECK(made.status == 201);
  CHECK(Call(a.port(), "POST", "/api/register/", {{"phone", "+79912345679"}}).status == 200);
}

TEST_CASE("a PostgreSQL restart under load loses nothing acknowledged", "[scaleout]") {
  PrivateCluster cluster;
  ServerProcess a(cluster.uri());
  ServerProcess b(cluster.uri());
  const uint16_t ports[] = {a.port(), b.port()};

  std::mutex mutex;
  std::vector<Registered> acknowledged;
  std::vector<ApiResponse> unexpected;
  std::atomic<int> unavailable{0};
  std::atomic<int> next_phone{0};
  std::atomic<bool> stop{false};
  // Keeps the answer a user would act on: 201 acknowledged, 503 "try again", anything else wrong.
  auto record = [&](const ApiResponse& answer, const std::string& phone) {
    std::lock_guard lock(mutex);
    if (answer.status == 201) {
      acknowledged.push_back({answer.body["id"].get<int64_t>(), phone, "",
                              answer.body["access_token"].get<std::string>()});
    } else if (answer.status == 503) {
      ++unavailable;
    } else if (answer.status != 200) {
      unexpected.push_back(answer);
    }
  };
  auto client = [&](int id) {
    while (!stop) {
      const int n = next_phone++;
      const std::string phone = Phone(n);
      ApiResponse sent = Call(ports[(n + id) % 2], "POST", "/api/register/", {{"phone", phone}});
      record(sent, phone);
      if (sent.status != 200) continue;
      record(Call(ports[(n + id + 1) % 2], "POST", "/api/register/",
                  {{"phone", phone}, {"sms_code", sent.body["sms_code"]}}),
             phone);
    }
  };
  auto acknowledged_count = [&] {
    std::lock_guard lock(mutex);
    return acknowledged.size();
  };
  auto wait_for = [&](size_t count) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (acknowledged_count() < count && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return acknowledged_count() >= count;
  };

  std::vector<std::thread> clients;
  for (int id = 0; id < 4; ++id) clients.emplace_back(client, id);
  const bool loaded = wait_for(30);
  const bool restarted = cluster.Run("restart");
  const size_t before = acknowledged_count();
  const bool recovered = wait_for(before + 30);
  stop = true;
  for (auto& thread : clients) thread.join();
  REQUIRE(loaded);
  REQUIRE(restarted);
  CHECK(recovered);
  WARN(acknowledged.size() << " registrations acknowledged, " << unavailable
                           << " requests answered 503 during the restart");
  for (const ApiResponse& answer : unexpected) {
    UNSCOPED_INFO(answer.status << " " << answer.body.dump());
  }
  CHECK(unexpected.empty());
  for (uint16_t port : ports) CHECK(HealthBecomes(port, 200));
  // Every acknowledged user is there, and its token is good, at both servers.
  for (const Registered& user : acknowledged) {
    for (uint16_t port : ports) {
      ApiResponse profile = Call(port, "GET", "/api/clients/profile/", nullptr, user.token);
      INFO(user.phone << ": " << profile.body.dump());
      REQUIRE(profile.status == 200);
      CHECK(profile.body["id"] == user.id);
    }
  }
}

}  // namespace
}  // namespace connecthub::testing
