// The source of randomness for codes and keys, a seam for tests. The default reads OpenSSL's
// CSPRNG (RAND_bytes). Implementations must be thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace connecthub {

class Random {
 public:
  virtual ~Random() = default;
  // Fills out[0, size) with random bytes. Throws std::runtime_error if no randomness can be had.
  virtual void Fill(uint8_t* out, size_t size) = 0;

  // A uniform integer in [0, bound), by rejection sampling (no modulo bias). bound > 0.
  uint32_t Uniform(uint32_t bound);
};

class CryptoRandom final : public Random {
 public:
  void Fill(uint8_t* out, size_t size) override;
};

// A 4-digit SMS code, 1000-9999.
std::string MakeSmsCode(Random& random);
// A 6-character invitation code from A-Z a-z 0-9.
std::string MakeInvitationCode(Random& random);
// True if `code` has the invitation code's form (6 characters from A-Z a-z 0-9).
bool IsInvitationCodeFormat(std::string_view code);

}  // namespace connecthub
