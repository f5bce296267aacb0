// The Tx primitives of the PostgreSQL backend: one prepared statement each.
#include <pqxx/binarystring>
#include <pqxx/result>
#include <string>

#include "pg_storage.h"

namespace connecthub {
namespace {

struct Statement {
  const char* name;
  const char* sql;
};

#define CONNECTHUB_USER_COLUMNS \
  "id, phone, invitation_code, invited_by, activated_at, created_at, token_version"

constexpr Statement kUserById{"user_by_id",
                              "SELECT " CONNECTHUB_USER_COLUMNS " FROM users WHERE id = $1"};
constexpr Statement kUserByPhone{"user_by_phone",
                                 "SELECT " CONNECTHUB_USER_COLUMNS " FROM users WHERE phone = $1"};
constexpr Statement kUserByCode{
    "user_by_code", "SELECT " CONNECTHUB_USER_COLUMNS " FROM users WHERE invitation_code = $1"};
// Only a taken invitation code is expected; a taken phone still fails loudly.
constexpr Statement kInsertUser{
    "insert_user",
    "INSERT INTO users (phone, invitation_code, created_at) VALUES ($1, $2, $3) "
    "ON CONFLICT (invitation_code) DO NOTHING RETURNING id"};
constexpr Statement kSetInvitedBy{
    "set_invited_by", "UPDATE users SET invited_by = $2, activated_at = $3 WHERE id = $1"};
// No chain is longer than the number of users, so the depth bound only ever stops a walk round a
// circle (which the services never make, but a hand-edited database might hold). PostgreSQL
// produces the recursive rows as LIMIT asks for them, so a found ancestor ends the walk.
constexpr Statement kInChain{
    "in_chain",
    "WITH RECURSIVE chain(id, depth) AS ("
    "  SELECT invited_by, 1 FROM users WHERE id = $1"
    "  UNION ALL"
    "  SELECT users.invited_by, chain.depth + 1 FROM users JOIN chain ON users.id = chain.id"
    "  WHERE chain.depth < (SELECT max(id) FROM users)"
    ") SELECT 1 FROM chain WHERE id = $2 LIMIT 1"};
constexpr Statement kInvitees{
    "invitees",
    "SELECT id, phone, activated_at FROM users WHERE invited_by = $1 ORDER BY activated_at, id"};
constexpr Statement kBumpTokenVersion{
    "bump_token_version", "UPDATE users SET token_version = token_version + 1 WHERE id = $1"};
constexpr Statement kCode{"code",
                          "SELECT code_hash, sent_at, expires_at, attempts, live FROM codes "
                          "WHERE phone = $1 AND purpose = $2"};
constexpr Statement kPutCode{
    "put_code",
    "INSERT INTO codes (phone, purpose, code_hash, sent_at, expires_at, attempts, live) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (phone, purpose) DO UPDATE SET "
    "code_hash = excluded.code_hash, sent_at = excluded.sent_at, "
    "expires_at = excluded.expires_at, attempts = excluded.attempts, live = excluded.live"};
constexpr Statement kRecordCodeSent{"record_code_sent",
                                    "INSERT INTO code_sends (phone, at) VALUES ($1, $2)"};
constexpr Statement kCodesSentSince{"codes_sent_since",
                                    "SELECT count(*), coalesce(min(at), 0) FROM code_sends "
                                    "WHERE phone = $1 AND at >= $2"};
constexpr Statement kRecordFailure{"record_failure",
                                   "INSERT INTO verify_failures (phone, at) VALUES ($1, $2)"};
constexpr Statement kFailuresSince{"failures_since",
                                   "SELECT count(*), coalesce(min(at), 0) FROM verify_failures "
                                   "WHERE phone = $1 AND at >= $2"};
constexpr Statement kPutSetting{
    "put_setting", "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT DO NOTHING"};
constexpr Statement kSetting{"setting", "SELECT value FROM settings WHERE key = $1"};
constexpr Statement kListUsers{
    "list_users",
    "SELECT u.id, u.phone, u.invitation_code, inviter.invitation_code, u.created_at, "
    "  (SELECT count(*) FROM users AS invitee WHERE invitee.invited_by = u.id) "
    "FROM users AS u LEFT JOIN users AS inviter ON inviter.id = u.invited_by "
    "ORDER BY u.created_at DESC, u.id DESC LIMIT $1 OFFSET $2"};
constexpr Statement kStats{"stats",
                           "SELECT (SELECT count(*) FROM users), "
                           "  (SELECT count(*) FROM users WHERE invited_by IS NOT NULL), "
                           "  (SELECT count(*) FROM codes WHERE live AND expires_at > $1)"};
constexpr Statement kPurgeCodes{"purge_codes",
                                "DELETE FROM codes WHERE NOT live OR expires_at <= $1"};
constexpr Statement kPurgeSends{"purge_sends", "DELETE FROM code_sends WHERE at < $1"};
constexpr Statement kPurgeFailures{"purge_failures", "DELETE FROM verify_failures WHERE at < $1"};

#undef CONNECTHUB_USER_COLUMNS

constexpr Statement kAll[] = {
    kUserById,      kUserByPhone,      kUserByCode,   kInsertUser, kSetInvitedBy,   kInChain,
    kInvitees,      kBumpTokenVersion, kCode,         kPutCode,    kRecordCodeSent, kCodesSentSince,
    kRecordFailure, kFailuresSince,    kPutSetting,   kSetting,    kListUsers,      kStats,
    kPurgeCodes,    kPurgeSends,       kPurgeFailures};

std::optional<int64_t> OptionalInt64(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return field.as<int64_t>();
}

User ReadUser(const pqxx::row& row) {
  User user;
  user.id = row[0].as<int64_t>();
  user.phone = row[1].as<std::string>();
  user.invitation_code = row[2].as<std::string>();
  user.invited_by = OptionalInt64(row[3]);
  user.activated_at = OptionalInt64(row[4]);
  user.created_at = row[5].as<int64_t>();
  user.token_version = row[6].as<int64_t>();
  return user;
}

std::optional<User> OneUser(const pqxx::result& result) {
  if (result.empty()) return std::nullopt;
  return ReadUser(result[0]);
}

std::pair<int64_t, int64_t> CountAndOldest(const pqxx::result& result) {
  return {result[0][0].as<int64_t>(), result[0][1].as<int64_t>()};
}

std::string Bytes(const pqxx::field& field) { return pqxx::binarystring(field).str(); }

}  // namespace

void PreparePgStatements(pqxx::connection_base& connection) {
  for (const Statement& statement : kAll) connection.prepare(statement.name, statement.sql);
}

std::optional<User> PgTx::UserById(int64_t id) {
  return OneUser(txn_.exec_prepared(kUserById.name, id));
}

std::optional<User> PgTx::UserByPhone(const std::string& phone) {
  return OneUser(txn_.exec_prepared(kUserByPhone.name, phone));
}

std::optional<User> PgTx::UserByInvitationCode(const std::string& code) {
  return OneUser(txn_.exec_prepared(kUserByCode.name, code));
}

std::optional<int64_t> PgTx::InsertUser(const std::string& phone,
                                        const std::string& invitation_code, int64_t created_at) {
  const pqxx::result inserted =
      txn_.exec_prepared(kInsertUser.name, phone, invitation_code, created_at);
  if (inserted.empty()) return std::nullopt;
  return inserted[0][0].as<int64_t>();
}

void PgTx::SetInvitedBy(int64_t user_id, int64_t inviter_id, int64_t activated_at) {
  txn_.exec_prepared(kSetInvitedBy.name, user_id, inviter_id, activated_at);
}

bool PgTx::IsSelfOrInviterChain(int64_t start, int64_t ancestor) {
  if (start == ancestor) return true;
  return !txn_.exec_prepared(kInChain.name, start, ancestor).empty();
}

std::vector<Invitee> PgTx::Invitees(int64_t user_id) {
  std::vector<Invitee> out;
  for (const pqxx::row& row : txn_.exec_prepared(kInvitees.name, user_id)) {
    out.push_back({row[0].as<int64_t>(), row[1].as<std::string>(), row[2].as<int64_t>()});
  }
  return out;
}

void PgTx::BumpTokenVersion(int64_t user_id) {
  txn_.exec_prepared(kBumpTokenVersion.name, user_id);
}

std::optional<CodeRecord> PgTx::Code(const std::string& phone, Purpose purpose) {
  const pqxx::result result =
      txn_.exec_prepared(kCode.name, phone, std::string(PurposeName(purpose)));
  if (result.empty()) return std::nullopt;
  const pqxx::row row = result[0];
  CodeRecord code;
  code.code_hash = Bytes(row[0]);
  code.sent_at = row[1].as<int64_t>();
  code.expires_at = row[2].as<int64_t>();
  code.attempts = row[3].as<int>();
  code.live = row[4].as<bool>();
  return code;
}

void PgTx::PutCode(const std::string& phone, Purpose purpose, const CodeRecord& code) {
  txn_.exec_prepared(kPutCode.name, phone, std::string(PurposeName(purpose)),
                     pqxx::binarystring(code.code_hash), code.sent_at, code.expires_at,
                     code.attempts, code.live);
}

void PgTx::RecordCodeSent(const std::string& phone, int64_t at) {
  txn_.exec_prepared(kRecordCodeSent.name, phone, at);
}

std::pair<int64_t, int64_t> PgTx::CodesSentSince(const std::string& phone, int64_t since) {
  return CountAndOldest(txn_.exec_prepared(kCodesSentSince.name, phone, since));
}

void PgTx::RecordFailure(const std::string& phone, int64_t at) {
  txn_.exec_prepared(kRecordFailure.name, phone, at);
}

std::pair<int64_t, int64_t> PgTx::FailuresSince(const std::string& phone, int64_t since) {
  return CountAndOldest(txn_.exec_prepared(kFailuresSince.name, phone, since));
}

std::string PgTx::GetOrPutSetting(const std::string& key, const std::string& value_if_absent) {
  txn_.exec_prepared(kPutSetting.name, key, pqxx::binarystring(value_if_absent));
  return Bytes(txn_.exec_prepared1(kSetting.name, key)[0]);  // present: inserted or before
}

std::vector<UserSummary> PgTx::ListUsers(int64_t limit, int64_t offset) {
  std::vector<UserSummary> out;
  for (const pqxx::row& row : txn_.exec_prepared(kListUsers.name, limit, offset)) {
    UserSummary user;
    user.id = row[0].as<int64_t>();
    user.phone = row[1].as<std::string>();
    user.invitation_code = row[2].as<std::string>();
    if (!row[3].is_null()) user.someone_invitation_code = row[3].as<std::string>();
    user.created_at = row[4].as<int64_t>();
    user.invited_count = row[5].as<int64_t>();
    out.push_back(std::move(user));
  }
  return out;
}

Stats PgTx::GetStats(int64_t now) {
  const pqxx::row row = txn_.exec_prepared1(kStats.name, now);
  return {row[0].as<int64_t>(), row[1].as<int64_t>(), row[2].as<int64_t>()};
}

int64_t PgTx::PurgeCodes(int64_t now, int64_t events_before) {
  const int64_t codes = txn_.exec_prepared(kPurgeCodes.name, now).affected_rows();
  txn_.exec_prepared(kPurgeSends.name, events_before);
  txn_.exec_prepared(kPurgeFailures.name, events_before);
  return codes;
}

}  // namespace connecthub
