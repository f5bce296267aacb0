#include "connecthub/token.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "connecthub/crypto.h"

namespace connecthub {

namespace {

constexpr std::string_view kTokenType = "access";
constexpr size_t kMaxTokenSize = 4096;

Error Invalid(std::string message) {
  return MakeError(ErrorCode::kInvalidToken, std::move(message));
}

std::string Sign(const std::string& key, std::string_view signing_input) {
  return Base64UrlEncode(AsStringView(HmacSha256(key, signing_input)));
}

bool IsHex32(const std::string& s) {
  if (s.size() != 32) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// The header every token we issue carries, encoded.
const std::string& EncodedHeader() {
  static const std::string kHeader = Base64UrlEncode(R"({"alg":"HS256","typ":"JWT"})");
  return kHeader;
}

// Decodes one base64url segment holding a JSON object.
std::optional<nlohmann::json> DecodeObject(std::string_view segment) {
  auto bytes = Base64UrlDecode(segment);
  if (!bytes) return std::nullopt;
  auto json = nlohmann::json::parse(*bytes, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return std::nullopt;
  return json;
}

}  // namespace

TokenSigner::TokenSigner(std::string key) : key_(std::move(key)) {
  if (key_.size() < 32) throw std::invalid_argument("the token key must be at least 32 bytes");
}

std::string TokenSigner::Issue(int64_t user_id, int64_t token_version, TimePoint now,
                               std::chrono::seconds ttl, Random& random) const {
  uint8_t jti[16];
  random.Fill(jti, sizeof jti);
  const int64_t iat = ToUnixSeconds(now);
  nlohmann::json payload = {
      {"token_type", kTokenType},
      {"exp", iat + ttl.count()},
      {"iat", iat},
      {"jti", ToHex(std::string_view(reinterpret_cast<const char*>(jti), sizeof jti))},
      {"user_id", user_id},
      {"ver", token_version},
  };
  std::string token = EncodedHeader();
  token += '.';
  token += Base64UrlEncode(payload.dump());
  std::string signature = Sign(key_, token);
  token += '.';
  token += signature;
  return token;
}

Result<TokenClaims> TokenSigner::Verify(std::string_view token, TimePoint now) const {
  if (token.empty() || token.size() > kMaxTokenSize) return Invalid("the token is malformed");
  const size_t first = token.find('.');
  const size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    return Invalid("the token is malformed");
  }
  const std::string_view header_part = token.substr(0, first);
  const std::string_view payload_part = token.substr(first + 1, second - first - 1);
  const std::string_view signature_part = token.substr(second + 1);
  if (header_part.empty() || payload_part.empty() || signature_part.empty()) {
    return Invalid("the token is malformed");
  }

  // The algorithm is pinned before any signature work (RFC 8725 section 3.1). Our own header
  // needs no parsing; any other is read and must say HS256 too.
  if (header_part != EncodedHeader()) {
    auto header = DecodeObject(header_part);
    if (!header) return Invalid("the token header is malformed");
    auto alg = header->find("alg");
    if (alg == header->end() || !alg->is_string() || alg->get<std::string>() != "HS256") {
      return Invalid("the token algorithm is not accepted");
    }
    if (header->contains("crit")) return Invalid("the token header is not accepted");
  }

  const std::string expected = Sign(key_, token.substr(0, second));
  if (!ConstantTimeEqual(expected, signature_part))
    return Invalid("the token signature is invalid");

  auto payload = DecodeObject(payload_part);
  if (!payload) return Invalid("the token payload is malformed");
  const auto& p = *payload;
  auto integer = [&](const char* name) -> std::optional<int64_t> {
    auto it = p.find(name);
    if (it == p.end() || !it->is_number_integer()) return std::nullopt;
    return it->get<int64_t>();
  };
  auto token_type = p.find("token_type");
  if (token_type == p.end() || !token_type->is_string() ||
      token_type->get<std::string>() != kTokenType) {
    return Invalid("the token is not an access token");
  }
  TokenClaims claims;
  auto user_id = integer("user_id");
  auto exp = integer("exp");
  auto iat = integer("iat");
  auto version = integer("ver");
  auto jti = p.find("jti");
  if (!user_id || *user_id <= 0 || !exp || !iat || !version || jti == p.end() ||
      !jti->is_string() || !IsHex32(jti->get<std::string>())) {
    return Invalid("the token payload is malformed");
  }
  claims.user_id = *user_id;
  claims.expires_at = *exp;
  claims.issued_at = *iat;
  claims.token_version = *version;
  claims.jti = jti->get<std::string>();
  return Unexpired(std::move(claims), now);
}

Result<TokenClaims> Unexpired(TokenClaims claims, TimePoint now) {
  if (claims.expires_at <= ToUnixSeconds(now)) return Invalid("the token has expired");
  return claims;
}

std::optional<TokenClaims> VerifiedTokens::Find(std::string_view token) const {
  std::lock_guard lock(mutex_);
  auto it = claims_.find(token);
  if (it == claims_.end()) return std::nullopt;
  return it->second;
}

void VerifiedTokens::Add(std::string_view token, const TokenClaims& claims) {
  std::lock_guard lock(mutex_);
  if (claims_.size() >= capacity_) claims_.clear();
  claims_.emplace(std::string(token), claims);
}

}  // namespace connecthub
