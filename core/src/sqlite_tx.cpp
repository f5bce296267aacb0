// The Tx primitives of the SQLite backend: one cached statement each.
#include <string>

#include "sqlite_storage.h"

namespace connecthub {
namespace {

std::optional<int64_t> OptionalInt64(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return column.getInt64();
}

User ReadUser(SQLite::Statement& row) {
  User user;
  user.id = row.getColumn(0).getInt64();
  user.phone = row.getColumn(1).getString();
  user.invitation_code = row.getColumn(2).getString();
  user.invited_by = OptionalInt64(row.getColumn(3));
  user.activated_at = OptionalInt64(row.getColumn(4));
  user.created_at = row.getColumn(5).getInt64();
  user.token_version = row.getColumn(6).getInt64();
  return user;
}

// The count of a phone's events at or after `since`, and the oldest of them.
std::pair<int64_t, int64_t> CountSince(CachedStatement statement, const std::string& phone,
                                       int64_t since) {
  statement->bindNoCopy(1, phone);
  statement->bind(2, since);
  statement->executeStep();  // an aggregate always yields one row
  return {statement->getColumn(0).getInt64(), statement->getColumn(1).getInt64()};
}

}  // namespace

std::optional<User> SqliteTx::OneUser(const char* sql, const std::string& key) {
  auto statement = connection_.Prepare(sql);
  statement->bindNoCopy(1, key);
  if (!statement->executeStep()) return std::nullopt;
  return ReadUser(*statement);
}

std::optional<User> SqliteTx::UserById(int64_t id) {
  auto statement = connection_.Prepare(
      "SELECT id, phone, invitation_code, invited_by, activated_at, created_at, token_version "
      "FROM users WHERE id = ?");
  statement->bind(1, id);
  if (!statement->executeStep()) return std::nullopt;
  return ReadUser(*statement);
}

std::optional<User> SqliteTx::UserByPhone(const std::string& phone) {
  return OneUser(
      "SELECT id, phone, invitation_code, invited_by, activated_at, created_at, token_version "
      "FROM users WHERE phone = ?",
      phone);
}

std::optional<User> SqliteTx::UserByInvitationCode(const std::string& code) {
  return OneUser(
      "SELECT id, phone, invitation_code, invited_by, activated_at, created_at, token_version "
      "FROM users WHERE invitation_code = ?",
      code);
}

std::optional<int64_t> SqliteTx::InsertUser(const std::string& phone,
                                            const std::string& invitation_code,
                                            int64_t created_at) {
  // Only a taken invitation code is expected; a taken phone still fails loudly.
  auto statement = connection_.Prepare(
      "INSERT INTO users (phone, invitation_code, created_at) VALUES (?, ?, ?) "
      "ON CONFLICT (invitation_code) DO NOTHING");
  statement->bindNoCopy(1, phone);
  statement->bindNoCopy(2, invitation_code);
  statement->bind(3, created_at);
  if (statement->exec() == 0) return std::nullopt;
  return connection_.db().getLastInsertRowid();
}

void SqliteTx::SetInvitedBy(int64_t user_id, int64_t inviter_id, int64_t activated_at) {
  auto statement =
      connection_.Prepare("UPDATE users SET invited_by = ?, activated_at = ? WHERE id = ?");
  statement->bind(1, inviter_id);
  statement->bind(2, activated_at);
  statement->bind(3, user_id);
  statement->exec();
}

bool SqliteTx::IsSelfOrInviterChain(int64_t start, int64_t ancestor) {
  if (start == ancestor) return true;
  // No chain is longer than the number of users, so the depth bound only ever stops a walk
  // round a circle (which the services never make, but a hand-edited file might hold).
  auto statement = connection_.Prepare(
      "WITH RECURSIVE chain(id, depth) AS ("
      "  SELECT invited_by, 1 FROM users WHERE id = ?1"
      "  UNION ALL"
      "  SELECT users.invited_by, chain.depth + 1 FROM users JOIN chain ON users.id = chain.id"
      "  WHERE chain.depth < (SELECT max(id) FROM users)"
      ") SELECT 1 FROM chain WHERE id = ?2 LIMIT 1");
  statement->bind(1, start);
  statement->bind(2, ancestor);
  return statement->executeStep();
}

std::vector<Invitee> SqliteTx::Invitees(int64_t user_id) {
  auto statement = connection_.Prepare(
      "SELECT id, phone, activated_at FROM users WHERE invited_by = ? "
      "ORDER BY activated_at, id");
  statement->bind(1, user_id);
  std::vector<Invitee> out;
  while (statement->executeStep()) {
    out.push_back({statement->getColumn(0).getInt64(), statement->getColumn(1).getString(),
                   statement->getColumn(2).getInt64()});
  }
  return out;
}

void SqliteTx::BumpTokenVersion(int64_t user_id) {
  auto statement =
      connection_.Prepare("UPDATE users SET token_version = token_version + 1 WHERE id = ?");
  statement->bind(1, user_id);
  statement->exec();
}

std::optional<CodeRecord> SqliteTx::Code(const std::string& phone, Purpose purpose) {
  auto statement = connection_.Prepare(
      "SELECT code_hash, sent_at, expires_at, attempts, live FROM codes "
      "WHERE phone = ? AND purpose = ?");
  statement->bindNoCopy(1, phone);
  statement->bind(2, std::string(PurposeName(purpose)));
  if (!statement->executeStep()) return std::nullopt;
  const SQLite::Column hash = statement->getColumn(0);
  CodeRecord code;
  code.code_hash.assign(static_cast<const char*>(hash.getBlob()), hash.getBytes());
  code.sent_at = statement->getColumn(1).getInt64();
  code.expires_at = statement->getColumn(2).getInt64();
  code.attempts = statement->getColumn(3).getInt();
  code.live = statement->getColumn(4).getInt() != 0;
  return code;
}

void SqliteTx::PutCode(const std::string& phone, Purpose purpose, const CodeRecord& code) {
  auto statement = connection_.Prepare(
      "INSERT INTO codes (phone, purpose, code_hash, sent_at, expires_at, attempts, live) "
      "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (phone, purpose) DO UPDATE SET "
      "code_hash = excluded.code_hash, sent_at = excluded.sent_at, "
      "expires_at = excluded.expires_at, attempts = excluded.attempts, live = excluded.live");
  statement->bindNoCopy(1, phone);
  statement->bind(2, std::string(PurposeName(purpose)));
  statement->bindNoCopy(3, static_cast<const void*>(code.code_hash.data()),
                        static_cast<int>(code.code_hash.size()));
  statement->bind(4, code.sent_at);
  statement->bind(5, code.expires_at);
  statement->bind(6, code.attempts);
  statement->bind(7, code.live ? 1 : 0);
  statement->exec();
}

void SqliteTx::RecordCodeSent(const std::string& phone, int64_t at) {
  auto statement = connection_.Prepare("INSERT INTO code_sends (phone, at) VALUES (?, ?)");
  statement->bindNoCopy(1, phone);
  statement->bind(2, at);
  statement->exec();
}

std::pair<int64_t, int64_t> SqliteTx::CodesSentSince(const std::string& phone, int64_t since) {
  return CountSince(connection_.Prepare("SELECT count(*), coalesce(min(at), 0) FROM code_sends "
                                        "WHERE phone = ? AND at >= ?"),
                    phone, since);
}

void SqliteTx::RecordFailure(const std::string& phone, int64_t at) {
  auto statement = connection_.Prepare("INSERT INTO verify_failures (phone, at) VALUES (?, ?)");
  statement->bindNoCopy(1, phone);
  statement->bind(2, at);
  statement->exec();
}

std::pair<int64_t, int64_t> SqliteTx::FailuresSince(const std::string& phone, int64_t since) {
  return CountSince(connection_.Prepare("SELECT count(*), coalesce(min(at), 0) "
                                        "FROM verify_failures WHERE phone = ? AND at >= ?"),
                    phone, since);
}

std::string SqliteTx::GetOrPutSetting(const std::string& key, const std::string& value_if_absent) {
  {
    auto insert = connection_.Prepare(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT DO NOTHING");
    insert->bindNoCopy(1, key);
    insert->bindNoCopy(2, value_if_absent);
    insert->exec();
  }
  auto select = connection_.Prepare("SELECT value FROM settings WHERE key = ?");
  select->bindNoCopy(1, key);
  select->executeStep();  // present: inserted above or before
  return select->getColumn(0).getString();
}

std::vector<UserSummary> SqliteTx::ListUsers(int64_t limit, int64_t offset) {
  auto statement = connection_.Prepare(
      "SELECT u.id, u.phone, u.invitation_code, inviter.invitation_code, u.created_at, "
      "  (SELECT count(*) FROM users AS invitee WHERE invitee.invited_by = u.id) "
      "FROM users AS u LEFT JOIN users AS inviter ON inviter.id = u.invited_by "
      "ORDER BY u.created_at DESC, u.id DESC LIMIT ? OFFSET ?");
  statement->bind(1, limit);
  statement->bind(2, offset);
  std::vector<UserSummary> out;
  while (statement->executeStep()) {
    UserSummary user;
    user.id = statement->getColumn(0).getInt64();
    user.phone = statement->getColumn(1).getString();
    user.invitation_code = statement->getColumn(2).getString();
    if (!statement->getColumn(3).isNull()) {
      user.someone_invitation_code = statement->getColumn(3).getString();
    }
    user.created_at = statement->getColumn(4).getInt64();
    user.invited_count = statement->getColumn(5).getInt64();
    out.push_back(std::move(user));
  }
  return out;
}

Stats SqliteTx::GetStats(int64_t now) {
  auto statement = connection_.Prepare(
      "SELECT (SELECT count(*) FROM users), "
      "  (SELECT count(*) FROM users WHERE invited_by IS NOT NULL), "
      "  (SELECT count(*) FROM codes WHERE live AND expires_at > ?)");
  statement->bind(1, now);
  statement->executeStep();
  return {statement->getColumn(0).getInt64(), statement->getColumn(1).getInt64(),
          statement->getColumn(2).getInt64()};
}

int64_t SqliteTx::PurgeCodes(int64_t now, int64_t events_before) {
  int64_t codes = 0;
  {
    auto statement = connection_.Prepare("DELETE FROM codes WHERE NOT live OR expires_at <= ?");
    statement->bind(1, now);
    codes = statement->exec();
  }
  for (const char* sql :
       {"DELETE FROM code_sends WHERE at < ?", "DELETE FROM verify_failures WHERE at < ?"}) {
    auto statement = connection_.Prepare(sql);
    statement->bind(1, events_before);
    statement->exec();
  }
  return codes;
}

}  // namespace connecthub
