// The endpoints of CONTRACT.md over real HTTP: bodies, statuses, error codes and headers.
#include <catch2/catch.hpp>
#include <fstream>

#include "test_server.h"

using connecthub::testing::TestServer;
using connecthub::testing::WrongCode;
using nlohmann::json;

TEST_CASE("register: a code is sent then the code creates the user with a token") {
  TestServer t;
  auto step1 = t.Post("/api/register/", {{"phone", "+7 (991) 234-56-78"}});
  REQUIRE(step1.status == 200);
  CHECK(step1.Header("Content-Type") == "application/json");
  CHECK(step1.body["phone"] == "+79912345678");
  CHECK(step1.body["expires_in"] == 300);
  std::string code = step1.body["sms_code"];
  CHECK(code.size() == 4);

  auto step2 = t.Post("/api/register/", {{"phone", "+79912345678"}, {"sms_code", code}});
  REQUIRE(step2.status == 201);
  CHECK(step2.body["id"] == step2.body["user_id"]);
  CHECK(step2.body["phone"] == "+79912345678");
  CHECK(step2.body["invitation_code"].get<std::string>().size() == 6);
  CHECK(step2.body["token_type"] == "Bearer");
  CHECK(step2.body["expires_in"] == 3600);
  CHECK(step2.body["access_token"].get<std::string>().rfind("eyJ", 0) == 0);
}

TEST_CASE("sms_code may be sent as a JSON number") {
  TestServer t;
  std::string code = t.CodeFor("+79912345678");
  auto r = t.Post("/api/register/", {{"phone", "+79912345678"}, {"sms_code", std::stoi(code)}});
  CHECK(r.status == 201);
}

TEST_CASE("a registered phone gets phone_already_registered at either step") {
  TestServer t;
  t.RegisterUser("+79912345678");
  auto r = t.Post("/api/register/", {{"phone", "+79912345678"}});
  CHECK(r.status == 409);
  CHECK(r.Error() == "phone_already_registered");
  auto r2 = t.Post("/api/register/", {{"phone", "+79912345678"}, {"sms_code", "1234"}});
  CHECK(r2.status == 409);
  CHECK(r2.Error() == "phone_already_registered");
}

TEST_CASE("login: code then token - an unknown phone is phone_not_registered") {
  TestServer t;
  auto user = t.RegisterUser("+79912345678");
  std::string code = t.CodeFor("+79912345678", "/api/login/");
  auto r = t.Post("/api/login/", {{"phone", "+79912345678"}, {"sms_code", code}});
  REQUIRE(r.status == 200);
  CHECK(r.body["id"] == user.id);
  CHECK(r.body["phone"] == "+79912345678");
  CHECK(r.body["token_type"] == "Bearer");
  CHECK(r.body["expires_in"] == 3600);
  CHECK_FALSE(r.body.contains("invitation_code"));
  CHECK(t.Get("/api/clients/profile/", r.body["access_token"]).status == 200);

  auto unknown = t.Post("/api/login/", {{"phone", "+79990000000"}});
  CHECK(unknown.status == 404);
  CHECK(unknown.Error() == "phone_not_registered");
}

TEST_CASE("bad bodies: invalid_json invalid_request naming the field invalid_phone") {
  TestServer t;
  auto r = t.Request("POST", "/api/register/", "{not json");
  CHECK(r.status == 400);
  CHECK(r.Error() == "invalid_json");
  CHECK(r.body["message"].is_string());

  auto missing = t.Post("/api/register/", json::object());
  CHECK(missing.status == 400);
  CHECK(missing.Error() == "invalid_request");
  CHECK(missing.body["message"].get<std::string>().find("phone") != std::string::npos);

  auto typed = t.Post("/api/login/", {{"phone", 79912345678}});
  CHECK(typed.Error() == "invalid_request");
  CHECK(typed.body["message"].get<std::string>().find("phone") != std::string::npos);

  auto code_typed = t.Post("/api/register/", {{"phone", "+79912345678"}, {"sms_code", true}});
  CHECK(code_typed.Error() == "invalid_request");
  CHECK(code_typed.body["message"].get<std::string>().find("sms_code") != std::string::npos);

  CHECK(t.Post("/api/register/", json::array()).Error() == "invalid_request");
  auto phone = t.Post("/api/register/", {{"phone", "12345"}});
  CHECK(phone.status == 400);
  CHECK(phone.Error() == "invalid_phone");
}

