#include "analyzer/rules/rule_finding.h"

namespace apkwarden::rules {

report::Finding finding_from_rule(const signatures::Rule& rule) {
  report::Finding f;
  f.rule = rule.id;
  f.category = rule.category;
  f.severity = report::parse_severity(rule.severity).value_or(report::Severity::kMedium);
  f.confidence = rule.confidence;
  f.title = rule.title;
  f.regulation = rule.regulation;
  f.remediation = rule.remediation;
  return f;
}

report::RuleInfo rule_info_of(const signatures::Rule& rule) {
  report::RuleInfo info;
  info.id = rule.id;
  info.title = rule.title;
  info.description = rule.description;
  info.category = rule.category;
  info.severity = report::parse_severity(rule.severity).value_or(report::Severity::kMedium);
  info.confidence = rule.confidence;
  info.regulation = rule.regulation;
  info.remediation = rule.remediation;
  return info;
}

}  // namespace apkwarden::rules
