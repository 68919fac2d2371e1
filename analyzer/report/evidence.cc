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

std::string hex(uint64_t v) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  do {
    out.insert(out.begin(), kDigits[v & 15]);
    v >>= 4;
  } while (v);
  return "0x" + out;
}

}  // namespace

std::string describe_location(const Location& l, bool offsets) {
  switch (l.kind) {
    case Location::Kind::kCode: {
      std::string s = l.class_name + (l.method.empty() ? "" : "." + l.method);
      if (offsets) {
        s += " [" + (l.dex.empty() ? std::string() : l.dex + " ") + "pc " + hex(l.pc);
        if (l.line) s += " line " + std::to_string(*l.line);
        s += "]";
      }
      return s;
    }
    case Location::Kind::kManifest:
      return "<" + l.element + (l.name.empty() ? "" : " " + l.name) + ">";
    case Location::Kind::kNative: {
      std::string s = l.lib + (l.symbol.empty() ? "" : "!" + l.symbol);
      if (offsets) s += " [" + hex(l.address) + "]";
      return s;
    }
    case Location::Kind::kResource:
      return l.path + (l.name.empty() ? "" : " " + l.name);
    case Location::Kind::kNone:
      return "the app";
  }
  return "the app";
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

namespace {

bool same_method(const Location& a, const Location& b) {
  return a.kind == Location::Kind::kCode && b.kind == Location::Kind::kCode && a.class_name == b.class_name &&
         a.method == b.method;
}

}  // namespace

bool flow_matches_finding(const Flow& flow, const Finding& finding) {
  return same_method(flow.sink.location, finding.location) || same_method(flow.source.location, finding.location);
}

}  // namespace apkwarden::report
