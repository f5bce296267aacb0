// HS256 access tokens (RFC 7519, checked per RFC 8725): alg pinned to HS256 before any signature
// work, constant-time signature comparison, exp and token_type checked. Immutable after
// construction; thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "connecthub/clock.h"
#include "connecthub/error.h"
#include "connecthub/random.h"

namespace connecthub {

struct TokenClaims {
  int64_t user_id = 0;
  int64_t issued_at = 0;      // iat, Unix seconds
  int64_t expires_at = 0;     // exp, Unix seconds
  std::string jti;            // 32 hex characters
  int64_t token_version = 0;  // "ver": bumped by revocation, so older tokens stop working
};

// `claims` if they have not expired at `now`; kInvalidToken otherwise.
Result<TokenClaims> Unexpired(TokenClaims claims, TimePoint now);

class TokenSigner {
 public:
  // `key` is the HS256 key, at least 32 bytes.
  explicit TokenSigner(std::string key);

  std::string Issue(int64_t user_id, int64_t token_version, TimePoint now, std::chrono::seconds ttl,
                    Random& random) const;
  // kInvalidToken with a message saying what is wrong (never the key or the token).
  Result<TokenClaims> Verify(std::string_view token, TimePoint now) const;

 private:
  std::string key_;
};

// Tokens that passed TokenSigner::Verify, so that a client calling again with the same token costs
// a lookup instead of an HMAC, two base64 decodings and a JSON parse. Only the signature check is
// remembered, keyed by the whole token: expiry is checked on every use (Unexpired), and revocation
// stays the caller's check against the user's token version. Bounded: when full it starts over.
// Thread-safe.
class VerifiedTokens {
 public:
  explicit VerifiedTokens(size_t capacity) : capacity_(capacity) {}

  std::optional<TokenClaims> Find(std::string_view token) const;
  void Add(std::string_view token, const TokenClaims& claims);

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  const size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, TokenClaims, Hash, std::equal_to<>> claims_;
};

}  // namespace connecthub
