// A fresh database for one test, on the backend the test run is for. By default a SQLite file in
// a temporary directory; when CONNECTHUB_TEST_POSTGRES_URI names a PostgreSQL server (or
// CONNECTHUB_TEST_POSTGRES_URI_FILE a file holding that URI, as ctest's PostgreSQL runs set it),
// a database created on that server for the test and dropped, with its connections, at the end.
// Link PkgConfig::PQXX into a test that uses it. One per test; not shared between threads.
#pragma once

#include <cstdlib>
#include <fstream>
#include <optional>
#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <random>
#include <stdexcept>
#include <string>

#include "support/temp_dir.h"

namespace connecthub::testing {

// The URI of the PostgreSQL server of this test run, if it is a PostgreSQL run.
inline std::optional<std::string> TestPostgresUri() {
  if (const char* uri = std::getenv("CONNECTHUB_TEST_POSTGRES_URI"); uri != nullptr && *uri) {
    return std::string(uri);
  }
  if (const char* file = std::getenv("CONNECTHUB_TEST_POSTGRES_URI_FILE"); file != nullptr) {
    std::ifstream in(file);
    std::string uri;
    if (!(in >> uri)) {
      throw std::runtime_error(std::string("no PostgreSQL URI in ") + file +
                               " (is the test cluster running?)");
    }
    return uri;
  }
  return std::nullopt;
}

class TestDatabase {
 public:
  TestDatabase() {
    auto server = TestPostgresUri();
    if (!server) {
      location_ = dir_.File("connecthub.db");
      return;
    }
    // postgresql://user@host:port/admin_db -> same server, database t_<random>
    const size_t slash = server->rfind('/');
    if (slash == std::string::npos || slash < server->find("://") + 3) {
      throw std::runtime_error("CONNECTHUB_TEST_POSTGRES_URI must end in /DBNAME: " + *server);
    }
    admin_uri_ = *server;
    std::random_device device;
    name_ = "t_" + std::to_string(device()) + "_" + std::to_string(device());
    AdminExec("CREATE DATABASE " + name_);
    location_ = server->substr(0, slash + 1) + name_;
  }
  ~TestDatabase() {
    if (name_.empty()) return;
    try {
      AdminExec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (const std::exception&) {
      // The cluster went away before the test ended; the fixture removes it whole.
    }
  }
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  // What OpenStorage takes: a file path or a postgresql:// URI.
  const std::string& location() const { return location_; }
  bool is_postgres() const { return !name_.empty(); }
  std::string backend() const { return is_postgres() ? "postgresql" : "sqlite"; }
  // For files beside the database (backups, configuration).
  const TempDir& dir() const { return dir_; }

  // Runs `sql` on the test's PostgreSQL database and returns the first value of the first row
  // ("" if there is none, or NULL).
  std::string QueryText(const std::string& sql) const {
    pqxx::connection connection(location_);
    pqxx::nontransaction txn(connection);
    const pqxx::result result = txn.exec(sql);
    if (result.empty() || result.columns() == 0 || result[0][0].is_null()) return "";
    return result[0][0].as<std::string>();
  }

 private:
  void AdminExec(const std::string& sql) const {
    pqxx::connection connection(admin_uri_);
    pqxx::nontransaction txn(connection);
    txn.exec(sql);
  }

  TempDir dir_;
  std::string admin_uri_;
  std::string name_;
  std::string location_;
};

}  // namespace connecthub::testing
