// One ELF library analysed: our reader validates it, LIEF adds facts, then JNI names, strings and
// the Capstone call scan. Used by the scan's native pass and by `apkwarden native FILE`.
#pragma once

#include <string>

#include "analyzer/native/native_facts.h"
#include "dex/byte_span.h"
#include "dex/diagnostic.h"
#include "dex/result.h"

namespace apkwarden::native {

struct NativeOptions {
  bool lief = true;      // add LIEF's facts (sections, dynamic entries, NX)
  bool code = true;      // strings and the call scan
};

// Opens the LIEF module and Capstone now rather than at the first native library: a process that
// forks workers after it (batch) then opens them once, not once per worker.
void load_native_tools();

// Error when `bytes` is not an ELF file we can read at all; damage inside gives diagnostics
// (`where` = the library's path) and partial facts (facts.truncated).
Result<NativeLibFacts> analyze_elf(ByteSpan bytes, const std::string& where, const NativeOptions& options,
                                   Diagnostics* diags);

}  // namespace apkwarden::native
