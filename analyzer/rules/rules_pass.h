// The signature pass of a scan: builds the code index, detects SDKs (present / reachable) and
// runs the behaviour rules, adding `sdks` and `findings` to the report.
#pragma once

#include <memory>

#include "dex/result.h"

namespace apkwarden {
struct AnalysisContext;
}

namespace apkwarden::signatures {
class SdkCatalog;
class RuleSet;
}  // namespace apkwarden::signatures

namespace apkwarden::rules {

void run_signature_pass(AnalysisContext& context);

// Fills report.rules with the metadata of every rule that has a finding (from the rule set, or
// from the finding itself for findings of analyses without a rule file entry). Runs last.
void describe_rules(AnalysisContext& context);

// The builtin SDK catalog, loaded once per process (thread-safe).
Result<std::shared_ptr<const signatures::SdkCatalog>> builtin_sdk_catalog();

}  // namespace apkwarden::rules
