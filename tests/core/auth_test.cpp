#include "connecthub/auth.h"

#include <catch2/catch.hpp>
#include <fstream>

#include "connecthub/keys.h"
#include "core_fixture.h"

using namespace connecthub;
using namespace connecthub::testing;
using namespace std::chrono_literals;

namespace {
constexpr const char* kPhone = "+79912345678";

std::string WrongCode(const std::string& code) { return code == "1234" ? "4321" : "1234"; }

AuthSettings WithDailyFailures(int n) {
  AuthSettings s;
  s.max_daily_failures = n;
  return s;
}
AuthSettings WithTestPhone() {
  AuthSettings s;
  s.test_phones["+15550000001"] = "1234";
  return s;
}
}  // namespace

TEST_CASE_METHOD(CoreFixture, "register: a code is sent, then the user is created with a token") {
  auto sent = auth_.RequestCode("+7 (991) 234-56-78", Purpose::kRegister);
  REQUIRE(sent.ok());
  CHECK(sent->phone == kPhone);
  CHECK(sent->expires_in == 300s);
  REQUIRE(sms_.Count() == 1);
  CHECK(sms_.Last()->phone == kPhone);
  CHECK(sms_.Last()->code == sent->code);
  CHECK(sms_.Last()->purpose == Purpose::kRegister);

  auto session = auth_.Register(kPhone, sent->code);
  REQUIRE(session.ok());
  CHECK(session->user.id > 0);
  CHECK(session->user.phone == kPhone);
  CHECK(IsInvitationCodeFormat(session->user.invitation_code));
  CHECK(session->expires_in == 3600s);
  auto user_id = auth_.Authenticate(session->access_token);
  REQUIRE(user_id.ok());
  CHECK(*user_id == session->user.id);
}

TEST_CASE_METHOD(CoreFixture, "a registered phone is refused at both register steps") {
  SignUp(kPhone);
  CHECK(CodeOf(auth_.RequestCode(kPhone, Purpose::kRegister)) ==
        ErrorCode::kPhoneAlreadyRegistered);
  CHECK(CodeOf(auth_.Register(kPhone, "1234")) == ErrorCode::kPhoneAlreadyRegistered);
  CHECK(CodeOf(auth_.RegisterWithoutCode(kPhone)) == ErrorCode::kPhoneAlreadyRegistered);
}

TEST_CASE_METHOD(CoreFixture, "login: unknown phones are refused, known ones get a token") {
  CHECK(CodeOf(auth_.RequestCode(kPhone, Purpose::kLogin)) == ErrorCode::kPhoneNotRegistered);
  CHECK(CodeOf(auth_.Login(kPhone, "1234")) == ErrorCode::kPhoneNotRegistered);
  auto registered = SignUp(kPhone);
  clock_.Advance(1s);
  auto session = auth_.Login(kPhone, CodeFor(kPhone, Purpose::kLogin));
  REQUIRE(session.ok());
  CHECK(session->user.id == registered.user.id);
  CHECK(auth_.Authenticate(session->access_token).value() == registered.user.id);
}

TEST_CASE_METHOD(CoreFixture, "bad phone input is invalid_phone at every step") {
  CHECK(CodeOf(auth_.RequestCode("8 991 234", Purpose::kRegister)) == ErrorCode::kInvalidPhone);
  CHECK(CodeOf(auth_.Register("abc", "1234")) == ErrorCode::kInvalidPhone);
  CHECK(CodeOf(auth_.Login("+1", "1234")) == ErrorCode::kInvalidPhone);
}

TEST_CASE_METHOD(CoreFixture, "a code works once, for its phone and its purpose only") {
  std::string code = CodeFor(kPhone, Purpose::kRegister);
  CHECK(CodeOf(auth_.Login(kPhone, code)) == ErrorCode::kPhoneNotRegistered);
  CHECK(CodeOf(auth_.Register("+79990000001", code)) == ErrorCode::kSmsCodeExpired);
  REQUIRE(auth_.Register(kPhone, code).ok());

  clock_.Advance(1min);
  std::string login_code = CodeFor(kPhone, Purpose::kLogin);
  REQUIRE(auth_.Login(kPhone, login_code).ok());
  CHECK(CodeOf(auth_.Login(kPhone, login_code)) == ErrorCode::kSmsCodeExpired);
}

TEST_CASE_METHOD(CoreFixture, "without a requested code, step 2 says the code expired") {
  CHECK(CodeOf(auth_.Register(kPhone, "1234")) == ErrorCode::kSmsCodeExpired);
}

