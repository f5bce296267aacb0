#include "options.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <thread>
#include <vector>

#include "connecthub/phone.h"

namespace connecthub::server {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Splits "123unit" into 123 and "unit"; nullopt without leading digits or on overflow.
std::optional<std::pair<uint64_t, std::string_view>> SplitNumber(std::string_view text) {
  text = Trim(text);
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end == text.data()) return std::nullopt;
  return std::make_pair(value, Trim(text.substr(end - text.data())));
}

std::optional<uint64_t> Multiply(uint64_t value, uint64_t factor) {
  if (factor != 0 && value > UINT64_MAX / factor) return std::nullopt;
  return value * factor;
}

struct Unit {
  std::string_view name;
  uint64_t factor;
};

std::optional<uint64_t> ParseWithUnits(std::string_view text, const std::vector<Unit>& units) {
  auto split = SplitNumber(text);
  if (!split) return std::nullopt;
  for (const Unit& unit : units) {
    if (split->second == unit.name) return Multiply(split->first, unit.factor);
  }
  return std::nullopt;
}

class OptionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::chrono::milliseconds DurationOption(const std::string& name, const std::string& text) {
  auto d = ParseDuration(text);
  if (!d) {
    throw OptionError(
        fmt::format("--{}: invalid duration \"{}\" (use e.g. 500ms, 30s, 5m or 1h)", name, text));
  }
  return *d;
}

std::chrono::seconds WholeSeconds(const std::string& name, const std::string& text,
                                  bool allow_zero) {
  auto d = DurationOption(name, text);
  if (d.count() % 1000 != 0) {
    throw OptionError(fmt::format("--{}: \"{}\" is not a whole number of seconds", name, text));
  }
  if (!allow_zero && d.count() == 0) {
    throw OptionError(fmt::format("--{}: must be longer than 0", name));
  }
  if (d > std::chrono::hours(24 * 365 * 10)) {
    throw OptionError(fmt::format("--{}: \"{}\" is too long", name, text));
  }
  return std::chrono::duration_cast<std::chrono::seconds>(d);
}

}  // namespace

