// One app's results as rows of the store's tables: built from a Report (or from the error that
// stopped its analysis), sent from a worker process to the batch as bytes, saved in one
// transaction, and copied between stores by merge.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "analyzer/batch/database.h"
#include "analyzer/report/report.h"

namespace apkwarden::batch {

struct AppKey {
  std::string sha256;
  std::string ruleset;
  auto operator<=>(const AppKey&) const = default;
};

struct AppRecord {
  AppKey key;
  std::map<std::string, std::vector<Row>> rows;  // table name -> full rows, in store column order

  const Row& app() const { return rows.at("apps").front(); }
  Value app_value(std::string_view column) const;
};

// The rule-set version this binary embeds (signatures/VERSION).
std::string embedded_ruleset_version();

// "clean" when no finding is above info, else the highest finding severity.
std::string verdict_of(const report::Report& report);

AppRecord record_from_report(const report::Report& report, const AppKey& key);

// An app that could not be analysed. kind: unreadable | timeout | memory-limit | crash | worker-failure.
AppRecord record_from_error(const AppKey& key, const std::string& path, uint64_t size, const std::string& kind,
                            const std::string& message);

// What the batch measured while analysing the app (kept in apps, left out of exports).
void set_measurements(AppRecord& record, int64_t duration_ms, int64_t peak_rss_kb);

// A self-delimiting byte form for the pipe from a worker; decode rejects anything malformed.
std::string encode_record(const AppRecord& record);
Result<AppRecord> decode_record(const std::string& bytes);

// Location as one line of text: "classes.dex com.x.Main.onCreate(android.os.Bundle) pc 12".
std::string location_text(const report::Location& location);

}  // namespace apkwarden::batch
