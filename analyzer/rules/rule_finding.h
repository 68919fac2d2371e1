// A finding of a rule, with the rule's metadata filled in (id, category, default severity,
// confidence, title, regulation, remediation): the rule engine and the analysis passes that make
// findings for <analysis> rules start from it and add the place and the evidence.
#pragma once

#include "analyzer/report/evidence.h"
#include "analyzer/report/rule_info.h"
#include "signatures/rule.h"

namespace apkwarden::rules {

report::Finding finding_from_rule(const signatures::Rule& rule);

// The report's description of a rule (SARIF's driver rules, the HTML and JSON `rules`).
report::RuleInfo rule_info_of(const signatures::Rule& rule);

}  // namespace apkwarden::rules
