// Crash safety: the server is killed with SIGKILL in the middle of concurrent sign-ups and
// invitation activations, then restarted on the same file. Whatever a client saw acknowledged
// (201 for a registration, 200 for an activation) must still be there, and the file must be sound.
#include <signal.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

#include "attack/attack_fixture.h"
#include "attack/process.h"
#include "support/api_client.h"
#include "support/temp_dir.h"

namespace connecthub::testing {
namespace {

struct Registered {
  int64_t id = 0;
  std::string phone;
  std::string invitation_code;
  std::string token;
};

struct Activated {
  std::string token;  // of the user who activated
  std::string code;   // the code activated
};

struct Ledger {
  std::mutex mutex;
  std::vector<Registered> registered;
  std::vector<Activated> activated;
  std::vector<std::string> unexpected;  // answers other than success or "server gone"
};

// One client: registers users one after another; each activates the code of the one before it
// (the first activates `root_code`), so every activation is legal and the chain has no circle.
void Client(uint16_t port, int group, const std::string& root_code, const std::atomic<bool>& stop,
            Ledger& ledger) {
  ApiClient api(port);
  std::string previous_code = root_code;
  for (int n = 0; !stop.load(); ++n) {
    ApiResponse reg = api.Register(TestPhone(group, n));
    if (reg.status == 0) return;  // killed
    if (reg.status != 201) {
      std::lock_guard lock(ledger.mutex);
      ledger.unexpected.push_back(std::to_string(reg.status) + " " + reg.raw);
      return;
    }
    Registered user{reg.body["id"], reg.body["phone"], reg.body["invitation_code"],
                    reg.body["access_token"]};
    {
      std::lock_guard lock(ledger.mutex);
      ledger.registered.push_back(user);
    }
    ApiResponse act = api.Activate(user.token, previous_code);
    if (act.status == 0) return;
    std::lock_guard lock(ledger.mutex);
    if (act.status != 200) {
      ledger.unexpected.push_back(std::to_string(act.status) + " " + act.raw);
      return;
    }
    ledger.activated.push_back({user.token, previous_code});
    previous_code = user.invitation_code;
  }
}

}  // namespace

TEST_CASE("a server killed with SIGKILL mid-load keeps every acknowledged write") {
  TempDir dir;
  const std::string db = dir.File("crash.db");
  const std::string log = dir.File("server.log");
  constexpr int kClients = 4;
  constexpr size_t kAckedBeforeKill = 300;

  auto server = std::make_unique<ServerProcess>(UnthrottledArgs(db), log);
  ApiResponse root = ApiClient(server->port()).Register(TestPhone(99, 0));
  REQUIRE(root.status == 201);

  Ledger ledger;
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back(Client, server->port(), c, root.body["invitation_code"].get<std::string>(),
                         std::cref(stop), std::ref(ledger));
  }
  // Kill once enough writes were acknowledged, while the clients are still sending.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard lock(ledger.mutex);
      if (ledger.registered.size() + ledger.activated.size() >= kAckedBeforeKill ||
          !ledger.unexpected.empty()) {
        break;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // polling the clients' progress
  }
  REQUIRE(server->Stop(SIGKILL) == 128 + SIGKILL);
  stop = true;
  for (auto& t : clients) t.join();

  INFO("unexpected answers: " << (ledger.unexpected.empty() ? "" : ledger.unexpected.front()));
  REQUIRE(ledger.unexpected.empty());
  REQUIRE(ledger.registered.size() + ledger.activated.size() >= kAckedBeforeKill);

  // The file as the kill left it (SQLite recovers the WAL on this first open).
  DatabaseFile file(db);
  CHECK(file.IntegrityCheck() == "ok");
  const int64_t users_on_disk = file.Count("users");
  CHECK(users_on_disk >= static_cast<int64_t>(ledger.registered.size()) + 1);

  // Restarted on the same file, the server knows every acknowledged user and activation.
  server = std::make_unique<ServerProcess>(UnthrottledArgs(db), log);
  ApiClient api(server->port());
  size_t registrations_found = 0;
  for (const Registered& user : ledger.registered) {
    ApiResponse profile = api.Profile(user.token);
    if (profile.status == 200 && profile.body["id"] == user.id &&
        profile.body["phone"] == user.phone &&
        profile.body["invitation_code"] == user.invitation_code) {
      ++registrations_found;
    }
  }
  size_t activations_found = 0;
  for (const Activated& activation : ledger.activated) {
    ApiResponse profile = api.Profile(activation.token);
    if (profile.status == 200 && profile.body["someone_invitation_code"] == activation.code) {
      ++activations_found;
    }
  }
  std::printf(
      "crash safety: %zu registrations and %zu activations acknowledged before SIGKILL; "
      "%zu and %zu found after restart; %lld users on disk; integrity_check ok\n",
      ledger.registered.size(), ledger.activated.size(), registrations_found, activations_found,
      static_cast<long long>(users_on_disk));
  CHECK(registrations_found == ledger.registered.size());
  CHECK(activations_found == ledger.activated.size());
  CHECK(DatabaseFile(db).IntegrityCheck() == "ok");
}

}  // namespace connecthub::testing
