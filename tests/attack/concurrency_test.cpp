// Concurrency attacks: clients that activate codes forming a circle at the same instant, and the
// server and several connecthub-cli processes writing one database file at once.
#include <atomic>
#include <catch2/catch.hpp>
#include <latch>
#include <mutex>
#include <thread>
#include <vector>

#include "attack/attack_fixture.h"
#include "attack/process.h"
#include "support/api_client.h"
#include "support/temp_dir.h"

namespace connecthub::testing {
namespace {

struct User {
  std::string phone;
  std::string code;
  std::string token;
};

User RegisterOrFail(ApiClient& api, const std::string& phone) {
  ApiResponse r = api.Register(phone);
  INFO(phone << ": " << r.status << " " << r.raw);
  REQUIRE(r.status == 201);
  return {phone, r.body["invitation_code"], r.body["access_token"]};
}

// ring[i] activates ring[i + 1]'s code, all at the same moment; returns each answer's status.
std::vector<ApiResponse> ActivateRingAtOnce(uint16_t port, const std::vector<User>& ring) {
  std::vector<ApiResponse> answers(ring.size());
  std::latch ready(static_cast<std::ptrdiff_t>(ring.size()));
  std::vector<std::thread> threads;
  for (size_t i = 0; i < ring.size(); ++i) {
    threads.emplace_back([&, i] {
      ApiClient api(port);
      api.Send("GET", "/healthz");  // connected before the race starts
      ready.arrive_and_wait();
      answers[i] = api.Activate(ring[i].token, ring[(i + 1) % ring.size()].code);
    });
  }
  for (auto& t : threads) t.join();
  return answers;
}

}  // namespace

TEST_CASE("activations racing to close a circle never produce one") {
  TempDir dir;
  const std::string db = dir.File("circles.db");
  ServerProcess server(UnthrottledArgs(db), dir.File("server.log"));
  ApiClient api(server.port());

  // Rings of 2, 3 and 4 users, several of each: in each ring the last activation to commit would
  // close the circle, so at least one of them must be refused with invitation_cycle.
  int phone = 0;
  int refused = 0;
  int accepted = 0;
  for (size_t ring_size : {2, 3, 3, 4, 2, 3, 4, 3, 2, 3, 4, 3}) {
    std::vector<User> ring;
    for (size_t i = 0; i < ring_size; ++i)
      ring.push_back(RegisterOrFail(api, TestPhone(1, phone++)));
    std::vector<ApiResponse> answers = ActivateRingAtOnce(server.port(), ring);
    int ring_refused = 0;
    for (const ApiResponse& a : answers) {
      INFO(a.status << " " << a.raw);
      if (a.status == 200) {
        ++accepted;
      } else {
        REQUIRE(a.status == 409);
        REQUIRE(a.Error() == "invitation_cycle");
        ++ring_refused;
      }
    }
    CHECK(ring_refused >= 1);
    refused += ring_refused;
  }
  std::printf("circles: %d activations accepted, %d refused as invitation_cycle\n", accepted,
              refused);
  auto circle = FindCircle(DatabaseFile(db).InvitedBy());
  INFO("user on a circle: " << circle.value_or(0));
  CHECK_FALSE(circle.has_value());
  CHECK(DatabaseFile(db).IntegrityCheck() == "ok");
}

TEST_CASE("the server and several CLI processes write one database at once and lose nothing") {
  TempDir dir;
  const std::string db = dir.File("shared.db");
  ServerProcess server(UnthrottledArgs(db), dir.File("server.log"));
  ApiClient setup(server.port());
  const User root = RegisterOrFail(setup, TestPhone(2, 0));

  constexpr int kCliWorkers = 3;
  constexpr int kHttpWorkers = 2;
  constexpr int kEach = 12;
  std::mutex mutex;
  std::vector<std::string> failures;
  std::atomic<int> http_ok{0}, cli_ok{0};
  auto fail = [&](std::string what) {
    std::lock_guard lock(mutex);
    failures.push_back(std::move(what));
  };

  std::vector<std::thread> workers;
  for (int w = 0; w < kCliWorkers; ++w) {
    workers.emplace_back([&, w] {
      for (int n = 0; n < kEach; ++n) {
        const std::string phone = TestPhone(10 + w, n);
        for (std::vector<std::string> args :
             {std::vector<std::string>{"register", phone},
              std::vector<std::string>{"invite", phone, root.code}}) {
          std::vector<std::string> argv = {CliPath(), "--db", db};
          argv.insert(argv.end(), args.begin(), args.end());
          ProgramResult r = RunProgram(argv, dir.path().string());
          if (r.status != 0)
            fail("cli " + args[0] + " " + phone + ": " + r.err);
          else
            ++cli_ok;
        }
      }
    });
  }
  for (int w = 0; w < kHttpWorkers; ++w) {
    workers.emplace_back([&, w] {
      ApiClient api(server.port());
      for (int n = 0; n < kEach * 2; ++n) {
        const std::string phone = TestPhone(20 + w, n);
        ApiResponse reg = api.Register(phone);
        if (reg.status != 201) {
          fail("http register " + phone + ": " + std::to_string(reg.status) + " " + reg.raw);
          continue;
        }
        ++http_ok;
        ApiResponse act = api.Activate(reg.body["access_token"], root.code);
        if (act.status != 200) {
          fail("http activate " + phone + ": " + std::to_string(act.status) + " " + act.raw);
        } else {
          ++http_ok;
        }
      }
    });
  }
  for (auto& t : workers) t.join();

  INFO("first failure: " << (failures.empty() ? "" : failures.front()));
  CHECK(failures.empty());
  for (const std::string& f : failures) CHECK(f.find("locked") == std::string::npos);
  CHECK(cli_ok == kCliWorkers * kEach * 2);
  CHECK(http_ok == kHttpWorkers * kEach * 2 * 2);
  DatabaseFile file(db);
  const int64_t expected_users = 1 + kCliWorkers * kEach + kHttpWorkers * kEach * 2;
  CHECK(file.Count("users") == expected_users);
  CHECK(file.InvitedBy().size() == static_cast<size_t>(expected_users - 1));
  CHECK(file.IntegrityCheck() == "ok");
  // Everything the CLI wrote is visible to the running server at once.
  ApiResponse profile = setup.Profile(root.token);
  REQUIRE(profile.status == 200);
  CHECK(profile.body["connections_invited_clients"].size() ==
        static_cast<size_t>(expected_users - 1));
  CHECK(server.Log().find("database is locked") == std::string::npos);
}

}  // namespace connecthub::testing
