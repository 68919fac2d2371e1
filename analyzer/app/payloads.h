// Code payloads hidden in the APK outside the dex files Android loads by itself: ad SDKs that
// ship as assets/*.jar or *.dex (GDT, Baidu, Meta), packers' encrypted blobs, ELF files outside
// lib/. Identified by magic bytes, not names; nested containers to limits::kMaxContainerDepth.
#pragma once

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

std::vector<report::Payload> find_payloads(const apk::ApkFile& file, Diagnostics* diags);

}  // namespace apkwarden
