// libFuzzer target: the whole scan of an in-memory app (container, manifest, resources, code
// loading, payload discovery and every analysis pass), then the JSON and text reports.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "analyzer/app/scan.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace apkwarden;
  ScanOptions options;
  options.tool_version = "fuzz";
  options.threads = 1;
  auto report = scan_app_bytes(std::vector<uint8_t>(data, data + size), "fuzz.apk", options);
  if (report.ok()) {
    (void)report::to_json(*report);
    (void)report::to_text(*report, false);
  }
  return 0;
}
