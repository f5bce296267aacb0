// Invitation codes between users: activating another user's code (CONTRACT.md's checks in its
// order, with no closed circle of invitations even under concurrent requests), the profile and the
// list of invited users. Thread-safe: every call runs in its own storage transaction.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "connecthub/auth.h"
#include "connecthub/clock.h"
#include "connecthub/error.h"
#include "connecthub/model.h"
#include "connecthub/storage.h"

namespace connecthub {

class InviteService {
 public:
  InviteService(Storage& storage, Clock& clock);

  // Activates `code` for `user_id` and returns the profile. Sending the code already activated
  // again succeeds unchanged.
  Result<Profile> Activate(int64_t user_id, std::string_view code);
  Result<Profile> GetProfile(int64_t user_id);
  // The profile of the user `token` belongs to, with the token's checks and the profile read in
  // one transaction: the hot path of GET /api/clients/profile/.
  Result<Profile> GetProfileForToken(const AuthService& auth, std::string_view token);
  Result<std::vector<Invitee>> ListInvited(int64_t user_id);

 private:
  Storage& storage_;
  Clock& clock_;
};

// The profile of `user` as read inside `tx`.
Profile LoadProfile(Tx& tx, const User& user);

}  // namespace connecthub
