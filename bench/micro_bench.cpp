// Micro-benchmarks of the core's per-request functions (Catch2 BENCHMARK). Run by bench/run, not
// by ctest: `connecthub-microbench --benchmark-samples 50`.
#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "connecthub/clock.h"
#include "connecthub/crypto.h"
#include "connecthub/phone.h"
#include "connecthub/random.h"
#include "connecthub/token.h"

namespace connecthub {
namespace {

const std::string kKey(32, 'k');

TEST_CASE("token signing and verification", "[bench]") {
  TokenSigner signer(kKey);
  CryptoRandom random;
  const TimePoint now = SystemClock().Now();
  const std::string token = signer.Issue(42, 0, now, std::chrono::hours(1), random);
  REQUIRE(signer.Verify(token, now).ok());

  BENCHMARK("TokenSigner::Issue") {
    return signer.Issue(42, 0, now, std::chrono::hours(1), random);
  };
  BENCHMARK("TokenSigner::Verify") { return signer.Verify(token, now); };
  BENCHMARK("HmacSha256 of a token-sized input") { return HmacSha256(kKey, token); };
}

TEST_CASE("phone parsing", "[bench]") {
  REQUIRE(NormalizePhone("+7 (991) 234-56-78").ok());
  BENCHMARK("NormalizePhone, plain") { return NormalizePhone("+79912345678"); };
  BENCHMARK("NormalizePhone, with separators") { return NormalizePhone("+7 (991) 234-56-78"); };
  BENCHMARK("NormalizePhone, invalid") { return NormalizePhone("8 991 234 56 78"); };
}

TEST_CASE("code generation", "[bench]") {
  CryptoRandom random;
  REQUIRE(MakeSmsCode(random).size() == 4);
  BENCHMARK("MakeSmsCode") { return MakeSmsCode(random); };
  BENCHMARK("MakeInvitationCode") { return MakeInvitationCode(random); };
}

}  // namespace
}  // namespace connecthub
