// Opening a database: a new one gets the schema (a new SQLite file with owner-only modes), an
// older one is upgraded in place, several openers at once migrate it once, and what this build
// cannot use (a newer schema, a file that is no database, a server that does not answer) is
// refused. Runs once per backend, like storage_test.cpp; [sqlite] cases are about files.
#include <SQLiteCpp/Database.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "connecthub/storage.h"
#include "support/test_database.h"

namespace connecthub {
namespace {

using testing::TempDir;
using testing::TestDatabase;

// Runs `sql` on the test database behind the storage's back; returns the first value, if any.
std::string Sql(const TestDatabase& db, const std::string& sql) {
  if (db.is_postgres()) return db.QueryText(sql);
  SQLite::Database file(db.location(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  SQLite::Statement statement(file, sql);
  if (!statement.executeStep() || statement.getColumnCount() == 0) return "";
  return statement.getColumn(0).getString();
}

// The schema version as each backend records it.
int SchemaVersion(const TestDatabase& db) {
  return std::stoi(Sql(db, db.is_postgres()
                               ? "SELECT coalesce(max(version), 0) FROM connecthub_schema"
                               : "PRAGMA user_version"));
}

void SetSchemaVersion(const TestDatabase& db, int version) {
  Sql(db, db.is_postgres() ? "INSERT INTO connecthub_schema (version) VALUES (" +
                                 std::to_string(version) + ") RETURNING version"
                           : "PRAGMA user_version = " + std::to_string(version));
}

std::string OpenError(const std::string& location) {
  auto opened = OpenStorage(location);
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.error().code == ErrorCode::kInternalError);
  return opened.error().message;
}

int FileMode(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return static_cast<int>(st.st_mode & 0777);
}

int64_t UserCount(Storage& storage) {
  return storage.Read([](Tx& tx) { return tx.GetStats(0).users; }).value();
}

TEST_CASE("a new database gets the whole schema", "[migrations]") {
  TestDatabase db;
  auto opened = OpenStorage(db.location());
  REQUIRE(opened.ok());
  CHECK(SchemaVersion(db) >= 1);
  CHECK((*opened)
            ->Write([](Tx& tx) { return tx.InsertUser("+79912345678", "dkqjPK", 1); })
            ->has_value());
}

TEST_CASE("the database and its journal files are readable by the owner only",
          "[migrations][sqlite]") {
  TempDir dir;
  const std::string path = dir.File("connecthub.db");
  auto opened = OpenStorage(path);
  REQUIRE(opened.ok());
  // The -wal and -shm files exist while a connection is open.
  REQUIRE((*opened)->Write([](Tx& tx) { return tx.InsertUser("+79912345678", "a", 1); }).ok());
  CHECK(FileMode(path) == 0600);
  CHECK(FileMode(path + "-wal") == 0600);
  CHECK(FileMode(path + "-shm") == 0600);
}

TEST_CASE("the storage reports itself healthy and names its backend", "[migrations]") {
  TestDatabase db;
  auto opened = OpenStorage(db.location());
  REQUIRE(opened.ok());
  CHECK((*opened)->Healthy());
  CHECK((*opened)->BackendName() == db.backend());
}

TEST_CASE("reopening a database keeps its data and its schema version", "[migrations]") {
  TestDatabase db;
  REQUIRE((*OpenStorage(db.location()))
              ->Write([](Tx& tx) { return tx.InsertUser("+79912345678", "a", 1); })
              .ok());
  const int version = SchemaVersion(db);
  auto reopened = OpenStorage(db.location());
  REQUIRE(reopened.ok());
  CHECK(UserCount(**reopened) == 1);
  CHECK(SchemaVersion(db) == version);
}

TEST_CASE("an older database is upgraded in place", "[migrations]") {
  TestDatabase db;
  // Version 0: a database that predates connecthub's schema, holding someone else's table.
  Sql(db, "CREATE TABLE notes (text TEXT)");
  Sql(db, "INSERT INTO notes VALUES ('kept')");
  auto opened = OpenStorage(db.location());
  INFO((opened.ok() ? std::string() : opened.error().message));
  REQUIRE(opened.ok());
  CHECK(SchemaVersion(db) >= 1);
  CHECK((*opened)->Write([](Tx& tx) { return tx.GetOrPutSetting("k", "v"); }).value() == "v");
  CHECK(Sql(db, "SELECT text FROM notes") == "kept");
}

TEST_CASE("a database with a newer schema is refused and left alone", "[migrations]") {
  TestDatabase db;
  REQUIRE(OpenStorage(db.location()).ok());
  const int known = SchemaVersion(db);
  SetSchemaVersion(db, known + 6);
  const std::string message = OpenError(db.location());
  CHECK(message == "database schema version " + std::to_string(known + 6) +
                       " is newer than this connecthub (knows up to " + std::to_string(known) +
                       "); upgrade connecthub");
  CHECK(SchemaVersion(db) == known + 6);
}

TEST_CASE("a file that is not a database is refused cleanly", "[migrations][sqlite]") {
  TempDir dir;
  const std::string path = dir.File("notes.txt");
  {
    std::ofstream file(path);
    for (int i = 0; i < 100; ++i) file << "these are not the pages you are looking for\n";
  }
  const std::string message = OpenError(path);
  CHECK(message.find(path) != std::string::npos);
  CHECK(message.find("not a connecthub database") != std::string::npos);
}

TEST_CASE("a database path that cannot be created is refused with the reason",
          "[migrations][sqlite]") {
  TempDir dir;
  const std::string message = OpenError(dir.File("missing/dir/connecthub.db"));
  CHECK(message.find("cannot open database") != std::string::npos);
  CHECK(message.find("No such file or directory") != std::string::npos);
}

TEST_CASE("a PostgreSQL server that does not answer is reported as unavailable", "[migrations]") {
  // Port 1 on this machine: nothing listens there, so the connection is refused at once.
  auto opened = OpenStorage("postgresql://connecthub:secret@127.0.0.1:1/connecthub");
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.error().code == ErrorCode::kServiceUnavailable);
  CHECK(opened.error().message.find("cannot open database postgresql://connecthub:***@127.0.0.1:1/"
                                    "connecthub") != std::string::npos);
  CHECK(opened.error().message.find("secret") == std::string::npos);
  CHECK_FALSE(OpenStorage("postgres://connecthub@127.0.0.1:1/connecthub").ok());
}

TEST_CASE("several processes opening a new database at once all get one schema", "[migrations]") {
  TestDatabase db;
  const std::string location = db.location();
  std::vector<std::string> failures(4);
  std::vector<std::thread> threads;
  for (auto& failure : failures) {
    threads.emplace_back([&location, &failure] {
      auto opened = OpenStorage(location);
      if (!opened.ok()) failure = opened.error().message;
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& failure : failures) CHECK(failure.empty());
  CHECK(SchemaVersion(db) >= 1);
}

TEST_CASE("processes sharing a new database migrate it once and lose no writes", "[migrations]") {
  TestDatabase db;
  const std::string path = db.location();
  constexpr int kProcesses = 3;
  constexpr int kWrites = 30;
  std::vector<pid_t> children;
  for (int p = 0; p < kProcesses; ++p) {
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {  // the child reports its failed transactions in its exit status
      auto opened = OpenStorage(path);
      if (!opened.ok()) {
        std::fprintf(stderr, "child: %s\n", opened.error().message.c_str());
        ::_exit(100);
      }
      int failures = 0;
      for (int i = 0; i < kWrites; ++i) {
        // Numbered by the current count: two writers that did not serialize would collide.
        auto written = (*opened)->Write([](Tx& tx) {
          const int64_t n = tx.GetStats(0).users;
          return tx.InsertUser("+1555" + std::to_string(1000000 + n), "c" + std::to_string(n), n);
        });
        if (!written.ok()) ++failures;
      }
      opened->reset();
      ::_exit(failures);
    }
    children.push_back(pid);
  }
  for (const pid_t child : children) {
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  auto opened = OpenStorage(path);
  REQUIRE(opened.ok());
  CHECK(UserCount(**opened) == kProcesses * kWrites);
}

}  // namespace
}  // namespace connecthub
