// The SQLite backend of Storage. One database file is shared safely by a server and several CLI
// processes: WAL (readers never wait for the writer), a busy timeout instead of "database is
// locked", BEGIN IMMEDIATE for write transactions so that check-then-write is race-free.
// SqliteStorage is thread-safe: a pool hands each transaction a connection of its own, and each
// connection keeps its prepared statements; concurrent write transactions of one process share
// one commit (RunWrite). SqliteConnection and SqliteTx belong to one thread.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "connecthub/error.h"
#include "connecthub/storage.h"

namespace connecthub {

// How long a transaction waits for another process's write lock before giving up as unavailable.
inline constexpr std::chrono::milliseconds kSqliteBusyTimeout{10000};

// A prepared statement lent by a connection's cache; resets it when done so that no read stays
// open (an open read would pin the WAL snapshot).
class CachedStatement {
 public:
  explicit CachedStatement(SQLite::Statement& statement) : statement_(statement) {}
  ~CachedStatement() { statement_.tryReset(); }
  CachedStatement(const CachedStatement&) = delete;
  CachedStatement& operator=(const CachedStatement&) = delete;

  SQLite::Statement* operator->() { return &statement_; }
  SQLite::Statement& operator*() { return statement_; }

 private:
  SQLite::Statement& statement_;
};

class SqliteConnection {
 public:
  // Opens an existing file and sets the connection up (foreign keys, synchronous=FULL, busy
  // timeout). Throws SQLite::Exception.
  explicit SqliteConnection(const std::string& path);

  SQLite::Database& db() { return db_; }
  // The statement for `sql`, prepared once per connection. `sql` must be a string literal (or
  // otherwise outlive the connection): its address is the cache key.
  CachedStatement Prepare(const char* sql);

 private:
  SQLite::Database db_;
  std::unordered_map<const char*, std::unique_ptr<SQLite::Statement>> statements_;
};

class SqliteTx final : public Tx {
 public:
  explicit SqliteTx(SqliteConnection& connection) : connection_(connection) {}

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
  std::optional<User> OneUser(const char* sql, const std::string& key);

  SqliteConnection& connection_;
};

class SqliteStorage final : public Storage {
 public:
  // Opens the database file at `path`, creating it with mode 0600 if missing, and migrates it.
  static Result<std::unique_ptr<Storage>> Open(const std::string& path);

  bool Healthy() override;
  std::string BackendName() const override { return "sqlite"; }
  // Waiting writers share a commit and readers never wait, so many pay, up to the point where the
  // one core committing is the bound: 32 did as well as 64 on 50 connections (bench/run (c)-(e))
  // with 9 MB less peak memory (thread stacks and malloc arenas).
  size_t UsefulConcurrency() const override { return 32; }
  bool ReadsWait() const override { return false; }
  Status Backup(const std::string& path) override;

 protected:
  Status RunTransaction(Mode mode, const std::function<void(Tx&)>& body) override;

 private:
  explicit SqliteStorage(std::string path) : path_(std::move(path)) {}

  // A write transaction waiting for its turn in a group commit.
  struct PendingWrite {
    explicit PendingWrite(const std::function<void(Tx&)>* write_body) : body(write_body) {}

    const std::function<void(Tx&)>* body;
    Status status = OkStatus();
    bool done = false;
    // Set once: when the write is done, or when it is to commit the next batch. One per writer,
    // so that a commit wakes just its own writers rather than every waiting thread; a mutex and
    // condition variable rather than std::binary_semaphore, whose spinning with sched_yield cost
    // 13% of the server's time with 50 writers waiting on one core.
    struct {
      std::mutex mutex;
      std::condition_variable changed;
      bool set = false;
    } wake;
    void Wake();
    void Wait();
  };

  std::unique_ptr<SqliteConnection> Acquire();  // throws SQLite::Exception
  void Release(std::unique_ptr<SqliteConnection> connection);
  Status RunRead(const std::function<void(Tx&)>& body);
  // noexcept, as CommitBatch: out of memory while leading a batch ends the process rather than
  // leave the batch's writers, and every later one, waiting for ever.
  Status RunWrite(const std::function<void(Tx&)>& body) noexcept;
  // Runs every body of `batch` in one transaction, each in a savepoint of its own, and commits
  // them with one fsync; sets each one's status.
  void CommitBatch(const std::vector<PendingWrite*>& batch) noexcept;

  const std::string path_;
  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<SqliteConnection>> free_;

  // Group commit: the writers of this process queue here, and whichever finds no commit under
  // way commits the whole queue. Under load one fsync then makes many transactions durable, where
  // one transaction a commit would leave the disk's flush time as the bound on writes a second.
  std::mutex batch_mutex_;
  std::deque<PendingWrite*> pending_;
  bool committing_ = false;
};

}  // namespace connecthub
