// Two real connecthub-server processes on one fresh PostgreSQL database, and an HTTP client for
// each: what the scale-out tests stand on.
#pragma once

#include <catch2/catch.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "processes.h"
#include "support/api_client.h"
#include "support/test_database.h"

namespace connecthub::testing {

// One request to the server on `port`, on a connection of its own; a body of null sends none.
inline ApiResponse Call(uint16_t port, const std::string& method, const std::string& path,
                        const nlohmann::json& body = nullptr, const std::string& token = "") {
  return ApiClient(port).Send(method, path, body, token);
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
    ApiResponse sent = Call(first, "POST", "/api/register/", {{"phone", phone}});
    REQUIRE(sent.status == 200);
    ApiResponse made = Call(second, "POST", "/api/register/",
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
