#include "connecthub/crypto.h"

#include <catch2/catch.hpp>
#include <vector>

using namespace connecthub;

TEST_CASE("HMAC-SHA256 matches RFC 4231 test case 2") {
  CHECK(ToHex(AsStringView(HmacSha256("Jefe", "what do ya want for nothing?"))) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("base64url round-trips without padding and refuses other alphabets") {
  for (const std::string& s : std::vector<std::string>{"", "f", "fo", "foo", "foob", "fooba",
                                                       "foobar", std::string("\xff\xfe\x00", 3)}) {
    std::string encoded = Base64UrlEncode(s);
    CHECK(encoded.find_first_of("+/=") == std::string::npos);
    CHECK(Base64UrlDecode(encoded).value() == s);
  }
  CHECK(Base64UrlEncode("\xfb\xff") == "-_8");
  CHECK_FALSE(Base64UrlDecode("Zm9v=").has_value());
  CHECK_FALSE(Base64UrlDecode("+/8").has_value());
  CHECK_FALSE(Base64UrlDecode("Zm9vY").has_value());
  CHECK_FALSE(Base64UrlDecode("Zm 9v").has_value());
}

TEST_CASE("constant-time comparison compares contents and sizes") {
  CHECK(ConstantTimeEqual("abc", "abc"));
  CHECK_FALSE(ConstantTimeEqual("abc", "abd"));
  CHECK_FALSE(ConstantTimeEqual("abc", "abcd"));
  CHECK(ConstantTimeEqual("", ""));
}
