// Connecting, migrating, pooling and transactions of the PostgreSQL backend.
#include "pg_storage.h"

#include <fmt/format.h>

#include <pqxx/except>
#include <pqxx/nontransaction>
#include <pqxx/transaction>
#include <random>
#include <thread>

#include "migrations.h"

namespace connecthub {
namespace {

constexpr std::string_view kBackend = "postgresql";
constexpr std::chrono::seconds kRetryAfter{1};
// Held while migrating, so that servers starting at once apply each migration once. Advisory
// locks belong to one database, so other databases on the cluster are not held up.
constexpr int64_t kMigrationLock = 0x636f6e6e65637468;  // "connecth"

// libpq waits for an unreachable host as long as TCP does; a request should not.
std::string WithConnectTimeout(const std::string& uri) {
  if (uri.find("connect_timeout=") != std::string::npos) return uri;
  return uri + (uri.find('?') == std::string::npos ? "?" : "&") + "connect_timeout=5";
}

// The URI without its password, for messages and logs.
std::string Redacted(const std::string& uri) {
  const size_t scheme = uri.find("://");
  if (scheme == std::string::npos) return uri;
  const size_t start = scheme + 3;
  const size_t at = uri.find('@', start);
  const size_t slash = uri.find('/', start);
  if (at == std::string::npos || (slash != std::string::npos && at > slash)) return uri;
  const size_t colon = uri.find(':', start);
  if (colon == std::string::npos || colon > at) return uri;
  return uri.substr(0, colon) + ":***" + uri.substr(at);
}

// SQLSTATEs that mean the server went away or cannot take us now: connection exceptions (08),
// operator intervention such as a shutdown or restart (57P0x), insufficient resources (53).
bool IsUnavailableState(const std::string& state) {
  return state.starts_with("08") || state.starts_with("53") || state == "57P01" ||
         state == "57P02" || state == "57P03";
}

Error Unavailable(const std::string& what) {
  return MakeError(ErrorCode::kServiceUnavailable,
                   fmt::format("the database cannot be reached: {}", what), kRetryAfter);
}

std::string Trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// A short random pause before re-running a transaction that lost a conflict, so that the
// transactions that collided do not collide again in lockstep.
void Backoff(int attempt) {
  thread_local std::minstd_rand generator{std::random_device{}()};
  const int ceiling = 1 << std::min(attempt, 6);  // up to 64 ms
  std::uniform_int_distribution<int> micros(0, ceiling * 1000);
  std::this_thread::sleep_for(std::chrono::microseconds(micros(generator)));
}

// Applies the migrations newer than the database's version in one transaction, under the
// migration lock; refuses a database whose schema is newer than this build knows.
Status Migrate(pqxx::connection& connection) {
  const int latest = LatestSchemaVersion(kBackend);
  pqxx::work txn(connection);
  txn.exec(fmt::format("SELECT pg_advisory_xact_lock({})", kMigrationLock));
  if (!txn.exec1("SELECT to_regclass('connecthub_schema') IS NOT NULL")[0].as<bool>()) {
    txn.exec(
        "CREATE TABLE connecthub_schema (version INTEGER PRIMARY KEY, "
        "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
  }
  const int current =
      txn.exec1("SELECT coalesce(max(version), 0) FROM connecthub_schema")[0].as<int>();
  if (current > latest) {
    return MakeError(ErrorCode::kInternalError, NewerSchemaMessage(current, latest));
  }
  for (const SchemaMigration& migration : MigrationsFor(kBackend)) {
    if (migration.version <= current) continue;
    txn.exec(std::string(migration.sql));
    txn.exec(fmt::format("INSERT INTO connecthub_schema (version) VALUES ({})", migration.version));
  }
  txn.commit();
  return OkStatus();
}

}  // namespace

PgStorage::PgStorage(std::string uri) : uri_(WithConnectTimeout(uri)), redacted_(Redacted(uri)) {}

Result<std::unique_ptr<Storage>> PgStorage::Open(const std::string& uri) {
  std::unique_ptr<PgStorage> storage(new PgStorage(uri));
  const std::string& name = storage->redacted_;
  try {
    Pooled pooled = storage->Acquire(true);
    if (Status migrated = Migrate(*pooled.connection); !migrated.ok()) return migrated.error();
    storage->Release(std::move(pooled.connection));
  } catch (const pqxx::broken_connection& e) {
    return MakeError(ErrorCode::kServiceUnavailable,
                     fmt::format("cannot open database {}: {}", name, Trimmed(e.what())),
                     kRetryAfter);
  } catch (const pqxx::sql_error& e) {
    Error error = MakeError(IsUnavailableState(e.sqlstate()) ? ErrorCode::kServiceUnavailable
                                                             : ErrorCode::kInternalError,
                            fmt::format("cannot open database {}: {}", name, Trimmed(e.what())));
    if (error.code == ErrorCode::kServiceUnavailable) error.retry_after = kRetryAfter;
    return error;
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kInternalError,
                     fmt::format("cannot open database {}: {}", name, Trimmed(e.what())));
  }
  return std::unique_ptr<Storage>(std::move(storage));
}

PgStorage::Pooled PgStorage::Acquire(bool fresh) {
  {
    std::lock_guard lock(pool_mutex_);
    if (fresh) {
      free_.clear();  // what broke one connection (a restart) most likely broke them all
    } else if (!free_.empty()) {
      auto connection = std::move(free_.back());
      free_.pop_back();
      return {std::move(connection), false};
    }
  }
  auto connection = std::make_unique<pqxx::connection>(uri_);
  PreparePgStatements(*connection);
  return {std::move(connection), true};
}

void PgStorage::Release(std::unique_ptr<pqxx::connection> connection) {
  if (!connection->is_open()) return;
  std::lock_guard lock(pool_mutex_);
  free_.push_back(std::move(connection));
}

PgStorage::Next PgStorage::RunOnce(Mode mode, const std::function<void(Tx&)>& body, bool fresh,
                                   Status& status) {
  Pooled pooled;
  try {
    pooled = Acquire(fresh);
  } catch (const std::exception& e) {
    status = Unavailable(Trimmed(e.what()));
    return Next::kDone;
  }
  // A connection that fails at once may be a stale one from before a restart: one more try on a
  // new connection. The body has not committed anything, so running it again is safe.
  const Next after_break = pooled.fresh ? Next::kDone : Next::kRetryFresh;
  try {
    if (mode == Mode::kWrite) {
      pqxx::transaction<pqxx::serializable> txn(*pooled.connection);
      PgTx tx(txn);
      body(tx);
      txn.commit();
    } else {
      pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> txn(*pooled.connection);
      PgTx tx(txn);
      body(tx);
      txn.commit();
    }
    Release(std::move(pooled.connection));
    status = OkStatus();
    return Next::kDone;
  } catch (const pqxx::in_doubt_error& e) {
    // Lost while committing: the outcome is unknown, so the body must not run again.
    status =
        Unavailable(fmt::format("the connection was lost while committing: {}", Trimmed(e.what())));
    return Next::kDone;
  } catch (const pqxx::broken_connection& e) {
    status = Unavailable(Trimmed(e.what()));
    return after_break;
  } catch (const pqxx::serialization_failure&) {
    return Conflict(std::move(pooled.connection), status);
  } catch (const pqxx::deadlock_detected&) {
    return Conflict(std::move(pooled.connection), status);
  } catch (const pqxx::sql_error& e) {
    const std::string& state = e.sqlstate();
    if (IsUnavailableState(state)) {
      status = Unavailable(Trimmed(e.what()));
      return after_break;
    }
    if (state == "40001" || state == "40P01") return Conflict(std::move(pooled.connection), status);
    Release(std::move(pooled.connection));
    status =
        MakeError(ErrorCode::kInternalError, fmt::format("database error: {}", Trimmed(e.what())));
    // A concurrent insert of the same key: once more, and the body sees the row this time.
    return state == "23505" ? Next::kRetryOnce : Next::kDone;
  } catch (const std::exception& e) {
    status = MakeError(ErrorCode::kInternalError, fmt::format("internal error: {}", e.what()));
  } catch (...) {
    status = MakeError(ErrorCode::kInternalError, "internal error: unknown exception");
  }
  if (pooled.connection) Release(std::move(pooled.connection));
  return Next::kDone;
}

// Serialization failure or deadlock (40001, 40P01): another transaction won; run again.
PgStorage::Next PgStorage::Conflict(std::unique_ptr<pqxx::connection> connection, Status& status) {
  Release(std::move(connection));
  status =
      MakeError(ErrorCode::kServiceUnavailable, "the database is busy; try again", kRetryAfter);
  return Next::kRetry;
}

Status PgStorage::RunTransaction(Mode mode, const std::function<void(Tx&)>& body) {
  Status status = OkStatus();
  bool fresh = false;
  bool retried_once = false;
  for (int attempt = 1; attempt <= kPgMaxAttempts; ++attempt) {
    switch (RunOnce(mode, body, fresh, status)) {
      case Next::kDone:
        return status;
      case Next::kRetryFresh:
        if (fresh) return status;
        fresh = true;
        break;
      case Next::kRetryOnce:
        if (retried_once) return status;
        retried_once = true;
        fresh = false;
        break;
      case Next::kRetry:
        fresh = false;
        Backoff(attempt);
        break;
    }
  }
  return status;
}

bool PgStorage::Healthy() {
  for (bool fresh : {false, true}) {
    Pooled pooled;
    try {
      pooled = Acquire(fresh);
      {
        pqxx::nontransaction txn(*pooled.connection);
        txn.exec("SELECT 1");
      }
      Release(std::move(pooled.connection));
      return true;
    } catch (const std::exception&) {
      if (pooled.fresh) return false;
    }
  }
  return false;
}

Status PgStorage::Backup(const std::string& /*path*/) {
  return MakeError(ErrorCode::kInvalidRequest,
                   fmt::format("backup of a PostgreSQL database: use pg_dump '{}' (connecthub "
                               "backup copies SQLite files only)",
                               redacted_));
}

}  // namespace connecthub
