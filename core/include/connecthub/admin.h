// What operators need beyond the auth flow and invitations: listing users, counts, and deleting
// dead codes (the cron job). Thread-safe: every call runs in its own storage transaction.
#pragma once

#include <cstdint>
#include <vector>

#include "connecthub/clock.h"
#include "connecthub/error.h"
#include "connecthub/model.h"
#include "connecthub/storage.h"

namespace connecthub {

// Newest first.
Result<std::vector<UserSummary>> ListUsers(Storage& storage, int64_t limit, int64_t offset);
Result<Stats> GetStats(Storage& storage, const Clock& clock);
// Deletes expired, used and burned codes, and hourly-cap and daily-failure entries older than a
// day. Returns how many codes were deleted.
Result<int64_t> PurgeCodes(Storage& storage, const Clock& clock);

}  // namespace connecthub
