// Thin wrappers over OpenSSL for what the core needs: HMAC-SHA256, constant-time comparison and
// base64url without padding. Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace connecthub {

using Digest = std::array<uint8_t, 32>;

Digest HmacSha256(std::string_view key, std::string_view data);
// Compares in time that depends only on the sizes.
bool ConstantTimeEqual(std::string_view a, std::string_view b);
std::string Base64UrlEncode(std::string_view data);
// Strict: only the base64url alphabet, no padding, no stray length. nullopt on anything else.
std::optional<std::string> Base64UrlDecode(std::string_view text);
std::string ToHex(std::string_view bytes);

inline std::string_view AsStringView(const Digest& d) {
  return {reinterpret_cast<const char*>(d.data()), d.size()};
}

}  // namespace connecthub
