// libFuzzer target: a DEX file — header, map and tables, class data, code items, debug info,
// encoded values and annotations (the verifier walks them all), the instruction decoder (stats
// and the smali-like dump of every class).
#include <cstddef>
#include <cstdint>
#include <string>

#include "dex/dex_dump.h"
#include "dex/dex_file.h"
#include "dex/dex_stats.h"
#include "dex/dex_verifier.h"
#include "tests/fuzz/fuzz_limits.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace apkwarden;
  Diagnostics diags;
  dex::OpenOptions options;
  options.verify_checksum = false;  // let mutations reach the tables
  options.verify_signature = false;
  auto files = dex::DexFile::open_all(ByteSpan(data, size), "classes.dex", &diags, options);
  if (!files.ok()) return 0;
  for (const dex::DexFile& dex : *files) {
    (void)dex::verify_dex(dex, &diags);
    (void)dex::collect_stats(dex, &diags);
    std::string out;
    const uint32_t classes = std::min<uint32_t>(dex.class_defs_size(), fuzz::kMaxClassesWalked);
    for (uint32_t i = 0; i < classes; ++i) {
      out.clear();
      dex::dump_class(dex, dex::ClassDefIdx(i), out);
    }
  }
  return 0;
}
