// The whole-file verifier: the structure verifier plus the instruction-level verifier over every
// method's code. Anomalies are diagnostics (anti-analysis signals), never refusals.
#pragma once

#include <cstdint>

#include "dex/diagnostic.h"

namespace apkwarden::dex {

class DexFile;

struct DexVerifySummary {
  uint64_t methods_checked = 0;
  uint64_t code_anomalies = 0;  // including those past the per-method diagnostics cap
};

DexVerifySummary verify_dex(const DexFile& dex, Diagnostics* diags);

}  // namespace apkwarden::dex
