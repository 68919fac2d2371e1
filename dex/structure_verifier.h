// A pass over one DexFile reporting structural anomalies as diagnostics (anti-analysis
// signals; the ART dex_file_verifier model, but permissive: nothing is refused). It checks the
// id tables, class defs, class data, code items (header, try ranges, handlers, debug info),
// static values, annotations, call sites and method handles. Instruction-level checks (branch
// targets, operand indices) belong to the instruction layer and are not done here.
//
// Each diagnostic code is reported at most limits::kMaxDiagnosticsPerCode times per file; then
// one "dex-verifier-diagnostics-suppressed" says how many were dropped.
#pragma once

#include <cstdint>

#include "dex/dex_file.h"
#include "dex/diagnostic.h"

namespace apkwarden::dex {

// What the pass walked; tests and benchmarks compare these with other tools.
struct StructureStats {
  uint64_t class_defs = 0;
  uint64_t fields = 0;           // encoded fields in class data
  uint64_t methods = 0;          // encoded methods (direct + virtual)
  uint64_t code_items = 0;       // methods with a readable code item
  uint64_t code_units = 0;       // sum of insns_size
  uint64_t try_items = 0;
  uint64_t catch_handlers = 0;   // typed + catch-all, over all handler lists
  uint64_t debug_positions = 0;  // (pc, line) entries
  uint64_t annotations = 0;
  uint64_t encoded_values = 0;   // static values + annotation elements walked
  uint64_t diagnostics = 0;      // diagnostics this pass emitted
};

StructureStats verify_structure(const DexFile& dex, Diagnostics* diags);

}  // namespace apkwarden::dex
