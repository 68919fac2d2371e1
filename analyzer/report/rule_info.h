// What the report says about a rule that produced findings: its metadata, filled by the scan
// from the rules engine, so formatters (SARIF's tool.driver.rules, HTML) need not know
// signatures/. Plain data, sorted by id in the Report.
#pragma once

#include <string>
#include <vector>

#include "analyzer/report/evidence.h"

namespace apkwarden::report {

struct RuleInfo {
  std::string id;           // the Finding::rule it describes
  std::string title;        // short description
  std::string description;  // full description
  std::string category;
  Severity severity = Severity::kMedium;  // default level
  std::string confidence;
  std::vector<std::string> regulation;
  std::string remediation;

  auto operator<=>(const RuleInfo&) const = default;
};

}  // namespace apkwarden::report
