// Sign-up and log-in by SMS code, and the tokens that result: request a code, verify it, create the
// user on register, issue and check access tokens, revoke them. All rules of CONTRACT.md's auth
// flow live here. Thread-safe: every call runs in its own storage transaction.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "connecthub/clock.h"
#include "connecthub/error.h"
#include "connecthub/model.h"
#include "connecthub/random.h"
#include "connecthub/settings.h"
#include "connecthub/sms.h"
#include "connecthub/storage.h"
#include "connecthub/token.h"

namespace connecthub {

struct CodeSent {
  std::string phone;  // normalized
  std::string code;   // in clear, for echo; never stored
  std::chrono::seconds expires_in{0};
  bool test_phone = false;  // a --test-phones number: no delivery, no delay
};

struct Session {
  User user;
  std::string access_token;
  std::chrono::seconds expires_in{0};
};

class AuthService {
 public:
  // `sender` may be null: codes are then only returned (echo). All references must outlive this.
  AuthService(Storage& storage, Clock& clock, Random& random, std::string secret_key,
              AuthSettings settings, SmsSender* sender);

  // Step 1: makes a code for `phone_input` and `purpose`, replacing the old one, and delivers it.
  Result<CodeSent> RequestCode(std::string_view phone_input, Purpose purpose);
  // Step 2 of register: verifies the code, creates the user, issues a token.
  Result<Session> Register(std::string_view phone_input, std::string_view code);
  // Step 2 of login: verifies the code, issues a token.
  Result<Session> Login(std::string_view phone_input, std::string_view code);

  // The user a bearer token belongs to: kInvalidToken if malformed, forged, expired, revoked or the
  // user is gone.
  Result<int64_t> Authenticate(std::string_view token);
  // The two halves of Authenticate, for callers that read more in the same transaction: the
  // token's own checks (signature, algorithm, expiry), then its user as seen inside `tx`.
  Result<TokenClaims> VerifyToken(std::string_view token) const;
  static Result<User> TokenUser(Tx& tx, const TokenClaims& claims);

  // Operator actions, without a code.
  Result<Session> RegisterWithoutCode(std::string_view phone_input);
  Result<Session> LoginWithoutCode(std::string_view phone_input);
  // Every token issued to the user before now stops working.
  Result<User> RevokeTokens(std::string_view phone_input);

  const AuthSettings& settings() const { return settings_; }
  const TokenSigner& signer() const { return signer_; }

 private:
  Result<User> VerifyCode(Tx& tx, const std::string& phone, Purpose purpose, std::string_view code,
                          int64_t now);
  Result<User> CreateUser(Tx& tx, const std::string& phone, int64_t now);
  Session MakeSession(const User& user);
  std::string CodeHash(const std::string& phone, Purpose purpose, std::string_view code) const;

  Storage& storage_;
  Clock& clock_;
  Random& random_;
  TokenSigner signer_;
  // Enough for the tokens of some thousands of clients in use at once; at most a few MB.
  mutable VerifiedTokens verified_{16384};
  std::string code_key_;
  AuthSettings settings_;
  SmsSender* sender_;
};

// Looks a user up by phone: kInvalidPhone or kPhoneNotRegistered.
Result<User> FindUserByPhone(Storage& storage, std::string_view phone_input);

}  // namespace connecthub
