#include "connecthub/invites.h"

#include "connecthub/random.h"

namespace connecthub {

namespace {
Error NoSuchUser() {
  return MakeError(ErrorCode::kPhoneNotRegistered, "this user is not registered");
}
}  // namespace

InviteService::InviteService(Storage& storage, Clock& clock) : storage_(storage), clock_(clock) {}

Profile LoadProfile(Tx& tx, const User& user) {
  Profile profile{user.id, user.phone, user.invitation_code, std::nullopt, {}};
  if (user.invited_by) {
    if (auto inviter = tx.UserById(*user.invited_by)) {
      profile.someone_invitation_code = inviter->invitation_code;
    }
  }
  for (auto& invitee : tx.Invitees(user.id)) {
    profile.connections_invited_clients.push_back(std::move(invitee.phone));
  }
  return profile;
}

Result<Profile> InviteService::Activate(int64_t user_id, std::string_view code_input) {
  if (!IsInvitationCodeFormat(code_input)) {
    return MakeError(ErrorCode::kInvalidInvitationCode,
                     "an invitation code is 6 characters from A-Z, a-z and 0-9");
  }
  const std::string code(code_input);
  const int64_t now = ToUnixMillis(clock_.Now());
  // One write transaction: two activations that would close a circle are serialized, so the
  // second sees the first and is refused.
  return storage_.Write([&](Tx& tx) -> Result<Profile> {
    auto user = tx.UserById(user_id);
    if (!user) return NoSuchUser();
    auto owner = tx.UserByInvitationCode(code);
    if (!owner) {
      return MakeError(ErrorCode::kInvitationCodeNotFound, "no user has this invitation code");
    }
    if (owner->id == user->id) {
      return MakeError(ErrorCode::kOwnInvitationCode,
                       "you cannot activate your own invitation code");
    }
    if (user->invited_by) {
      if (*user->invited_by == owner->id) return LoadProfile(tx, *user);
      return MakeError(ErrorCode::kInvitationAlreadyActivated,
                       "you have already activated an invitation code");
    }
    if (tx.IsSelfOrInviterChain(owner->id, user->id)) {
      return MakeError(ErrorCode::kInvitationCycle,
                       "this code belongs to someone you invited, directly or through others");
    }
    tx.SetInvitedBy(user->id, owner->id, now);
    user->invited_by = owner->id;
    user->activated_at = now;
    return LoadProfile(tx, *user);
  });
}

Result<Profile> InviteService::GetProfile(int64_t user_id) {
  return storage_.Read([&](Tx& tx) -> Result<Profile> {
    auto user = tx.UserById(user_id);
    if (!user) return NoSuchUser();
    return LoadProfile(tx, *user);
  });
}

Result<Profile> InviteService::GetProfileForToken(const AuthService& auth, std::string_view token) {
  auto claims = auth.VerifyToken(token);
  if (!claims) return claims.error();
  return storage_.Read([&](Tx& tx) -> Result<Profile> {
    auto user = AuthService::TokenUser(tx, *claims);
    if (!user) return user.error();
    return LoadProfile(tx, *user);
  });
}

Result<std::vector<Invitee>> InviteService::ListInvited(int64_t user_id) {
  return storage_.Read([&](Tx& tx) -> Result<std::vector<Invitee>> {
    if (!tx.UserById(user_id)) return NoSuchUser();
    return tx.Invitees(user_id);
  });
}

}  // namespace connecthub
