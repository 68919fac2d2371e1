// A small SQL database interface with two implementations: SQLite (a file, the default) and
// PostgreSQL (libpq, `postgresql://…`). The batch store speaks one SQL dialect to both:
// parameters are written $1, $2, …, every value travels as text (or NULL) and columns are TEXT or
// BIGINT, so the same statements run unchanged on either engine.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dex/result.h"

namespace apkwarden::batch {

using Value = std::optional<std::string>;  // NULL or the value as text
using Row = std::vector<Value>;

class Database {
 public:
  virtual ~Database() = default;
  // Runs one statement. Returns the error, or nullopt on success.
  virtual std::optional<Error> exec(const std::string& sql, const Row& params = {}) = 0;
  // Runs one query and returns all its rows, every column as text.
  virtual Result<std::vector<Row>> query(const std::string& sql, const Row& params = {}) = 0;
  virtual const char* engine() const = 0;  // "sqlite" or "postgresql"
};

// True for locations that name a PostgreSQL server (postgresql://… or postgres://…).
bool is_postgres_location(const std::string& location);

// Opens (creating if needed) a SQLite file, or connects to PostgreSQL.
Result<std::unique_ptr<Database>> open_database(const std::string& location);

Result<std::unique_ptr<Database>> open_sqlite(const std::string& path);
Result<std::unique_ptr<Database>> open_postgres(const std::string& conninfo);

}  // namespace apkwarden::batch
