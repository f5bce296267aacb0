#include "connecthub/invites.h"

#include <atomic>
#include <barrier>
#include <catch2/catch.hpp>
#include <thread>

#include "core_fixture.h"

using namespace connecthub;
using namespace connecthub::testing;
using namespace std::chrono_literals;

namespace {

std::string PhoneNumber(int i) { return "+7999" + std::to_string(1000000 + i); }

struct InviteFixture : CoreFixture {
  // Registers n users; returns them in order.
  std::vector<User> Users(int n) {
    std::vector<User> users;
    for (int i = 0; i < n; ++i) {
      auto session = auth_.RegisterWithoutCode(PhoneNumber(static_cast<int>(next_++)));
      REQUIRE(session.ok());
      users.push_back(session->user);
    }
    return users;
  }
  // `invitee` activates `inviter`'s code.
  Result<Profile> Invite(const User& inviter, const User& invitee) {
    return invites_.Activate(invitee.id, inviter.invitation_code);
  }
  int64_t next_ = 0;
};

}  // namespace

TEST_CASE_METHOD(InviteFixture, "activating a code links both profiles") {
  auto u = Users(3);
  auto profile = Invite(u[0], u[1]);
  REQUIRE(profile.ok());
  CHECK(profile->id == u[1].id);
  CHECK(profile->phone == u[1].phone);
  CHECK(profile->invitation_code == u[1].invitation_code);
  CHECK(profile->someone_invitation_code == u[0].invitation_code);
  CHECK(profile->connections_invited_clients.empty());

  clock_.Advance(1s);
  REQUIRE(Invite(u[0], u[2]).ok());
  auto owner = invites_.GetProfile(u[0].id);
  REQUIRE(owner.ok());
  CHECK_FALSE(owner->someone_invitation_code.has_value());
  CHECK(owner->connections_invited_clients == std::vector<std::string>{u[1].phone, u[2].phone});

  auto invited = invites_.ListInvited(u[0].id);
  REQUIRE(invited->size() == 2);
  CHECK((*invited)[0].id == u[1].id);
  CHECK((*invited)[1].activated_at - (*invited)[0].activated_at == 1000);
}

TEST_CASE_METHOD(InviteFixture, "the checks come in the contract's order") {
  auto u = Users(4);
  CHECK(CodeOf(invites_.Activate(u[0].id, "abc")) == ErrorCode::kInvalidInvitationCode);
  CHECK(CodeOf(invites_.Activate(u[0].id, "abc-12")) == ErrorCode::kInvalidInvitationCode);
  std::string unused = "zzzzzz" == u[0].invitation_code ? "yyyyyy" : "zzzzzz";
  CHECK(CodeOf(invites_.Activate(u[0].id, unused)) == ErrorCode::kInvitationCodeNotFound);
  CHECK(CodeOf(Invite(u[0], u[0])) == ErrorCode::kOwnInvitationCode);

  REQUIRE(Invite(u[1], u[0]).ok());
  // Own code still comes before "already activated".
  CHECK(CodeOf(Invite(u[0], u[0])) == ErrorCode::kOwnInvitationCode);
  CHECK(CodeOf(Invite(u[2], u[0])) == ErrorCode::kInvitationAlreadyActivated);
  // "Already activated" comes before the circle check: u[3] is invited by u[0], so u[3]'s code
  // would also close a circle for u[0].
  REQUIRE(Invite(u[0], u[3]).ok());
  CHECK(CodeOf(Invite(u[3], u[0])) == ErrorCode::kInvitationAlreadyActivated);
}

TEST_CASE_METHOD(InviteFixture, "activating the same code again changes nothing") {
  auto u = Users(2);
  auto first = Invite(u[0], u[1]);
  clock_.Advance(1h);
  auto again = Invite(u[0], u[1]);
  REQUIRE(again.ok());
  CHECK(again->someone_invitation_code == first->someone_invitation_code);
  CHECK(invites_.ListInvited(u[0].id)->at(0).activated_at == ToUnixMillis(clock_.Now() - 1h));
}

TEST_CASE_METHOD(InviteFixture, "a code that closes a circle is refused, at any length") {
  for (int length : {2, 3, 50}) {
    DYNAMIC_SECTION("circle of " << length) {
      auto u = Users(length);
      // u[0] invited u[1], u[1] invited u[2], ...
      for (int i = 0; i + 1 < length; ++i) REQUIRE(Invite(u[i], u[i + 1]).ok());
      auto closing = Invite(u[length - 1], u[0]);
      CHECK(CodeOf(closing) == ErrorCode::kInvitationCycle);
      CHECK_FALSE(invites_.GetProfile(u[0].id)->someone_invitation_code.has_value());
      // Outside the chain the same code is fine.
      auto other = Users(1);
      CHECK(Invite(u[length - 1], other[0]).ok());
    }
  }
}

TEST_CASE_METHOD(InviteFixture, "two users activating each other's codes at once never both win") {
  constexpr int kRounds = 40;
  int both = 0;
  int none = 0;
  for (int round = 0; round < kRounds; ++round) {
    auto u = Users(2);
    std::barrier start(2);
    std::atomic<int> wins{0};
    std::atomic<int> cycles{0};
    auto run = [&](const User& inviter, const User& invitee) {
      start.arrive_and_wait();
      auto result = Invite(inviter, invitee);
      if (result.ok())
        wins++;
      else if (result.error().code == ErrorCode::kInvitationCycle)
        cycles++;
    };
    std::thread a(run, u[0], u[1]);
    std::thread b(run, u[1], u[0]);
    a.join();
    b.join();
    both += wins == 2;
    none += wins == 0;
    CHECK(wins + cycles == 2);
  }
  CHECK(both == 0);
  CHECK(none == 0);
}

TEST_CASE_METHOD(InviteFixture, "an unknown user has no profile") {
  CHECK(CodeOf(invites_.GetProfile(999)) == ErrorCode::kPhoneNotRegistered);
  CHECK(CodeOf(invites_.Activate(999, "abcdef")) == ErrorCode::kPhoneNotRegistered);
}

TEST_CASE_METHOD(InviteFixture, "a token's profile is read with the token's checks") {
  auto u = Users(2);
  REQUIRE(Invite(u[0], u[1]).ok());
  auto session = auth_.LoginWithoutCode(u[0].phone);
  REQUIRE(session.ok());
  auto profile = invites_.GetProfileForToken(auth_, session->access_token);
  REQUIRE(profile.ok());
  CHECK(profile->id == u[0].id);
  CHECK(profile->connections_invited_clients == std::vector<std::string>{u[1].phone});

  CHECK(CodeOf(invites_.GetProfileForToken(auth_, "not.a.token")) == ErrorCode::kInvalidToken);
  REQUIRE(auth_.RevokeTokens(u[0].phone).ok());
  CHECK(CodeOf(invites_.GetProfileForToken(auth_, session->access_token)) ==
        ErrorCode::kInvalidToken);
  clock_.Advance(1h);
  auto fresh = auth_.LoginWithoutCode(u[0].phone);
  clock_.Advance(1h);
  CHECK(CodeOf(invites_.GetProfileForToken(auth_, fresh->access_token)) ==
        ErrorCode::kInvalidToken);
}
