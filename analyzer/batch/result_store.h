// The batch results store over either database engine: the schema, which apps are done, one
// app's results saved (replacing any earlier ones) in one transaction, and read back.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "analyzer/batch/app_record.h"
#include "analyzer/batch/database.h"

namespace apkwarden::batch {

class ResultStore {
 public:
  // Opens or creates the store at `location` (a file path, or postgresql://…) with its schema.
  static Result<std::unique_ptr<ResultStore>> open(const std::string& location);

  // SHA-256s of apps with results for `ruleset`; errors count as results unless `ok_only`.
  Result<std::set<std::string>> scanned(const std::string& ruleset, bool ok_only);

  // Replaces everything stored for record.key with the record, atomically.
  std::optional<Error> save(const AppRecord& record);

  Result<std::vector<AppKey>> keys();          // every app, sorted
  Result<AppRecord> load(const AppKey& key);   // rows in each table's order

  Database& db() { return *db_; }

 private:
  explicit ResultStore(std::unique_ptr<Database> db) : db_(std::move(db)) {}
  std::unique_ptr<Database> db_;
};

}  // namespace apkwarden::batch
