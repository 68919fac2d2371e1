#include "analyzer/report/fingerprint.h"

#include <map>

#include "analyzer/apk/sha256.h"

namespace apkwarden::report {

namespace {

constexpr size_t kFingerprintHexDigits = 32;

std::string location_key(const Location& l) {
  switch (l.kind) {
    case Location::Kind::kCode: return "code|" + l.class_name + "|" + l.method;
    case Location::Kind::kManifest: return "manifest|" + l.element + "|" + l.name;
    case Location::Kind::kNative: return "native|" + l.lib + "|" + l.symbol;
    case Location::Kind::kResource: return "resource|" + l.path + "|" + l.name;
    case Location::Kind::kNone: return "app";
  }
  return "app";
}

}  // namespace

std::string fingerprint_key(const Finding& f) {
  return f.rule + "|" + f.sdk.value_or("") + "|" + location_key(f.location);
}

void assign_fingerprints(Report& report) {
  std::map<std::string, unsigned> seen;
  for (Finding& f : report.findings) {
    const std::string key = fingerprint_key(f);
    const unsigned n = seen[key]++;
    const std::string text = "apkwarden-fp-v1|" + key + "|" + std::to_string(n);
    f.fingerprint = apk::sha256_hex(ByteSpan(std::string_view(text)))
                        .substr(0, kFingerprintHexDigits);
  }
}

}  // namespace apkwarden::report
