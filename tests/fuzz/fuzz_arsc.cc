// libFuzzer target: resources.arsc (packages, type specs, entries, values) and lookups by id.
#include <cstddef>
#include <cstdint>

#include "analyzer/apk/resource_table.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace apkwarden;
  Diagnostics diags;
  auto table = apk::ResourceTable::parse(ByteSpan(data, size), "resources.arsc", &diags);
  if (!table.ok()) return 0;
  // The ids a manifest typically references: app strings, xml, drawables of package 0x7f.
  for (uint32_t type = 1; type <= 0x10; ++type)
    for (uint32_t entry = 0; entry < 8; ++entry) {
      const uint32_t id = 0x7f000000u | (type << 16) | entry;
      (void)table->string_value(id);
      if (auto v = table->resolve(id)) (void)apk::format_plain_value(*v);
    }
  return 0;
}
