// `apkwarden dex`: statistics, verification and disassembly over every dex file of an app
// (APK, split bundle or bare dex).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dex/dex_stats.h"
#include "dex/diagnostic.h"
#include "dex/result.h"

namespace apkwarden {

struct DexFileSummary {
  std::string name;      // "classes2.dex" (or "classes.dex!1" inside a DEX 041 container)
  uint32_t version = 0;  // 35..41
  uint64_t size = 0;     // bytes of this dex
  dex::DexStats stats;
};

struct DexInspection {
  std::string path;
  std::vector<DexFileSummary> files;  // in Android's load order
  dex::DexStats total;
  uint64_t dex_bytes = 0;
  Diagnostics diagnostics;
};

struct DexInspectOptions {
  unsigned threads = 1;
  bool verify = false;  // structure + instruction verifier, SHA-1 signatures
};

// Error: the file cannot be opened as an app or dex at all.
Result<DexInspection> inspect_dex(const std::string& path, const DexInspectOptions& options);

// Smali-like disassembly of the classes whose Java name (com.x.Main) or descriptor
// (Lcom/x/Main;) partially matches the RE2 `class_pattern` (all classes when empty).
// Error: unusable file or an invalid pattern.
Result<std::string> dump_dex(const std::string& path, const std::string& class_pattern, Diagnostics* diags);

}  // namespace apkwarden
