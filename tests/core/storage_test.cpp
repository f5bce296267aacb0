// Each backend through the Storage interface: each Tx primitive, transaction outcomes, inviter
// chains, several storages writing one database, backups. The suite runs once per backend (the
// PostgreSQL run sets CONNECTHUB_TEST_POSTGRES_URI_FILE); [sqlite] and [postgresql] cases are
// about one backend only and are left out of the other's run.
#include "connecthub/storage.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "core_fixture.h"

namespace connecthub {
namespace {

using testing::OpenTestStorage;
using testing::StorageOnTestDatabase;
using testing::TestDatabase;

struct Db : StorageOnTestDatabase {
  // Inserts users "+1000000000<i>" with codes "code<i>", created at i; returns their ids.
  std::vector<int64_t> AddUsers(int count) {
    auto ids = storage->Write([&](Tx& tx) {
      std::vector<int64_t> out;
      for (int i = 0; i < count; ++i) {
        out.push_back(
            *tx.InsertUser("+1000000" + std::to_string(1000 + i), "code" + std::to_string(i), i));
      }
      return out;
    });
    REQUIRE(ids.ok());
    return *ids;
  }
};

int FileMode(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return static_cast<int>(st.st_mode & 0777);
}

TEST_CASE("a user is found by id, phone and invitation code", "[storage]") {
  Db db;
  auto user = db.storage->Write([](Tx& tx) -> std::optional<User> {
    auto id = tx.InsertUser("+79912345678", "dkqjPK", 1700000000000);
    REQUIRE(id);
    auto by_phone = tx.UserByPhone("+79912345678");
    auto by_code = tx.UserByInvitationCode("dkqjPK");
    REQUIRE(by_phone);
    REQUIRE(by_code);
    CHECK(by_phone->id == *id);
    CHECK(by_code->id == *id);
    return tx.UserById(*id);
  });
  REQUIRE(user.ok());
  REQUIRE(*user);
  CHECK((*user)->phone == "+79912345678");
  CHECK((*user)->invitation_code == "dkqjPK");
  CHECK((*user)->created_at == 1700000000000);
  CHECK((*user)->token_version == 0);
  CHECK_FALSE((*user)->invited_by);
  CHECK_FALSE((*user)->activated_at);
  auto missing = db.storage->Read([](Tx& tx) {
    return !tx.UserById(42) && !tx.UserByPhone("+10000000000") &&
           !tx.UserByInvitationCode("zzzzzz");
  });
  REQUIRE(missing.ok());
  CHECK(*missing);
}

TEST_CASE("inserting a user whose invitation code is taken yields no id", "[storage]") {
  Db db;
  db.AddUsers(1);
  auto second = db.storage->Write([](Tx& tx) { return tx.InsertUser("+79990000002", "code0", 5); });
  REQUIRE(second.ok());
  CHECK_FALSE(*second);
}

TEST_CASE("inserting a registered phone fails and changes nothing", "[storage]") {
  Db db;
  db.AddUsers(1);
  auto again = db.storage->Write([](Tx& tx) {
    tx.InsertUser("+79990000003", "fresh1", 5);
    return tx.InsertUser("+10000001000", "fresh2", 5);
  });
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == ErrorCode::kInternalError);
  auto users = db.storage->Read([](Tx& tx) { return tx.GetStats(0).users; });
  CHECK(*users == 1);
}

TEST_CASE("invitees are listed oldest activation first", "[storage]") {
  Db db;
  auto ids = db.AddUsers(4);
  REQUIRE(db.storage
              ->Write([&](Tx& tx) {
                tx.SetInvitedBy(ids[1], ids[0], 300);
                tx.SetInvitedBy(ids[2], ids[0], 100);
                tx.SetInvitedBy(ids[3], ids[1], 200);
                return 0;
              })
              .ok());
  auto invitees = db.storage->Read([&](Tx& tx) { return tx.Invitees(ids[0]); });
  REQUIRE(invitees->size() == 2);
  CHECK((*invitees)[0].id == ids[2]);
  CHECK((*invitees)[0].phone == "+10000001002");
  CHECK((*invitees)[0].activated_at == 100);
  CHECK((*invitees)[1].id == ids[1]);
  auto invited = db.storage->Read([&](Tx& tx) { return *tx.UserById(ids[1]); });
  CHECK(invited->invited_by == ids[0]);
  CHECK(invited->activated_at == 300);
  CHECK(db.storage->Read([&](Tx& tx) { return tx.Invitees(ids[2]); })->empty());
}

TEST_CASE("bumping the token version counts up", "[storage]") {
  Db db;
  auto ids = db.AddUsers(1);
  auto version = db.storage->Write([&](Tx& tx) {
    tx.BumpTokenVersion(ids[0]);
    tx.BumpTokenVersion(ids[0]);
    return tx.UserById(ids[0])->token_version;
  });
  CHECK(*version == 2);
}

TEST_CASE("a code is kept per phone and purpose, and a new one replaces the old", "[storage]") {
  Db db;
  const std::string hash("\x00\xff\x10 binary", 10);
  REQUIRE(
      db.storage
          ->Write([&](Tx& tx) {
            CHECK_FALSE(tx.Code("+79912345678", Purpose::kRegister));
            tx.PutCode("+79912345678", Purpose::kRegister, CodeRecord{hash, 1000, 301000, 0, true});
            tx.PutCode("+79912345678", Purpose::kLogin,
                       CodeRecord{"login-hash", 2000, 302000, 0, true});
            return 0;
          })
          .ok());
  auto code = db.storage->Read([](Tx& tx) { return *tx.Code("+79912345678", Purpose::kRegister); });
  CHECK(code->code_hash == hash);
  CHECK(code->sent_at == 1000);
  CHECK(code->expires_at == 301000);
  CHECK(code->attempts == 0);
  CHECK(code->live);
  REQUIRE(db.storage
              ->Write([](Tx& tx) {
                tx.PutCode("+79912345678", Purpose::kRegister,
                           CodeRecord{"burned", 1000, 301000, 5, false});
                return 0;
              })
              .ok());
  auto both = db.storage->Read([](Tx& tx) {
    return std::make_pair(*tx.Code("+79912345678", Purpose::kRegister),
                          *tx.Code("+79912345678", Purpose::kLogin));
  });
  CHECK(both->first.code_hash == "burned");
  CHECK(both->first.attempts == 5);
  CHECK_FALSE(both->first.live);
  CHECK(both->second.code_hash == "login-hash");
  CHECK(both->second.live);
}

TEST_CASE("event logs count a phone's events since a time and give the oldest", "[storage]") {
  Db db;
  auto counts = db.storage->Write([](Tx& tx) {
    for (int64_t at : {100, 200, 300}) tx.RecordCodeSent("+79912345678", at);
    tx.RecordCodeSent("+79990000000", 250);
    tx.RecordFailure("+79912345678", 50);
    tx.RecordFailure("+79912345678", 60);
    return std::vector<std::pair<int64_t, int64_t>>{
        tx.CodesSentSince("+79912345678", 150), tx.CodesSentSince("+79912345678", 301),
        tx.FailuresSince("+79912345678", 0), tx.FailuresSince("+79990000000", 0)};
  });
  REQUIRE(counts.ok());
  CHECK((*counts)[0] == std::make_pair<int64_t, int64_t>(2, 200));
  CHECK((*counts)[1] == std::make_pair<int64_t, int64_t>(0, 0));
  CHECK((*counts)[2] == std::make_pair<int64_t, int64_t>(2, 50));
  CHECK((*counts)[3] == std::make_pair<int64_t, int64_t>(0, 0));
}

TEST_CASE("the first stored setting wins", "[storage]") {
  Db db;
  const std::string key_bytes("\x01\x00\xfe key", 8);
  auto first = db.storage->Write([&](Tx& tx) { return tx.GetOrPutSetting("secret", key_bytes); });
  auto second = db.storage->Write([](Tx& tx) { return tx.GetOrPutSetting("secret", "other"); });
  CHECK(*first == key_bytes);
  CHECK(*second == key_bytes);
  auto reopened =
      OpenTestStorage(db.path)->Write([](Tx& tx) { return tx.GetOrPutSetting("secret", "x"); });
  CHECK(*reopened == key_bytes);
}

TEST_CASE("users are listed newest first with their inviter's code and invitee count",
          "[storage]") {
  Db db;
  auto ids = db.AddUsers(3);
  REQUIRE(db.storage
              ->Write([&](Tx& tx) {
                tx.SetInvitedBy(ids[1], ids[0], 10);
                tx.SetInvitedBy(ids[2], ids[0], 11);
                return 0;
              })
              .ok());
  auto all = db.storage->Read([](Tx& tx) { return tx.ListUsers(10, 0); });
  REQUIRE(all->size() == 3);
  CHECK((*all)[0].id == ids[2]);
  CHECK((*all)[0].someone_invitation_code == "code0");
  CHECK((*all)[0].invited_count == 0);
  CHECK((*all)[2].id == ids[0]);
  CHECK_FALSE((*all)[2].someone_invitation_code);
  CHECK((*all)[2].invited_count == 2);
  CHECK((*all)[2].created_at == 0);
  auto page = db.storage->Read([](Tx& tx) { return tx.ListUsers(1, 1); });
  REQUIRE(page->size() == 1);
  CHECK((*page)[0].id == ids[1]);
}

TEST_CASE("stats count users, activations and pending codes, and purge drops dead codes",
          "[storage]") {
  Db db;
  auto ids = db.AddUsers(2);
  REQUIRE(db.storage
              ->Write([&](Tx& tx) {
                tx.SetInvitedBy(ids[1], ids[0], 10);
                tx.PutCode("+1", Purpose::kLogin, CodeRecord{"live", 0, 1000, 0, true});
                tx.PutCode("+2", Purpose::kLogin, CodeRecord{"expired", 0, 500, 0, true});
                tx.PutCode("+3", Purpose::kLogin, CodeRecord{"used", 0, 1000, 0, false});
                tx.RecordCodeSent("+1", 100);
                tx.RecordCodeSent("+1", 700);
                tx.RecordFailure("+1", 100);
                return 0;
              })
              .ok());
  auto stats = db.storage->Read([](Tx& tx) { return tx.GetStats(600); });
  CHECK(stats->users == 2);
  CHECK(stats->activations == 1);
  CHECK(stats->pending_codes == 1);
  auto purged = db.storage->Write([](Tx& tx) { return tx.PurgeCodes(600, 500); });
  CHECK(*purged == 2);
  auto left = db.storage->Read([](Tx& tx) {
    return std::make_tuple(tx.Code("+1", Purpose::kLogin).has_value(),
                           tx.CodesSentSince("+1", 0).first, tx.FailuresSince("+1", 0).first);
  });
  CHECK(*left == std::make_tuple(true, int64_t{1}, int64_t{0}));
}

TEST_CASE("a transaction commits even when its body returns an error", "[storage]") {
  Db db;
  Result<int> result = db.storage->Write([](Tx& tx) -> Result<int> {
    tx.RecordFailure("+79912345678", 1);
    return MakeError(ErrorCode::kInvalidSmsCode, "wrong code");
  });
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code == ErrorCode::kInvalidSmsCode);
  CHECK(
      db.storage->Read([](Tx& tx) { return tx.FailuresSince("+79912345678", 0).first; }).value() ==
      1);
}