std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  static const std::vector<Unit> kUnits = {
      {"", 1000}, {"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}};
  auto ms = ParseWithUnits(text, kUnits);
  if (!ms || *ms > static_cast<uint64_t>(INT64_MAX / 2)) return std::nullopt;
  return std::chrono::milliseconds(static_cast<int64_t>(*ms));
}

std::optional<size_t> ParseSize(std::string_view text) {
  static const std::vector<Unit> kUnits = {{"", 1},
                                           {"B", 1},
                                           {"KiB", 1ULL << 10},
                                           {"MiB", 1ULL << 20},
                                           {"GiB", 1ULL << 30},
                                           {"KB", 1000},
                                           {"MB", 1000'000},
                                           {"GB", 1000'000'000},
                                           {"k", 1ULL << 10},
                                           {"K", 1ULL << 10},
                                           {"M", 1ULL << 20}};
  auto bytes = ParseWithUnits(text, kUnits);
  if (!bytes || *bytes > SIZE_MAX) return std::nullopt;
  return static_cast<size_t>(*bytes);
}

std::optional<SmsDelay> ParseSmsDelay(std::string_view text) {
  text = Trim(text);
  // A dash separates MIN and MAX; durations themselves never contain one.
  size_t dash = text.find('-');
  auto min = ParseDuration(text.substr(0, dash));
  auto max = dash == std::string_view::npos ? min : ParseDuration(text.substr(dash + 1));
  if (!min || !max || *min > *max || *max > std::chrono::minutes(10)) return std::nullopt;
  return SmsDelay{*min, *max};
}

std::optional<std::map<std::string, std::string>> ParseTestPhones(std::string_view text) {
  std::map<std::string, std::string> out;
  text = Trim(text);
  if (text.empty()) return out;
  while (true) {
    size_t comma = text.find(',');
    std::string_view entry = Trim(text.substr(0, comma));
    size_t eq = entry.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    auto phone = NormalizePhone(Trim(entry.substr(0, eq)));
    std::string_view code = Trim(entry.substr(eq + 1));
    bool four_digits =
        code.size() == 4 && code[0] >= '1' && code[0] <= '9' &&
        std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!phone.ok() || !four_digits) return std::nullopt;
    out[*phone] = std::string(code);
    if (comma == std::string_view::npos) break;
    text = text.substr(comma + 1);
  }
  return out;
}

std::string FormatDuration(std::chrono::milliseconds d) {
  if (d.count() % 1000 != 0) return fmt::format("{}ms", d.count());
  return fmt::format("{}s", d.count() / 1000);
}

ParsedOptions ParseOptions(int argc, const char* const* argv) {
  ServerOptions o;
  o.threads = std::max(1U, std::thread::hardware_concurrency());
  std::string sms_delay = "1s-2s", code_ttl = "300s", resend = "30s", token_ttl = "1h";
  std::string max_body = "64KiB", test_phones, secret_key, sms_command;

  CLI::App app(
      "connecthub-server: phone-number sign-up and log-in by SMS code, over HTTP.\n"
      "Every option can also come from CONNECTHUB_<OPTION> or --config FILE.",
      "connecthub-server");
  app.set_version_flag("--version", CONNECTHUB_VERSION);
  app.set_config("--config", "", "Read options from a TOML/INI file (keys are option names)")
      ->envname("CONNECTHUB_CONFIG");
  auto add = [&](const std::string& name, auto& target, const std::string& help) {
    std::string env = "CONNECTHUB_" + name;
    std::transform(env.begin(), env.end(), env.begin(),
                   [](char c) { return c == '-' ? '_' : static_cast<char>(std::toupper(c)); });
    return app.add_option("--" + name, target, help)->envname(env)->capture_default_str();
  };
  add("db", o.db, "SQLite file, or a postgresql:// URI");
  add("host", o.host, "Address to listen on");
  add("port", o.port, "Port (0: any free port)");
  add("threads", o.threads, "Worker threads")->check(CLI::Range(1, 1024));
  add("sms-delay", sms_delay, "Simulated SMS delay MIN[-MAX] (e.g. 1s-2s), 0 for none");
  add("echo-code", o.echo_code, "Return sms_code in responses (a simulation)");
  add("code-ttl", code_ttl, "Lifetime of an sms_code");
  add("resend-interval", resend, "Minimum time between two codes for one phone; 0 disables");
  add("max-code-attempts", o.auth.max_code_attempts, "Wrong tries before a code is burned")
      ->check(CLI::Range(1, 1000));
  add("token-ttl", token_ttl, "Access token lifetime");
  add("secret-key", secret_key, "HS256 key, at least 32 bytes (default: kept in the database)")
      ->capture_default_str();
  add("sms-command", sms_command,
      "Delivery command, run with CONNECTHUB_PHONE, CONNECTHUB_CODE, CONNECTHUB_PURPOSE");
  add("ip-rate-limit", o.ip_rate_limit, "Code requests per minute per client address; 0 disables")
      ->check(CLI::Range(0, 1000000));
  add("max-codes-per-hour", o.auth.max_codes_per_hour, "Codes per phone per hour; 0 disables")
      ->check(CLI::Range(0, 1000000));
  add("max-daily-failures", o.auth.max_daily_failures,
      "Wrong codes per phone in 24 h before verification is refused; 0 disables")
      ->check(CLI::Range(0, 1000000));
  add("trust-proxy", o.trust_proxy, "Take the client address from X-Forwarded-For");
  add("max-body", max_body, "Largest request body (e.g. 64KiB)");
  add("test-phones", test_phones, "Fixed codes: +15550000001=1234,+15550000002=5678");

  try {
    app.parse(argc, argv);
    auto delay = ParseSmsDelay(sms_delay);
    if (!delay) {
      throw OptionError(fmt::format(
          "--sms-delay: invalid value \"{}\" (use MIN-MAX such as 1s-2s, one duration, or 0)",
          sms_delay));
    }
    o.sms_delay = *delay;
    o.auth.code_ttl = WholeSeconds("code-ttl", code_ttl, false);
    o.auth.resend_interval = WholeSeconds("resend-interval", resend, true);
    o.auth.token_ttl = WholeSeconds("token-ttl", token_ttl, false);
    auto body = ParseSize(max_body);
    if (!body || *body == 0 || *body > (size_t{1} << 30)) {
      throw OptionError(
          fmt::format("--max-body: invalid size \"{}\" (use e.g. 64KiB or 1MiB)", max_body));
    }
    o.max_body = *body;
    auto phones = ParseTestPhones(test_phones);
    if (!phones) {
      throw OptionError(
          "--test-phones: expected PHONE=CODE[,PHONE=CODE...] with 4-digit codes, e.g. "
          "+15550000001=1234");
    }
    o.auth.test_phones = std::move(*phones);
    if (!secret_key.empty()) o.secret_key = secret_key;
    if (!sms_command.empty()) o.sms_command = sms_command;
    if (!o.echo_code && !o.sms_command) {
      throw OptionError(
          "--echo-code false needs --sms-command: otherwise no one could receive the codes");
    }
  } catch (const CLI::CallForHelp& e) {
    return {std::nullopt, app.exit(e)};
  } catch (const CLI::CallForAllHelp& e) {
    return {std::nullopt, app.exit(e)};
  } catch (const CLI::CallForVersion& e) {
    return {std::nullopt, app.exit(e)};
  } catch (const std::exception& e) {
    std::string message = e.what();
    message = message.substr(0, message.find('\n'));
    std::fprintf(stderr, "connecthub-server: error: %s\n", message.c_str());
    return {std::nullopt, 2};
  }
  return {std::move(o), 0};
}

}  // namespace connecthub::server
