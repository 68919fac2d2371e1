// What every analysis pass of a scan sees: the opened app, its loaded code, the report built so
// far (manifest, permissions, payloads) and the scan's options. Passes add to the report; they
// never print. The order of passes is fixed in scan.cc, so output never depends on scheduling.
#pragma once

#include <memory>

#include "analyzer/app/app_code.h"
#include "analyzer/app/scan.h"
#include "analyzer/report/report.h"

namespace apkwarden {

namespace apk {
class ApkFile;
}
namespace code {
class CodeIndex;
}
namespace signatures {
class RuleSet;
}

struct AnalysisContext {
  const apk::ApkFile& file;
  const AppCode& code;
  const ScanOptions& options;
  report::Report& report;   // add findings, sdks, flows; push diagnostics to report.diagnostics
  // Set by the signature pass for the passes after it (null when it did not run or the app has
  // no code / the rules could not be loaded).
  std::shared_ptr<const code::CodeIndex> index = nullptr;
  std::shared_ptr<const signatures::RuleSet> rules = nullptr;
};

}  // namespace apkwarden
