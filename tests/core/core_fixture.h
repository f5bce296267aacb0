// A core wired to a temporary SQLite database, a fake clock, scripted randomness and a recording
// SMS sender: what the auth and invitation tests stand on.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "connecthub/auth.h"
#include "connecthub/invites.h"
#include "connecthub/storage.h"
#include "support/fakes.h"
#include "support/temp_dir.h"

namespace connecthub::testing {

inline std::unique_ptr<Storage> OpenTestStorage(const std::string& path) {
  auto storage = OpenStorage(path);
  if (!storage.ok()) FAIL("cannot open test database: " << storage.error().message);
  return std::move(storage).value();
}

class CoreFixture {
 public:
  explicit CoreFixture(AuthSettings settings = {})
      : storage_(OpenTestStorage(dir_.File("connecthub.db"))),
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

 protected:
  TempDir dir_;
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