TEST_CASE("an exception in the body rolls the transaction back", "[storage]") {
  Db db;
  auto result = db.storage->Write([](Tx& tx) -> int {
    tx.InsertUser("+79912345678", "dkqjPK", 1);
    throw std::runtime_error("boom");
  });
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code == ErrorCode::kInternalError);
  CHECK(
      db.storage->Read([](Tx& tx) { return tx.UserByPhone("+79912345678").has_value(); }).value() ==
      false);
  // The connection went back to the pool in a usable state.
  CHECK(db.storage->Write([](Tx& tx) { return tx.InsertUser("+79912345678", "dkqjPK", 1); })
            ->has_value());
}

// Users 1..length+1 where each one invited the next; returns their ids, the first at the top.
std::vector<int64_t> MakeChain(Db& db, int length) {
  auto ids = db.AddUsers(length + 1);
  REQUIRE(db.storage
              ->Write([&](Tx& tx) {
                for (int i = 1; i <= length; ++i) tx.SetInvitedBy(ids[i], ids[i - 1], i);
                return 0;
              })
              .ok());
  return ids;
}

bool InChain(Db& db, int64_t start, int64_t ancestor) {
  return db.storage->Read([&](Tx& tx) { return tx.IsSelfOrInviterChain(start, ancestor); }).value();
}

