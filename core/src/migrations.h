// The schema migrations compiled into this build (from core/sql/NNN_name.sql, `_pg` for
// PostgreSQL): which ones a backend has, how far they go, and the refusal for a newer schema.
// Pure functions over constant data; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace connecthub {

struct SchemaMigration {
  int version = 0;
  std::string_view sql;
};

// The migrations of `backend` ("sqlite" or "postgresql"), oldest first.
std::vector<SchemaMigration> MigrationsFor(std::string_view backend);

// The newest schema version of `backend` this build knows; 0 if it has none.
int LatestSchemaVersion(std::string_view backend);

// "database schema version 7 is newer than this connecthub (knows up to 1); upgrade connecthub"
std::string NewerSchemaMessage(int found, int known);

}  // namespace connecthub
