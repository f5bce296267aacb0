// The one table from the core's error vocabulary to HTTP (status, headers, JSON error body), and
// the reply value every handler produces. Pure functions; thread-safe.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <utility>
#include <vector>

#include "connecthub/error.h"

namespace connecthub::server {

inline constexpr const char* kJsonContentType = "application/json";

// A response ready to be written: status, body and the headers beyond Content-Type/-Length.
struct HttpReply {
  int status = 200;
  std::string body;
  std::string content_type = kJsonContentType;
  std::vector<std::pair<std::string, std::string>> headers;
};

int HttpStatus(ErrorCode code);
// {"error": "<code>", "message": "..."} with the status of the table and, where RFC 6750 / 9110
// ask for them, WWW-Authenticate, Retry-After or (for 405) Allow from `allow`.
HttpReply ErrorReply(const Error& error, const std::string& allow = "");
HttpReply JsonReply(int status, const nlohmann::ordered_json& body);

}  // namespace connecthub::server
