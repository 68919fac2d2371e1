#include "analyzer/apk/split_bundle.h"

#include <string>
#include <string_view>

#include "dex/limits.h"

namespace apkwarden::apk {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::string_view base_name(std::string_view path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool is_apk(const ZipEntry& e) {
  return !e.is_directory() && ends_with(e.name, ".apk") && (e.anomalies & kAnomalyTraversalName) == 0;
}

}  // namespace

bool looks_like_bundle(const ZipArchive& zip) {
  if (zip.find("AndroidManifest.xml")) return false;
  for (const ZipEntry& e : zip.entries())
    if (is_apk(e)) return true;
  return false;
}

BundleApks choose_bundle_apks(const ZipArchive& zip, ZipDiagSink& diags) {
  std::vector<const ZipEntry*> apks;
  bool has_non_standalone = false;
  for (const ZipEntry& e : zip.entries())
    if (is_apk(e) && !starts_with(e.name, "standalones/")) has_non_standalone = true;
  for (const ZipEntry& e : zip.entries()) {
    if (!is_apk(e) || (has_non_standalone && starts_with(e.name, "standalones/"))) continue;
    if (apks.size() >= limits::kMaxBundleSplits) {
      diags.add("bundle-too-many-splits",
                "more than " + std::to_string(limits::kMaxBundleSplits) + " APKs in the bundle; the rest are ignored");
      break;
    }
    apks.push_back(&e);
  }
  BundleApks out;
  for (const ZipEntry* e : apks) {
    const std::string_view b = base_name(e->name);
    if (b == "base.apk" || b == "base-master.apk") {
      out.base = e;
      break;
    }
  }
  if (!out.base) {
    for (const ZipEntry* e : apks) {
      const std::string_view b = base_name(e->name);
      if (starts_with(b, "config.") || starts_with(b, "split_config.")) continue;
      if (!out.base || e->uncompressed_size > out.base->uncompressed_size) out.base = e;
    }
  }
  if (!out.base) {
    for (const ZipEntry* e : apks)
      if (!out.base || e->uncompressed_size > out.base->uncompressed_size) out.base = e;
  }
  if (out.base && base_name(out.base->name) != "base.apk" && base_name(out.base->name) != "base-master.apk")
    diags.add("bundle-base-guessed", "no base.apk; taking the largest non-config APK as the base", out.base->name);
  for (const ZipEntry* e : apks)
    if (e != out.base) out.splits.push_back(e);
  return out;
}

}  // namespace apkwarden::apk
