#include "http_errors.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace connecthub::server {

int HttpStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidJson:
    case ErrorCode::kInvalidRequest:
    case ErrorCode::kInvalidPhone:
    case ErrorCode::kInvalidSmsCode:
    case ErrorCode::kSmsCodeExpired:
    case ErrorCode::kInvalidInvitationCode:
      return 400;
    case ErrorCode::kUnauthorized:
    case ErrorCode::kInvalidToken:
      return 401;
    case ErrorCode::kNotFound:
    case ErrorCode::kPhoneNotRegistered:
    case ErrorCode::kInvitationCodeNotFound:
      return 404;
    case ErrorCode::kMethodNotAllowed:
      return 405;
    case ErrorCode::kPhoneAlreadyRegistered:
    case ErrorCode::kOwnInvitationCode:
    case ErrorCode::kInvitationAlreadyActivated:
    case ErrorCode::kInvitationCycle:
      return 409;
    case ErrorCode::kPayloadTooLarge:
      return 413;
    case ErrorCode::kTooManyRequests:
    case ErrorCode::kTooManyAttempts:
      return 429;
    case ErrorCode::kInternalError:
      return 500;
    case ErrorCode::kServiceUnavailable:
      return 503;
  }
  return 500;
}

HttpReply ErrorReply(const Error& error, const std::string& allow) {
  HttpReply reply = JsonReply(HttpStatus(error.code),
                              {{"error", ErrorCodeName(error.code)}, {"message", error.message}});
  switch (error.code) {
    case ErrorCode::kUnauthorized:
      reply.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"connecthub\"");
      break;
    case ErrorCode::kInvalidToken:
      reply.headers.emplace_back("WWW-Authenticate",
                                 "Bearer realm=\"connecthub\", error=\"invalid_token\"");
      break;
    case ErrorCode::kTooManyRequests:
    case ErrorCode::kTooManyAttempts:
    case ErrorCode::kServiceUnavailable:
      reply.headers.emplace_back("Retry-After",
                                 std::to_string(std::max<int64_t>(1, error.retry_after.count())));
      break;
    case ErrorCode::kMethodNotAllowed:
      reply.headers.emplace_back("Allow", allow);
      break;
    default:
      break;
  }
  return reply;
}

HttpReply JsonReply(int status, const nlohmann::ordered_json& body) {
  HttpReply reply;
  reply.status = status;
  // Invalid UTF-8 from a client must not turn an answer into an exception.
  reply.body = body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  return reply;
}

}  // namespace connecthub::server
