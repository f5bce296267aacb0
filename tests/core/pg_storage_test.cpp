// What only the PostgreSQL backend does: connections closed by the server are replaced, and a
// backup points to pg_dump. Runs in the PostgreSQL run only ([postgresql]).
#include <catch2/catch.hpp>
#include <memory>
#include <string>

#include "connecthub/storage.h"
#include "core_fixture.h"

// libpqxx 6.4 drops the PGresult of the first statement on a connection the server has closed
// (one small leak per broken connection, inside the library); a test here breaks connections on
// purpose, so LeakSanitizer is told to pass over allocations made under libpqxx.
extern "C" const char* __lsan_default_suppressions() { return "leak:libpqxx\n"; }

namespace connecthub {
namespace {

using testing::OpenTestStorage;
using testing::StorageOnTestDatabase;
using testing::TestDatabase;

using Db = StorageOnTestDatabase;

TEST_CASE("connections the server closed are replaced without an error", "[postgresql]") {
  Db db;
  REQUIRE(db.storage->Write([](Tx& tx) { return tx.InsertUser("+79990000001", "first", 1); })
              ->has_value());
  const std::string kill_others =
      "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
      "WHERE datname = current_database() AND pid <> pg_backend_pid()";
  // What a restart of PostgreSQL does to the pool: every connection in it is closed.
  REQUIRE(db.db.QueryText(kill_others) == "1");
  CHECK(db.storage->Read([](Tx& tx) { return tx.GetStats(0).users; }).value() == 1);
  REQUIRE(db.db.QueryText(kill_others) == "1");
  CHECK(db.storage->Healthy());
  REQUIRE(db.db.QueryText(kill_others) == "1");
  CHECK(db.storage->Write([](Tx& tx) { return tx.InsertUser("+79990000009", "after", 9); })
            ->has_value());
}

TEST_CASE("a backup of a PostgreSQL database is refused with a pointer to pg_dump",
          "[postgresql]") {
  Db db;
  Status backed_up = db.storage->Backup(db.db.dir().File("backup.db"));
  REQUIRE_FALSE(backed_up.ok());
  CHECK(backed_up.error().message.find("use pg_dump '" + db.path) != std::string::npos);
}

}  // namespace
}  // namespace connecthub
