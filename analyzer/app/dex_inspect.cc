#include "analyzer/app/dex_inspect.h"

#include <re2/re2.h>

#include "analyzer/apk/apk_file.h"
#include "analyzer/app/app_code.h"
#include "analyzer/app/parallel.h"
#include "dex/descriptor.h"
#include "dex/dex_dump.h"
#include "dex/dex_file.h"
#include "dex/dex_verifier.h"

namespace apkwarden {

Result<DexInspection> inspect_dex(const std::string& path, const DexInspectOptions& options) {
  DexInspection out;
  out.path = path;
  auto file = apk::ApkFile::open_path(path, &out.diagnostics);
  if (!file.ok()) return file.error();
  LoadCodeOptions load;
  load.threads = options.threads;
  load.verify_signature = options.verify;
  AppCode code = load_app_code(*file, load, &out.diagnostics);
  out.dex_bytes = code.dex_bytes;

  const size_t n = code.dex_files.size();
  out.files.resize(n);
  std::vector<Diagnostics> diags(n);
  parallel_for(n, options.threads, [&](size_t i) {
    const dex::DexFile& dex = code.dex_files[i];
    DexFileSummary& s = out.files[i];
    s.name = dex.location();
    s.version = dex.version();
    s.size = dex.bytes().size();
    s.stats = dex::collect_stats(dex, &diags[i]);
    if (options.verify) dex::verify_dex(dex, &diags[i]);
  });
  for (size_t i = 0; i < n; ++i) {
    out.total.merge(out.files[i].stats);
    out.diagnostics.insert(out.diagnostics.end(), diags[i].begin(), diags[i].end());
  }
  if (n == 0 && file->dex_names().empty())
    out.diagnostics.push_back({"dex-none", "the app has no dex code", path});
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
