// A temporary database per test and helpers to run connecthub-cli on it.
#pragma once

#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/cli/process.h"
#include "tests/support/temp_dir.h"

namespace connecthub::testing {

class CliFixture {
  TempDir dir_;  // first: `db` is made from it

 public:
  const std::string db = dir_.File("connecthub.db");

  // connecthub-cli --db <db> args...
  ProcessResult Cli(const std::vector<std::string>& args,
                    const std::map<std::string, std::string>& env = {}) const {
    std::vector<std::string> full{"--db", db};
    full.insert(full.end(), args.begin(), args.end());
    return RunCli(full, env);
  }

  // connecthub-cli --db <db> --json args..., which must succeed quietly; its stdout parsed.
  nlohmann::json Json(const std::vector<std::string>& args,
                      const std::map<std::string, std::string>& env = {}) const {
    std::vector<std::string> full{"--json"};
    full.insert(full.end(), args.begin(), args.end());
    ProcessResult r = Cli(full, env);
    INFO("stderr: " << r.err);
    REQUIRE(r.status == 0);
    REQUIRE(r.err.empty());
    return nlohmann::json::parse(r.out);
  }

  std::string File(const std::string& name) const { return dir_.File(name); }
};

// Expects the failure of `r` as a user sees it with --json: nothing on stdout, the API's error
// object on stderr, and `exit_status`.
inline void RequireJsonError(const ProcessResult& r, int exit_status, const std::string& code) {
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  REQUIRE(r.status == exit_status);
  REQUIRE(r.out.empty());
  nlohmann::json error = nlohmann::json::parse(r.err);
  CHECK(error["error"] == code);
  CHECK(error["message"].is_string());
  CHECK_FALSE(error["message"].get<std::string>().empty());
  CHECK(error.size() == 2);
  CHECK(r.err.back() == '\n');
  CHECK(r.err.find('\n') == r.err.size() - 1);
}

// Expects the failure of `r` without --json: one line "connecthub-cli: error: ..." on stderr.
inline void RequireError(const ProcessResult& r, int exit_status, const std::string& says) {
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  REQUIRE(r.status == exit_status);
  REQUIRE(r.out.empty());
  REQUIRE(r.err.starts_with("connecthub-cli: error: "));
  CHECK(r.err.find('\n') == r.err.size() - 1);
  CHECK(r.err.find(says) != std::string::npos);
}

}  // namespace connecthub::testing
