// The service's config file as connecthub-cli reads it: db, secret-key and token-ttl from it, the
// server's other keys skipped, flag > environment > file > default, and the files it refuses.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "connecthub/clock.h"
#include "connecthub/token.h"
#include "tests/cli/cli_fixture.h"

namespace connecthub::testing {
namespace {

// A config as the server's, with keys the CLI has no option for; `lines` add to it.
std::string WriteConfig(const TempDir& dir, const std::string& lines) {
  std::string path = dir.File("connecthub.conf");
  std::ofstream out(path);
  out << "# connecthub-server settings\n"
         "host = \"127.0.0.1\"\n"
         "port = 8000\n"
         "echo-code = true\n"
         "sms-delay = \"1s-2s\"\n"
         "test-phones = \"+15550000001=1234\"\n"
      << lines
      << "[section]\n"
         "db = \"not-this.db\"\n";
  REQUIRE(out.good());
  return path;
}

bool SignedWith(const std::string& key, const std::string& token) {
  return TokenSigner(key).Verify(token, SystemClock().Now()).ok();
}

int64_t UsersIn(const std::string& db) {
  ProcessResult r = RunCli({"--db", db, "--json", "stats"});
  REQUIRE(r.status == 0);
  return nlohmann::json::parse(r.out)["users"];
}

TEST_CASE("the database comes from the config file, whose other keys are skipped") {
  TempDir dir;
  const std::string db = dir.File("from-config.db");
  const std::string config = WriteConfig(dir, "db = \"" + db + "\"\n");
  ProcessResult r = RunCli({"--config", config, "--json", "register", "+79990000001"});
  INFO("stderr: " << r.err);
  REQUIRE(r.status == 0);
  CHECK(r.err.empty());
  CHECK(UsersIn(db) == 1);
  CHECK_FALSE(std::filesystem::exists("not-this.db"));
  // The same through CONNECTHUB_CONFIG, and with --config after the command.
  CHECK(RunCli({"register", "+79990000002"}, {{"CONNECTHUB_CONFIG", config}}).status == 0);
  CHECK(RunCli({"register", "+79990000003", "--config", config}).status == 0);
  CHECK(UsersIn(db) == 3);
}

TEST_CASE("CONNECTHUB_DB wins over the config file, and --db over both") {
  TempDir dir;
  const std::string config_db = dir.File("config.db");
  const std::string env_db = dir.File("env.db");
  const std::string flag_db = dir.File("flag.db");
  const std::string config = WriteConfig(dir, "db = \"" + config_db + "\"\n");
  CHECK(RunCli({"register", "+79990000001"}, {{"CONNECTHUB_CONFIG", config}}).status == 0);
  ProcessResult r = RunCli({"register", "+79990000002"},
                           {{"CONNECTHUB_CONFIG", config}, {"CONNECTHUB_DB", env_db}});
  REQUIRE(r.status == 0);
  r = RunCli({"--db", flag_db, "register", "+79990000003"},
             {{"CONNECTHUB_CONFIG", config}, {"CONNECTHUB_DB", env_db}});
  REQUIRE(r.status == 0);
  CHECK(UsersIn(config_db) == 1);
  CHECK(UsersIn(env_db) == 1);
  CHECK(UsersIn(flag_db) == 1);
  ProcessResult users = RunCli({"--db", env_db, "--json", "users"});
  CHECK(nlohmann::json::parse(users.out)[0]["phone"] == "+79990000002");
}

TEST_CASE_METHOD(CliFixture, "the token lifetime comes from the config file unless given") {
  TempDir dir;
  const std::string path = WriteConfig(dir, "token-ttl = \"2m\"\n");
  const std::map<std::string, std::string> env{{"CONNECTHUB_CONFIG", path}};
  CHECK(Json({"register", "+79912345678"}, env)["expires_in"] == 120);
  CHECK(Json({"login", "+79912345678"}, env)["expires_in"] == 120);
  CHECK(Json({"login", "+79912345678"},
             {{"CONNECTHUB_CONFIG", path}, {"CONNECTHUB_TOKEN_TTL", "30s"}})["expires_in"] == 30);
  CHECK(Json({"login", "+79912345678", "--token-ttl", "90"},
             {{"CONNECTHUB_CONFIG", path}, {"CONNECTHUB_TOKEN_TTL", "30s"}})["expires_in"] == 90);
  CHECK(Json({"login", "+79912345678"})["expires_in"] == 3600);
}

TEST_CASE_METHOD(CliFixture, "tokens are signed with the config file's secret key") {
  const std::string config_key(40, 'c');
  const std::string env_key(40, 'e');
  const std::string flag_key(40, 'f');
  TempDir dir;
  const std::string path = WriteConfig(dir, "secret-key = \"" + config_key + "\"\n");
  std::string token =
      Json({"register", "+79912345678"}, {{"CONNECTHUB_CONFIG", path}})["access_token"];
  CHECK(SignedWith(config_key, token));
  CHECK_FALSE(SignedWith(env_key, token));
  token = Json({"login", "+79912345678"},
               {{"CONNECTHUB_CONFIG", path}, {"CONNECTHUB_SECRET_KEY", env_key}})["access_token"];
  CHECK(SignedWith(env_key, token));
  CHECK_FALSE(SignedWith(config_key, token));
  token = Json({"--secret-key", flag_key, "login", "+79912345678"},
               {{"CONNECTHUB_CONFIG", path}, {"CONNECTHUB_SECRET_KEY", env_key}})["access_token"];
  CHECK(SignedWith(flag_key, token));
  // Without a configured key, the key kept in the database signs: not the file's.
  token = Json({"login", "+79912345678"})["access_token"];
  CHECK_FALSE(SignedWith(config_key, token));
}

TEST_CASE("a config file named by --config or CONNECTHUB_CONFIG must exist") {
  TempDir dir;
  const std::string missing = dir.File("missing.conf");
  const std::string db = dir.File("x.db");
  RequireError(RunCli({"--config", missing, "--db", db, "stats"}), 2, missing + ": no such file");
  RequireJsonError(RunCli({"--json", "--db", db, "stats"}, {{"CONNECTHUB_CONFIG", missing}}), 2,
                   "invalid_request");
  CHECK_FALSE(std::filesystem::exists(db));
}

TEST_CASE("a value the option refuses is a usage error naming the config file") {
  TempDir dir;
  const std::string path = WriteConfig(dir, "token-ttl = \"soon\"\n");
  RequireError(RunCli({"--config", path, "--db", dir.File("x.db"), "login", "+79912345678"}), 2,
               path + ": --token-ttl");
  CHECK_FALSE(std::filesystem::exists(dir.File("x.db")));
}

TEST_CASE("the default config file is the one the Debian package installs") {
  ProcessResult r = RunCli({"--help"});
  CHECK(r.out.find("--config FILE=/etc/connecthub/connecthub.conf") != std::string::npos);
}

// connecthub-cli `args` with a config it may not read: mode 0600 and, when the tests run as root
// (for whom access() succeeds whatever the mode), run as nobody through setpriv.
ProcessResult RunWithUnreadableConfig(const TempDir& dir, std::vector<std::string> args) {
  const std::string path = WriteConfig(dir, "db = \"" + dir.File("config.db") + "\"\n");
  std::vector<std::string> argv;
  if (geteuid() == 0) {
    REQUIRE(access("/usr/bin/setpriv", X_OK) == 0);
    REQUIRE(chmod(dir.path().c_str(), 0755) == 0);  // nobody may reach the file, not read it
    argv = {"/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"};
    REQUIRE(chmod(path.c_str(), 0600) == 0);
  } else {
    REQUIRE(chmod(path.c_str(), 0) == 0);
  }
  argv.emplace_back(CONNECTHUB_CLI_PATH);
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProcess(argv, {{"CONNECTHUB_CONFIG", path}});
}

TEST_CASE("a config file that cannot be read is an error, not a new database elsewhere") {
  TempDir dir;
  const std::string path = dir.File("connecthub.conf");
  RequireError(RunWithUnreadableConfig(dir, {"stats"}), 1,
               "cannot read " + path +
                   ": run as the service user (sudo -u connecthub connecthub-cli ...) or give "
                   "--db");
  // Named, it is an error even with --db: its key would be missing from the tokens.
  ProcessResult r = RunWithUnreadableConfig(dir, {"--json", "--db", dir.File("x.db"), "stats"});
  RequireJsonError(r, 1, "internal_error");
  CHECK(r.err.find("cannot read " + path) != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.File("config.db")));
  CHECK_FALSE(std::filesystem::exists(dir.File("x.db")));
}

}  // namespace
}  // namespace connecthub::testing
