// HS256 access tokens (RFC 7519, checked per RFC 8725): alg pinned to HS256 before any signature
// work, constant-time signature comparison, exp and token_type checked. Immutable after
// construction; thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

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

}  // namespace connecthub
