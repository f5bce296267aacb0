#include "connecthub/token.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "connecthub/crypto.h"
#include "support/fakes.h"

using namespace connecthub;
using namespace std::chrono_literals;

namespace {

const std::string kKey(32, 'k');

std::vector<std::string> Split(const std::string& token) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t dot; (dot = token.find('.', start)) != std::string::npos; start = dot + 1) {
    parts.push_back(token.substr(start, dot - start));
  }
  parts.push_back(token.substr(start));
  return parts;
}

nlohmann::json Decode(const std::string& part) {
  return nlohmann::json::parse(Base64UrlDecode(part).value());
}

// A token with the given header and payload, signed with HS256 under `key`.
std::string Forge(const nlohmann::json& header, const nlohmann::json& payload,
                  const std::string& key = kKey) {
  std::string input = Base64UrlEncode(header.dump()) + "." + Base64UrlEncode(payload.dump());
  return input + "." + Base64UrlEncode(AsStringView(HmacSha256(key, input)));
}

struct Fixture {
  testing::FakeClock clock;
  CryptoRandom random;
  TokenSigner signer{kKey};
  std::string token = signer.Issue(42, 3, clock.Now(), 3600s, random);
  nlohmann::json payload = Decode(Split(token)[1]);
};

}  // namespace

TEST_CASE_METHOD(Fixture, "an issued token carries the contract's claims and verifies") {
  auto parts = Split(token);
  REQUIRE(parts.size() == 3);
  CHECK(Decode(parts[0]) == nlohmann::json{{"alg", "HS256"}, {"typ", "JWT"}});
  CHECK(payload["token_type"] == "access");
  CHECK(payload["user_id"] == 42);
  CHECK(payload["exp"].get<int64_t>() - payload["iat"].get<int64_t>() == 3600);
  CHECK(payload["iat"] == ToUnixSeconds(clock.Now()));
  CHECK(payload["jti"].get<std::string>().size() == 32);
  for (const auto& part : parts) CHECK(part.find('=') == std::string::npos);

  auto claims = signer.Verify(token, clock.Now());
  REQUIRE(claims.ok());
  CHECK(claims->user_id == 42);
  CHECK(claims->token_version == 3);
  CHECK(claims->jti == payload["jti"]);
}

TEST_CASE_METHOD(Fixture, "every token gets its own jti") {
  CHECK(signer.Issue(42, 3, clock.Now(), 3600s, random) != token);
}

TEST_CASE_METHOD(Fixture, "a token is refused once it expires") {
  clock.Advance(3599s);
  CHECK(signer.Verify(token, clock.Now()).ok());
  clock.Advance(1s);
  auto expired = signer.Verify(token, clock.Now());
  REQUIRE_FALSE(expired.ok());
  CHECK(expired.error().code == ErrorCode::kInvalidToken);
  CHECK(expired.error().message.find("expired") != std::string::npos);
}

TEST_CASE_METHOD(Fixture, "a tampered token is refused") {
  auto parts = Split(token);
  auto refused = [&](const std::string& t) {
    auto result = signer.Verify(t, clock.Now());
    return !result.ok() && result.error().code == ErrorCode::kInvalidToken;
  };
  SECTION("payload changed, signature kept") {
    auto changed = payload;
    changed["user_id"] = 1;
    CHECK(refused(parts[0] + "." + Base64UrlEncode(changed.dump()) + "." + parts[2]));
  }
  SECTION("alg none with an empty signature") {
    nlohmann::json none = {{"alg", "none"}, {"typ", "JWT"}};
    CHECK(refused(Base64UrlEncode(none.dump()) + "." + parts[1] + "."));
    CHECK(refused(Base64UrlEncode(none.dump()) + "." + parts[1]));
  }
  SECTION("other algorithms are refused even when signed with the key") {
    CHECK(refused(Forge({{"alg", "HS512"}, {"typ", "JWT"}}, payload)));
    CHECK(refused(Forge({{"alg", "RS256"}, {"typ", "JWT"}}, payload)));
    CHECK(refused(Forge({{"typ", "JWT"}}, payload)));
    CHECK(refused(Forge({{"alg", "HS256"}, {"crit", {"exp"}}}, payload)));
  }
  SECTION("signed with another key") {
    CHECK(refused(Forge({{"alg", "HS256"}, {"typ", "JWT"}}, payload, std::string(32, 'x'))));
    CHECK(refused(TokenSigner(std::string(32, 'x')).Issue(42, 3, clock.Now(), 3600s, random)));
  }
  SECTION("wrong token_type") {
    auto refresh = payload;
    refresh["token_type"] = "refresh";
    CHECK(refused(Forge({{"alg", "HS256"}}, refresh)));
    refresh.erase("token_type");
    CHECK(refused(Forge({{"alg", "HS256"}}, refresh)));
  }
  SECTION("claims of the wrong type") {
    auto bad = payload;
    bad["user_id"] = "42";
    CHECK(refused(Forge({{"alg", "HS256"}}, bad)));
    bad = payload;
    bad["exp"] = 1e12;
    CHECK(refused(Forge({{"alg", "HS256"}}, bad)));
    bad = payload;
    bad.erase("exp");
    CHECK(refused(Forge({{"alg", "HS256"}}, bad)));
  }
  SECTION("garbage and empty segments") {
    for (const std::string& bad : std::vector<std::string>{
             "", ".", "..", "...", "a.b.c", "abc", parts[0] + ".." + parts[2],
             "." + parts[1] + "." + parts[2], parts[0] + "." + parts[1] + ".", token + ".",
             token + "x", token + "=", "Bearer " + token, std::string(10000, 'a')}) {
      INFO(bad);
      CHECK(refused(bad));
    }
  }
  SECTION("the signature compared as text: a non-canonical encoding is refused") {
    std::string sig = parts[2];
    sig.back() = sig.back() == 'A' ? 'B' : 'A';
    CHECK(refused(parts[0] + "." + parts[1] + "." + sig));
  }
}

TEST_CASE("a key shorter than 32 bytes is refused") {
  CHECK_THROWS(TokenSigner(std::string(31, 'k')));
}
