// One SDK of the knowledge base, and the fixed vocabularies its fields draw from.
// The data lives in signatures/sdks/*.xml (format below); sdk_catalog.h loads and indexes it.
//
//   <sdks version="2026.11.28-1">
//     <sdk id="tencent-gdt" name="Tencent Ads (GDT)" vendor="Tencent" country="CN"
//          category="ads" website="https://e.qq.com/">            website optional
//       <class-prefix>com.qq.e.</class-prefix>                      1..n, dotted, ends in '.'
//       <manifest-component>com.qq.e.ads.ADActivity</manifest-component>          0..n
//       <native-lib>libBugly.so</native-lib>                                       0..n
//       <collects>device-id</collects>                              0..n, kDataTypes
//       <privacy-switch class="…GlobalSetting" method="setAgreePrivacyStrategy"/>  0..n
//       <ad-api kind="splash" class="com.qq.e.ads.splash.SplashAD" method="fetchAndShowIn"/>
//     </sdk>
//   </sdks>
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace apkwarden::signatures {

// The one list of SDK categories (the `category` attribute).
inline constexpr std::array<std::string_view, 15> kSdkCategories = {
    "ads",      "analytics", "push",    "social", "payment", "crash",    "location", "maps",
    "identity", "attribution", "webview", "im",   "cloud",   "security", "other"};

// Personal-data types an SDK is documented to collect (the `<collects>` element). Kept in step
// with the data types of the source list (DETECTORS.md) so findings and SDK facts share names.
inline constexpr std::array<std::string_view, 27> kDataTypes = {
    "device-id",      // IMEI / MEID
    "android-id",     "oaid",         "advertising-id",  // GAID
    "imsi",           "iccid",        "mac",            "serial",
    "location",       "installed-apps", "running-apps", "contacts",
    "phone-number",   "clipboard",    "network-info",   "wifi-info",
    "bluetooth",      "sensors",      "accounts",       "ip",
    "sms",            "call-log",     "calendar",       "device-info",
    "app-usage",      "content-provider",  // ContentResolver.query whose URI is not known
    "user-input"};

// Kinds of ad show/load APIs (the `kind` attribute of `<ad-api>`).
inline constexpr std::array<std::string_view, 6> kAdKinds = {"splash", "interstitial", "reward",
                                                             "banner", "native",       "feed"};

bool is_sdk_category(std::string_view s);
bool is_data_type(std::string_view s);
bool is_ad_kind(std::string_view s);

enum class SdkOrigin : uint8_t {
  kBuiltin,  // signatures/sdks/*.xml compiled into the binary
  kUser,     // an extra XML file from a directory given at run time
  kExodus,   // imported from an Exodus Privacy tracker list
};

struct PrivacySwitch {
  std::string class_name;  // dotted, e.g. com.umeng.commonsdk.UMConfigure
  std::string method;      // e.g. submitPolicyGrantResult
};

struct AdApi {
  std::string kind;        // one of kAdKinds
  std::string class_name;  // dotted
  std::string method;
};

struct Sdk {
  std::string id;        // stable kebab-case; "exodus-<n>" for imported trackers
  std::string name;
  std::string vendor;
  std::string country;   // ISO 3166-1 alpha-2 of the vendor; "" when unknown (Exodus)
  std::string category;  // one of kSdkCategories
  std::string website;
  std::vector<std::string> class_prefixes;  // dotted; ours end in '.', Exodus ones may not
  std::vector<std::string> class_patterns;  // RE2 over dotted class names (Exodus regexes)
  std::vector<std::string> network_patterns;  // Exodus network_signature parts (hosts)
  std::vector<std::string> manifest_components;
  std::vector<std::string> native_libs;
  std::vector<std::string> collects;        // kDataTypes
  std::vector<PrivacySwitch> privacy_switches;
  std::vector<AdApi> ad_apis;
  SdkOrigin origin = SdkOrigin::kBuiltin;
  std::string source;  // where it was defined: "sdks/ads-cn.xml:7", "exodus_trackers.json#12"
  // Ids on the other side (ours <-> Exodus) that cover the same class prefixes. Filled by the
  // catalog; our entry stays the primary match.
  std::vector<std::string> aliases;
};

}  // namespace apkwarden::signatures
