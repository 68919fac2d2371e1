// The app's manifest as a model: identity, permissions, components with their *effective*
// exported value, and the application's security-relevant attributes. Built from the decoded
// AndroidManifest.xml (a tinyxml2 document, see axml.h), never from raw bytes.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dex/diagnostic.h"
#include "dex/result.h"

namespace tinyxml2 {
class XMLDocument;
}

namespace apkwarden::apk {

struct IntentData {
  std::string scheme, host, port, path, path_prefix, path_pattern, mime_type;
};

struct IntentFilter {
  std::vector<std::string> actions;
  std::vector<std::string> categories;
  std::vector<IntentData> data;
  bool has_action(std::string_view a) const;
  bool has_category(std::string_view c) const;
};

enum class ComponentKind { kActivity, kActivityAlias, kService, kReceiver, kProvider };
const char* component_kind_name(ComponentKind kind);

struct Component {
  ComponentKind kind = ComponentKind::kActivity;
  std::string name;                    // fully qualified
  bool exported = false;               // effective value, Android's defaults applied
  std::optional<bool> exported_attr;   // as written, if written
  std::string permission;
  std::vector<IntentFilter> intent_filters;
  std::string process;                 // as written (":remote"), empty = the app's process
  bool enabled = true;
  std::string target_activity;         // activity-alias only, fully qualified
  std::string authorities;             // provider only
  bool direct_boot_aware = false;

  bool is_launcher() const;            // MAIN + LAUNCHER filter
};

struct UsesPermission {
  std::string name;
  std::optional<int> max_sdk;
  bool sdk23_only = false;             // <uses-permission-sdk-23>
};

struct DeclaredPermission {
  std::string name;
  std::string protection;              // normal, dangerous, signature, signatureOrSystem…
  std::string protection_flags;        // privileged|development…
};

struct Application {
  std::string name;                    // fully qualified Application subclass, or empty
  std::string label;
  bool debuggable = false;
  bool allow_backup = true;            // Android's default
  std::optional<bool> uses_cleartext_traffic;
  std::string network_security_config; // resolved path (res/xml/…) or reference text
  std::string app_component_factory;
  bool present = false;
};

struct Manifest {
  std::string package;
  int64_t version_code = 0;            // versionCodeMajor << 32 | versionCode
  std::string version_name;
  int min_sdk = 1;
  int target_sdk = 1;                  // Android: defaults to min_sdk
  std::optional<int> max_sdk;
  std::string split;                   // <manifest split="…"> in split APKs
  std::string shared_user_id;
  std::vector<UsesPermission> uses_permissions;
  std::vector<DeclaredPermission> declared_permissions;
  std::vector<Component> components;   // in document order
  Application application;

  const Component* launcher_activity() const;
};

// Turns an attribute value that is a resource reference ("@0x7f0b0001") into its value in the
// default configuration; returns nullopt when it is not a reference or cannot be resolved.
using ReferenceResolver = std::function<std::optional<std::string>(std::string_view value)>;

// Reads the model from a decoded manifest document. Missing or odd parts become diagnostics
// with `where` = `manifest_where`; only a document without a <manifest> root is an error.
Result<Manifest> parse_manifest(const tinyxml2::XMLDocument& doc, const ReferenceResolver& resolve,
                                   std::string_view manifest_where, Diagnostics* diags);

// ".Main" -> "com.x.Main"; "Main" (no dot) -> "com.x.Main"; "a.b.C" unchanged (Android's rule).
std::string qualify_class_name(std::string_view package, std::string_view name);

}  // namespace apkwarden::apk
