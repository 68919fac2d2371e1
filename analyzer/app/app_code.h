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
  // In load order: the dex files Android installs (classes*.dex), then those found in payloads
  // (code loaded at run time; their location names the payload: "assets/x.jar!classes.dex").
  std::vector<dex::DexFile> dex_files;            // views into `buffers`
  std::vector<std::vector<uint8_t>> buffers;      // owned bytes, one per dex entry or payload dex
  uint64_t dex_bytes = 0;                         // total size of the installed dex entries
  size_t installed_dex_count = 0;                 // dex_files[0, this) are installed ones

  bool is_runtime_loaded(size_t dex_index) const { return dex_index >= installed_dex_count; }
};

struct LoadCodeOptions {
  bool verify_signature = false;  // SHA-1 of each dex (checksum is always verified)
  unsigned threads = 1;
};

// Reads and opens every dex entry of `file`. A dex that cannot be opened is a diagnostic and
// is left out; the others are still analysed.
AppCode load_app_code(const apk::ApkFile& file, const LoadCodeOptions& options, Diagnostics* diags);

struct PayloadDex;

// Adds the dex files found in payloads (find_payloads) after the installed ones; their classes
// join the app's code as code loaded at run time. Android's "first definition wins" still holds:
// a payload class never replaces an installed one. Problems were reported by find_payloads.
void add_payload_code(AppCode& code, std::vector<PayloadDex> payload_dex);

}  // namespace apkwarden
