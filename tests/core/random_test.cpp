#include "connecthub/random.h"

#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "support/fakes.h"

using namespace connecthub;

TEST_CASE("sms codes are 4 digits from 1000 to 9999") {
  CryptoRandom random;
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) {
    std::string code = MakeSmsCode(random);
    REQUIRE(code.size() == 4);
    int value = std::stoi(code);
    REQUIRE(value >= 1000);
    REQUIRE(value <= 9999);
    seen.insert(code);
  }
  CHECK(seen.size() > 1500);  // 2000 draws from 9000 values: ~1800 distinct expected
}

TEST_CASE("uniform draws reject the biased top of the range") {
  testing::ScriptedRandom random;
  // 0xFFFFFFFF lies in the partial range above the last full multiple of 9000: it must be drawn
  // again.
  random.Push({0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x00, 0x00, 0x00});
  CHECK(random.Uniform(9000) == 7);
}

TEST_CASE("invitation codes are 6 characters from A-Z a-z 0-9") {
  CryptoRandom random;
  std::map<char, int> counts;
  for (int i = 0; i < 2000; ++i) {
    std::string code = MakeInvitationCode(random);
    REQUIRE(IsInvitationCodeFormat(code));
    for (char c : code) counts[c]++;
  }
  CHECK(counts.size() == 62);
}

TEST_CASE("invitation code format is checked exactly") {
  CHECK(IsInvitationCodeFormat("dkqjPK"));
  CHECK(IsInvitationCodeFormat("6c3ESD"));
  CHECK_FALSE(IsInvitationCodeFormat("dkqjP"));
  CHECK_FALSE(IsInvitationCodeFormat("dkqjPKx"));
  CHECK_FALSE(IsInvitationCodeFormat("dkq-PK"));
  CHECK_FALSE(IsInvitationCodeFormat("dkq PK"));
  CHECK_FALSE(IsInvitationCodeFormat(""));
}
