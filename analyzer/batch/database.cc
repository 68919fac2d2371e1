#include "analyzer/batch/database.h"

namespace apkwarden::batch {

bool is_postgres_location(const std::string& location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

Result<std::unique_ptr<Database>> open_database(const std::string& location) {
  if (is_postgres_location(location)) return open_postgres(location);
  return open_sqlite(location);
}

}  // namespace apkwarden::batch
