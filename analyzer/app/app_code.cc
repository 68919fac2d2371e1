#include "analyzer/app/app_code.h"

#include "analyzer/apk/apk_file.h"
#include "analyzer/app/parallel.h"
#include "analyzer/app/payloads.h"
#include "dex/limits.h"

namespace apkwarden {

AppCode load_app_code(const apk::ApkFile& file, const LoadCodeOptions& options, Diagnostics* diags) {
  AppCode code;
  const auto& names = file.dex_names();
  if (names.size() > limits::kMaxDexFilesPerApp)
    diags->push_back({"dex-too-many-files",
                      std::to_string(names.size()) + " dex files; only the first " +
                          std::to_string(limits::kMaxDexFilesPerApp) + " are analysed",
                      file.path()});
  const size_t n = std::min<size_t>(names.size(), limits::kMaxDexFilesPerApp);
  dex::OpenOptions open_options;
  open_options.verify_signature = options.verify_signature;

  // Inflating and checksumming are the costly parts: one slot per dex, filled in parallel.
  struct Slot {
    std::vector<uint8_t> bytes;
    std::vector<dex::DexFile> dex_files;
    Diagnostics diags;
  };
  std::vector<Slot> slots(n);
  parallel_for(n, options.threads, [&](size_t i) {
    Slot& s = slots[i];
    auto bytes = file.read(names[i], &s.diags);
    if (!bytes.ok()) {
      s.diags.push_back({"dex-unreadable", bytes.error().message, names[i]});
      return;
    }
    s.bytes = std::move(bytes.value());
    auto opened = dex::DexFile::open_all(ByteSpan(s.bytes.data(), s.bytes.size()), names[i], &s.diags, open_options);
    if (!opened.ok()) {
      s.diags.push_back({"dex-unopenable", opened.error().message, names[i]});
      return;
    }
    s.dex_files = std::move(opened.value());
  });
  for (Slot& s : slots) {
    diags->insert(diags->end(), s.diags.begin(), s.diags.end());
    code.dex_bytes += s.bytes.size();
    // Moving the vector keeps its heap buffer, so the DexFile views stay valid.
    code.buffers.push_back(std::move(s.bytes));
    for (auto& d : s.dex_files) code.dex_files.push_back(std::move(d));
  }
  code.installed_dex_count = code.dex_files.size();
  return code;
}

void add_payload_code(AppCode& code, std::vector<PayloadDex> payload_dex) {
  dex::OpenOptions options;
  options.verify_signature = false;
  for (PayloadDex& p : payload_dex) {
    Diagnostics already_reported;
    auto opened = dex::DexFile::open_all(ByteSpan(p.bytes.data(), p.bytes.size()), p.location, &already_reported, options);
    if (!opened.ok()) continue;
    code.buffers.push_back(std::move(p.bytes));  // the heap buffer moves with the vector: views stay valid
    for (auto& d : *opened) code.dex_files.push_back(std::move(d));
  }
}

}  // namespace apkwarden
