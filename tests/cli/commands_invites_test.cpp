// invite and list-invited: the API's checks in its order, through the operator's tool.
#include <time.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <regex>

#include "tests/cli/cli_fixture.h"

namespace connecthub::testing {
namespace {

class InviteFixture : public CliFixture {
 public:
  // Registers `phone` and returns its invitation code.
  std::string Register(const std::string& phone) const {
    return Json({"register", phone})["invitation_code"];
  }
};

// Seconds between an ISO 8601 UTC time ("2026-11-25T10:15:30Z") and now.
int64_t SecondsFromNow(const std::string& iso) {
  std::tm tm{};
  REQUIRE(strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm) != nullptr);
  int64_t then = timegm(&tm);
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  return now - then;
}

TEST_CASE_METHOD(InviteFixture, "invite activates a code and prints the API's profile body") {
  std::string a_code = Register("+79990000001");
  std::string b_code = Register("+79990000002");
  nlohmann::json body = Json({"invite", "+79990000002", a_code});
  nlohmann::json expected = {{"id", 2},
                             {"phone", "+79990000002"},
                             {"invitation_code", b_code},
                             {"someone_invitation_code", a_code},
                             {"connections_invited_clients", nlohmann::json::array()}};
  CHECK(body == expected);
  CHECK(Json({"profile", "+79990000001"})["connections_invited_clients"] ==
        nlohmann::json::array({"+79990000002"}));
}

TEST_CASE_METHOD(InviteFixture, "invite prints the profile for people") {
  std::string a_code = Register("+79990000001");
  std::string b_code = Register("+79990000002");
  REQUIRE(Cli({"invite", "+79990000002", a_code}).status == 0);
  ProcessResult r = Cli({"profile", "+79990000001"});
  REQUIRE(r.status == 0);
  CHECK(r.out ==
        "id               1\n"
        "phone            +79990000001\n"
        "invitation code  " +
            a_code +
            "\n"
            "activated code   -\n"
            "invited          1\n"
            "                 +79990000002\n");
  CHECK(Cli({"profile", "+79990000002"}).out.find("activated code   " + a_code + "\n") !=
        std::string::npos);
}

TEST_CASE_METHOD(InviteFixture, "invite with the code already activated changes nothing") {
  std::string a_code = Register("+79990000001");
  Register("+79990000002");
  nlohmann::json first = Json({"invite", "+79990000002", a_code});
  CHECK(Json({"invite", "+79990000002", a_code}) == first);
}

TEST_CASE_METHOD(InviteFixture, "invite refuses with the API's codes and the contract's statuses") {
  std::string a_code = Register("+79990000001");
  std::string b_code = Register("+79990000002");
  std::string c_code = Register("+79990000003");
  Json({"invite", "+79990000002", a_code});  // A invited B
  Json({"invite", "+79990000003", b_code});  // B invited C

  RequireJsonError(Cli({"--json", "invite", "+79990000001", "abc"}), 5, "invalid_invitation_code");
  std::string unknown = "Zz9Zz9";
  while (unknown == a_code || unknown == b_code || unknown == c_code) unknown[0]++;
  RequireJsonError(Cli({"--json", "invite", "+79990000001", unknown}), 3,
                   "invitation_code_not_found");
  RequireJsonError(Cli({"--json", "invite", "+79990000001", a_code}), 4, "own_invitation_code");
  RequireJsonError(Cli({"--json", "invite", "+79990000002", c_code}), 4,
                   "invitation_already_activated");
  RequireJsonError(Cli({"--json", "invite", "+79990000001", c_code}), 4, "invitation_cycle");
  RequireJsonError(Cli({"--json", "invite", "+79990000009", a_code}), 3, "phone_not_registered");
  RequireJsonError(Cli({"--json", "invite", "not-a-phone", a_code}), 5, "invalid_phone");
  RequireError(Cli({"invite", "+79990000001", c_code}), 4, "");
  RequireError(Cli({"invite", "+79990000001"}), 2, "CODE");
}

TEST_CASE_METHOD(InviteFixture, "list-invited lists who activated the code, oldest first") {
  std::string a_code = Register("+79990000001");
  Register("+79990000002");
  Register("+79990000003");
  CHECK(Json({"list-invited", "+79990000001"}) == nlohmann::json::array());
  Json({"invite", "+79990000003", a_code});
  Json({"invite", "+79990000002", a_code});

  nlohmann::json list = Json({"list-invited", "+79990000001"});
  REQUIRE(list.size() == 2);
  CHECK(list[0]["id"] == 3);
  CHECK(list[0]["phone"] == "+79990000003");
  CHECK(list[1]["id"] == 2);
  CHECK(list[1]["phone"] == "+79990000002");
  for (const auto& invitee : list) {
    CHECK(invitee.size() == 3);
    std::string at = invitee["activated_at"];
    CHECK(std::regex_match(at, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
    CHECK(std::abs(SecondsFromNow(at)) < 120);
  }
}

TEST_CASE_METHOD(InviteFixture, "list-invited prints a table for people") {
  std::string a_code = Register("+79990000001");
  CHECK(Cli({"list-invited", "+79990000001"}).out ==
        "nobody has activated this user's invitation code yet\n");
  Register("+79990000002");
  Json({"invite", "+79990000002", a_code});
  ProcessResult r = Cli({"list-invited", "+79990000001"});
  REQUIRE(r.status == 0);
  CHECK(r.err.empty());
  CHECK(std::regex_match(r.out, std::regex("ID  PHONE         ACTIVATED AT\n"
                                           "2   \\+79990000002  \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:"
                                           "\\d\\dZ\n")));
}

TEST_CASE_METHOD(InviteFixture, "list-invited of an unknown or malformed phone fails") {
  RequireError(Cli({"list-invited", "+79990000001"}), 3, "registered");
  RequireJsonError(Cli({"list-invited", "+79990000001", "--json"}), 3, "phone_not_registered");
  RequireJsonError(Cli({"list-invited", "+", "--json"}), 5, "invalid_phone");
}

}  // namespace
}  // namespace connecthub::testing
