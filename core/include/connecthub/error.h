// The one error vocabulary of connecthub: every core operation returns a Result that is a value or
// an Error whose code is one of CONTRACT.md's error codes. The apps map codes to HTTP statuses and
// exit statuses; the core knows neither. Plain value types, safe to copy between threads.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace connecthub {

enum class ErrorCode {
  kInvalidJson,
  kInvalidRequest,
  kInvalidPhone,
  kInvalidSmsCode,
  kSmsCodeExpired,
  kInvalidInvitationCode,
  kUnauthorized,
  kInvalidToken,
  kNotFound,
  kPhoneNotRegistered,
  kInvitationCodeNotFound,
  kMethodNotAllowed,
  kPhoneAlreadyRegistered,
  kOwnInvitationCode,
  kInvitationAlreadyActivated,
  kInvitationCycle,
  kPayloadTooLarge,
  kTooManyRequests,
  kTooManyAttempts,
  kInternalError,
  kServiceUnavailable,
};

// The contract's spelling, e.g. "invalid_phone".
std::string_view ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternalError;
  std::string message;
  // When to try again, for kTooManyRequests, kTooManyAttempts and kServiceUnavailable; 0 if
  // unknown.
  std::chrono::seconds retry_after{0};
};

inline Error MakeError(ErrorCode code, std::string message,
                       std::chrono::seconds retry_after = std::chrono::seconds{0}) {
  return Error{code, std::move(message), retry_after};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : value_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return value_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(value_); }
  const T& value() const& { return std::get<0>(value_); }
  T&& value() && { return std::get<0>(std::move(value_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { return std::get<1>(value_); }

 private:
  std::variant<T, Error> value_;
};

struct Ok {};
using Status = Result<Ok>;

inline Status OkStatus() { return Ok{}; }

}  // namespace connecthub
