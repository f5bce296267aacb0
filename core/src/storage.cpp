// Chooses the backend from the location's form.
#include "connecthub/storage.h"

#include "pg_storage.h"
#include "sqlite_storage.h"

namespace connecthub {

Result<std::unique_ptr<Storage>> OpenStorage(const std::string& location) {
  if (location.starts_with("postgresql://") || location.starts_with("postgres://")) {
    return PgStorage::Open(location);
  }
  return SqliteStorage::Open(location);
}

}  // namespace connecthub
