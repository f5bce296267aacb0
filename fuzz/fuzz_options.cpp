// The value formats of connecthub-server's options, which also come from the environment and
// config files: durations (--code-ttl, --token-ttl, --resend-interval), sizes (--max-body),
// --sms-delay MIN[-MAX] and --test-phones. Invariants: a parsed value is in range and reads back
// to itself from its canonical spelling; every parser returns nullopt rather than crash or
// overflow.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "connecthub/phone.h"
#include "fuzz_check.h"
#include "options.h"

namespace server = connecthub::server;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  if (auto d = server::ParseDuration(text)) {
    FUZZ_CHECK(d->count() >= 0);
    FUZZ_CHECK(server::ParseDuration(server::FormatDuration(*d)) == d);
    FUZZ_CHECK(server::ParseDuration(std::to_string(d->count()) + "ms") == d);
  }

  if (auto bytes = server::ParseSize(text)) {
    FUZZ_CHECK(server::ParseSize(std::to_string(*bytes)) == bytes);
    FUZZ_CHECK(server::ParseSize(std::to_string(*bytes) + "B") == bytes);
  }

  if (auto delay = server::ParseSmsDelay(text)) {
    FUZZ_CHECK(delay->min.count() >= 0);
    FUZZ_CHECK(delay->min <= delay->max);
    FUZZ_CHECK(delay->max <= std::chrono::minutes(10));
    FUZZ_CHECK(delay->none() == (delay->max.count() == 0));
  }

  if (auto phones = server::ParseTestPhones(text)) {
    for (const auto& [phone, code] : *phones) {
      auto again = connecthub::NormalizePhone(phone);
      FUZZ_CHECK(again.ok() && *again == phone);
      FUZZ_CHECK(code.size() == 4 && code[0] >= '1' && code[0] <= '9');
      for (char c : code) FUZZ_CHECK(c >= '0' && c <= '9');
    }
  }
  return 0;
}
