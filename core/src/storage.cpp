// Chooses the backend from the location's form. PostgreSQL lives in a module of its own, loaded
// on the first postgresql:// location: libpqxx, libpq and the twenty-odd libraries under them
// would otherwise cost every start of a process about 2 ms, and most locations are SQLite files.
#include "connecthub/storage.h"

#include <dlfcn.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string_view>
#include <system_error>

#include "pg_module.h"
#include "sqlite_storage.h"

namespace connecthub {
namespace {

namespace fs = std::filesystem;

Error PgModuleError(const std::string& what) {
  return MakeError(ErrorCode::kInternalError,
                   fmt::format("PostgreSQL support is unavailable: {}", what));
}

bool IsWithin(const fs::path& path, const fs::path& dir) {
  auto [mismatch, _] = std::mismatch(dir.begin(), dir.end(), path.begin(), path.end());
  return mismatch == dir.end();
}

// Where the module is: $CONNECTHUB_PG_MODULE if set; for a program of this build tree (the tests,
// bench/run), the module this build made; for any other (installed) program, the module installed
// beside it, where `cmake --install` and the package put it relative to the binaries, e.g.
// /usr/bin/../lib/connecthub/connecthub_postgresql.so. The build tree's module is never loaded
// into an installed program, nor an installed one into a program under test.
Result<std::string> PgModulePath() {
  if (const char* path = std::getenv("CONNECTHUB_PG_MODULE"); path != nullptr && *path != '\0') {
    return std::string(path);
  }
  std::error_code error;
  const fs::path exe = fs::read_symlink("/proc/self/exe", error);
  if (error) {
    return PgModuleError(
        fmt::format("cannot locate the module: /proc/self/exe: {}", error.message()));
  }
  const fs::path build_dir = fs::weakly_canonical(CONNECTHUB_BUILD_DIR, error);
  if (!error && IsWithin(exe, build_dir)) return std::string(CONNECTHUB_PG_MODULE_BUILD_PATH);
  return (exe.parent_path() / CONNECTHUB_PG_MODULE_FROM_BINDIR).lexically_normal().string();
}

Result<std::unique_ptr<Storage>> OpenPostgresql(const std::string& uri) {
  auto path = PgModulePath();
  if (!path.ok()) return path.error();
  // Never closed: the storages made in the module outlive this call. Loading it again is cheap
  // (dlopen keeps one copy per file).
  void* module = dlopen(path->c_str(), RTLD_NOW | RTLD_LOCAL);
  if (module == nullptr) {
    const char* reason = dlerror();
    return PgModuleError(fmt::format("cannot load the module {}: {}", *path,
                                     reason != nullptr ? reason : "unknown error"));
  }
  auto* abi =
      reinterpret_cast<decltype(&connecthub_postgresql_abi)>(dlsym(module, kPgModuleAbiPoint));
  if (abi == nullptr || std::string_view(abi()) != CONNECTHUB_PG_MODULE_ABI) {
    return PgModuleError(fmt::format(
        "the module {} was built from other sources than this program; install or build both "
        "together",
        *path));
  }
  auto* open =
      reinterpret_cast<decltype(&connecthub_open_postgresql)>(dlsym(module, kPgModuleEntryPoint));
  if (open == nullptr) {
    const char* reason = dlerror();
    return PgModuleError(fmt::format("the module {} has no {}: {}", *path, kPgModuleEntryPoint,
                                     reason != nullptr ? reason : "unknown error"));
  }
  Error error;
  Storage* storage = open(uri.c_str(), &error);
  if (storage == nullptr) return error;
  return std::unique_ptr<Storage>(storage);
}

}  // namespace

Result<std::unique_ptr<Storage>> OpenStorage(const std::string& location) {
  if (location.starts_with("postgresql://") || location.starts_with("postgres://")) {
    return OpenPostgresql(location);
  }
  return SqliteStorage::Open(location);
}

}  // namespace connecthub
