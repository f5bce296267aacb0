#include "connecthub/phone.h"

#include <catch2/catch.hpp>

using connecthub::ErrorCode;
using connecthub::NormalizePhone;

TEST_CASE("phone input is normalized to E.164") {
  CHECK(NormalizePhone("+79912345678").value() == "+79912345678");
  CHECK(NormalizePhone("+7 (991) 234-56-78").value() == "+79912345678");
  CHECK(NormalizePhone("+1.555.000.0001").value() == "+15550000001");
  CHECK(NormalizePhone(" +44 20 7946 0958 ").value() == "+442079460958");
}

TEST_CASE("phone accepts 9 to 15 digits and nothing outside that") {
  CHECK(NormalizePhone("+123456789").ok());
  CHECK(NormalizePhone("+123456789012345").ok());
  CHECK(NormalizePhone("+12345678").error().code == ErrorCode::kInvalidPhone);
  CHECK(NormalizePhone("+1234567890123456").error().code == ErrorCode::kInvalidPhone);
}

TEST_CASE("phone refuses input that is not a number") {
  for (const char* bad : {"", "+", "79912345678", "+7991234567a", "++79912345678", "+7991+2345678",
                          "+7 991 234 56 78 ext 5", "+７９９１２３４５６７８", "+79912345678\n",
                          "+7_9912345678", "tel:+79912345678"}) {
    INFO(bad);
    auto result = NormalizePhone(bad);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == ErrorCode::kInvalidPhone);
    CHECK_FALSE(result.error().message.empty());
  }
  CHECK_FALSE(NormalizePhone(std::string(1000, '1')).ok());
}
