// The one entry point of the PostgreSQL module (connecthub_postgresql.so), which OpenStorage
// loads with dlopen on the first postgresql:// location, so that a process on SQLite never loads
// libpqxx, libpq and the libraries under them. The module is built from the same sources with the
// same compiler and flags as the core that loads it, so C++ types may cross; it is never unloaded,
// since the storages it makes live on.
#pragma once

#include "connecthub/error.h"
#include "connecthub/storage.h"

// Opens the PostgreSQL database named by the libpq URI `uri` (see PgStorage::Open): the storage,
// owned by the caller, or nullptr with `*error` set. Never throws.
extern "C" __attribute__((visibility("default"))) connecthub::Storage* connecthub_open_postgresql(
    const char* uri, connecthub::Error* error);

// The fingerprint of the headers the module was built from (CONNECTHUB_PG_MODULE_ABI, see
// core/CMakeLists.txt); the loader calls connecthub_open_postgresql only if it equals its own.
extern "C" __attribute__((visibility("default"))) const char* connecthub_postgresql_abi();

namespace connecthub {

inline constexpr char kPgModuleEntryPoint[] = "connecthub_open_postgresql";
inline constexpr char kPgModuleAbiPoint[] = "connecthub_postgresql_abi";

}  // namespace connecthub
