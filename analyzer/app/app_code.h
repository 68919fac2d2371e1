// The app's DEX code, opened: every dex file Android would load, in its order, as DexFile views
// over bytes this object owns. Reading is parallel across files; results keep the app's order.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dex/dex_file.h"
#include "dex/diagnostic.h"

namespace apkwarden::apk {
class ApkFile;
}

namespace apkwarden {

struct AppCode {
  std::vector<dex::DexFile> dex_files;            // in load order; views into `buffers`
  std::vector<std::vector<uint8_t>> buffers;      // owned bytes, one per dex entry
  uint64_t dex_bytes = 0;                         // total size of the dex entries
};

struct LoadCodeOptions {
  bool verify_signature = false;  // SHA-1 of each dex (checksum is always verified)
  unsigned threads = 1;
};

// Reads and opens every dex entry of `file`. A dex that cannot be opened is a diagnostic and
// is left out; the others are still analysed.
AppCode load_app_code(const apk::ApkFile& file, const LoadCodeOptions& options, Diagnostics* diags);

}  // namespace apkwarden
