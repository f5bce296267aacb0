// Opening a database: a new file gets the schema with owner-only modes, an older one is upgraded
// in place, and what this build cannot use (a newer schema, a file that is no database) is refused.
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
#include "support/temp_dir.h"

namespace connecthub {
namespace {

using testing::TempDir;

int UserVersion(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  return db.execAndGet("PRAGMA user_version").getInt();
}

void SetUserVersion(const std::string& path, int version) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("PRAGMA user_version = " + std::to_string(version));
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

TEST_CASE("a new database file gets the whole schema", "[migrations]") {
  TempDir dir;
  const std::string path = dir.File("new.db");
  auto opened = OpenStorage(path);
  REQUIRE(opened.ok());
  CHECK(UserVersion(path) >= 1);
  CHECK((*opened)
            ->Write([](Tx& tx) { return tx.InsertUser("+79912345678", "dkqjPK", 1); })
            ->has_value());
}

TEST_CASE("the database and its journal files are readable by the owner only", "[migrations]") {
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
  TempDir dir;
  auto opened = OpenStorage(dir.File("connecthub.db"));
  REQUIRE(opened.ok());
  CHECK((*opened)->Healthy());
  CHECK((*opened)->BackendName() == "sqlite");
}

TEST_CASE("reopening a database keeps its data and its schema version", "[migrations]") {
  TempDir dir;
  const std::string path = dir.File("db");
  REQUIRE((*OpenStorage(path))
              ->Write([](Tx& tx) { return tx.InsertUser("+79912345678", "a", 1); })
              .ok());
  const int version = UserVersion(path);
  auto reopened = OpenStorage(path);
  REQUIRE(reopened.ok());
  CHECK(UserCount(**reopened) == 1);
  CHECK(UserVersion(path) == version);
}

TEST_CASE("an older database is upgraded in place", "[migrations]") {
  TempDir dir;
  const std::string path = dir.File("old.db");
  {
    // Version 0: a database that predates connecthub's schema, holding someone else's table.
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('kept')");
  }
  REQUIRE(UserVersion(path) == 0);
  auto opened = OpenStorage(path);
  INFO((opened.ok() ? std::string() : opened.error().message));
  REQUIRE(opened.ok());
  CHECK(UserVersion(path) >= 1);
  CHECK((*opened)->Write([](Tx& tx) { return tx.GetOrPutSetting("k", "v"); }).value() == "v");
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  CHECK(db.execAndGet("SELECT text FROM notes").getString() == "kept");
}

TEST_CASE("a database with a newer schema is refused and left alone", "[migrations]") {
  TempDir dir;
  const std::string path = dir.File("newer.db");
  REQUIRE(OpenStorage(path).ok());
  const int known = UserVersion(path);
  SetUserVersion(path, known + 6);
  const std::string message = OpenError(path);
  CHECK(message == "database schema version " + std::to_string(known + 6) +
                       " is newer than this connecthub (knows up to " + std::to_string(known) +
                       "); upgrade connecthub");
  CHECK(UserVersion(path) == known + 6);
}

TEST_CASE("a file that is not a database is refused cleanly", "[migrations]") {
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

TEST_CASE("a database path that cannot be created is refused with the reason", "[migrations]") {
  TempDir dir;
  const std::string message = OpenError(dir.File("missing/dir/connecthub.db"));
  CHECK(message.find("cannot open database") != std::string::npos);
  CHECK(message.find("No such file or directory") != std::string::npos);
}

TEST_CASE("a PostgreSQL URI is recognised but not supported by this build", "[migrations]") {
  CHECK(OpenError("postgresql://connecthub@127.0.0.1:5432/connecthub") ==
        "PostgreSQL support is not built yet");
  CHECK(OpenError("postgres://localhost/db") == "PostgreSQL support is not built yet");
}

TEST_CASE("several processes opening a new file at once all get one schema", "[migrations]") {
  TempDir dir;
  const std::string path = dir.File("race.db");
  std::vector<std::string> failures(4);
  std::vector<std::thread> threads;
  for (auto& failure : failures) {
    threads.emplace_back([&path, &failure] {
      auto opened = OpenStorage(path);
      if (!opened.ok()) failure = opened.error().message;
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& failure : failures) CHECK(failure.empty());
  CHECK(UserVersion(path) >= 1);
}

TEST_CASE("processes sharing a new file migrate it once and lose no writes", "[migrations]") {
  TempDir dir;
  const std::string path = dir.File("shared.db");
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
