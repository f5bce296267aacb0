#include "connecthub/random.h"

#include <openssl/rand.h>

#include <limits>
#include <stdexcept>

namespace connecthub {

namespace {
constexpr std::string_view kInvitationAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
constexpr size_t kInvitationCodeSize = 6;
}  // namespace

uint32_t Random::Uniform(uint32_t bound) {
  // Reject the top partial range so every value in [0, bound) is equally likely.
  const uint32_t limit = std::numeric_limits<uint32_t>::max() -
                         (std::numeric_limits<uint32_t>::max() % bound + 1) % bound;
  for (;;) {
    uint32_t value = 0;
    Fill(reinterpret_cast<uint8_t*>(&value), sizeof value);
    if (value <= limit) return value % bound;
  }
}

void CryptoRandom::Fill(uint8_t* out, size_t size) {
  if (RAND_bytes(out, static_cast<int>(size)) != 1) {
    throw std::runtime_error("the system's random source failed");
  }
}

std::string MakeSmsCode(Random& random) { return std::to_string(1000 + random.Uniform(9000)); }

std::string MakeInvitationCode(Random& random) {
  std::string code(kInvitationCodeSize, ' ');
  for (char& c : code) c = kInvitationAlphabet[random.Uniform(kInvitationAlphabet.size())];
  return code;
}

bool IsInvitationCodeFormat(std::string_view code) {
  if (code.size() != kInvitationCodeSize) return false;
  for (char c : code) {
    if (kInvitationAlphabet.find(c) == std::string_view::npos) return false;
  }
  return true;
}

}  // namespace connecthub
