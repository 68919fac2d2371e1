// The scan options of the dataflow analysis, shared by every command that scans (scan, batch):
//   --sources-sinks FILE   add a FlowDroid SourcesAndSinks.txt list to the built-in sources/sinks
//   --taint-time MS        per-app time budget of the taint analysis
//   --taint-memory MB      per-app memory budget of the taint analysis
//   --no-dataflow          skip the dataflow analysis (no flows, no flow-based findings)
#pragma once

#include <optional>
#include <string>

#include "analyzer/app/scan.h"
#include "cli/args.h"
#include "signatures/taint_spec.h"

#define DATAFLOW_SCAN_OPTIONS                                                                                       \
  {"sources-sinks", 0, "FILE", "add a FlowDroid SourcesAndSinks.txt list to the built-in sources and sinks", {}}, \
      {"taint-time", 0, "MS", "time budget of the dataflow analysis per app (default 4000)", {}},                   \
      {"taint-memory", 0, "MB", "memory budget of the dataflow analysis per app (default 512)", {}},                \
  {                                                                                                                 \
    "no-dataflow", 0, "", "skip the dataflow analysis", {}                                                          \
  }

namespace apkwarden::cli {

// Fills `options` from the parsed arguments; an error message for a bad value or an unusable
// sources/sinks file (checked before any app is read).
inline std::optional<std::string> apply_dataflow_options(const ParsedArgs& args, ScanOptions& options) {
  auto number = [](const std::string& text, uint64_t& out) {
    if (text.empty() || text.size() > 12 || text.find_first_not_of("0123456789") != std::string::npos) return false;
    out = std::stoull(text);
    return out > 0;
  };
  if (auto v = args.value("taint-time"))
    if (!number(*v, options.taint_time_budget_ms)) return "--taint-time wants a positive number of milliseconds";
  if (auto v = args.value("taint-memory")) {
    uint64_t mb = 0;
    if (!number(*v, mb)) return "--taint-memory wants a positive number of megabytes";
    options.taint_memory_budget_bytes = mb << 20;
  }
  options.dataflow = !args.flag("no-dataflow");
  if (auto v = args.value("sources-sinks")) {
    auto spec = signatures::load_taint_spec(*v);
    if (!spec.ok()) return spec.error().message;
    options.sources_sinks_file = *v;
  }
  return std::nullopt;
}

}  // namespace apkwarden::cli
