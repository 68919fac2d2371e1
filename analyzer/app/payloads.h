// Code payloads hidden in the APK outside the dex files Android loads by itself: ad SDKs that
// ship as assets/*.jar or *.dex (GDT, Baidu, Meta), packers' encrypted blobs, ELF files outside
// lib/. Identified by magic bytes, not names; nested containers to limits::kMaxContainerDepth.
#pragma once

#include <string>
#include <vector>

#include "analyzer/report/report.h"
#include "dex/byte_span.h"
#include "dex/diagnostic.h"

namespace apkwarden::apk {
class ApkFile;
}

namespace apkwarden {

// Shannon entropy (bits per byte, 0..8) of `data`.
double byte_entropy(ByteSpan data);

// The bytes of one dex file found in a payload, for analysis with the app's own code.
struct PayloadDex {
  std::string location;          // "assets/gdt_plugin/gdtadv2.jar!classes.dex"
  std::vector<uint8_t> bytes;
};

// Every payload of the app. With `code`, the dex files inside them are kept there too (payload
// order, then entry order), bounded like every read by the container's limits.
std::vector<report::Payload> find_payloads(const apk::ApkFile& file, Diagnostics* diags,
                                           std::vector<PayloadDex>* code = nullptr);

}  // namespace apkwarden
