#include "connecthub/admin.h"

namespace connecthub {

namespace {
constexpr int64_t kDayMs = 24 * 3'600'000LL;
}

Result<std::vector<UserSummary>> ListUsers(Storage& storage, int64_t limit, int64_t offset) {
  if (limit < 0 || offset < 0) {
    return MakeError(ErrorCode::kInvalidRequest, "limit and offset must not be negative");
  }
  return storage.Read(
      [&](Tx& tx) -> Result<std::vector<UserSummary>> { return tx.ListUsers(limit, offset); });
}

Result<Stats> GetStats(Storage& storage, const Clock& clock) {
  const int64_t now = ToUnixMillis(clock.Now());
  return storage.Read([&](Tx& tx) -> Result<Stats> { return tx.GetStats(now); });
}

Result<int64_t> PurgeCodes(Storage& storage, const Clock& clock) {
  const int64_t now = ToUnixMillis(clock.Now());
  return storage.Write([&](Tx& tx) -> Result<int64_t> { return tx.PurgeCodes(now, now - kDayMs); });
}

}  // namespace connecthub
