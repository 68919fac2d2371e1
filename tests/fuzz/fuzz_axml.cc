// libFuzzer target: Android binary XML (string pool, resource map, namespaces, typed values)
// and its rendering as text.
#include <cstddef>
#include <cstdint>

#include "analyzer/apk/axml.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace apkwarden;
  Diagnostics diags;
  auto doc = apk::decode_axml(ByteSpan(data, size), "AndroidManifest.xml", nullptr, &diags);
  if (doc.ok()) (void)apk::to_xml_text(*doc);
  return 0;
}
