#include "analyzer/app/dex_inspect.h"

#include <re2/re2.h>

#include "analyzer/apk/apk_file.h"
#include "analyzer/app/app_code.h"
#include "analyzer/app/parallel.h"
#include "dex/descriptor.h"
#include "dex/dex_dump.h"
#include "dex/dex_file.h"
#include "dex/dex_verifier.h"
#include "dex/limits.h"

namespace apkwarden {

Result<DexInspection> inspect_dex(const std::string& path, const DexInspectOptions& options) {
  DexInspection out;
  out.path = path;
  auto file = apk::ApkFile::open_path(path, &out.diagnostics);
  if (!file.ok()) return file.error();
  const std::vector<std::string>& names = file->dex_names();
  const size_t n = std::min<size_t>(names.size(), limits::kMaxDexFilesPerApp);

  // One dex at a time per worker: inflate, open, count, free. Peak memory is the largest dex
  // per thread, not the whole app's code.
  struct Slot {
    uint64_t bytes = 0;
    std::vector<DexFileSummary> files;  // more than one for a DEX 041 container
    Diagnostics diags;
  };
  std::vector<Slot> slots(n);
  dex::OpenOptions open_options;
  open_options.verify_signature = options.verify;
  parallel_for(n, options.threads, [&](size_t i) {
    Slot& slot = slots[i];
    auto bytes = file->read(names[i], &slot.diags);
    if (!bytes.ok()) {
      slot.diags.push_back({"dex-unreadable", bytes.error().message, names[i]});
      return;
    }
    slot.bytes = bytes->size();
    auto opened = dex::DexFile::open_all(ByteSpan(bytes->data(), bytes->size()), names[i], &slot.diags, open_options);
    if (!opened.ok()) {
      slot.diags.push_back({"dex-unopenable", opened.error().message, names[i]});
      return;
    }
    for (const dex::DexFile& dex : *opened) {
      DexFileSummary s;
      s.name = dex.location();
      s.version = dex.version();
      s.size = dex.bytes().size();
      s.stats = dex::collect_stats(dex, &slot.diags);
      if (options.verify) dex::verify_dex(dex, &slot.diags);
      slot.files.push_back(std::move(s));
    }
  });
  for (Slot& slot : slots) {
    out.dex_bytes += slot.bytes;
    for (auto& f : slot.files) {
      out.total.merge(f.stats);
      out.files.push_back(std::move(f));
    }
    out.diagnostics.insert(out.diagnostics.end(), slot.diags.begin(), slot.diags.end());
  }
  if (names.empty()) out.diagnostics.push_back({"dex-none", "the app has no dex code", path});
  return out;
}

Result<std::string> dump_dex(const std::string& path, const std::string& class_pattern, Diagnostics* diags) {
  RE2 pattern(class_pattern.empty() ? std::string(".") : class_pattern, RE2::Quiet);
  if (!pattern.ok()) return make_error(ErrorCode::kMalformed, "invalid --class pattern: " + pattern.error());
  auto file = apk::ApkFile::open_path(path, diags);
  if (!file.ok()) return file.error();
  AppCode code = load_app_code(*file, LoadCodeOptions{}, diags);
  std::string out;
  for (const dex::DexFile& dex : code.dex_files) {
    for (uint32_t c = 0; c < dex.class_defs_size(); ++c) {
      auto def = dex.class_def(dex::ClassDefIdx(c));
      if (!def) continue;
      const std::string_view descriptor = dex.class_descriptor(*def);
      if (!class_pattern.empty() && !RE2::PartialMatch(descriptor, pattern) &&
          !RE2::PartialMatch(dex::descriptor_to_java(descriptor), pattern))
        continue;
      dex::dump_class(dex, dex::ClassDefIdx(c), out);
    }
  }
  return out;
}

}  // namespace apkwarden
