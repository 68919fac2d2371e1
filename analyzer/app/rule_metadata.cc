#include "analyzer/app/rule_metadata.h"

#include <algorithm>
#include <set>

#include "signatures/rule_set.h"

namespace apkwarden {

void fill_rule_metadata(AnalysisContext& context) {
  report::Report& r = context.report;
  std::set<std::string> ids;
  for (const report::Finding& f : r.findings) ids.insert(f.rule);
  if (ids.empty()) return;
  // The scan's rule set (--rules), then the builtin one.
  std::shared_ptr<const signatures::RuleSet> builtin;
  if (auto loaded = signatures::builtin_rule_set(); loaded.ok()) builtin = loaded.value();
  const signatures::RuleSet* sets[] = {context.options.rules.get(), builtin.get()};
  for (const std::string& id : ids) {
    const signatures::Rule* rule = nullptr;
    for (const signatures::RuleSet* set : sets)
      if (!rule && set) rule = set->find(id);
    if (!rule) continue;  // a finding of a coded check without a rule entry: formatters describe it from the finding
    r.rules.push_back({rule->id, rule->title, rule->description, rule->category,
                       report::parse_severity(rule->severity).value_or(report::Severity::kMedium), rule->confidence,
                       rule->regulation, rule->remediation});
  }
  std::sort(r.rules.begin(), r.rules.end());
}

}  // namespace apkwarden