TEST_CASE_METHOD(CoreFixture, "a code expires after its lifetime") {
  std::string code = CodeFor(kPhone, Purpose::kRegister);
  clock_.Advance(300s);
  CHECK(CodeOf(auth_.Register(kPhone, code)) == ErrorCode::kSmsCodeExpired);
}

TEST_CASE_METHOD(CoreFixture, "a resend within the interval is refused with a retry time") {
  std::string first = CodeFor(kPhone, Purpose::kRegister);
  clock_.Advance(10s);
  auto again = auth_.RequestCode(kPhone, Purpose::kRegister);
  CHECK(CodeOf(again) == ErrorCode::kTooManyRequests);
  CHECK(again.error().retry_after == 20s);
  CHECK(sms_.Count() == 1);
  // The other purpose has its own interval.
  CHECK(CodeOf(auth_.RequestCode(kPhone, Purpose::kLogin)) == ErrorCode::kPhoneNotRegistered);

  clock_.Advance(20s);
  random_.Push({0x00, 0x00, 0x00, 0x00});  // the next code is 1000
  std::string second = CodeFor(kPhone, Purpose::kRegister);
  REQUIRE(second == "1000");
  if (first != second) {
    CHECK(CodeOf(auth_.Register(kPhone, first)) == ErrorCode::kInvalidSmsCode);
  }
  CHECK(auth_.Register(kPhone, second).ok());
}

TEST_CASE_METHOD(CoreFixture, "five wrong codes burn the code") {
  std::string code = CodeFor(kPhone, Purpose::kRegister);
  for (int left = 4; left >= 1; --left) {
    auto wrong = auth_.Register(kPhone, WrongCode(code));
    CHECK(CodeOf(wrong) == ErrorCode::kInvalidSmsCode);
    CHECK(wrong.error().message.find(std::to_string(left) + (left == 1 ? " try" : " tries")) !=
          std::string::npos);
  }
  CHECK(CodeOf(auth_.Register(kPhone, WrongCode(code))) == ErrorCode::kTooManyAttempts);
  CHECK(CodeOf(auth_.Register(kPhone, code)) == ErrorCode::kSmsCodeExpired);
  // A new code after the resend interval works again.
  clock_.Advance(30s);
  CHECK(auth_.Register(kPhone, CodeFor(kPhone, Purpose::kRegister)).ok());
}

TEST_CASE_METHOD(CoreFixture, "malformed codes count as wrong codes") {
  std::string code = CodeFor(kPhone, Purpose::kRegister);
  CHECK(CodeOf(auth_.Register(kPhone, "")) == ErrorCode::kInvalidSmsCode);
  CHECK(CodeOf(auth_.Register(kPhone, code + "0")) == ErrorCode::kInvalidSmsCode);
  CHECK(CodeOf(auth_.Register(kPhone, " " + code)) == ErrorCode::kInvalidSmsCode);
  CHECK(auth_.Register(kPhone, code).ok());
}

TEST_CASE_METHOD(CoreFixture, "no more than 10 codes an hour go to one phone") {
  for (int i = 0; i < 10; ++i) {
    REQUIRE(auth_.RequestCode(kPhone, Purpose::kRegister).ok());
    clock_.Advance(30s);
  }
  auto capped = auth_.RequestCode(kPhone, Purpose::kRegister);
  CHECK(CodeOf(capped) == ErrorCode::kTooManyRequests);
  CHECK(capped.error().retry_after == 3600s - 300s);
  clock_.Advance(capped.error().retry_after);
  CHECK(auth_.RequestCode(kPhone, Purpose::kRegister).ok());
}

struct DailyCapFixture : CoreFixture {
  DailyCapFixture() : CoreFixture(WithDailyFailures(7)) {}
};

TEST_CASE_METHOD(DailyCapFixture, "past the daily failure cap even the right code is refused") {
  for (int round = 0; round < 2; ++round) {
    std::string code = CodeFor(kPhone, Purpose::kRegister);
    for (int i = 0; i < (round == 0 ? 5 : 2); ++i) (void)auth_.Register(kPhone, WrongCode(code));
    clock_.Advance(30s);
  }
  std::string code = CodeFor(kPhone, Purpose::kRegister);
  auto refused = auth_.Register(kPhone, code);
  CHECK(CodeOf(refused) == ErrorCode::kTooManyAttempts);
  CHECK(refused.error().retry_after > 0s);
  clock_.Advance(24h);
  code = CodeFor(kPhone, Purpose::kRegister);
  CHECK(auth_.Register(kPhone, code).ok());
}