TEST_CASE("a wrong code says how many tries remain - after 5 the code is burned") {
  TestServer t;
  std::string code = t.CodeFor("+79912345678");
  json wrong = {{"phone", "+79912345678"}, {"sms_code", WrongCode(code)}};
  for (int i = 0; i < 4; ++i) {
    auto r = t.Post("/api/register/", wrong);
    CHECK(r.status == 400);
    CHECK(r.Error() == "invalid_sms_code");
  }
  auto burned = t.Post("/api/register/", wrong);
  CHECK(burned.status == 429);
  CHECK(burned.Error() == "too_many_attempts");
  auto after = t.Post("/api/register/", {{"phone", "+79912345678"}, {"sms_code", code}});
  CHECK(after.status == 400);
  CHECK(after.Error() == "sms_code_expired");
}

TEST_CASE("a code expires after its lifetime") {
  TestServer t;
  std::string code = t.CodeFor("+79912345678");
  t.clock.Advance(std::chrono::seconds(301));
  auto r = t.Post("/api/register/", {{"phone", "+79912345678"}, {"sms_code", code}});
  CHECK(r.status == 400);
  CHECK(r.Error() == "sms_code_expired");
}

TEST_CASE("a new code within the resend interval is too_many_requests with Retry-After") {
  TestServer t;
  t.CodeFor("+79912345678");
  auto again = t.Post("/api/register/", {{"phone", "+79912345678"}});
  CHECK(again.status == 429);
  CHECK(again.Error() == "too_many_requests");
  int retry_after = std::stoi(again.Header("Retry-After"));
  CHECK(retry_after >= 1);
  CHECK(retry_after <= 30);
  t.clock.Advance(std::chrono::seconds(30));
  CHECK(t.Post("/api/register/", {{"phone", "+79912345678"}}).status == 200);
}

TEST_CASE("with echo off the code is not in the body but goes to the SMS sender") {
  TestServer t([](auto& o) { o.echo_code = false; });
  auto r = t.Post("/api/register/", {{"phone", "+79912345678"}});
  REQUIRE(r.status == 200);
  CHECK_FALSE(r.body.contains("sms_code"));
  REQUIRE(t.sms.Last());
  CHECK(t.sms.Last()->phone == "+79912345678");
  auto done =
      t.Post("/api/register/", {{"phone", "+79912345678"}, {"sms_code", t.sms.Last()->code}});
  CHECK(done.status == 201);
}

TEST_CASE("a failing SMS delivery is service_unavailable with Retry-After") {
  TestServer t([](auto& o) { o.echo_code = false; });
  t.sms.SetFailing(true);
  auto r = t.Post("/api/register/", {{"phone", "+79912345678"}});
  CHECK(r.status == 503);
  CHECK(r.Error() == "service_unavailable");
  CHECK_FALSE(r.Header("Retry-After").empty());
}

TEST_CASE("the profile needs a bearer token: 401 with WWW-Authenticate otherwise") {
  TestServer t;
  auto none = t.Get("/api/clients/profile/");
  CHECK(none.status == 401);
  CHECK(none.Error() == "unauthorized");
  CHECK(none.Header("WWW-Authenticate") == "Bearer realm=\"connecthub\"");

  auto garbled = t.Get("/api/clients/profile/", "not-a-token");
  CHECK(garbled.status == 401);
  CHECK(garbled.Error() == "invalid_token");
  CHECK(garbled.Header("WWW-Authenticate") ==
        "Bearer realm=\"connecthub\", error=\"invalid_token\"");

  auto basic = t.Request("GET", "/api/clients/profile/", "", {{"Authorization", "Basic abc"}});
  CHECK(basic.Error() == "unauthorized");

  auto user = t.RegisterUser("+79912345678");
  t.clock.Advance(std::chrono::seconds(3601));
  auto expired = t.Get("/api/clients/profile/", user.token);
  CHECK(expired.status == 401);
  CHECK(expired.Error() == "invalid_token");
}

