// Phone input as users type it (request bodies, CLI arguments, --test-phones): NormalizePhone must
// accept exactly "+ then 9 to 15 digits once spaces, dashes, dots and parentheses are removed",
// and what it returns must be a fixed point.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "connecthub/phone.h"
#include "fuzz_check.h"

namespace {

constexpr size_t kMaxInput = 64;

// The contract's rule, written independently of the core.
bool IsE164(std::string_view s) {
  if (s.size() < 10 || s.size() > 16 || s[0] != '+') return false;
  for (char c : s.substr(1)) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::string WithoutSeparators(std::string_view input) {
  std::string out;
  for (char c : input) {
    if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') out.push_back(c);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto phone = connecthub::NormalizePhone(input);
  const std::string expected = WithoutSeparators(input);
  const bool should_accept = input.size() <= kMaxInput && IsE164(expected);
  FUZZ_CHECK(phone.ok() == should_accept);
  if (!phone.ok()) {
    FUZZ_CHECK(phone.error().code == connecthub::ErrorCode::kInvalidPhone);
    FUZZ_CHECK(!phone.error().message.empty());
    return 0;
  }
  FUZZ_CHECK(*phone == expected);
  FUZZ_CHECK(IsE164(*phone));
  auto again = connecthub::NormalizePhone(*phone);
  FUZZ_CHECK(again.ok() && *again == *phone);
  return 0;
}
