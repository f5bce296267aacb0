// A core wired to a fresh test database (SQLite, or PostgreSQL in the PostgreSQL runs; see
// support/test_database.h), a fake clock, scripted randomness and a recording SMS sender: what
// the auth and invitation tests stand on.
#pragma once

#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "connecthub/auth.h"
#include "connecthub/invites.h"
#include "connecthub/storage.h"
#include "support/fakes.h"
#include "support/test_database.h"

namespace connecthub::testing {

inline std::unique_ptr<Storage> OpenTestStorage(const std::string& path) {
  auto storage = OpenStorage(path);
  if (!storage.ok()) FAIL("cannot open test database: " << storage.error().message);
  return std::move(storage).value();
}

// A storage on a fresh test database, for the storage suites.
struct StorageOnTestDatabase {
  TestDatabase db;
  std::string path = db.location();
  std::unique_ptr<Storage> storage = OpenTestStorage(path);
};

class CoreFixture {
 public:
  explicit CoreFixture(AuthSettings settings = {})
      : storage_(OpenTestStorage(db_.location())),
        auth_(*storage_, clock_, random_, std::string(32, 's'), std::move(settings), &sms_),
        invites_(*storage_, clock_) {}

  // Requests a code for `phone` and returns it as the SMS fake received it.
  std::string CodeFor(const std::string& phone, Purpose purpose) {
    auto sent = auth_.RequestCode(phone, purpose);
    if (!sent.ok()) FAIL("code request failed: " << sent.error().message);
    return sms_.Last()->code;
  }

  // Registers `phone` through both steps and returns the session.
  Session SignUp(const std::string& phone) {
    auto session = auth_.Register(phone, CodeFor(phone, Purpose::kRegister));
    if (!session.ok()) FAIL("register failed: " << session.error().message);
    return std::move(session).value();
  }

  // A second storage on the same database: what another process sees.
  std::unique_ptr<Storage> OpenAgain() { return OpenTestStorage(db_.location()); }

  // Everything the database keeps, as bytes an attacker who copied it would read. Closes the
  // fixture's storage first (SQLite then has everything in the file and its WAL).
  std::string StoredBytes() {
    storage_.reset();
    if (db_.is_postgres()) {
      return db_.QueryText(
          "SELECT concat_ws(E'\\n', (SELECT string_agg(row_to_json(t)::text, E'\\n') FROM users t),"
          " (SELECT string_agg(row_to_json(t)::text, E'\\n') FROM codes t),"
          " (SELECT string_agg(row_to_json(t)::text, E'\\n') FROM code_sends t),"
          " (SELECT string_agg(row_to_json(t)::text, E'\\n') FROM settings t))");
    }
    std::string bytes;
    for (const char* suffix : {"", "-wal"}) {
      std::ifstream file(db_.location() + suffix, std::ios::binary);
      bytes.append(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
    }
    return bytes;
  }

 protected:
  TestDatabase db_;
  FakeClock clock_;
  ScriptedRandom random_;
  RecordingSmsSender sms_;
  std::unique_ptr<Storage> storage_;
  AuthService auth_;
  InviteService invites_;
};

template <class T>
ErrorCode CodeOf(const Result<T>& result) {
  REQUIRE_FALSE(result.ok());
  return result.error().code;
}

}  // namespace connecthub::testing