TEST_CASE("the inviter chain holds the user and everyone above", "[storage]") {
  Db db;
  for (int length : {1, 2, 50}) {
    DYNAMIC_SECTION("chain of " << length) {
      auto ids = MakeChain(db, length);
      const int64_t top = ids.front();
      const int64_t bottom = ids.back();
      CHECK(InChain(db, bottom, bottom));
      CHECK(InChain(db, bottom, top));
      CHECK(InChain(db, bottom, ids[ids.size() - 2]));
      CHECK_FALSE(InChain(db, top, bottom));
      CHECK_FALSE(InChain(db, ids[ids.size() - 2], bottom));
      CHECK_FALSE(InChain(db, bottom, 999999));
    }
  }
}

TEST_CASE("a chain of 10,000 invitations is walked quickly", "[storage]") {
  Db db;
  auto ids = MakeChain(db, 10000);
  const auto started = std::chrono::steady_clock::now();
  CHECK(InChain(db, ids.back(), ids.front()));
  const auto took = std::chrono::steady_clock::now() - started;
  CHECK_FALSE(InChain(db, ids.back(), 123456789));
  CHECK_FALSE(InChain(db, ids[5000], ids[5001]));
  CHECK(InChain(db, ids[5001], ids[5000]));
  // Aim is < 10 ms; the bound leaves room for sanitizer builds and a busy machine.
  CHECK(took < std::chrono::milliseconds(200));
  WARN("walked 10,000 inviters in "
       << std::chrono::duration_cast<std::chrono::microseconds>(took).count() << " us");
}

