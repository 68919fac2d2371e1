// What the analyses report: findings, SDK hits and flows, each with a Location as evidence.
// Plain data with a total order, so reports sort deterministically.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace apkwarden::report {

// Where evidence sits. Exactly one kind is set; names use Java notation for people
// (`com.x.Main`, `onCreate(android.os.Bundle)`), as the report schema says.
struct Location {
  enum class Kind { kNone, kCode, kManifest, kNative, kResource };
  Kind kind = Kind::kNone;
  // kCode
  std::string dex;        // "classes2.dex"
  std::string class_name; // "com.x.Main"
  std::string method;     // "onCreate(android.os.Bundle)"
  uint32_t pc = 0;
  std::optional<uint32_t> line;
  // kManifest: the element ("receiver") and its android:name; kResource: the file path
  std::string element;
  std::string name;
  // kNative
  std::string lib;        // "lib/arm64-v8a/libx.so"
  uint64_t address = 0;
  std::string symbol;
  // kResource / kManifest / kNative: the file inside the APK
  std::string path;

  auto operator<=>(const Location&) const = default;
};

const char* location_kind_name(Location::Kind kind);

// One line for people: "com.x.Main.onCreate(android.os.Bundle)", "<receiver com.x.Boot>",
// "lib/arm64-v8a/libx.so!JNI_OnLoad", "res/xml/config.xml". With `offsets`, code adds
// " [classes.dex pc 0x12 line 40]" and native code its address.
std::string describe_location(const Location& l, bool offsets);

enum class Severity { kInfo, kLow, kMedium, kHigh, kCritical };
const char* severity_name(Severity s);
std::optional<Severity> parse_severity(std::string_view s);

// Why a finding does not count against the CI gate (it stays in every format, marked).
struct Suppression {
  std::string kind;    // "baseline", "rule", "sdk", "fingerprint" (see analyzer/report/suppressions.h)
  std::string reason;  // the reason given with the entry, or how it was suppressed

  auto operator<=>(const Suppression&) const = default;
};

struct Finding {
  std::string rule;         // stable rule id, e.g. "overlay-window"
  std::string category;     // popup-ad, splash-ad, overlay, self-start, … (see docs/rules.md)
  Severity severity = Severity::kMedium;
  std::string confidence;   // "high", "medium", "low"
  std::string title;
  std::optional<std::string> sdk;  // owning SDK id, or nullopt for the app's own code
  Location location;
  std::vector<std::string> evidence;    // human-readable facts, e.g. "calls WindowManager.addView"
  std::vector<std::string> regulation;  // references, e.g. "MIIT-2021-popup", "GB/T 41391-2022 6.2"
  std::string remediation;
  // Filled after the analyses by assign_fingerprints() (fingerprint.h) and
  // apply_suppressions() (suppressions.h); detectors leave them empty.
  std::string fingerprint;                 // stable across rebuilds: rule, SDK, class, method
  std::optional<Suppression> suppression;  // set when the finding does not count for --fail-on

  auto operator<=>(const Finding&) const = default;
};

struct SdkHit {
  std::string id, name, vendor, country, category;
  bool present = false;     // its classes (or components, or native libs) are in the app
  bool reachable = false;   // app code outside the SDK, or a manifest entry point, calls into it
  std::vector<std::string> evidence;     // "12 classes under com.qq.e.", "called from com.x.Splash.onCreate()"
  bool operator<(const SdkHit& o) const { return id < o.id; }
};

struct FlowEnd {
  std::string api;          // "android.telephony.TelephonyManager.getDeviceId()"
  std::string kind;         // source: data type ("device-id"); sink: kind ("network")
  std::string permission;   // source only
  Location location;
  std::string url_or_host;  // sink only, when a constant reaches it
};

struct Flow {
  FlowEnd source;
  FlowEnd sink;
  std::vector<std::string> path;  // methods from source to sink
  std::optional<std::string> sdk;
};

// A flow is shown with a finding (SARIF codeFlows, the HTML path chain) when its source or its
// sink lies in the finding's method.
bool flow_matches_finding(const Flow& flow, const Finding& finding);

}  // namespace apkwarden::report
