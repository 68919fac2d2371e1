// Import of the Exodus Privacy tracker list (https://reports.exodus-privacy.eu.org/api/trackers):
//   {"trackers": {"<n>": {"name": …, "code_signature": "com.facebook.ads|com.facebook.audiencenetwork",
//                         "network_signature": "…", "categories": ["Advertisement"], "website": …}}}
// Each tracker becomes an Sdk with id "exodus-<n>", country "" and a category mapped from the
// Exodus ones. A code_signature part that is a plain dotted name (escaped dots allowed) becomes a
// class prefix; anything else is kept as an RE2 pattern over dotted class names, which the catalog
// compiles into one memory-capped RE2::Set. Malformed input is an Error, never a crash.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "dex/result.h"
#include "signatures/sdk.h"

namespace apkwarden::signatures {

class SdkCatalogBuilder;

struct ExodusTracker {
  std::string key;  // the object key, e.g. "27"
  std::string name;
  std::string code_signature;     // raw, '|'-separated
  std::string network_signature;  // raw, '|'-separated
  std::vector<std::string> categories;
  std::string website;
};

// Parses the JSON text (bounded by limits::kMaxSignatureFileBytes and kMaxJsonDepth).
Result<std::vector<ExodusTracker>> parse_exodus_trackers(std::string_view json);

// One part of a code_signature: a dotted prefix, or an RE2 pattern.
struct ExodusSignature {
  bool is_prefix = false;
  std::string text;  // the dotted prefix (dots unescaped), or the pattern as written
};
ExodusSignature classify_exodus_signature(std::string_view part);

// Our category for a tracker's Exodus categories (Advertisement -> ads, Crash reporting -> crash,
// Location -> location, Identification -> identity, Analytics/Profiling -> analytics, else other).
std::string map_exodus_categories(const std::vector<std::string>& categories);

// The catalog entry for one tracker.
Sdk exodus_tracker_to_sdk(const ExodusTracker& t);

// Parses `json` and adds every tracker to `b` (source "<file_name>#<key>"). Returns the count.
Result<size_t> add_exodus_trackers(SdkCatalogBuilder& b, std::string_view json, std::string_view file_name);
// Same, reading the file at `path`.
Result<size_t> add_exodus_file(SdkCatalogBuilder& b, const std::filesystem::path& path);

}  // namespace apkwarden::signatures
