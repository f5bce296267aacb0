// Chooses the backend from the location's form.
#include "connecthub/storage.h"

#include "sqlite_storage.h"

namespace connecthub {

Result<std::unique_ptr<Storage>> OpenStorage(const std::string& location) {
  if (location.starts_with("postgresql://") || location.starts_with("postgres://")) {
    return MakeError(ErrorCode::kInternalError, "PostgreSQL support is not built yet");
  }
  return SqliteStorage::Open(location);
}

}  // namespace connecthub
