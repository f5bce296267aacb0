// Opening, migrating, pooling and transactions of the SQLite backend.
#include "sqlite_storage.h"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/Transaction.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <thread>

#include "migrations.h"

namespace connecthub {
namespace {

constexpr std::string_view kBackend = "sqlite";
constexpr std::chrono::seconds kRetryAfter{1};
// Write transactions one commit carries at most: bounds the wait of the last of them.
constexpr size_t kMaxBatch = 256;

int PrimaryCode(const SQLite::Exception& e) {
  const int code = e.getExtendedErrorCode() >= 0 ? e.getExtendedErrorCode() : e.getErrorCode();
  return code & 0xff;
}

// Busy past the timeout or a failing disk is a passing condition: the caller may retry.
Error FromSqlite(const SQLite::Exception& e) {
  switch (PrimaryCode(e)) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return MakeError(ErrorCode::kServiceUnavailable, "the database is busy; try again",
                       kRetryAfter);
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL:
      return MakeError(ErrorCode::kServiceUnavailable, fmt::format("database error: {}", e.what()),
                       kRetryAfter);
    default:
      return MakeError(ErrorCode::kInternalError, fmt::format("database error: {}", e.what()));
  }
}

Error OpenError(const std::string& path, const SQLite::Exception& e) {
  if (PrimaryCode(e) == SQLITE_NOTADB) {
    return MakeError(ErrorCode::kInternalError,
                     fmt::format("{} is not a connecthub database (not an SQLite file)", path));
  }
  Error error = FromSqlite(e);
  error.message = fmt::format("cannot open database {}: {}", path, e.what());
  return error;
}

// SQLite gives the -wal and -shm files the mode of the database file, so 0600 here covers them.
Status CreateFileIfMissing(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return MakeError(ErrorCode::kInternalError,
                     fmt::format("cannot open database {}: {}", path, std::strerror(errno)));
  }
  ::close(fd);
  return OkStatus();
}

// The switch to WAL needs an exclusive lock, and SQLite does not wait for one while another new
// opener holds a shared lock (that could deadlock); so first openers racing on a new file retry.
void EnableWal(SQLite::Database& db) {
  if (db.execAndGet("PRAGMA journal_mode").getString() == "wal") return;
  const auto deadline = std::chrono::steady_clock::now() + kSqliteBusyTimeout;
  for (;;) {
    try {
      db.exec("PRAGMA journal_mode = WAL");
      return;
    } catch (const SQLite::Exception& e) {
      if (PrimaryCode(e) != SQLITE_BUSY || std::chrono::steady_clock::now() >= deadline) throw;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

int UserVersion(SQLite::Database& db) { return db.execAndGet("PRAGMA user_version").getInt(); }

// Applies the migrations newer than the file's user_version, all in one transaction; two
// processes opening a new file at once serialize on BEGIN IMMEDIATE and the second finds no work.
Status Migrate(SQLite::Database& db) {
  const int latest = LatestSchemaVersion(kBackend);
  int current = UserVersion(db);
  if (current == latest) return OkStatus();
  SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
  current = UserVersion(db);
  if (current > latest)
    return MakeError(ErrorCode::kInternalError, NewerSchemaMessage(current, latest));
  for (const SchemaMigration& migration : MigrationsFor(kBackend)) {
    if (migration.version <= current) continue;
    db.exec(std::string(migration.sql));
    db.exec(fmt::format("PRAGMA user_version = {}", migration.version));
  }
  tx.commit();
  return OkStatus();
}

// Ends whatever transaction a failure left open; false if the connection is no longer usable.
bool RollBack(SqliteConnection& connection) {
  sqlite3* handle = connection.db().getHandle();
  if (sqlite3_get_autocommit(handle) == 0)
    sqlite3_exec(handle, "ROLLBACK", nullptr, nullptr, nullptr);
  return sqlite3_get_autocommit(handle) != 0;
}

// Runs `work`, turning an exception into the error the caller reports.
template <class F>
Status Guarded(F&& work) {
  try {
    work();
    return OkStatus();
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e);
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kInternalError, fmt::format("internal error: {}", e.what()));
  } catch (...) {
    return MakeError(ErrorCode::kInternalError, "internal error: unknown exception");
  }
}

}  // namespace

SqliteConnection::SqliteConnection(const std::string& path)
    : db_(path, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX,
          static_cast<int>(kSqliteBusyTimeout.count())) {
  db_.exec("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL");
}

CachedStatement SqliteConnection::Prepare(const char* sql) {
  auto& slot = statements_[sql];
  if (!slot) slot = std::make_unique<SQLite::Statement>(db_, sql);
  return CachedStatement(*slot);
}

Result<std::unique_ptr<Storage>> SqliteStorage::Open(const std::string& path) {
  if (path.empty()) return MakeError(ErrorCode::kInternalError, "no database path given");
  if (Status created = CreateFileIfMissing(path); !created.ok()) return created.error();
  std::unique_ptr<SqliteStorage> storage(new SqliteStorage(path));
  try {
    auto connection = storage->Acquire();
    EnableWal(connection->db());  // persistent in the file
    if (Status migrated = Migrate(connection->db()); !migrated.ok()) return migrated.error();
    storage->Release(std::move(connection));
  } catch (const SQLite::Exception& e) {
    return OpenError(path, e);
  }
  return std::unique_ptr<Storage>(std::move(storage));
}

std::unique_ptr<SqliteConnection> SqliteStorage::Acquire() {
  {
    std::lock_guard lock(pool_mutex_);
    if (!free_.empty()) {
      auto connection = std::move(free_.back());
      free_.pop_back();
      return connection;
    }
  }
  return std::make_unique<SqliteConnection>(path_);
}

