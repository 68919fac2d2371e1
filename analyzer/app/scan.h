// The analysis entry points the CLI calls: one app in, one Report (or an Error) out.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

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
  bool analyze_code = true;  // false: identity, manifest, container and payload facts only
  // The knowledge base (shared, immutable); null = the builtin SDKs / rules.
  std::shared_ptr<const signatures::SdkCatalog> sdk_catalog = nullptr;
  std::shared_ptr<const signatures::RuleSet> rules = nullptr;
  bool signatures = true;  // false: skip the code index, SDK detection and rules
  // Dataflow (analyzer/dataflow): a FlowDroid-format SourcesAndSinks.txt added to the built-in
  // lists, and the per-app budgets (0: limits::kDefaultTaint*). Reaching a budget keeps the flows
  // found so far and adds a "taint-partial" diagnostic.
  std::string sources_sinks_file{};
  uint64_t taint_time_budget_ms = 0;
  uint64_t taint_memory_budget_bytes = 0;
  bool dataflow = true;
};

// Opens the app at `path` (APK, bare .dex, .apks/.xapk bundle) and builds its report. An Error
// means the file could not be analysed at all (the CLI exits 2); everything less is a diagnostic.
Result<report::Report> scan_app(const std::string& path, const ScanOptions& options);

// The same for an app held in memory (fuzzing, archives inside archives); `name` stands for its
// path in the report and in diagnostics.
Result<report::Report> scan_app_bytes(std::vector<uint8_t> bytes, const std::string& name,
                                      const ScanOptions& options);

// Loads and compiles what every scan with `options` reads (the builtin SDKs and rules, the
// sources and sinks) now. A process that forks workers after it (batch) gives them the compiled
// knowledge base copy-on-write instead of each worker building it again (~7 ms per app), and
// the LIEF module and Capstone already opened.
void preload_knowledge(const ScanOptions& options);

// The app's AndroidManifest.xml decoded to readable XML text (resource references shown by name
// where resources.arsc names them). Diagnostics met while decoding go to `diags`.
Result<std::string> decode_manifest_text(const std::string& path, Diagnostics* diags);

}  // namespace apkwarden
