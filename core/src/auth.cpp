#include "connecthub/auth.h"

#include <fmt/format.h>

#include "connecthub/crypto.h"
#include "connecthub/phone.h"

namespace connecthub {

namespace {

constexpr int64_t kHourMs = 3'600'000;
constexpr int64_t kDayMs = 24 * kHourMs;
constexpr int kInvitationCodeTries = 16;

int64_t Millis(std::chrono::seconds s) { return s.count() * 1000; }

// Whole seconds until `until_ms`, at least 1.
std::chrono::seconds SecondsUntil(int64_t until_ms, int64_t now_ms) {
  return std::chrono::seconds{std::max<int64_t>(1, (until_ms - now_ms + 999) / 1000)};
}

Error PhoneTaken() {
  return MakeError(ErrorCode::kPhoneAlreadyRegistered, "this phone number is already registered");
}
Error PhoneUnknown() {
  return MakeError(ErrorCode::kPhoneNotRegistered, "this phone number is not registered");
}

}  // namespace

AuthService::AuthService(Storage& storage, Clock& clock, Random& random, std::string secret_key,
                         AuthSettings settings, SmsSender* sender)
    : storage_(storage),
      clock_(clock),
      random_(random),
      signer_(secret_key),
      code_key_(AsStringView(HmacSha256(secret_key, "connecthub sms code key"))),
      settings_(std::move(settings)),
      sender_(sender) {}

std::string AuthService::CodeHash(const std::string& phone, Purpose purpose,
                                  std::string_view code) const {
  std::string input = fmt::format("{}\n{}\n{}", PurposeName(purpose), phone, code);
  return ToHex(AsStringView(HmacSha256(code_key_, input)));
}

Result<CodeSent> AuthService::RequestCode(std::string_view phone_input, Purpose purpose) {
  auto phone = NormalizePhone(phone_input);
  if (!phone) return phone.error();
  const auto test = settings_.test_phones.find(*phone);
  const bool is_test = test != settings_.test_phones.end();
  const std::string code = is_test ? test->second : MakeSmsCode(random_);
  const std::string hash = CodeHash(*phone, purpose, code);
  const int64_t now = ToUnixMillis(clock_.Now());

  auto sent = storage_.Write([&](Tx& tx) -> Result<CodeSent> {
    const bool registered = tx.UserByPhone(*phone).has_value();
    if (purpose == Purpose::kRegister && registered) return PhoneTaken();
    if (purpose == Purpose::kLogin && !registered) return PhoneUnknown();
    if (!is_test) {
      const auto old = tx.Code(*phone, purpose);
      const int64_t resend = Millis(settings_.resend_interval);
      if (resend > 0 && old && now < old->sent_at + resend) {
        return MakeError(ErrorCode::kTooManyRequests,
                         "a code was sent to this phone moments ago; wait before asking again",
                         SecondsUntil(old->sent_at + resend, now));
      }
      if (settings_.max_codes_per_hour > 0) {
        auto [count, oldest] = tx.CodesSentSince(*phone, now - kHourMs + 1);
        if (count >= settings_.max_codes_per_hour) {
          return MakeError(ErrorCode::kTooManyRequests,
                           "too many codes were sent to this phone in the last hour",
                           SecondsUntil(oldest + kHourMs, now));
        }
      }
      tx.RecordCodeSent(*phone, now);
    }
    tx.PutCode(*phone, purpose, CodeRecord{hash, now, now + Millis(settings_.code_ttl), 0, true});
    return CodeSent{*phone, code, settings_.code_ttl, is_test};
  });
  if (!sent || is_test || sender_ == nullptr) return sent;

  Status delivered = sender_->Send(SmsMessage{*phone, code, purpose});
  if (delivered) return sent;
  // The code never reached the phone: withdraw it and let the client ask again at once.
  auto withdrawn = storage_.Write([&](Tx& tx) -> Status {
    auto record = tx.Code(*phone, purpose);
    if (record && ConstantTimeEqual(record->code_hash, hash)) {
      record->live = false;
      record->sent_at = 0;
      tx.PutCode(*phone, purpose, *record);
    }
    return OkStatus();
  });
  (void)withdrawn;  // the code stays unusable unless it was delivered; nothing more to do
  return MakeError(ErrorCode::kServiceUnavailable, "the SMS could not be sent; try again shortly",
                   std::chrono::seconds{5});
}

Result<User> AuthService::VerifyCode(Tx& tx, const std::string& phone, Purpose purpose,
                                     std::string_view code, int64_t now) {
  if (settings_.max_daily_failures > 0) {
    auto [failures, oldest] = tx.FailuresSince(phone, now - kDayMs + 1);
    if (failures >= settings_.max_daily_failures) {
      return MakeError(ErrorCode::kTooManyAttempts,
                       "too many wrong codes for this phone today; try again later",
                       SecondsUntil(oldest + kDayMs, now));
    }
  }
  auto record = tx.Code(phone, purpose);
  if (!record || !record->live || now >= record->expires_at) {
    return MakeError(ErrorCode::kSmsCodeExpired,
                     "there is no valid code for this phone; request a new one");
  }
  if (ConstantTimeEqual(record->code_hash, CodeHash(phone, purpose, code))) {
    record->live = false;
    tx.PutCode(phone, purpose, *record);
    return User{};
  }
  record->attempts += 1;
  tx.RecordFailure(phone, now);
  const int left = settings_.max_code_attempts - record->attempts;
  if (left <= 0) record->live = false;
  tx.PutCode(phone, purpose, *record);
  if (left <= 0) {
    return MakeError(ErrorCode::kTooManyAttempts,
                     "too many wrong codes; this code no longer works, request a new one");
  }
  return MakeError(ErrorCode::kInvalidSmsCode,
                   fmt::format("the code is wrong; {} {} left", left, left == 1 ? "try" : "tries"));
}

Result<User> AuthService::CreateUser(Tx& tx, const std::string& phone, int64_t now) {
  for (int i = 0; i < kInvitationCodeTries; ++i) {
    if (auto id = tx.InsertUser(phone, MakeInvitationCode(random_), now)) {
      if (auto user = tx.UserById(*id)) return *user;
      break;
    }
  }
  return MakeError(ErrorCode::kInternalError, "could not create the user");
}

Session AuthService::MakeSession(const User& user) {
  return Session{
      user, signer_.Issue(user.id, user.token_version, clock_.Now(), settings_.token_ttl, random_),
      settings_.token_ttl};
}

Result<Session> AuthService::Register(std::string_view phone_input, std::string_view code) {
  auto phone = NormalizePhone(phone_input);
  if (!phone) return phone.error();
  const int64_t now = ToUnixMillis(clock_.Now());
  auto user = storage_.Write([&](Tx& tx) -> Result<User> {
    if (tx.UserByPhone(*phone)) return PhoneTaken();
    if (auto verified = VerifyCode(tx, *phone, Purpose::kRegister, code, now); !verified) {
      return verified;
    }
    return CreateUser(tx, *phone, now);
  });
  if (!user) return user.error();
  return MakeSession(*user);
}

Result<Session> AuthService::Login(std::string_view phone_input, std::string_view code) {
  auto phone = NormalizePhone(phone_input);
  if (!phone) return phone.error();
  const int64_t now = ToUnixMillis(clock_.Now());
  auto user = storage_.Write([&](Tx& tx) -> Result<User> {
    auto found = tx.UserByPhone(*phone);
    if (!found) return PhoneUnknown();
    if (auto verified = VerifyCode(tx, *phone, Purpose::kLogin, code, now); !verified) {
      return verified;
    }
    return *found;
  });
  if (!user) return user.error();
  return MakeSession(*user);
}

Result<TokenClaims> AuthService::VerifyToken(std::string_view token) const {
  const TimePoint now = clock_.Now();
  if (auto known = verified_.Find(token)) return Unexpired(std::move(*known), now);
  auto claims = signer_.Verify(token, now);
  if (claims.ok()) verified_.Add(token, *claims);
  return claims;
}

Result<User> AuthService::TokenUser(Tx& tx, const TokenClaims& claims) {
  auto user = tx.UserById(claims.user_id);
  if (!user) return MakeError(ErrorCode::kInvalidToken, "the token's user no longer exists");
  if (user->token_version != claims.token_version) {
    return MakeError(ErrorCode::kInvalidToken, "the token has been revoked");
  }
  return *user;
}

Result<int64_t> AuthService::Authenticate(std::string_view token) {
  auto claims = VerifyToken(token);
  if (!claims) return claims.error();
  return storage_.Read([&](Tx& tx) -> Result<int64_t> {
    auto user = TokenUser(tx, *claims);
    if (!user) return user.error();
    return user->id;
  });
}

Result<Session> AuthService::RegisterWithoutCode(std::string_view phone_input) {
  auto phone = NormalizePhone(phone_input);
  if (!phone) return phone.error();
  const int64_t now = ToUnixMillis(clock_.Now());
  auto user = storage_.Write([&](Tx& tx) -> Result<User> {
    if (tx.UserByPhone(*phone)) return PhoneTaken();
    return CreateUser(tx, *phone, now);
  });
  if (!user) return user.error();
  return MakeSession(*user);
}

Result<Session> AuthService::LoginWithoutCode(std::string_view phone_input) {
  auto user = FindUserByPhone(storage_, phone_input);
  if (!user) return user.error();
  return MakeSession(*user);
}

Result<User> AuthService::RevokeTokens(std::string_view phone_input) {
  auto phone = NormalizePhone(phone_input);
  if (!phone) return phone.error();
  return storage_.Write([&](Tx& tx) -> Result<User> {
    auto user = tx.UserByPhone(*phone);
    if (!user) return PhoneUnknown();
    tx.BumpTokenVersion(user->id);
    user->token_version += 1;
    return *user;
  });
}

Result<User> FindUserByPhone(Storage& storage, std::string_view phone_input) {
  auto phone = NormalizePhone(phone_input);
  if (!phone) return phone.error();
  return storage.Read([&](Tx& tx) -> Result<User> {
    auto user = tx.UserByPhone(*phone);
    if (!user) return PhoneUnknown();
    return *user;
  });
}

}  // namespace connecthub