void SqliteStorage::Release(std::unique_ptr<SqliteConnection> connection) {
  std::lock_guard lock(pool_mutex_);
  free_.push_back(std::move(connection));
}

Status SqliteStorage::RunTransaction(Mode mode, const std::function<void(Tx&)>& body) {
  return mode == Mode::kWrite ? RunWrite(body) : RunRead(body);
}

Status SqliteStorage::RunRead(const std::function<void(Tx&)>& body) {
  std::unique_ptr<SqliteConnection> connection;
  Status status = Guarded([&] {
    connection = Acquire();
    connection->Prepare("BEGIN")->exec();
    SqliteTx tx(*connection);
    body(tx);
    connection->Prepare("COMMIT")->exec();
  });
  if (connection && RollBack(*connection)) Release(std::move(connection));
  return status;
}

void SqliteStorage::PendingWrite::Wake() {
  std::lock_guard lock(wake.mutex);
  wake.set = true;
  wake.changed.notify_one();
}

void SqliteStorage::PendingWrite::Wait() {
  std::unique_lock lock(wake.mutex);
  wake.changed.wait(lock, [this] { return wake.set; });
}

Status SqliteStorage::RunWrite(const std::function<void(Tx&)>& body) noexcept {
  PendingWrite self(&body);
  std::unique_lock lock(batch_mutex_);
  pending_.push_back(&self);
  if (committing_) {
    lock.unlock();
    self.Wait();
    if (self.done) return self.status;
    lock.lock();  // handed the lead: commit the next batch
  } else {
    committing_ = true;
  }
  for (;;) {
    std::vector<PendingWrite*> batch;
    batch.reserve(std::min(pending_.size(), kMaxBatch));  // no allocation once entries are taken
    while (!pending_.empty() && batch.size() < kMaxBatch) {
      batch.push_back(pending_.front());
      pending_.pop_front();
    }
    lock.unlock();
    CommitBatch(batch);
    bool mine = false;
    for (PendingWrite* write : batch) {
      if (write == &self) {
        mine = true;
        continue;
      }
      write->done = true;
      write->Wake();  // its owner may return at once: no touching `write` after this
    }
    lock.lock();
    if (mine) {
      if (pending_.empty()) {
        committing_ = false;
      } else {
        pending_.front()->Wake();  // not done: it leads the next batch
      }
      return self.status;
    }
  }
}

void SqliteStorage::CommitBatch(const std::vector<PendingWrite*>& batch) noexcept {
  std::unique_ptr<SqliteConnection> connection;
  std::optional<Status> lost;
  Status shared = Guarded([&] {
    connection = Acquire();
    connection->Prepare("BEGIN IMMEDIATE")->exec();
    SqliteTx tx(*connection);
    for (PendingWrite* write : batch) {
      connection->Prepare("SAVEPOINT one_write")->exec();
      write->status = Guarded([&] { (*write->body)(tx); });
      if (!write->status.ok()) {
        // SQLite may have ended the whole transaction (a full disk, an I/O error): then nothing
        // of the batch survives, and its cause is what every write of it reports.
        if (sqlite3_get_autocommit(connection->db().getHandle()) != 0) {
          lost = write->status;
          return;
        }
        connection->Prepare("ROLLBACK TO one_write")->exec();  // takes back this write only
      }
      connection->Prepare("RELEASE one_write")->exec();
    }
    connection->Prepare("COMMIT")->exec();
  });
  if (lost) shared = *lost;
  if (!shared.ok()) {
    for (PendingWrite* write : batch) write->status = shared;
  }
  if (connection && RollBack(*connection)) Release(std::move(connection));
}

bool SqliteStorage::Healthy() {
  try {
    auto connection = Acquire();
    bool answered = false;
    {
      auto statement = connection->Prepare("SELECT count(*) FROM sqlite_schema");
      answered = statement->executeStep();
    }
    Release(std::move(connection));
    return answered;
  } catch (const std::exception&) {
    return false;
  }
}

// Copies a snapshot page by page into a fresh 0600 file beside `path`, then renames it into
// place, so that `path` is never a half-written database.
Status SqliteStorage::Backup(const std::string& path) {
  std::error_code ignored;
  if (std::filesystem::equivalent(path, path_, ignored)) {
    return MakeError(ErrorCode::kInvalidRequest, "the backup path is the database itself");
  }
  std::string temp = path + ".tmp-XXXXXX";
  const int fd = ::mkstemp(temp.data());  // mode 0600
  if (fd < 0) {
    return MakeError(ErrorCode::kInternalError,
                     fmt::format("cannot write backup {}: {}", path, std::strerror(errno)));
  }
  ::close(fd);
  Status status = OkStatus();
  try {
    auto connection = Acquire();
    {
      SQLite::Database destination(temp, SQLite::OPEN_READWRITE);
      SQLite::Backup backup(destination, connection->db());
      if (backup.executeStep() != SQLITE_DONE) {
        status = MakeError(ErrorCode::kServiceUnavailable, "the database is busy; try again",
                           kRetryAfter);
      }
    }
    Release(std::move(connection));
  } catch (const SQLite::Exception& e) {
    status = FromSqlite(e);
  }
  if (status.ok() && std::rename(temp.c_str(), path.c_str()) != 0) {
    status = MakeError(ErrorCode::kInternalError,
                       fmt::format("cannot write backup {}: {}", path, std::strerror(errno)));
  }
  if (!status.ok()) std::filesystem::remove(temp, ignored);
  return status;
}

}  // namespace connecthub
