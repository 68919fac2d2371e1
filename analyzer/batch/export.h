// Exports of a batch store (apkwarden export): JSON Lines with one object per app (its status,
// verdict, error and whole report), or CSV of one table. Only results are exported, never what a
// run measured (time, memory), and rows come sorted: the same results give the same bytes.
#pragma once

#include <functional>
#include <string>

#include "analyzer/batch/database.h"

namespace apkwarden::batch {

using LineSink = std::function<bool(const std::string& line)>;  // false: stop (write error)

// {"sha256":…,"ruleset":…,"path":…,"status":…,"verdict":…,"error":{"kind","message"}|null,"report":{…}|null}
Result<size_t> export_jsonl(Database& db, const LineSink& sink);

// A header line, then one line per row of `table` (apps, sdks, findings, flows, errors).
Result<size_t> export_csv(Database& db, const std::string& table, const LineSink& sink);

}  // namespace apkwarden::batch
