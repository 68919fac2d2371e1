// debug_info_item: a small state machine (DWARF-like) that yields the (pc -> line) table of a
// method, used to put line numbers on evidence. Local-variable opcodes are consumed (their
// operands read and checked) but not recorded.
#pragma once

#include <cstdint>
#include <vector>

#include "dex/dex_file.h"
#include "dex/index_types.h"
#include "dex/result.h"

namespace apkwarden::dex {

struct LineEntry {
  uint32_t pc = 0;  // in code units
  uint32_t line = 0;
  bool operator==(const LineEntry&) const = default;
};

struct DebugInfo {
  uint32_t line_start = 0;
  std::vector<StringIdx> parameter_names;  // none for unnamed parameters
  std::vector<LineEntry> lines;            // in emission order (pc non-decreasing)
  std::vector<StringIdx> source_files;     // DBG_SET_FILE targets met, in order
  bool pc_past_end = false;                // an entry's pc was >= insns_size (a diagnostic was added)

  // Line of the last entry with entry.pc <= pc; 0 when unknown.
  uint32_t line_at(uint32_t pc) const;
};

// Decodes the debug_info_item at `offset` for a method of `insns_size` code units.
// Errors: kOutOfRange (offset outside the file), kTruncated (runs past the end, no
// DBG_END_SEQUENCE), kMalformed (uleb128 overflow, bad string index), kLimitExceeded (more than
// limits::kMaxDebugInfoOpsPerMethod opcodes). `diags` (nullable) gets soft anomalies.
Result<DebugInfo> decode_debug_info(const DexFile& dex, uint32_t offset, uint32_t insns_size,
                                    Diagnostics* diags = nullptr);

}  // namespace apkwarden::dex
