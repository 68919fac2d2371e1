// The last step of a scan's passes: copy the metadata of every rule that produced a finding from
// the knowledge base into report.rules (report::RuleInfo), so the formatters (SARIF's
// tool.driver.rules, the HTML page) describe rules without depending on signatures/.
#pragma once

#include "analyzer/app/analysis_context.h"

namespace apkwarden {

void fill_rule_metadata(AnalysisContext& context);

}  // namespace apkwarden
