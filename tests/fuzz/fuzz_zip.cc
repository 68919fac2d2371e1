// libFuzzer target: the APK container (zip records, split bundles, entry reads).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "analyzer/apk/apk_file.h"
#include "tests/fuzz/fuzz_limits.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace apkwarden;
  Diagnostics diags;
  auto file = apk::ApkFile::open_bytes(std::vector<uint8_t>(data, data + size), "fuzz.apk", &diags);
  if (!file.ok()) return 0;
  size_t reads = 0;
  for (const std::string& name : file->entry_names()) {
    if (++reads > fuzz::kMaxEntriesRead) break;
    (void)file->peek(name, 64);
    (void)file->read(name, &diags);
  }
  return 0;
}