TEST_CASE("a circle of inviters in the data cannot hang the walk", "[storage]") {
  Db db;
  auto ids = MakeChain(db, 3);
  REQUIRE(db.storage
              ->Write([&](Tx& tx) {
                tx.SetInvitedBy(ids[0], ids[3], 9);  // only a hand-edited file could hold this
                return 0;
              })
              .ok());
  CHECK_FALSE(InChain(db, ids[2], 999999));
  CHECK(InChain(db, ids[0], ids[1]));
}

TEST_CASE("two storages on one database write from several threads without loss or error",
          "[storage]") {
  Db db;
  auto other = OpenTestStorage(db.path);  // what a second process sees: its own connections
  constexpr int kThreadsPerStorage = 3;
  constexpr int kWritesPerThread = 40;
  std::vector<Error> errors;
  std::mutex errors_mutex;
  std::vector<std::thread> threads;
  for (Storage* storage : {db.storage.get(), other.get()}) {
    for (int t = 0; t < kThreadsPerStorage; ++t) {
      threads.emplace_back([&, storage] {
        for (int i = 0; i < kWritesPerThread; ++i) {
          // Check-then-write: numbering by the current count only works if writers serialize;
          // two that read the same count would collide on the phone and fail.
          auto written = storage->Write([](Tx& tx) {
            const int64_t n = tx.GetStats(0).users;
            return tx.InsertUser("+1555" + std::to_string(1000000 + n), "c" + std::to_string(n), n);
          });
          auto read = storage->Read([](Tx& tx) { return tx.ListUsers(1, 0); });
          std::lock_guard lock(errors_mutex);
          if (!written.ok()) errors.push_back(written.error());
          if (!read.ok()) errors.push_back(read.error());
        }
      });
    }
  }
  for (auto& thread : threads) thread.join();
  for (const auto& error : errors) UNSCOPED_INFO(error.message);
  CHECK(errors.empty());
  const int64_t expected = 2 * kThreadsPerStorage * kWritesPerThread;
  CHECK(db.storage->Read([](Tx& tx) { return tx.GetStats(0).users; }).value() == expected);
  CHECK(other->Read([](Tx& tx) { return tx.GetStats(0).users; }).value() == expected);
}

