// libFuzzer target: one ELF library — our bounds-checked reader (headers, sections, dynamic
// table, symbols, relocations), LIEF 0.9's facts on what the reader accepted, JNI names,
// read-only strings, RegisterNatives tables and the Capstone call scan.
#include <cstddef>
#include <cstdint>

#include "analyzer/native/native_analysis.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace apkwarden;
  Diagnostics diags;
  native::NativeOptions options;  // everything on: LIEF, strings, disassembly
  (void)native::analyze_elf(ByteSpan(data, size), "lib/arm64-v8a/libfuzz.so", options, &diags);
  return 0;
}
