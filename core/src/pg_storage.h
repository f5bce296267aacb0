// The PostgreSQL backend of Storage, for several servers and CLIs sharing one database.
// Race freedom across processes comes from the database alone: write transactions run at
// SERIALIZABLE and are re-run on a serialization failure or deadlock, so every check-then-write
// of the services (resend interval, one user per phone, no closed circle of invitations) holds as
// if the transactions had run one after another, without the services knowing about it.
// PgStorage is thread-safe: a pool hands each transaction a connection of its own (so at most one
// per thread in use), each with its statements prepared once; a broken connection is dropped and
// a new one opened on the next use. PgTx belongs to one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <pqxx/connection>
#include <pqxx/transaction_base>
#include <string>
#include <utility>
#include <vector>

#include "connecthub/error.h"
#include "connecthub/storage.h"

namespace connecthub {

// How many times a write transaction runs before a conflict is reported as unavailable.
inline constexpr int kPgMaxAttempts = 20;

// Registers every statement PgTx uses on a new connection.
void PreparePgStatements(pqxx::connection_base& connection);

class PgTx final : public Tx {
 public:
  explicit PgTx(pqxx::transaction_base& txn) : txn_(txn) {}

  std::optional<User> UserById(int64_t id) override;
  std::optional<User> UserByPhone(const std::string& phone) override;
  std::optional<User> UserByInvitationCode(const std::string& code) override;
  std::optional<int64_t> InsertUser(const std::string& phone, const std::string& invitation_code,
                                    int64_t created_at) override;
  void SetInvitedBy(int64_t user_id, int64_t inviter_id, int64_t activated_at) override;
  bool IsSelfOrInviterChain(int64_t start, int64_t ancestor) override;
  std::vector<Invitee> Invitees(int64_t user_id) override;
  void BumpTokenVersion(int64_t user_id) override;

  std::optional<CodeRecord> Code(const std::string& phone, Purpose purpose) override;
  void PutCode(const std::string& phone, Purpose purpose, const CodeRecord& code) override;

  void RecordCodeSent(const std::string& phone, int64_t at) override;
  std::pair<int64_t, int64_t> CodesSentSince(const std::string& phone, int64_t since) override;
  void RecordFailure(const std::string& phone, int64_t at) override;
  std::pair<int64_t, int64_t> FailuresSince(const std::string& phone, int64_t since) override;

  std::string GetOrPutSetting(const std::string& key, const std::string& value_if_absent) override;

  std::vector<UserSummary> ListUsers(int64_t limit, int64_t offset) override;
  Stats GetStats(int64_t now) override;
  int64_t PurgeCodes(int64_t now, int64_t events_before) override;

 private:
  pqxx::transaction_base& txn_;
};

class PgStorage final : public Storage {
 public:
  // Connects to the database named by the libpq URI `uri` and migrates it (under an advisory
  // lock, so that servers starting together apply each migration once).
  static Result<std::unique_ptr<Storage>> Open(const std::string& uri);

  bool Healthy() override;
  std::string BackendName() const override { return "postgresql"; }
  // Each transaction in flight holds a connection of the database's limited supply
  // (max_connections, shared by every server), and serializable ones conflict more the more run.
  size_t UsefulConcurrency() const override { return 8; }
  bool ReadsWait() const override { return true; }
  // Refused with a message that names pg_dump: PostgreSQL has its own consistent dump.
  Status Backup(const std::string& path) override;

 protected:
  Status RunTransaction(Mode mode, const std::function<void(Tx&)>& body) override;

 private:
  struct Pooled {
    std::unique_ptr<pqxx::connection> connection;
    bool fresh = false;  // opened for this use, so not a stale one left over from a restart
  };
  // What RunOnce asks of the loop: stop, run again after a pause (a serialization conflict), run
  // again on a new connection (a stale one broke), or run again once (a duplicate key).
  enum class Next { kDone, kRetry, kRetryFresh, kRetryOnce };

  explicit PgStorage(std::string uri);

  Pooled Acquire(bool fresh);  // throws pqxx::broken_connection
  void Release(std::unique_ptr<pqxx::connection> connection);
  Next RunOnce(Mode mode, const std::function<void(Tx&)>& body, bool fresh, Status& status);
  Next Conflict(std::unique_ptr<pqxx::connection> connection, Status& status);

  const std::string uri_;       // as given, for libpq (with a connect timeout added)
  const std::string redacted_;  // for messages: without a password
  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<pqxx::connection>> free_;
};

}  // namespace connecthub
