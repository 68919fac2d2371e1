// Split-APK bundles: bundletool's .apks ("splits/base-master.apk", "splits/base-xxhdpi.apk",
// "standalones/..."), APKPure's .xapk ("com.example.apk", "config.arm64_v8a.apk",
// "manifest.json"), and plain zips of base.apk + split_*.apk.
#pragma once

#include <vector>

#include "analyzer/apk/zip_archive.h"
#include "analyzer/apk/zip_diag.h"

namespace apkwarden::apk {

// A zip is a bundle when it has no AndroidManifest.xml of its own but holds *.apk entries.
bool looks_like_bundle(const ZipArchive& zip);

struct BundleApks {
  const ZipEntry* base = nullptr;
  std::vector<const ZipEntry*> splits;  // central directory order
};

// Chooses the base and the splits. Base: "base.apk" or "*base-master.apk"; else the largest
// APK not named "config.*"/"split_config.*" (the manifest's `split` attribute would be exact,
// but reading it needs the AXML decoder; the size rule matches bundletool and XAPK layouts).
// bundletool's standalones/ are alternatives to the splits, so they are taken only when there
// is nothing else. At most limits::kMaxBundleSplits APKs (diagnostic beyond).
BundleApks choose_bundle_apks(const ZipArchive& zip, ZipDiagSink& diags);

}  // namespace apkwarden::apk
