// A Diagnostic is an anomaly met while reading an app that did not stop the analysis:
// a trick against analyzers, a malformed structure Android tolerates, a limit reached.
// Codes are stable kebab-case identifiers (documented in docs/report-schema.md).
#pragma once

#include <string>
#include <vector>

namespace apkwarden {

struct Diagnostic {
  std::string code;     // e.g. "zip-fake-encryption", "dex-checksum-mismatch"
  std::string message;  // one sentence for people
  std::string where;    // the part: "classes2.dex", "AndroidManifest.xml@0x1f4", "lib/arm64-v8a/libx.so"

  bool operator==(const Diagnostic&) const = default;
};

using Diagnostics = std::vector<Diagnostic>;

}  // namespace apkwarden
