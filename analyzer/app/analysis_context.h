// What every analysis pass of a scan sees: the opened app, its loaded code, the report built so
// far (manifest, permissions, payloads) and the scan's options. Passes add to the report; they
// never print. The order of passes is fixed in scan.cc, so output never depends on scheduling.
#pragma once

#include "analyzer/app/app_code.h"
#include "analyzer/app/scan.h"
#include "analyzer/report/report.h"

namespace apkwarden {

namespace apk {
class ApkFile;
}

struct AnalysisContext {
  const apk::ApkFile& file;
  const AppCode& code;
  const ScanOptions& options;
  report::Report& report;   // add findings, sdks, flows; push diagnostics to report.diagnostics
};

}  // namespace apkwarden
