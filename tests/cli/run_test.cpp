// The command line as a whole: global options, --json anywhere, CONNECTHUB_DB, usage errors,
// --help and --version, and writes from several processes at once.
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <set>
#include <thread>

#include "tests/cli/cli_fixture.h"

namespace connecthub::testing {
namespace {

TEST_CASE_METHOD(CliFixture,
                 "the --json flag works before and after the command and its arguments") {
  ProcessResult reg = RunCli({"--json", "--db", db, "register", "+79990000001"});
  REQUIRE(reg.status == 0);
  CHECK(nlohmann::json::parse(reg.out)["phone"] == "+79990000001");
  nlohmann::json before = Json({"profile", "+79990000001"});  // --db DB --json profile PHONE
  nlohmann::json after = nlohmann::json::parse(Cli({"profile", "+79990000001", "--json"}).out);
  nlohmann::json middle = nlohmann::json::parse(Cli({"profile", "--json", "+79990000001"}).out);
  CHECK(before["phone"] == "+79990000001");
  CHECK(after == before);
  CHECK(middle == before);
}

TEST_CASE("the database comes from CONNECTHUB_DB, and --db wins over it") {
  TempDir dir;
  const std::string env_db = dir.File("from-env.db");
  const std::string flag_db = dir.File("from-flag.db");
  ProcessResult r = RunCli({"register", "+79990000001"}, {{"CONNECTHUB_DB", env_db}});
  REQUIRE(r.status == 0);
  CHECK(std::filesystem::exists(env_db));
  r = RunCli({"--db", flag_db, "--json", "users"}, {{"CONNECTHUB_DB", env_db}});
  REQUIRE(r.status == 0);
  CHECK(nlohmann::json::parse(r.out) == nlohmann::json::array());
  r = RunCli({"--json", "users"}, {{"CONNECTHUB_DB", env_db}});
  REQUIRE(r.status == 0);
  CHECK(nlohmann::json::parse(r.out).size() == 1);
  r = RunCli({"users", "--db", env_db, "--json"});
  REQUIRE(r.status == 0);
  CHECK(nlohmann::json::parse(r.out).size() == 1);
}

TEST_CASE("the database defaults to connecthub.db in the working directory") {
  TempDir dir;
  std::filesystem::path cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  ProcessResult r = RunCli({"register", "+79990000001"});
  std::filesystem::current_path(cwd);
  REQUIRE(r.status == 0);
  CHECK(std::filesystem::exists(dir.path() / "connecthub.db"));
}

TEST_CASE("a database that cannot be opened is a database error") {
  TempDir dir;
  ProcessResult r = RunCli({"--db", dir.File("no/such/dir/x.db"), "stats"});
  RequireError(r, 1, "");
  r = RunCli({"--db", dir.File("no/such/dir/x.db"), "--json", "stats"});
  REQUIRE(r.status == 1);
  REQUIRE(r.out.empty());
  std::string code = nlohmann::json::parse(r.err)["error"];
  CHECK((code == "internal_error" || code == "service_unavailable"));
}

TEST_CASE("usage errors exit 2 with one line on stderr") {
  RequireError(RunCli({}), 2, "subcommand");
  RequireError(RunCli({"frobnicate"}), 2, "unknown command 'frobnicate'");
  RequireError(RunCli({"--no-such-option", "stats"}), 2, "--no-such-option");
  RequireError(RunCli({"profile"}), 2, "PHONE");
  RequireError(RunCli({"profile", "+79990000001", "extra"}), 2, "extra");
  RequireError(RunCli({"stats", "--limit", "5"}), 2, "--limit");
  RequireJsonError(RunCli({"--json", "profile"}), 2, "invalid_request");
  RequireJsonError(RunCli({"invite", "+79990000001", "--json"}), 2, "invalid_request");
}

TEST_CASE("a usage error touches no database") {
  TempDir dir;
  RunCli({"--db", dir.File("x.db"), "profile"});
  CHECK_FALSE(std::filesystem::exists(dir.File("x.db")));
}

TEST_CASE("the --version flag prints the version") {
  ProcessResult r = RunCli({"--version"});
  CHECK(r.status == 0);
  CHECK(r.out == std::string(CONNECTHUB_VERSION) + "\n");
  CHECK(r.err.empty());
}

TEST_CASE("the --help flag lists every command and the exit statuses, and exits 0") {
  ProcessResult r = RunCli({"--help"});
  REQUIRE(r.status == 0);
  CHECK(r.err.empty());
  for (std::string command : {"register", "login", "profile", "invite", "list-invited", "users",
                              "stats", "revoke", "purge-codes", "backup"}) {
    CHECK(r.out.find("\n  " + command + " ") != std::string::npos);
  }
  CHECK(r.out.find("CONNECTHUB_DB") != std::string::npos);
  CHECK(r.out.find("Exit status:") != std::string::npos);
  ProcessResult sub = RunCli({"users", "--help"});
  REQUIRE(sub.status == 0);
  CHECK(sub.out.find("--limit") != std::string::npos);
  CHECK(sub.out.find("--offset") != std::string::npos);
}

TEST_CASE_METHOD(CliFixture, "registers from several processes at once are all kept") {
  constexpr int kProcesses = 4;
  constexpr int kEach = 25;
  std::vector<std::vector<ProcessResult>> results(kProcesses);
  std::vector<std::thread> workers;
  for (int p = 0; p < kProcesses; ++p) {
    workers.emplace_back([&, p] {
      for (int i = 0; i < kEach; ++i) {
        char phone[32];
        std::snprintf(phone, sizeof phone, "+7999%02d%05d", p, i);
        results[p].push_back(Cli({"--json", "register", phone}));
      }
    });
  }
  for (auto& w : workers) w.join();
  std::set<int64_t> ids;
  for (const auto& batch : results) {
    for (const ProcessResult& r : batch) {
      INFO("stderr: " << r.err);
      REQUIRE(r.status == 0);
      ids.insert(nlohmann::json::parse(r.out)["id"].get<int64_t>());
    }
  }
  CHECK(ids.size() == kProcesses * kEach);
  nlohmann::json users = Json({"users", "--limit", "1000"});
  CHECK(users.size() == kProcesses * kEach);
  CHECK(Json({"stats"})["users"] == kProcesses * kEach);
}

// Not run by default: `cli_tests "[.timing]"` prints the median wall time of one `profile`.
TEST_CASE_METHOD(CliFixture, "profile median wall time", "[.timing]") {
  Json({"register", "+79912345678"});
  std::vector<double> millis;
  for (int i = 0; i < 101; ++i) {
    auto start = std::chrono::steady_clock::now();
    ProcessResult r = Cli({"profile", "+79912345678"});
    auto end = std::chrono::steady_clock::now();
    REQUIRE(r.status == 0);
    millis.push_back(std::chrono::duration<double, std::milli>(end - start).count());
  }
  std::sort(millis.begin(), millis.end());
  WARN("connecthub-cli profile: median " << millis[millis.size() / 2] << " ms, min " << millis[0]
                                         << " ms, p90 " << millis[millis.size() * 9 / 10]
                                         << " ms over " << millis.size() << " runs");
}

}  // namespace
}  // namespace connecthub::testing
