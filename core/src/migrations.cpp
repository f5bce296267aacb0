#include "migrations.h"

#include <fmt/format.h>

#include <algorithm>

#include "connecthub_migrations.h"

namespace connecthub {

std::vector<SchemaMigration> MigrationsFor(std::string_view backend) {
  std::vector<SchemaMigration> out;
  for (const auto& m : migrations::kAll) {
    if (m.backend == backend) out.push_back({m.version, m.sql});
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.version < b.version; });
  return out;
}

int LatestSchemaVersion(std::string_view backend) {
  int latest = 0;
  for (const auto& m : migrations::kAll) {
    if (m.backend == backend) latest = std::max(latest, m.version);
  }
  return latest;
}

std::string NewerSchemaMessage(int found, int known) {
  return fmt::format(
      "database schema version {} is newer than this connecthub (knows up to {}); upgrade "
      "connecthub",
      found, known);
}

}  // namespace connecthub
