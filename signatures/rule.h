// One behaviour rule of the knowledge base: metadata plus a match tree, as read from
// signatures/rules/*.xml (format in docs/rules.md). Plain data; rule_set.h validates and compiles
// it into the immutable RuleSet that all threads share.
//
//   <rules version="2026.11.28-1">
//     <rule id="overlay-window" title="…" category="overlay" severity="high" confidence="medium">
//       <regulation>MIIT-2021 pop-up: …</regulation>          0..n
//       <remediation>…</remediation>                             0..1
//       <fixture positive="rule-overlay"/>                       1..n positive, 1..n negative
//       <fixture negative="clean"/>
//       <match scope="method">  … exactly one matcher … </match>
//     </rule>
//   </rules>
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace apkwarden::signatures {

// The `category` attribute of a rule.
inline constexpr std::array<std::string_view, 19> kRuleCategories = {
    "popup-ad",         "splash-ad",     "overlay",      "shake-ad",        "deceptive-download",
    "link-blocking",    "self-start",    "associated-start", "data-collection", "pre-consent-collection",
    "data-export",      "cleartext",     "insecure-storage", "permission-overreach", "tracker",
    "packer",           "insecure-config", "interference", "dynamic-code"};
inline constexpr std::array<std::string_view, 5> kRuleSeverities = {"info", "low", "medium", "high", "critical"};
inline constexpr std::array<std::string_view, 3> kRuleConfidences = {"low", "medium", "high"};

bool is_rule_category(std::string_view s);

// What a combinator groups its children's hits by before combining them.
enum class Scope : uint8_t { kMethod, kClass, kSdk, kApp };
const char* scope_name(Scope s);
std::optional<Scope> parse_scope(std::string_view s);

// Who owns the code a code matcher looks at.
enum class Owner : uint8_t { kAny, kApp, kSdk };
// Which code a code matcher looks at: the dex files Android installs, or code found in payloads
// (loaded at run time: assets/*.jar, *.dex…), or both.
enum class Loaded : uint8_t { kAny, kInstalled, kRuntime };

// The analyses that produce findings for rules whose match is <analysis name="…"/>: the rule
// file gives the metadata (title, severity, regulation, remediation, fixtures); the analysis
// decides where it applies.
inline constexpr std::array<std::string_view, 3> kRuleAnalyses = {"payloads", "dataflow", "native"};

// A node of a rule's match tree. One struct for all kinds keeps the tree plain data; each kind
// uses the fields its comment names (the loader rejects the others).
struct MatchNode {
  enum class Kind : uint8_t {
    // combinators: children, scope
    kAll, kAny, kNot,
    // manifest predicates (facts about the whole app or one component)
    kApplicationAttr,  // attr, value: debuggable|allow-backup|uses-cleartext-traffic|network-security-config
    kUsesPermission,   // name (exact) or pattern
    kComponent,        // component_kinds, action, category, exported, permission (""=any, "none"), pattern
    kTargetSdk,        // below / at_least
    kMinSdk,           // below / at_least
    // code matchers (over the code index)
    kClass,            // prefix or pattern: a class defined in the app (descriptor in dotted form)
    kInvoke,           // class, method, proto (optional): a call site
    kField,            // class, name: a field read or write (sget/iget/sput/iput)
    kString,           // pattern: a const-string in code
    kIntArg,           // class, method, arg, values: an integer constant passed at a call site
    kOverride,         // class (a framework/base type), method, proto: a method defined in a subclass
    kAdApi,            // ad_kinds: a call to an SDK's documented ad show/load API (sdk.h <ad-api>)
    // app contents
    kAssetString,      // pattern: a string in assets/ or res/ files (text, size-capped)
    kNativeLib,        // pattern: a native library file name (lib/<abi>/<name>)
    kFile,             // pattern: an entry name of the APK (e.g. "^assets/libjiagu")
    kSdkPresent,       // sdk_category or name: an SDK of the catalog is present
    // produced by an analysis pass, never matched by the engine
    kAnalysis,         // name: one of kRuleAnalyses
  };
  Kind kind = Kind::kAll;
  int line = 0;  // in the rule file, for messages

  Scope scope = Scope::kMethod;           // combinators
  std::vector<MatchNode> children;        // combinators

  std::string attr, value;                // kApplicationAttr
  std::string name;                       // kUsesPermission, kField, kSdkPresent (sdk id)
  std::string pattern;                    // RE2: kUsesPermission, kComponent (name), kClass, kString,
                                          //       kAssetString, kNativeLib, kFile
  std::string prefix;                     // kClass (dotted, e.g. "com.qihoo.util.")
  std::vector<std::string> component_kinds;  // kComponent: activity|activity-alias|service|receiver|provider
  std::vector<std::string> actions;       // kComponent: any of
  std::string category;                   // kComponent intent category; kSdkPresent sdk category
  std::optional<bool> exported;           // kComponent
  std::string permission;                 // kComponent: "" any, "none" = no permission required
  std::optional<int> below, at_least;     // kTargetSdk, kMinSdk
  std::string class_name;                 // kInvoke, kField, kIntArg, kOverride: dotted
  std::string method;                     // kInvoke, kIntArg, kOverride
  std::string proto;                      // kInvoke, kOverride: "(Landroid/os/Bundle;)V", "" = any
  int arg = 0;                            // kIntArg: argument index, receiver excluded
  std::vector<int64_t> values;            // kIntArg, kField (written constant): any of
  std::optional<int64_t> mask;            // kIntArg, kField: all these bits set (instead of values)
  bool foreign = false;                   // kString: skip strings naming the app's own package
  std::vector<std::string> ad_kinds;      // kAdApi: splash|interstitial|… (empty = any)
  Owner owner = Owner::kAny;              // code matchers: where the code must be
  Loaded loaded = Loaded::kAny;           // code matchers: installed or run-time loaded code
  std::string owner_category;             // code matchers: owning SDK's category (implies kSdk)
  std::string caller;                     // kInvoke/kIntArg/kField/kString: RE2 on the calling
                                          //   method's name (e.g. "onCreate|onResume")
  std::string description;                // evidence text prefix; defaults per kind

  bool is_combinator() const { return kind == Kind::kAll || kind == Kind::kAny || kind == Kind::kNot; }
  bool is_manifest() const {
    return kind == Kind::kApplicationAttr || kind == Kind::kUsesPermission || kind == Kind::kComponent ||
           kind == Kind::kTargetSdk || kind == Kind::kMinSdk;
  }
};

const char* match_kind_name(MatchNode::Kind k);  // the XML element name

enum class RuleOrigin : uint8_t { kBuiltin, kUser };

struct Rule {
  std::string id;          // kebab-case, stable
  std::string title;
  std::string category;    // kRuleCategories
  std::string severity;    // kRuleSeverities
  std::string confidence;  // kRuleConfidences
  std::string description;
  std::vector<std::string> regulation;
  std::string remediation;
  std::vector<std::string> positive_fixtures;  // corpus/fixtures/<name>
  std::vector<std::string> negative_fixtures;
  MatchNode match;         // the root; its scope says how findings are grouped
  RuleOrigin origin = RuleOrigin::kBuiltin;
  std::string source;      // "rules/overlay.xml:12"
};

}  // namespace apkwarden::signatures
