#include "exit_codes.h"

namespace connecthub::cli {

int ExitStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kPhoneNotRegistered:
    case ErrorCode::kInvitationCodeNotFound:
    case ErrorCode::kNotFound:
      return kExitNotFound;
    case ErrorCode::kPhoneAlreadyRegistered:
    case ErrorCode::kInvitationAlreadyActivated:
    case ErrorCode::kOwnInvitationCode:
    case ErrorCode::kInvitationCycle:
      return kExitConflict;
    case ErrorCode::kInvalidPhone:
    case ErrorCode::kInvalidInvitationCode:
    case ErrorCode::kInvalidRequest:
    case ErrorCode::kInvalidJson:
    case ErrorCode::kInvalidSmsCode:
    case ErrorCode::kSmsCodeExpired:
    case ErrorCode::kUnauthorized:
    case ErrorCode::kInvalidToken:
    case ErrorCode::kPayloadTooLarge:
      return kExitInvalidInput;
    case ErrorCode::kMethodNotAllowed:
      return kExitUsage;
    case ErrorCode::kTooManyRequests:
    case ErrorCode::kTooManyAttempts:
    case ErrorCode::kInternalError:
    case ErrorCode::kServiceUnavailable:
      return kExitInternal;
  }
  return kExitInternal;
}

}  // namespace connecthub::cli
