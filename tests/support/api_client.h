// A client of connecthub's HTTP API for tests that run the server as a process (cpp-httplib): one
// per thread, JSON in and out, and status 0 when the server could not be reached (it was killed,
// or refused).
#pragma once

#include <httplib.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace connecthub::testing {

struct ApiResponse {
  int status = 0;  // 0: no answer
  nlohmann::json body;
  std::string raw;
  std::string retry_after;  // the Retry-After header, if any
  std::string Error() const { return body.is_object() ? body.value("error", "") : ""; }
};

class ApiClient {
 public:
  explicit ApiClient(uint16_t port) : client_("127.0.0.1", port) {
    client_.set_connection_timeout(5, 0);
    client_.set_read_timeout(30, 0);
    client_.set_keep_alive(true);
  }

  ApiResponse Send(const std::string& method, const std::string& path,
                   const nlohmann::json& body = nullptr, const std::string& token = "") {
    httplib::Headers headers;
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    const std::string text = body.is_null() ? "" : body.dump();
    httplib::Result r = method == "GET" ? client_.Get(path.c_str(), headers)
                        : method == "PATCH"
                            ? client_.Patch(path.c_str(), headers, text, "application/json")
                            : client_.Post(path.c_str(), headers, text, "application/json");
    ApiResponse out;
    if (!r) return out;
    out.status = r->status;
    out.raw = r->body;
    out.retry_after = r->get_header_value("Retry-After");
    out.body = nlohmann::json::parse(r->body, nullptr, /*allow_exceptions=*/false);
    return out;
  }

  // Both steps of sign-up with code echo on: the 201 answer, or the first answer that was not 200.
  ApiResponse Register(const std::string& phone) {
    ApiResponse step1 = Send("POST", "/api/register/", {{"phone", phone}});
    if (step1.status != 200) return step1;
    return Send("POST", "/api/register/", {{"phone", phone}, {"sms_code", step1.body["sms_code"]}});
  }

  ApiResponse Activate(const std::string& token, const std::string& code) {
    return Send("PATCH", "/api/clients/profile/", {{"invitation_code", code}}, token);
  }

  ApiResponse Profile(const std::string& token) {
    return Send("GET", "/api/clients/profile/", nullptr, token);
  }

 private:
  httplib::Client client_;
};

}  // namespace connecthub::testing
