// An opened app: one APK, a bare .dex, or a split bundle (.apks from bundletool, .xapk), seen
// as one merged set of entries.
//
// Entry names: the base APK's entries keep their own names ("classes.dex",
// "lib/arm64-v8a/libx.so"); a split's entries are prefixed with the split's path in the bundle
// and '!' ("split_config.arm64_v8a.apk!lib/arm64-v8a/libx.so"), so a name is also a `where`.
// A bare dex is one entry named "classes.dex".
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/apk/mapped_file.h"
#include "analyzer/apk/zip_archive.h"
#include "dex/byte_span.h"
#include "dex/diagnostic.h"
#include "dex/result.h"

namespace apkwarden::apk {

class ApkFile {
 public:
  enum class Kind { kApk, kDex, kSplitBundle };

  // One APK of the app: the base (prefix "") or a split (prefix "<path in bundle>!").
  struct Part {
    std::string prefix;
    ZipArchive archive;
    bool is_base = false;
  };

  struct NativeLib {
    std::string abi;   // "arm64-v8a"
    std::string path;  // merged entry name, e.g. "lib/arm64-v8a/libx.so"
    uint64_t size = 0;  // uncompressed
  };

  // Maps (or reads) the file and opens it. Error: unreadable file, or neither dex nor a zip
  // with a usable central directory.
  static Result<ApkFile> open_path(const std::string& path, Diagnostics* diags);
  // The same over bytes already in memory (tests, nested containers). `name` is the `where`.
  static Result<ApkFile> open_bytes(std::vector<uint8_t> bytes, std::string name, Diagnostics* diags);

  ApkFile(ApkFile&&) noexcept = default;
  ApkFile& operator=(ApkFile&&) noexcept = default;

  Kind kind() const { return kind_; }
  const std::string& path() const { return path_; }
  uint64_t size() const { return bytes_.size(); }
  ByteSpan bytes() const { return bytes_; }
  std::string sha256() const;  // hex of the whole file; computed on each call (~0.1 s for 18 MB)

  // Base first, then splits in bundle order (empty for a bare dex).
  const std::vector<Part>& parts() const { return parts_; }
  // The outer .apks/.xapk archive itself (nullptr unless kSplitBundle).
  const ZipArchive* bundle() const { return bundle_.get(); }

  // Every merged entry name (directories included), base first, each part in directory order.
  std::vector<std::string> entry_names() const;
  bool contains(std::string_view name) const;
  // The zip entry behind a merged name (nullptr for a bare dex or an unknown name).
  const ZipEntry* find(std::string_view name) const { return locate(name).entry; }

  // The dex files Android would load: per part, classes.dex, classes2.dex, ... up to the first
  // missing one (ART's DexFileLoader::GetMultiDexClassesDexName loop; "classes1.dex" and
  // anything after a gap are never loaded, and open() reports them).
  const std::vector<std::string>& dex_names() const { return dex_names_; }
  // lib/<abi>/<name>.so of every part (what PackageManager extracts: one directory level).
  const std::vector<NativeLib>& native_libs() const { return native_libs_; }
  // Every assets/... file of every part.
  const std::vector<std::string>& assets() const { return assets_; }

  Result<std::vector<uint8_t>> read(std::string_view name, Diagnostics* diags) const;
  // The first `n` bytes of an entry (magic-number sniffing); empty when unreadable.
  std::vector<uint8_t> peek(std::string_view name, size_t n) const;

 private:
  ApkFile() = default;
  struct Located {
    const Part* part = nullptr;
    const ZipEntry* entry = nullptr;
  };
  Located locate(std::string_view name) const;
  static Result<ApkFile> open_span(ApkFile f, Diagnostics* diags);
  void index_contents(Diagnostics* diags);
  // Opens the APKs of a bundle at nesting `depth` (the outer file is 0) as parts.
  void add_parts(const ZipArchive& container, const std::string& prefix, int depth, bool is_base,
                 Diagnostics* diags);

  Kind kind_ = Kind::kApk;
  std::string path_;
  std::unique_ptr<MappedFile> file_;                         // when opened from a path
  std::vector<std::unique_ptr<std::vector<uint8_t>>> held_;  // owned bytes (open_bytes, nested APKs)
  ByteSpan bytes_;
  std::unique_ptr<ZipArchive> bundle_;
  std::vector<std::unique_ptr<ZipArchive>> nested_;  // inner bundles (their APKs are parts)
  std::vector<Part> parts_;
  InflateBudget budget_;
  std::vector<std::string> dex_names_;
  std::vector<NativeLib> native_libs_;
  std::vector<std::string> assets_;
};

}  // namespace apkwarden::apk
