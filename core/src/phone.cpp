#include "connecthub/phone.h"

namespace connecthub {

namespace {
constexpr size_t kMinDigits = 9;
constexpr size_t kMaxDigits = 15;
constexpr size_t kMaxInput = 64;  // longer input cannot be a phone even with separators
}  // namespace

Result<std::string> NormalizePhone(std::string_view input) {
  auto invalid = [] {
    return MakeError(ErrorCode::kInvalidPhone,
                     "phone must be an international number: + then 9 to 15 digits");
  };
  if (input.size() > kMaxInput) return invalid();
  std::string phone;
  phone.reserve(kMaxDigits + 1);
  for (char c : input) {
    if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')') continue;
    if (c == '+' && phone.empty()) {
      phone.push_back(c);
    } else if (c >= '0' && c <= '9' && !phone.empty()) {
      phone.push_back(c);
    } else {
      return invalid();
    }
  }
  size_t digits = phone.empty() ? 0 : phone.size() - 1;
  if (digits < kMinDigits || digits > kMaxDigits) return invalid();
  return phone;
}

}  // namespace connecthub
