// The storage interface of the core. Services never see SQL: they run their logic inside a
// transaction through the primitives of Tx, and each backend (SQLite, PostgreSQL) implements them.
// A Storage is thread-safe (each thread gets its own connection); a Tx belongs to one thread and
// lives only for the duration of the callback.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connecthub/error.h"
#include "connecthub/model.h"

namespace connecthub {

namespace internal {
template <class T>
struct AsResult {
  using type = Result<T>;
};
template <class T>
struct AsResult<Result<T>> {
  using type = Result<T>;
};
}  // namespace internal

class Tx {
 public:
  virtual ~Tx() = default;

  virtual std::optional<User> UserById(int64_t id) = 0;
  virtual std::optional<User> UserByPhone(const std::string& phone) = 0;
  virtual std::optional<User> UserByInvitationCode(const std::string& code) = 0;
  // Inserts a user; nullopt if the invitation code is taken (the caller makes another).
  // The phone must not be registered (the caller checked in this transaction).
  virtual std::optional<int64_t> InsertUser(const std::string& phone,
                                            const std::string& invitation_code,
                                            int64_t created_at) = 0;
  virtual void SetInvitedBy(int64_t user_id, int64_t inviter_id, int64_t activated_at) = 0;
  // True if `ancestor` is `start` or stands anywhere on the chain of inviters above `start`.
  virtual bool IsSelfOrInviterChain(int64_t start, int64_t ancestor) = 0;
  // Users who activated `user_id`'s code, oldest activation first.
  virtual std::vector<Invitee> Invitees(int64_t user_id) = 0;
  virtual void BumpTokenVersion(int64_t user_id) = 0;

  virtual std::optional<CodeRecord> Code(const std::string& phone, Purpose purpose) = 0;
  virtual void PutCode(const std::string& phone, Purpose purpose, const CodeRecord& code) = 0;

  // Event logs for the hourly send cap and the daily failure cap.
  virtual void RecordCodeSent(const std::string& phone, int64_t at) = 0;
  // Count of events at or after `since`, and the oldest of them (0 if none).
  virtual std::pair<int64_t, int64_t> CodesSentSince(const std::string& phone, int64_t since) = 0;
  virtual void RecordFailure(const std::string& phone, int64_t at) = 0;
  virtual std::pair<int64_t, int64_t> FailuresSince(const std::string& phone, int64_t since) = 0;

  // Returns the stored value, storing `value_if_absent` first if there was none (first writer
  // wins).
  virtual std::string GetOrPutSetting(const std::string& key,
                                      const std::string& value_if_absent) = 0;

  // Operator views and housekeeping.
  virtual std::vector<UserSummary> ListUsers(int64_t limit, int64_t offset) = 0;
  virtual Stats GetStats(int64_t now) = 0;
  // Deletes codes that are expired or dead and event-log entries older than `events_before`.
  // Returns the number of codes deleted.
  virtual int64_t PurgeCodes(int64_t now, int64_t events_before) = 0;
};

class Storage {
 public:
  enum class Mode { kRead, kWrite };
  virtual ~Storage() = default;

  // Runs `body` in one transaction and commits, whatever Result the body returns (a domain error
  // such as a wrong code still records the attempt). An exception from the body or the backend
  // rolls back; the backend turns it into kServiceUnavailable (database unreachable or busy) or
  // kInternalError. A backend may run `body` more than once (serialization retry), so the body must
  // have no effect outside the Tx. A body returning Result<T> gives Result<T>; one returning a
  // plain T gives Result<T>.
  template <class F>
  auto Run(Mode mode, F&& body) {
    using R = decltype(body(std::declval<Tx&>()));
    using Out = typename internal::AsResult<R>::type;
    std::optional<Out> out;
    Status status = RunTransaction(mode, [&](Tx& tx) { out.emplace(body(tx)); });
    if (!status.ok()) return Out(status.error());
    return std::move(*out);
  }
  template <class F>
  auto Read(F&& body) {
    return Run(Mode::kRead, std::forward<F>(body));
  }
  template <class F>
  auto Write(F&& body) {
    return Run(Mode::kWrite, std::forward<F>(body));
  }

  // True if the database answers now.
  virtual bool Healthy() = 0;
  // "sqlite" or "postgresql".
  virtual std::string BackendName() const = 0;
  // How many transactions of one process it pays to run at once; a server sizes its pool of
  // database threads by it.
  virtual size_t UsefulConcurrency() const = 0;
  // True if a read waits for the network (PostgreSQL), false if it only costs CPU (SQLite): a
  // server runs the first kind on its database threads, the second where the request arrived.
  virtual bool ReadsWait() const = 0;
  // Writes a consistent copy of the live database to `path`.
  virtual Status Backup(const std::string& path) = 0;

 protected:
  virtual Status RunTransaction(Mode mode, const std::function<void(Tx&)>& body) = 0;
};

// Opens the database named by `location`: a `postgresql://` (or `postgres://`) URI selects
// PostgreSQL, anything else is a SQLite file path, created with mode 0600 if missing. Applies the
// schema migrations; refuses a database whose schema is newer than this build knows.
Result<std::unique_ptr<Storage>> OpenStorage(const std::string& location);

}  // namespace connecthub
