// connecthub-server's options: flags, CONNECTHUB_* variables, --config files, value formats and
// the refusal of invalid values (exit status 2).
#include "options.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <vector>

#include "support/temp_dir.h"

using connecthub::server::ParseDuration;
using connecthub::server::ParseOptions;
using connecthub::server::ParseSize;
using connecthub::server::ParseSmsDelay;
using connecthub::server::ParseTestPhones;
using namespace std::chrono_literals;

namespace {

connecthub::server::ParsedOptions Parse(std::vector<const char*> args) {
  args.insert(args.begin(), "connecthub-server");
  return ParseOptions(static_cast<int>(args.size()), args.data());
}

}  // namespace

TEST_CASE("durations take ms s m h or bare seconds") {
  CHECK(ParseDuration("500ms") == 500ms);
  CHECK(ParseDuration("30s") == 30s);
  CHECK(ParseDuration("5m") == 5min);
  CHECK(ParseDuration("1h") == 1h);
  CHECK(ParseDuration("45") == 45s);
  CHECK_FALSE(ParseDuration("1d"));
  CHECK_FALSE(ParseDuration("-1s"));
  CHECK_FALSE(ParseDuration("s"));
  CHECK_FALSE(ParseDuration("99999999999999999999h"));
}

TEST_CASE("sizes take KiB MiB or bytes") {
  CHECK(ParseSize("64KiB") == 65536u);
  CHECK(ParseSize("1MiB") == 1048576u);
  CHECK(ParseSize("100") == 100u);
  CHECK_FALSE(ParseSize("1 lot"));
}

TEST_CASE("the SMS delay is MIN-MAX one duration or 0") {
  auto d = ParseSmsDelay("1s-2s");
  REQUIRE(d);
  CHECK(d->min == 1s);
  CHECK(d->max == 2s);
  CHECK(ParseSmsDelay("0")->none());
  CHECK(ParseSmsDelay("250ms")->min == 250ms);
  CHECK_FALSE(ParseSmsDelay("2s-1s"));
  CHECK_FALSE(ParseSmsDelay("fast"));
}

TEST_CASE("test phones are normalized codes are 4 digits") {
  auto phones = ParseTestPhones("+1 555 000 0001=1234, +15550000002=5678");
  REQUIRE(phones);
  CHECK(phones->at("+15550000001") == "1234");
  CHECK(phones->at("+15550000002") == "5678");
  CHECK_FALSE(ParseTestPhones("+15550000001=12"));
  CHECK_FALSE(ParseTestPhones("+15550000001"));
  CHECK_FALSE(ParseTestPhones("555=1234"));
}

TEST_CASE("defaults are the contract's") {
  auto p = Parse({});
  REQUIRE(p.options);
  CHECK(p.options->db == "connecthub.db");
  CHECK(p.options->host == "127.0.0.1");
  CHECK(p.options->port == 8000);
  CHECK(p.options->sms_delay.min == 1s);
  CHECK(p.options->sms_delay.max == 2s);
  CHECK(p.options->echo_code);
  CHECK(p.options->auth.code_ttl == 300s);
  CHECK(p.options->auth.resend_interval == 30s);
  CHECK(p.options->auth.token_ttl == 1h);
  CHECK(p.options->ip_rate_limit == 60);
  CHECK(p.options->max_body == 65536u);
  CHECK(p.options->threads >= 1);
}

TEST_CASE("options come from flags the environment and a config file") {
  connecthub::testing::TempDir dir;
  std::string config = dir.File("server.toml");
  std::ofstream(config) << "token-ttl = \"2h\"\nport = 9001\nsms-delay = \"0\"\n";
  setenv("CONNECTHUB_CODE_TTL", "10m", 1);
  auto p = Parse({"--config", config.c_str(), "--port", "9002", "--trust-proxy", "true"});
  unsetenv("CONNECTHUB_CODE_TTL");
  REQUIRE(p.options);
  CHECK(p.options->auth.token_ttl == 2h);
  CHECK(p.options->port == 9002);  // a flag beats the file
  CHECK(p.options->auth.code_ttl == 600s);
  CHECK(p.options->sms_delay.none());
  CHECK(p.options->trust_proxy);
}

TEST_CASE("invalid values are refused with exit status 2") {
  CHECK(Parse({"--token-ttl", "soon"}).exit_code == 2);
  CHECK(Parse({"--port", "70000"}).exit_code == 2);
  CHECK(Parse({"--sms-delay", "2s-1s"}).exit_code == 2);
  CHECK(Parse({"--max-body", "big"}).exit_code == 2);
  CHECK(Parse({"--echo-code", "maybe"}).exit_code == 2);
  CHECK(Parse({"--test-phones", "nonsense"}).exit_code == 2);
  CHECK(Parse({"--code-ttl", "0"}).exit_code == 2);
  CHECK(Parse({"--no-such-option"}).exit_code == 2);
  CHECK_FALSE(Parse({"--token-ttl", "soon"}).options);
}

TEST_CASE("echo off needs a delivery command") {
  CHECK(Parse({"--echo-code", "false"}).exit_code == 2);
  auto p = Parse({"--echo-code", "false", "--sms-command", "cat > /dev/null"});
  REQUIRE(p.options);
  CHECK(*p.options->sms_command == "cat > /dev/null");
}

TEST_CASE("help and version exit 0") {
  CHECK(Parse({"--version"}).exit_code == 0);
  CHECK_FALSE(Parse({"--help"}).options);
  CHECK(Parse({"--help"}).exit_code == 0);
}
