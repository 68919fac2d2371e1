#include "analyzer/batch/schema.h"

#include <stdexcept>

namespace apkwarden::batch {

namespace {

constexpr Column kSha{"sha256"}, kRuleset{"ruleset"};

std::vector<Table> make_tables() {
  return {
      {"apps",
       {kSha, kRuleset, {"path"}, {"size", true}, {"kind"}, {"package"}, {"version_name"},
        {"version_code", true}, {"min_sdk", true}, {"target_sdk", true},
        {"status"},   // ok | error
        {"verdict"},  // error | clean | low | medium | high | critical (highest finding severity)
        {"findings", true}, {"sdks", true}, {"flows", true}, {"payloads", true}, {"diagnostics", true},
        {"tool_version"}, {"duration_ms", true, true}, {"peak_rss_kb", true, true}},
       2,
       "sha256, ruleset"},
      {"sdks",
       {kSha, kRuleset, {"id"}, {"name"}, {"vendor"}, {"country"}, {"category"}, {"present", true},
        {"reachable", true}},
       3,
       "id"},
      {"findings",
       {kSha, kRuleset, {"ordinal", true}, {"rule"}, {"category"}, {"severity"}, {"confidence"}, {"title"},
        {"sdk"}, {"location"}, {"evidence"}, {"regulation"}},
       3,
       "ordinal"},
      {"flows",
       {kSha, kRuleset, {"ordinal", true}, {"source_api"}, {"source_data"}, {"sink_api"}, {"sink_kind"},
        {"sink_host"}, {"sdk"}, {"source_location"}, {"sink_location"}, {"path_length", true}},
       3,
       "ordinal"},
      // Apps that could not be analysed: kind = unreadable | timeout | memory-limit | crash | worker-failure.
      {"errors", {kSha, kRuleset, {"kind"}, {"message"}}, 2, "kind"},
      // The whole JSON report (docs/report-schema.md) of each analysed app.
      {"reports", {kSha, kRuleset, {"json"}}, 2, "sha256"},
  };
}

}  // namespace

const std::vector<Table>& store_tables() {
  static const std::vector<Table> tables = make_tables();
  return tables;
}

const Table& store_table(std::string_view name) {
  for (const Table& t : store_tables())
    if (t.name == name) return t;
  throw std::logic_error("no store table " + std::string(name));
}

size_t column_index(const Table& table, std::string_view column) {
  for (size_t i = 0; i < table.columns.size(); ++i)
    if (table.columns[i].name == column) return i;
  throw std::logic_error("no column " + std::string(column) + " in " + table.name);
}

std::string schema_sql() {
  std::string sql = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);\n";
  for (const Table& t : store_tables()) {
    sql += "CREATE TABLE IF NOT EXISTS " + std::string(t.name) + " (";
    for (const Column& c : t.columns) {
      sql += std::string(c.name) + (c.integer ? " BIGINT" : " TEXT");
      if (std::string_view(c.name) == "sha256" || std::string_view(c.name) == "ruleset") sql += " NOT NULL";
      sql += ", ";
    }
    sql += "PRIMARY KEY (";
    for (size_t i = 0; i < t.key_columns; ++i) sql += std::string(i ? ", " : "") + t.columns[i].name;
    sql += "));\n";
  }
  sql += "CREATE INDEX IF NOT EXISTS apps_by_ruleset ON apps (ruleset, status);\n";
  return sql;
}

}  // namespace apkwarden::batch
