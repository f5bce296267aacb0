// Two real connecthub-server processes on one fresh PostgreSQL database, and an HTTP client for
// each: what the scale-out tests stand on.
#pragma once

#include <httplib.h>

#include <catch2/catch.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "processes.h"
#include "support/test_database.h"

namespace connecthub::testing {

struct Answer {
  int status = 0;  // 0: no answer at all (connection refused or reset)
  nlohmann::json body;
  std::string retry_after;
  std::string Error() const { return body.is_object() ? body.value("error", "") : ""; }
};

// One request to the server on `port`; a body of null sends none.
inline Answer Call(uint16_t port, const std::string& method, const std::string& path,
                   const nlohmann::json& body = nullptr, const std::string& token = "") {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(30, 0);
  httplib::Headers headers;
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  const std::string text = body.is_null() ? "" : body.dump();
  httplib::Result result = method == "GET" ? client.Get(path.c_str(), headers)
                           : method == "PATCH"
                               ? client.Patch(path.c_str(), headers, text, "application/json")
                               : client.Post(path.c_str(), headers, text, "application/json");
  Answer answer;
  if (!result) return answer;
  answer.status = result->status;
  answer.body = nlohmann::json::parse(result->body, nullptr, false);
  answer.retry_after = result->get_header_value("Retry-After");
  return answer;
}

struct Registered {
  int64_t id = 0;
  std::string phone;
  std::string invitation_code;
  std::string token;
};

class TwoServers {
 public:
  explicit TwoServers(const std::vector<std::string>& options = {})
      : db_(), a_(db_.location(), options), b_(db_.location(), options) {
    REQUIRE(db_.is_postgres());
  }

  uint16_t a() const { return a_.port(); }
  uint16_t b() const { return b_.port(); }
  const std::string& db() const { return db_.location(); }

  // Both register steps, the code asked through `first` and given through `second`.
  Registered Register(const std::string& phone, uint16_t first, uint16_t second) {
    Answer sent = Call(first, "POST", "/api/register/", {{"phone", phone}});
    REQUIRE(sent.status == 200);
    Answer made = Call(second, "POST", "/api/register/",
                       {{"phone", phone}, {"sms_code", sent.body["sms_code"]}});
    INFO(made.body.dump());
    REQUIRE(made.status == 201);
    return {made.body["id"].get<int64_t>(), phone, made.body["invitation_code"].get<std::string>(),
            made.body["access_token"].get<std::string>()};
  }

 private:
  TestDatabase db_;
  ServerProcess a_;
  ServerProcess b_;
};

// "+7999" and 7 digits from `n`: distinct phones for one test.
inline std::string Phone(int n) {
  std::string digits = std::to_string(1000000 + n);
  return "+7999" + digits.substr(digits.size() - 7);
}

}  // namespace connecthub::testing
