// The batch store's tables, described once as data: the schema script, the inserts, the
// per-app copy (merge) and the exports are all generated from this list.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace apkwarden::batch {

// Bumped when a table changes incompatibly; stored in meta(schema_version).
inline constexpr int kStoreSchemaVersion = 1;

struct Column {
  const char* name;
  bool integer = false;    // BIGINT, else TEXT
  bool measured = false;   // a measurement of this run (time, memory), not part of the result
};

struct Table {
  const char* name;
  std::vector<Column> columns;  // the first two are always sha256, ruleset
  size_t key_columns;           // the primary key is the first key_columns columns
  const char* order_by;         // deterministic row order within one app
};

// apps first; then the tables holding one app's details (sdks, findings, flows, errors, reports).
const std::vector<Table>& store_tables();
const Table& store_table(std::string_view name);
size_t column_index(const Table& table, std::string_view column);

// CREATE TABLE IF NOT EXISTS … for every table and index, valid for SQLite and PostgreSQL.
std::string schema_sql();

}  // namespace apkwarden::batch
