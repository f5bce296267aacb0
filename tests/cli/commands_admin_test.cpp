// stats, revoke, purge-codes and backup: what operators run by hand and from cron.
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>

#include "connecthub/auth.h"
#include "connecthub/keys.h"
#include "connecthub/storage.h"
#include "tests/cli/cli_fixture.h"
#include "tests/support/fakes.h"

namespace connecthub::testing {
namespace {

// The core, in this process, on the database the CLI works on.
class Core {
 public:
  explicit Core(const std::string& db, Clock& clock) : clock_(clock) {
    auto opened = OpenStorage(db);
    REQUIRE(opened.ok());
    storage_ = std::move(opened).value();
    auto key = LoadSecretKey(*storage_, random_, std::nullopt);
    REQUIRE(key.ok());
    auth_ =
        std::make_unique<AuthService>(*storage_, clock_, random_, *key, AuthSettings{}, nullptr);
  }
  AuthService& auth() { return *auth_; }

 private:
  Clock& clock_;
  CryptoRandom random_;
  std::unique_ptr<Storage> storage_;
  std::unique_ptr<AuthService> auth_;
};

TEST_CASE_METHOD(CliFixture, "stats counts users, activations and pending codes") {
  CHECK(Json({"stats"}) ==
        nlohmann::json({{"users", 0}, {"activations", 0}, {"pending_codes", 0}}));
  std::string a_code = Json({"register", "+79990000001"})["invitation_code"];
  Json({"register", "+79990000002"});
  Json({"invite", "+79990000002", a_code});
  SystemClock clock;
  Core core(db, clock);
  REQUIRE(core.auth().RequestCode("+79990000003", Purpose::kRegister).ok());
  CHECK(Json({"stats"}) ==
        nlohmann::json({{"users", 2}, {"activations", 1}, {"pending_codes", 1}}));

  ProcessResult r = Cli({"stats"});
  REQUIRE(r.status == 0);
  CHECK(r.out ==
        "users          2\n"
        "activations    1\n"
        "pending codes  1\n");
}

TEST_CASE_METHOD(CliFixture, "revoke makes every older token invalid, newer ones work") {
  Json({"register", "+79912345678"});
  std::string before = Json({"login", "+79912345678"})["access_token"];
  SystemClock clock;
  {
    Core core(db, clock);
    REQUIRE(core.auth().Authenticate(before).ok());
  }
  CHECK(Json({"revoke", "+7 991 234-56-78"}) ==
        nlohmann::json({{"id", 1}, {"phone", "+79912345678"}, {"revoked", true}}));
  std::string after = Json({"login", "+79912345678"})["access_token"];

  Core core(db, clock);
  auto old = core.auth().Authenticate(before);
  REQUIRE_FALSE(old.ok());
  CHECK(old.error().code == ErrorCode::kInvalidToken);
  auto fresh = core.auth().Authenticate(after);
  REQUIRE(fresh.ok());
  CHECK(*fresh == 1);
}

TEST_CASE_METHOD(CliFixture, "revoke says what it did, and fails for unknown phones") {
  Json({"register", "+79912345678"});
  ProcessResult r = Cli({"revoke", "+79912345678"});
  REQUIRE(r.status == 0);
  CHECK(r.out == "revoked every token issued so far to +79912345678 (id 1)\n");
  RequireError(Cli({"revoke", "+79990000009"}), 3, "registered");
  RequireJsonError(Cli({"revoke", "+79990000009", "--json"}), 3, "phone_not_registered");
  RequireJsonError(Cli({"revoke", "12", "--json"}), 5, "invalid_phone");
}

TEST_CASE_METHOD(CliFixture, "purge-codes deletes dead codes and keeps live ones") {
  FakeClock yesterday;
  yesterday.Advance(std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now() - yesterday.Now() - std::chrono::hours(24)));
  SystemClock now;
  {
    Core old_core(db, yesterday);
    REQUIRE(old_core.auth().RequestCode("+79990000001", Purpose::kRegister).ok());
    REQUIRE(old_core.auth().RequestCode("+79990000002", Purpose::kRegister).ok());
    Core core(db, now);
    REQUIRE(core.auth().RequestCode("+79990000003", Purpose::kRegister).ok());
  }
  CHECK(Json({"stats"})["pending_codes"] == 1);
  CHECK(Json({"purge-codes"}) == nlohmann::json({{"deleted", 2}}));
  CHECK(Json({"stats"})["pending_codes"] == 1);
  ProcessResult r = Cli({"purge-codes"});
  REQUIRE(r.status == 0);
  CHECK(r.out == "deleted 0 dead codes\n");
}

TEST_CASE_METHOD(CliFixture, "backup writes a copy that works as a database") {
  nlohmann::json reg = Json({"register", "+79912345678"});
  const std::string copy = File("copy.db");
  CHECK(Json({"backup", copy}) == nlohmann::json({{"backup", copy}}));
  REQUIRE(std::filesystem::exists(copy));
  Json({"register", "+79990000002"});  // after the backup: not in the copy

  ProcessResult r = RunCli({"--db", copy, "--json", "users"});
  REQUIRE(r.status == 0);
  nlohmann::json users = nlohmann::json::parse(r.out);
  REQUIRE(users.size() == 1);
  CHECK(users[0]["phone"] == "+79912345678");
  CHECK(users[0]["invitation_code"] == reg["invitation_code"]);

  ProcessResult human = Cli({"backup", File("second.db")});
  REQUIRE(human.status == 0);
  CHECK(human.out == "backup written to " + File("second.db") + "\n");
}

TEST_CASE_METHOD(CliFixture, "backup replaces an older copy at the same path (cron rotation)") {
  const std::string copy = File("weekday.db");
  Json({"register", "+79990000001"});
  Json({"backup", copy});
  Json({"register", "+79990000002"});
  Json({"backup", copy});
  ProcessResult r = RunCli({"--db", copy, "--json", "stats"});
  REQUIRE(r.status == 0);
  CHECK(nlohmann::json::parse(r.out)["users"] == 2);
}

TEST_CASE_METHOD(CliFixture, "backup into a missing directory fails as a database error") {
  Json({"stats"});
  RequireError(Cli({"backup", File("missing/copy.db")}), 1, "");
  RequireJsonError(Cli({"backup", File("missing/copy.db"), "--json"}), 1, "internal_error");
  RequireJsonError(Cli({"backup", db, "--json"}), 5, "invalid_request");
  RequireError(Cli({"backup"}), 2, "FILE");
}

}  // namespace
}  // namespace connecthub::testing
