// The analysis entry points the CLI calls: one app in, one Report (or an Error) out.
#pragma once

#include <memory>
#include <string>

#include "analyzer/report/report.h"
#include "dex/result.h"

namespace apkwarden::signatures {
class SdkCatalog;
class RuleSet;
}  // namespace apkwarden::signatures

namespace apkwarden {

struct ScanOptions {
  std::string tool_version;
  unsigned threads = 0;  // 0: one per core
  // The knowledge base (shared, immutable); null = the builtin SDKs / rules.
  std::shared_ptr<const signatures::SdkCatalog> sdk_catalog = nullptr;
  std::shared_ptr<const signatures::RuleSet> rules = nullptr;
  bool signatures = true;  // false: skip the code index, SDK detection and rules
};

// Opens the app at `path` (APK, bare .dex, .apks/.xapk bundle) and builds its report. An Error
// means the file could not be analysed at all (the CLI exits 2); everything less is a diagnostic.
Result<report::Report> scan_app(const std::string& path, const ScanOptions& options);

// The app's AndroidManifest.xml decoded to readable XML text (resource references shown by name
// where resources.arsc names them). Diagnostics met while decoding go to `diags`.
Result<std::string> decode_manifest_text(const std::string& path, Diagnostics* diags);

}  // namespace apkwarden
