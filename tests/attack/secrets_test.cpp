// Secrets: the --secret-key never shows in the server's log, --help or error messages; SMS codes
// and access tokens never show in the access log; the database file is private to its owner.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <regex>
#include <string>
#include <vector>

#include "attack/attack_fixture.h"
#include "attack/process.h"
#include "support/api_client.h"
#include "support/temp_dir.h"

namespace connecthub::testing {
namespace {

const std::string kSecret = "attack-test-secret-key-0123456789-abcdefghijklmnop";

// True if the 4-digit `code` stands alone in `log` (not inside a longer number or a date).
bool MentionsCode(const std::string& log, const std::string& code) {
  return std::regex_search(log, std::regex("(^|[^0-9.:\\-])" + code + "([^0-9.:\\-]|$)"));
}

unsigned FileMode(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

}  // namespace

TEST_CASE("the secret key, codes and tokens stay out of the server's log") {
  TempDir dir;
  const std::string db = dir.File("secrets.db");
  std::vector<std::string> args = UnthrottledArgs(db);
  args.insert(args.end(), {"--secret-key", kSecret});
  ServerProcess server(args, dir.File("server.log"));
  ApiClient api(server.port());

  std::vector<std::string> codes, tokens;
  for (int i = 0; i < 5; ++i) {
    const std::string phone = TestPhone(30, i);
    ApiResponse step1 = api.Send("POST", "/api/register/", {{"phone", phone}});
    REQUIRE(step1.status == 200);
    codes.push_back(step1.body["sms_code"]);
    ApiResponse wrong =
        api.Send("POST", "/api/register/",
                 {{"phone", phone}, {"sms_code", codes.back() == "1000" ? "1001" : "1000"}});
    CHECK(wrong.status == 400);
    ApiResponse step2 =
        api.Send("POST", "/api/register/", {{"phone", phone}, {"sms_code", codes.back()}});
    REQUIRE(step2.status == 201);
    tokens.push_back(step2.body["access_token"]);
    CHECK(api.Profile(tokens.back()).status == 200);
    CHECK(api.Profile(tokens.back() + "x").status == 401);
    // Secrets in the query string must not be logged either.
    CHECK(api.Send("GET", "/api/clients/profile/?token=" + tokens.back()).status == 401);
  }
  REQUIRE(server.Stop(SIGTERM) == 0);

  const std::string log = server.Log();
  INFO(log);
  CHECK(log.find("/api/register/") != std::string::npos);  // the access log is there
  CHECK(log.find(kSecret) == std::string::npos);
  CHECK(log.find(kSecret.substr(0, 16)) == std::string::npos);
  for (const std::string& token : tokens) {
    CHECK(log.find(token.substr(token.rfind('.'))) == std::string::npos);
    CHECK(log.find(token.substr(token.find('.') + 1, 40)) == std::string::npos);
  }
  for (const std::string& code : codes) CHECK_FALSE(MentionsCode(log, code));
  CHECK(log.find("sms_code") == std::string::npos);
}

TEST_CASE("the secret key never appears in --help or in error messages") {
  TempDir dir;
  const std::string server = ServerPath();
  const std::string db = dir.File("help.db");
  for (const std::vector<std::string>& argv :
       {std::vector<std::string>{server, "--secret-key", kSecret, "--help"},
        std::vector<std::string>{"/usr/bin/env", "CONNECTHUB_SECRET_KEY=" + kSecret, server,
                                 "--help"},
        // Refused: too short. The message says so without repeating it.
        std::vector<std::string>{server, "--db", db, "--secret-key", kSecret.substr(0, 20)},
        // Refused for another reason while a good key is set.
        std::vector<std::string>{server, "--db", db, "--secret-key", kSecret, "--port", "notaport"},
        std::vector<std::string>{server, "--db", db, "--secret-key", kSecret, "--echo-code",
                                 "false"},
        std::vector<std::string>{"/usr/bin/env", "CONNECTHUB_SECRET_KEY=" + kSecret, server, "--db",
                                 db, "--max-body", "lots"}}) {
    ProgramResult r = RunProgram(argv, dir.path().string());
    INFO(argv.back() << " -> " << r.status << "\n" << r.out << r.err);
    CHECK((r.status == 0 || r.status == 2));
    CHECK((r.out + r.err).find(kSecret.substr(0, 20)) == std::string::npos);
  }
}

TEST_CASE("the database file and its journals are private to their owner") {
  TempDir dir;
  const std::string db = dir.File("private.db");
  {
    ServerProcess server(UnthrottledArgs(db), dir.File("server.log"));
    REQUIRE(ApiClient(server.port()).Register(TestPhone(31, 0)).status == 201);
    CHECK(FileMode(db) == 0600);
    for (const char* suffix : {"-wal", "-shm"}) {
      struct stat st {};
      if (::stat((db + suffix).c_str(), &st) == 0) CHECK((st.st_mode & 0777) == 0600);
    }
  }
  const std::string cli_db = dir.File("cli.db");
  ProgramResult r =
      RunProgram({CliPath(), "--db", cli_db, "register", TestPhone(31, 1)}, dir.path().string());
  REQUIRE(r.status == 0);
  CHECK(FileMode(cli_db) == 0600);
}

}  // namespace connecthub::testing