TEST_CASE("register profile invite: the walk-through of the README") {
  TestServer t;
  auto alice = t.RegisterUser("+79912345678");
  auto bob = t.RegisterUser("+79990000001");

  auto profile = t.Get("/api/clients/profile/", alice.token);
  REQUIRE(profile.status == 200);
  CHECK(profile.body == json{{"id", alice.id},
                             {"phone", "+79912345678"},
                             {"invitation_code", alice.invitation_code},
                             {"someone_invitation_code", nullptr},
                             {"connections_invited_clients", json::array()}});

  auto activated =
      t.Patch("/api/clients/profile/", {{"invitation_code", alice.invitation_code}}, bob.token);
  REQUIRE(activated.status == 200);
  CHECK(activated.body["someone_invitation_code"] == alice.invitation_code);
  CHECK(activated.body["id"] == bob.id);

  auto again = t.Patch("/api/clients/profile/",
                       {{"someone_invitation_code", alice.invitation_code}}, bob.token);
  CHECK(again.status == 200);

  auto alice_now = t.Get("/api/clients/profile", alice.token);
  CHECK(alice_now.body["connections_invited_clients"] == json::array({"+79990000001"}));
}

TEST_CASE("invitation errors over HTTP in the contract's order") {
  TestServer t;
  auto a = t.RegisterUser("+79912345678");
  auto b = t.RegisterUser("+79990000001");
  auto c = t.RegisterUser("+79990000002");
  auto patch = [&](const auto& user, const json& body) {
    return t.Patch("/api/clients/profile/", body, user.token);
  };
  CHECK(patch(a, {{"invitation_code", "abc"}}).Error() == "invalid_invitation_code");
  CHECK(patch(a, {{"invitation_code", "abc"}}).status == 400);
  std::string unknown = a.invitation_code == "ZZZZZZ" ? "YYYYYY" : "ZZZZZZ";
  if (unknown == b.invitation_code || unknown == c.invitation_code) unknown = "Zz9Zz9";
  auto not_found = patch(a, {{"invitation_code", unknown}});
  CHECK(not_found.status == 404);
  CHECK(not_found.Error() == "invitation_code_not_found");
  auto own = patch(a, {{"invitation_code", a.invitation_code}});
  CHECK(own.status == 409);
  CHECK(own.Error() == "own_invitation_code");
  CHECK(patch(b, {{"invitation_code", a.invitation_code}}).status == 200);  // a invited b
  CHECK(patch(c, {{"invitation_code", b.invitation_code}}).status == 200);  // b invited c
  auto cycle = patch(a, {{"invitation_code", c.invitation_code}});
  CHECK(cycle.status == 409);
  CHECK(cycle.Error() == "invitation_cycle");
  auto already = patch(b, {{"invitation_code", c.invitation_code}});
  CHECK(already.status == 409);
  CHECK(already.Error() == "invitation_already_activated");
  auto missing = patch(a, json::object());
  CHECK(missing.Error() == "invalid_request");
  CHECK(missing.body["message"].get<std::string>().find("invitation_code") != std::string::npos);
  CHECK(patch(a, {{"invitation_code", 123456}}).Error() == "invalid_request");
}

TEST_CASE("healthz answers ok while the database answers") {
  TestServer t;
  auto r = t.Get("/healthz");
  CHECK(r.status == 200);
  CHECK(r.body == json{{"status", "ok"}});
  CHECK(r.Header("Content-Type") == "application/json");
}

TEST_CASE("the SMS command delivers the code through the operator's program") {
  connecthub::testing::TempDir out;
  std::string file = out.File("sms.txt");
  TestServer t(
      [&](auto& o) {
        o.echo_code = false;
        o.sms_command =
            "printf '%s %s %s' \"$CONNECTHUB_PHONE\" \"$CONNECTHUB_CODE\" "
            "\"$CONNECTHUB_PURPOSE\" > '" +
            file + "'";
      },
      /*with_sender=*/false);
  auto r = t.Post("/api/register/", {{"phone", "+79912345678"}});
  REQUIRE(r.status == 200);
  CHECK_FALSE(r.body.contains("sms_code"));
  std::ifstream in(file);
  std::string phone, code, purpose;
  in >> phone >> code >> purpose;
  CHECK(phone == "+79912345678");
  CHECK(purpose == "register");
  auto done = t.Post("/api/register/", {{"phone", "+79912345678"}, {"sms_code", code}});
  CHECK(done.status == 201);
}

TEST_CASE("a failing SMS command is service_unavailable") {
  TestServer t(
      [](auto& o) {
        o.echo_code = false;
        o.sms_command = "exit 3";
      },
      /*with_sender=*/false);
  auto r = t.Post("/api/register/", {{"phone", "+79912345678"}});
  CHECK(r.status == 503);
  CHECK(r.Error() == "service_unavailable");
}
