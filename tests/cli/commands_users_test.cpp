// register, login, profile and users, run as an operator would.
#include <catch2/catch.hpp>
#include <regex>

#include "connecthub/auth.h"
#include "connecthub/keys.h"
#include "connecthub/storage.h"
#include "tests/cli/cli_fixture.h"

namespace connecthub::testing {
namespace {

const std::regex kIsoUtc(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)");
const std::regex kInvitationCode("[A-Za-z0-9]{6}");

// The user a token belongs to, as the server would see it on this database.
Result<int64_t> AuthenticateOn(const std::string& db, const std::string& token,
                               std::optional<std::string> key = std::nullopt) {
  auto storage = OpenStorage(db);
  REQUIRE(storage.ok());
  SystemClock clock;
  CryptoRandom random;
  auto secret = LoadSecretKey(**storage, random, key);
  REQUIRE(secret.ok());
  AuthService auth(**storage, clock, random, *secret, AuthSettings{}, nullptr);
  return auth.Authenticate(token);
}

TEST_CASE_METHOD(CliFixture, "register prints the API's register body with --json") {
  nlohmann::json body = Json({"register", "+7 (991) 234-56-78"});
  CHECK(body["id"] == 1);
  CHECK(body["user_id"] == 1);
  CHECK(body["phone"] == "+79912345678");
  CHECK(std::regex_match(body["invitation_code"].get<std::string>(), kInvitationCode));
  CHECK(body["token_type"] == "Bearer");
  CHECK(body["expires_in"] == 3600);
  CHECK(body.size() == 7);
  auto user = AuthenticateOn(db, body["access_token"]);
  REQUIRE(user.ok());
  CHECK(*user == 1);
}

TEST_CASE_METHOD(CliFixture, "register prints aligned fields for people") {
  ProcessResult r = Cli({"register", "+79912345678"});
  REQUIRE(r.status == 0);
  CHECK(r.err.empty());
  CHECK(r.out.starts_with("id               1\nphone            +79912345678\n"));
  CHECK(std::regex_search(r.out, std::regex("\ninvitation code  [A-Za-z0-9]{6}\n")));
  CHECK(std::regex_search(r.out, std::regex("\naccess token     eyJ[^\n]+\n")));
  CHECK(r.out.find("expires in       3600 s\n") != std::string::npos);
}

TEST_CASE_METHOD(CliFixture, "register refuses a phone that is already registered") {
  Json({"register", "+79912345678"});
  RequireError(Cli({"register", "+7 991 234 56 78"}), 4, "registered");
  RequireJsonError(Cli({"--json", "register", "+79912345678"}), 4, "phone_already_registered");
}

TEST_CASE_METHOD(CliFixture, "register refuses a malformed phone") {
  RequireError(Cli({"register", "79912345678"}), 5, "+");
  RequireJsonError(Cli({"register", "+7991", "--json"}), 5, "invalid_phone");
  RequireJsonError(Cli({"register", "+7991abc2345678", "--json"}), 5, "invalid_phone");
}

TEST_CASE_METHOD(CliFixture, "register and login honour --token-ttl and CONNECTHUB_TOKEN_TTL") {
  CHECK(Json({"register", "+79912345678", "--token-ttl", "2m"})["expires_in"] == 120);
  CHECK(Json({"login", "+79912345678", "--token-ttl", "90"})["expires_in"] == 90);
  CHECK(Json({"login", "+79912345678"}, {{"CONNECTHUB_TOKEN_TTL", "1h"}})["expires_in"] == 3600);
  CHECK(Json({"login", "+79912345678"}, {{"CONNECTHUB_TOKEN_TTL", "30s"}})["expires_in"] == 30);
  RequireJsonError(Cli({"login", "+79912345678", "--token-ttl", "0", "--json"}), 2,
                   "invalid_request");
  RequireError(Cli({"login", "+79912345678", "--token-ttl", "500ms"}), 2, "from 1s to 366 days");
  RequireError(Cli({"login", "+79912345678", "--token-ttl", "9000h"}), 2, "from 1s to 366 days");
  RequireError(Cli({"login", "+79912345678", "--token-ttl", "soon"}), 2, "--token-ttl");
}

TEST_CASE_METHOD(CliFixture, "login issues a token the core accepts on the same database") {
  nlohmann::json reg = Json({"register", "+79912345678"});
  nlohmann::json body = Json({"login", "+79912345678"});
  CHECK(body["id"] == reg["id"]);
  CHECK(body["phone"] == "+79912345678");
  CHECK(body["token_type"] == "Bearer");
  CHECK(body["expires_in"] == 3600);
  CHECK(body.size() == 5);
  CHECK(body["access_token"] != reg["access_token"]);
  auto user = AuthenticateOn(db, body["access_token"]);
  REQUIRE(user.ok());
  CHECK(*user == reg["id"]);
}

TEST_CASE_METHOD(CliFixture, "login signs with CONNECTHUB_SECRET_KEY when it is set") {
  const std::string key(40, 'k');
  Json({"register", "+79912345678"});
  std::string token =
      Json({"login", "+79912345678"}, {{"CONNECTHUB_SECRET_KEY", key}})["access_token"];
  CHECK(AuthenticateOn(db, token, key).ok());
  auto with_stored_key = AuthenticateOn(db, token);
  REQUIRE_FALSE(with_stored_key.ok());
  CHECK(with_stored_key.error().code == ErrorCode::kInvalidToken);
}

TEST_CASE_METHOD(CliFixture, "login refuses a secret key that is too short") {
  Json({"register", "+79912345678"});
  RequireJsonError(Cli({"--json", "login", "+79912345678"}, {{"CONNECTHUB_SECRET_KEY", "short"}}),
                   5, "invalid_request");
}

TEST_CASE_METHOD(CliFixture, "login of an unknown or malformed phone fails") {
  RequireError(Cli({"login", "+79912345678"}), 3, "registered");
  RequireJsonError(Cli({"--json", "login", "+79912345678"}), 3, "phone_not_registered");
  RequireJsonError(Cli({"--json", "login", "phone"}), 5, "invalid_phone");
}

TEST_CASE_METHOD(CliFixture, "profile prints the API's profile body") {
  nlohmann::json reg = Json({"register", "+79912345678"});
  nlohmann::json body = Json({"profile", "+79912345678"});
  nlohmann::json expected = {{"id", reg["id"]},
                             {"phone", "+79912345678"},
                             {"invitation_code", reg["invitation_code"]},
                             {"someone_invitation_code", nullptr},
                             {"connections_invited_clients", nlohmann::json::array()}};
  CHECK(body == expected);
}

TEST_CASE_METHOD(CliFixture, "profile prints aligned fields for people") {
  std::string code = Json({"register", "+79912345678"})["invitation_code"];
  ProcessResult r = Cli({"profile", "+79912345678"});
  REQUIRE(r.status == 0);
  CHECK(r.err.empty());
  CHECK(r.out ==
        "id               1\n"
        "phone            +79912345678\n"
        "invitation code  " +
            code +
            "\n"
            "activated code   -\n"
            "invited          0\n");
}

TEST_CASE_METHOD(CliFixture, "profile of an unknown or malformed phone fails") {
  RequireError(Cli({"profile", "+79912345678"}), 3, "registered");
  RequireJsonError(Cli({"profile", "+79912345678", "--json"}), 3, "phone_not_registered");
  RequireJsonError(Cli({"profile", "+1", "--json"}), 5, "invalid_phone");
}

TEST_CASE_METHOD(CliFixture, "users lists users newest first, a page at a time") {
  for (std::string phone : {"+79990000001", "+79990000002", "+79990000003"}) {
    Json({"register", phone});
  }
  nlohmann::json all = Json({"users"});
  REQUIRE(all.size() == 3);
  CHECK(all[0]["phone"] == "+79990000003");
  CHECK(all[2]["phone"] == "+79990000001");
  nlohmann::json first = all[0];
  CHECK(first["id"] == 3);
  CHECK(std::regex_match(first["invitation_code"].get<std::string>(), kInvitationCode));
  CHECK(first["someone_invitation_code"].is_null());
  CHECK(std::regex_match(first["created_at"].get<std::string>(), kIsoUtc));
  CHECK(first["invited_count"] == 0);
  CHECK(first.size() == 6);

  nlohmann::json page = Json({"users", "--limit", "2", "--offset", "1"});
  REQUIRE(page.size() == 2);
  CHECK(page[0]["phone"] == "+79990000002");
  CHECK(page[1]["phone"] == "+79990000001");
  CHECK(Json({"users", "--offset", "3"}) == nlohmann::json::array());
}

TEST_CASE_METHOD(CliFixture, "users prints a table for people") {
  CHECK(Cli({"users"}).out == "no users\n");
  Json({"register", "+79990000001"});
  ProcessResult r = Cli({"users"});
  REQUIRE(r.status == 0);
  CHECK(std::regex_match(r.out,
                         std::regex("ID  PHONE         CODE    ACTIVATED  CREATED AT            "
                                    "INVITED\n"
                                    "1   \\+79990000001  [A-Za-z0-9]{6}  -          "
                                    "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ  0\n")));
}

TEST_CASE_METHOD(CliFixture, "users refuses a negative or non-numeric page") {
  RequireJsonError(Cli({"users", "--limit", "-1", "--json"}), 5, "invalid_request");
  RequireJsonError(Cli({"users", "--offset", "-5", "--json"}), 5, "invalid_request");
  RequireError(Cli({"users", "--limit", "ten"}), 2, "--limit");
}

}  // namespace
}  // namespace connecthub::testing
