// Totals over a dex file's code: classes, methods, decoded instructions and per-opcode counts,
// the numbers `apkwarden dex --stats` prints and the dexdump cross-check compares. Walking
// decodes every method's bytecode once, allocation-free.
#pragma once

#include <cstdint>

#include "dex/diagnostic.h"
#include "dex/opcode_stats.h"

namespace apkwarden::dex {

class DexFile;

struct DexStats {
  uint64_t dex_files = 0;
  uint64_t classes = 0;            // class defs
  uint64_t methods = 0;            // encoded direct + virtual methods
  uint64_t methods_with_code = 0;  // methods with a code item
  uint64_t instructions = 0;       // decoded instructions, payload pseudo-instructions excluded
  uint64_t code_units = 0;         // 16-bit units of all code items
  uint64_t malformed_methods = 0;  // code that stopped decoding before its end (diagnosed)
  OpcodeStats opcodes;

  void merge(const DexStats& other);
};

// Walks every class def, its class data and every method's code. Malformed parts become
// diagnostics (`where` from the dex location) and are counted as far as they decode.
DexStats collect_stats(const DexFile& dex, Diagnostics* diags);

}  // namespace apkwarden::dex