TEST_CASE_METHOD(CoreFixture, "a failed delivery leaves no usable code and allows a retry") {
  sms_.SetFailing(true);
  random_.Push({0x00, 0x00, 0x00, 0x00});  // the code would have been 1000
  auto sent = auth_.RequestCode(kPhone, Purpose::kRegister);
  CHECK(CodeOf(sent) == ErrorCode::kServiceUnavailable);
  CHECK(sent.error().retry_after > 0s);
  CHECK(CodeOf(auth_.Register(kPhone, "1000")) == ErrorCode::kSmsCodeExpired);
  sms_.SetFailing(false);
  CHECK(auth_.Register(kPhone, CodeFor(kPhone, Purpose::kRegister)).ok());
}

struct TestPhoneFixture : CoreFixture {
  TestPhoneFixture() : CoreFixture(WithTestPhone()) {}
};

TEST_CASE_METHOD(TestPhoneFixture, "test phones get their fixed code, undelivered, with limits") {
  auto sent = auth_.RequestCode("+1 555 000 0001", Purpose::kRegister);
  REQUIRE(sent.ok());
  CHECK(sent->code == "1234");
  CHECK(sent->test_phone);
  CHECK(sms_.Count() == 0);
  CHECK(auth_.RequestCode("+15550000001", Purpose::kRegister).ok());  // no resend interval
  for (int i = 0; i < 4; ++i)
    CHECK(CodeOf(auth_.Register("+15550000001", "9999")) == ErrorCode::kInvalidSmsCode);
  CHECK(CodeOf(auth_.Register("+15550000001", "9999")) == ErrorCode::kTooManyAttempts);
  CHECK(CodeOf(auth_.Register("+15550000001", "1234")) == ErrorCode::kSmsCodeExpired);
  REQUIRE(auth_.RequestCode("+15550000001", Purpose::kRegister).ok());
  CHECK(auth_.Register("+15550000001", "1234").ok());
  // Other phones are untouched by the list.
  CHECK_FALSE(auth_.RequestCode(kPhone, Purpose::kRegister)->test_phone);
}

TEST_CASE_METHOD(CoreFixture, "revocation stops every earlier token, later ones work") {
  auto session = SignUp(kPhone);
  auto operator_login = auth_.LoginWithoutCode(kPhone);
  REQUIRE(operator_login.ok());
  // Used before the revocation, so that their verification is remembered.
  REQUIRE(auth_.Authenticate(session.access_token).ok());
  REQUIRE(auth_.Authenticate(operator_login->access_token).ok());
  REQUIRE(auth_.RevokeTokens("+7 991 234 56 78").ok());
  CHECK(CodeOf(auth_.Authenticate(session.access_token)) == ErrorCode::kInvalidToken);
  CHECK(CodeOf(auth_.Authenticate(operator_login->access_token)) == ErrorCode::kInvalidToken);
  auto fresh = auth_.LoginWithoutCode(kPhone);
  CHECK(auth_.Authenticate(fresh->access_token).ok());
  CHECK(CodeOf(auth_.RevokeTokens("+79990000009")) == ErrorCode::kPhoneNotRegistered);
}

TEST_CASE_METHOD(CoreFixture, "tokens are refused once expired or when they are not ours") {
  auto session = SignUp(kPhone);
  CHECK(CodeOf(auth_.Authenticate("garbage")) == ErrorCode::kInvalidToken);
  REQUIRE(auth_.Authenticate(session.access_token).ok());  // its verification is remembered...
  clock_.Advance(3600s);
  auto expired = auth_.Authenticate(session.access_token);  // ...but not past its expiry
  CHECK(CodeOf(expired) == ErrorCode::kInvalidToken);
  CHECK(expired.error().message == "the token has expired");
}

TEST_CASE_METHOD(CoreFixture, "the stored key is made once and shared by every process") {
  CryptoRandom random;
  auto first = LoadSecretKey(*storage_, random, std::nullopt);
  auto second = LoadSecretKey(*OpenAgain(), random, std::nullopt);
  REQUIRE(first.ok());
  CHECK(first->size() >= kMinSecretKeySize);
  CHECK(*first == *second);
  CHECK(LoadSecretKey(*storage_, random, std::string(40, 'c')).value() == std::string(40, 'c'));
  CHECK(CodeOf(LoadSecretKey(*storage_, random, std::string(31, 'c'))) ==
        ErrorCode::kInvalidRequest);
}

TEST_CASE_METHOD(CoreFixture, "the database never holds a code in clear") {
  random_.Push({0x00, 0x00, 0x00, 0x00});  // code 1000
  REQUIRE(CodeFor(kPhone, Purpose::kRegister) == "1000");
  const std::string bytes = StoredBytes();
  REQUIRE(bytes.find(kPhone) != std::string::npos);  // the row is there...
  CHECK(bytes.find("1000") == std::string::npos);    // ...but not the code
}
