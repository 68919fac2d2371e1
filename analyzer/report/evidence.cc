#include "analyzer/report/evidence.h"

namespace apkwarden::report {

const char* location_kind_name(Location::Kind kind) {
  switch (kind) {
    case Location::Kind::kNone: return "none";
    case Location::Kind::kCode: return "code";
    case Location::Kind::kManifest: return "manifest";
    case Location::Kind::kNative: return "native";
    case Location::Kind::kResource: return "resource";
  }
  return "none";
}

namespace {
constexpr const char* kSeverityNames[] = {"info", "low", "medium", "high", "critical"};
}

const char* severity_name(Severity s) { return kSeverityNames[static_cast<int>(s)]; }

std::optional<Severity> parse_severity(std::string_view s) {
  for (int i = 0; i < 5; ++i)
    if (s == kSeverityNames[i]) return static_cast<Severity>(i);
  return std::nullopt;
}

}  // namespace apkwarden::report
