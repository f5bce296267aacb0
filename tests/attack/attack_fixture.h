// What the attack tests share: the server options that take the brakes off (no SMS delay, no
// address rate limit, no resend interval or hourly cap) so load reaches the database, a reader of
// the database file behind the server's back, and phone numbers that do not collide.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace connecthub::testing {

inline std::vector<std::string> UnthrottledArgs(const std::string& db) {
  return {"--db",
          db,
          "--port",
          "0",
          "--threads",
          "2",
          "--sms-delay",
          "0",
          "--ip-rate-limit",
          "0",
          "--resend-interval",
          "0",
          "--max-codes-per-hour",
          "0"};
}

// "+1555" then `group` (2 digits) and `n` (6 digits): distinct for distinct (group, n).
inline std::string TestPhone(int group, int n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "+1555%02d%06d", group, n);
  return buf;
}

// Read-only views of the database file, opened anew for each question.
class DatabaseFile {
 public:
  explicit DatabaseFile(std::string path) : path_(std::move(path)) {}

  std::string IntegrityCheck() const {
    SQLite::Database db(path_, SQLite::OPEN_READONLY);
    return db.execAndGet("PRAGMA integrity_check").getString();
  }
  int64_t Count(const std::string& table) const {
    SQLite::Database db(path_, SQLite::OPEN_READONLY);
    return db.execAndGet("SELECT count(*) FROM " + table).getInt64();
  }
  // user id -> the id of the user whose code they activated (users who activated none: absent).
  std::map<int64_t, int64_t> InvitedBy() const {
    SQLite::Database db(path_, SQLite::OPEN_READONLY);
    SQLite::Statement q(db, "SELECT id, invited_by FROM users WHERE invited_by IS NOT NULL");
    std::map<int64_t, int64_t> out;
    while (q.executeStep()) out[q.getColumn(0).getInt64()] = q.getColumn(1).getInt64();
    return out;
  }

 private:
  std::string path_;
};

// A user on a closed circle of invitations, if the graph has one.
inline std::optional<int64_t> FindCircle(const std::map<int64_t, int64_t>& invited_by) {
  for (const auto& [start, unused] : invited_by) {
    int64_t at = start;
    for (size_t steps = 0; steps <= invited_by.size(); ++steps) {
      auto next = invited_by.find(at);
      if (next == invited_by.end()) break;
      at = next->second;
      if (at == start) return start;
    }
  }
  return std::nullopt;
}

}  // namespace connecthub::testing
