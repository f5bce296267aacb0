#include "connecthub/error.h"

namespace connecthub {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidJson:
      return "invalid_json";
    case ErrorCode::kInvalidRequest:
      return "invalid_request";
    case ErrorCode::kInvalidPhone:
      return "invalid_phone";
    case ErrorCode::kInvalidSmsCode:
      return "invalid_sms_code";
    case ErrorCode::kSmsCodeExpired:
      return "sms_code_expired";
    case ErrorCode::kInvalidInvitationCode:
      return "invalid_invitation_code";
    case ErrorCode::kUnauthorized:
      return "unauthorized";
    case ErrorCode::kInvalidToken:
      return "invalid_token";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kPhoneNotRegistered:
      return "phone_not_registered";
    case ErrorCode::kInvitationCodeNotFound:
      return "invitation_code_not_found";
    case ErrorCode::kMethodNotAllowed:
      return "method_not_allowed";
    case ErrorCode::kPhoneAlreadyRegistered:
      return "phone_already_registered";
    case ErrorCode::kOwnInvitationCode:
      return "own_invitation_code";
    case ErrorCode::kInvitationAlreadyActivated:
      return "invitation_already_activated";
    case ErrorCode::kInvitationCycle:
      return "invitation_cycle";
    case ErrorCode::kPayloadTooLarge:
      return "payload_too_large";
    case ErrorCode::kTooManyRequests:
      return "too_many_requests";
    case ErrorCode::kTooManyAttempts:
      return "too_many_attempts";
    case ErrorCode::kInternalError:
      return "internal_error";
    case ErrorCode::kServiceUnavailable:
      return "service_unavailable";
  }
  return "internal_error";
}

}  // namespace connecthub
