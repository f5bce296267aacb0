// The entry point of the PostgreSQL module; everything else in it is hidden (-fvisibility=hidden),
// so its copies of core code do not interpose with those of the process that loads it.
#include "pg_module.h"

#include <exception>
#include <memory>
#include <string>

#include "pg_storage.h"

extern "C" const char* connecthub_postgresql_abi() { return CONNECTHUB_PG_MODULE_ABI; }

extern "C" connecthub::Storage* connecthub_open_postgresql(const char* uri,
                                                           connecthub::Error* error) {
  using connecthub::ErrorCode;
  try {
    auto storage = connecthub::PgStorage::Open(uri);
    if (!storage.ok()) {
      *error = storage.error();
      return nullptr;
    }
    return std::move(storage).value().release();
  } catch (const std::exception& e) {
    *error = connecthub::MakeError(ErrorCode::kInternalError,
                                   std::string("cannot open a PostgreSQL database: ") + e.what());
  } catch (...) {
    *error = connecthub::MakeError(ErrorCode::kInternalError,
                                   "cannot open a PostgreSQL database: unknown exception");
  }
  return nullptr;
}
