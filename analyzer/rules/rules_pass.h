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

// The builtin SDK catalog, loaded once per process (thread-safe).
Result<std::shared_ptr<const signatures::SdkCatalog>> builtin_sdk_catalog();

}  // namespace apkwarden::rules