TEST_CASE("among concurrent writes, one that throws undoes only its own changes", "[storage]") {
  // Concurrent writers of one process share commits on SQLite; a failing one must not take the
  // others of its commit with it, nor leave half of itself behind.
  Db db;
  constexpr int kThreads = 8;
  constexpr int kWritesPerThread = 30;
  std::vector<std::thread> threads;
  std::mutex results_mutex;
  int ok = 0, failed = 0, wrong = 0;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWritesPerThread; ++i) {
        const int n = t * kWritesPerThread + i;
        const bool fails = n % 3 == 0;
        auto written = db.storage->Write([&](Tx& tx) {
          auto id =
              tx.InsertUser("+1555" + std::to_string(2000000 + n), "w" + std::to_string(n), n);
          if (fails) throw std::runtime_error("failing after the insert");
          return id.has_value();
        });
        std::lock_guard lock(results_mutex);
        if (written.ok() && !fails)
          ++ok;
        else if (!written.ok() && fails && written.error().code == ErrorCode::kInternalError)
          ++failed;
        else
          ++wrong;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(wrong == 0);
  CHECK(failed == kThreads * kWritesPerThread / 3);
  CHECK(ok == kThreads * kWritesPerThread - failed);
  auto users = db.storage->Read([](Tx& tx) { return tx.ListUsers(1000, 0); });
  REQUIRE(users.ok());
  CHECK(static_cast<int>(users->size()) == ok);
  for (const auto& user : *users) {
    const int n = std::stoi(user.phone.substr(5)) - 2000000;
    CHECK(n % 3 != 0);
  }
}

TEST_CASE("a backup opens with the same users and is readable by the owner only", "[sqlite]") {
  Db db;
  db.AddUsers(5);
  const std::string copy = db.db.dir().File("backup.db");
  Status backed_up = db.storage->Backup(copy);
  INFO((backed_up.ok() ? std::string() : backed_up.error().message));
  REQUIRE(backed_up.ok());
  CHECK(FileMode(copy) == 0600);
  REQUIRE(db.storage->Write([](Tx& tx) { return tx.InsertUser("+79990000009", "after", 9); })
              ->has_value());
  auto users = OpenTestStorage(copy)->Read([](Tx& tx) { return tx.ListUsers(100, 0); });
  REQUIRE(users->size() == 5);
  CHECK(users->back().phone == "+10000001000");
  CHECK(users->front().phone == "+10000001004");
  SECTION("a backup over the database itself is refused") {
    CHECK_FALSE(db.storage->Backup(db.path).ok());
    CHECK(db.storage->Read([](Tx& tx) { return tx.GetStats(0).users; }).value() == 6);
  }
}

// Sets CONNECTHUB_PG_MODULE (or unsets it, for nullptr) for the life of the object.
class PgModuleOverride {
 public:
  explicit PgModuleOverride(const char* path) {
    if (const char* old = std::getenv(kVariable)) saved_ = old;
    if (path != nullptr) {
      setenv(kVariable, path, 1);
    } else {
      unsetenv(kVariable);
    }
  }
  ~PgModuleOverride() {
    if (saved_) {
      setenv(kVariable, saved_->c_str(), 1);
    } else {
      unsetenv(kVariable);
    }
  }
  PgModuleOverride(const PgModuleOverride&) = delete;
  PgModuleOverride& operator=(const PgModuleOverride&) = delete;

 private:
  static constexpr const char* kVariable = "CONNECTHUB_PG_MODULE";
  std::optional<std::string> saved_;
};

// Nothing listens on port 1: a connection there is refused at once.
constexpr const char* kUnreachablePostgres = "postgresql://connecthub@127.0.0.1:1/connecthub";

TEST_CASE("a PostgreSQL location whose module cannot be loaded is an internal error naming it",
          "[storage]") {
  testing::TempDir dir;
  const std::string missing = dir.File("connecthub_postgresql.so");
  PgModuleOverride override_module(missing.c_str());
  auto storage = OpenStorage(kUnreachablePostgres);
  REQUIRE_FALSE(storage.ok());
  CHECK(storage.error().code == ErrorCode::kInternalError);
  CHECK_THAT(storage.error().message, Catch::Contains("PostgreSQL support is unavailable") &&
                                          Catch::Contains("cannot load the module " + missing) &&
                                          Catch::Contains("No such file or directory"));
}

TEST_CASE("a program of the build tree loads the PostgreSQL module of its build", "[storage]") {
  PgModuleOverride no_override(nullptr);
  // The module loads and connects: the error is the database's, not the module's.
  auto storage = OpenStorage(kUnreachablePostgres);
  REQUIRE_FALSE(storage.ok());
  CHECK(storage.error().code == ErrorCode::kServiceUnavailable);
  CHECK_THAT(storage.error().message, Catch::Contains("cannot open database") &&
                                          !Catch::Contains("PostgreSQL support is unavailable"));
}

}  // namespace
}  // namespace connecthub
