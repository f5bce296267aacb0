// The settings of connecthub-server, from flags, CONNECTHUB_* environment variables and a config
// file (CONTRACT.md's connecthub-server table), and the parsers of their value formats. Plain
// values and pure functions; thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "connecthub/settings.h"

namespace connecthub::server {

struct SmsDelay {
  std::chrono::milliseconds min{1000};
  std::chrono::milliseconds max{2000};
  bool none() const { return max.count() == 0; }
};

struct ServerOptions {
  std::string db = "connecthub.db";
  std::string host = "127.0.0.1";
  uint16_t port = 8000;
  int threads = 1;  // ParseOptions defaults it to the number of cores
  SmsDelay sms_delay;
  bool echo_code = true;
  AuthSettings auth;
  std::optional<std::string> secret_key;
  std::optional<std::string> sms_command;
  std::chrono::milliseconds sms_command_timeout{10000};
  int ip_rate_limit = 60;  // per client address per minute; 0 disables
  bool trust_proxy = false;
  size_t max_body = 64 * 1024;
};

// "500ms", "30s", "5m", "1h" or a bare number of seconds.
std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text);
// "64KiB", "1MiB", "2GiB", "1KB"/"1MB" (decimal) or a bare number of bytes.
std::optional<size_t> ParseSize(std::string_view text);
// "MIN-MAX" or one duration (MIN = MAX); "0" for none. MIN <= MAX.
std::optional<SmsDelay> ParseSmsDelay(std::string_view text);
// "+15550000001=1234,+15550000002=5678": phones normalized, codes 4 digits 1000-9999.
std::optional<std::map<std::string, std::string>> ParseTestPhones(std::string_view text);

struct ParsedOptions {
  std::optional<ServerOptions> options;  // nullopt: exit with exit_code (help, version or error)
  int exit_code = 0;
};

// Parses the command line; prints --help/--version to stdout and an error to stderr as one line.
ParsedOptions ParseOptions(int argc, const char* const* argv);

std::string FormatDuration(std::chrono::milliseconds d);

}  // namespace connecthub::server
