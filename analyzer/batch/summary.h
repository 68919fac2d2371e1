// Catalog summaries over a batch store (apkwarden report): apps by verdict, findings by category
// and severity, the most common SDKs, the apps with the most serious findings, errors by kind.
// Plain tables, formatted as text, CSV or HTML by summary_format.
#pragma once

#include <string>
#include <vector>

#include "analyzer/batch/database.h"

namespace apkwarden::batch {

struct SummaryTable {
  std::string id;      // stable: "verdicts", "findings", "sdks", "apps", "errors"
  std::string title;
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
};

struct Summary {
  std::string ruleset;
  long long apps = 0;
  std::vector<SummaryTable> tables;
};

// The newest rule-set version with results in the store, or "" when it is empty.
Result<std::string> latest_ruleset(Database& db);

Result<Summary> summarize(Database& db, const std::string& ruleset, int top);

std::string summary_text(const Summary& s);
std::string summary_csv(const Summary& s);   // one CSV block per table: a "# title" line, header, rows
std::string summary_html(const Summary& s);  // a self-contained page

// RFC 4180 quoting of one field (quoted when it holds a comma, quote or line break).
std::string csv_field(const std::string& s);

}  // namespace apkwarden::batch
