// The limits and lifetimes of the auth flow, with CONTRACT.md's defaults. A plain value.
#pragma once

#include <chrono>
#include <map>
#include <string>

namespace connecthub {

struct AuthSettings {
  std::chrono::seconds code_ttl{300};
  std::chrono::seconds resend_interval{30};  // 0 disables
  int max_code_attempts = 5;
  std::chrono::seconds token_ttl{3600};
  int max_codes_per_hour = 10;  // 0 disables
  int max_daily_failures = 50;  // 0 disables
  // Fixed codes for chosen phones (E.164 -> 4-digit code): no delivery, no resend or hourly cap;
  // the attempt limits still apply.
  std::map<std::string, std::string> test_phones;
};

}  // namespace connecthub
