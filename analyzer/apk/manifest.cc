#include "analyzer/apk/manifest.h"

#include <tinyxml2.h>

#include <charconv>
#include <cstdlib>

namespace apkwarden::apk {

namespace {

constexpr int kProviderExportedUntilSdk = 16;  // targetSdk <= 16: providers exported by default
constexpr int kExplicitExportedFromSdk = 31;   // Android 12: filters require android:exported

// Attribute reader for one element: android:-prefixed names, references resolved.
class Attrs {
 public:
  Attrs(const tinyxml2::XMLElement* e, const ReferenceResolver& resolve) : e_(e), resolve_(resolve) {}

  // An android:-namespaced attribute (how Android reads almost all of them: by resource ID).
  std::optional<std::string> get(const char* android_name) const {
    return value_of(e_->Attribute((std::string("android:") + android_name).c_str()));
  }
  // An attribute without namespace (<manifest package= split=>).
  std::string plain(const char* name) const { return value_of(e_->Attribute(name)).value_or(""); }
  std::string str(const char* name) const { return get(name).value_or(""); }

 private:
  std::optional<std::string> value_of(const char* v) const {
    if (!v) return std::nullopt;
    std::string_view text(v);
    if (!text.empty() && text[0] == '@' && resolve_) {
      if (auto resolved = resolve_(text)) return *resolved;
    }
    return std::string(text);
  }

 public:

  std::optional<bool> boolean(const char* name) const {
    auto v = get(name);
    if (!v) return std::nullopt;
    if (*v == "true" || *v == "-1" || *v == "0xffffffff" || *v == "1") return true;
    if (*v == "false" || *v == "0" || *v == "0x0") return false;
    return std::nullopt;
  }

  std::optional<int64_t> integer(const char* name) const {
    auto v = get(name);
    if (!v || v->empty()) return std::nullopt;
    const char* s = v->c_str();
    char* end = nullptr;
    const long long n = std::strtoll(s, &end, 0);
    if (end == s || *end != '\0') return std::nullopt;
    return n;
  }

 private:
  const tinyxml2::XMLElement* e_;
  const ReferenceResolver& resolve_;
};

struct ProtectionBase {
  int value;
  const char* name;
};
constexpr ProtectionBase kProtectionBases[] = {
    {0, "normal"}, {1, "dangerous"}, {2, "signature"}, {3, "signatureOrSystem"}, {4, "internal"}};
struct ProtectionFlag {
  int bit;
  const char* name;
};
// PermissionInfo.PROTECTION_FLAG_* (android.content.pm.PermissionInfo).
constexpr ProtectionFlag kProtectionFlags[] = {
    {0x10, "privileged"},  {0x20, "development"},  {0x40, "appop"},         {0x80, "pre23"},
    {0x100, "installer"},  {0x200, "verifier"},    {0x400, "preinstalled"}, {0x800, "setup"},
    {0x1000, "instant"},   {0x2000, "runtime"},    {0x4000, "oem"},         {0x8000, "vendorPrivileged"},
    {0x10000, "textClassifier"}, {0x20000, "wellbeing"}, {0x40000, "documenter"},
    {0x80000, "configurator"}, {0x100000, "incidentReportApprover"}, {0x200000, "appPredictor"},
    {0x800000, "companion"}, {0x1000000, "retailDemo"}, {0x2000000, "recents"}, {0x4000000, "role"},
    {0x8000000, "knownSigner"}};

void read_protection(const Attrs& a, DeclaredPermission& p) {
  auto raw = a.get("protectionLevel");
  if (!raw) {
    p.protection = "normal";
    return;
  }
  auto n = a.integer("protectionLevel");
  if (!n) {  // textual form, e.g. from a hand-written manifest: "signature|privileged"
    const std::string& s = *raw;
    const size_t bar = s.find('|');
    p.protection = s.substr(0, bar);
    if (bar != std::string::npos) p.protection_flags = s.substr(bar + 1);
    return;
  }
  const int base = static_cast<int>(*n & 0xf);
  p.protection = "unknown";
  for (const auto& b : kProtectionBases)
    if (b.value == base) p.protection = b.name;
  for (const auto& f : kProtectionFlags) {
    if ((*n & f.bit) == 0) continue;
    if (!p.protection_flags.empty()) p.protection_flags += '|';
    p.protection_flags += f.name;
  }
}

IntentFilter read_filter(const tinyxml2::XMLElement* f, const ReferenceResolver& resolve) {
  IntentFilter out;
  for (auto* c = f->FirstChildElement(); c; c = c->NextSiblingElement()) {
    Attrs a(c, resolve);
    const std::string_view tag = c->Name();
    if (tag == "action") out.actions.push_back(a.str("name"));
    else if (tag == "category") out.categories.push_back(a.str("name"));
    else if (tag == "data")
      out.data.push_back({a.str("scheme"), a.str("host"), a.str("port"), a.str("path"),
                          a.str("pathPrefix"), a.str("pathPattern"), a.str("mimeType")});
  }
  return out;
}

std::optional<ComponentKind> kind_of(std::string_view tag) {
  if (tag == "activity") return ComponentKind::kActivity;
  if (tag == "activity-alias") return ComponentKind::kActivityAlias;
  if (tag == "service") return ComponentKind::kService;
  if (tag == "receiver") return ComponentKind::kReceiver;
  if (tag == "provider") return ComponentKind::kProvider;
  return std::nullopt;
}

}  // namespace

bool IntentFilter::has_action(std::string_view a) const {
  for (const auto& x : actions)
    if (x == a) return true;
  return false;
}

bool IntentFilter::has_category(std::string_view c) const {
  for (const auto& x : categories)
    if (x == c) return true;
  return false;
}

bool Component::is_launcher() const {
  if (kind != ComponentKind::kActivity && kind != ComponentKind::kActivityAlias) return false;
  for (const auto& f : intent_filters)
    if (f.has_action("android.intent.action.MAIN") && f.has_category("android.intent.category.LAUNCHER"))
      return true;
  return false;
}

const char* component_kind_name(ComponentKind kind) {
  switch (kind) {
    case ComponentKind::kActivity: return "activity";
    case ComponentKind::kActivityAlias: return "activity-alias";
    case ComponentKind::kService: return "service";
    case ComponentKind::kReceiver: return "receiver";
    case ComponentKind::kProvider: return "provider";
  }
  return "unknown";
}

const Component* Manifest::launcher_activity() const {
  for (const auto& c : components)
    if (c.enabled && c.is_launcher()) return &c;
  return nullptr;
}

std::string qualify_class_name(std::string_view package, std::string_view name) {
  if (name.empty()) return std::string();
  if (name[0] == '.') return std::string(package) + std::string(name);
  if (name.find('.') == std::string_view::npos) return std::string(package) + "." + std::string(name);
  return std::string(name);
}

Result<Manifest> parse_manifest(const tinyxml2::XMLDocument& doc, const ReferenceResolver& resolve,
                                std::string_view where, Diagnostics* diags) {
  const auto diag = [&](const char* code, std::string msg) {
    if (diags) diags->push_back({code, std::move(msg), std::string(where)});
  };
  const tinyxml2::XMLElement* root = doc.RootElement();
  if (!root || std::string_view(root->Name()) != "manifest")
    return make_error(ErrorCode::kMalformed, "the document has no <manifest> root element");

  Manifest m;
  Attrs ra(root, resolve);
  m.package = ra.plain("package");
  if (m.package.empty()) diag("manifest-no-package", "<manifest> has no package attribute");
  const int64_t code = ra.integer("versionCode").value_or(0);
  const int64_t major = ra.integer("versionCodeMajor").value_or(0);
  m.version_code = (major << 32) | (code & 0xffffffffLL);
  m.version_name = ra.str("versionName");
  m.split = ra.plain("split");
  m.shared_user_id = ra.str("sharedUserId");

  bool saw_uses_sdk = false, saw_target = false;
  for (auto* e = root->FirstChildElement(); e; e = e->NextSiblingElement()) {
    const std::string_view tag = e->Name();
    Attrs a(e, resolve);
    if (tag == "uses-sdk" && !saw_uses_sdk) {
      saw_uses_sdk = true;
      // Codenames ("Q") count as the development API; report them as 10000 like Android does.
      const auto sdk = [&](const char* n) -> std::optional<int> {
        if (auto v = a.integer(n)) return static_cast<int>(*v);
        if (auto s = a.get(n); s && !s->empty()) return 10000;
        return std::nullopt;
      };
      m.min_sdk = sdk("minSdkVersion").value_or(1);
      if (auto t = sdk("targetSdkVersion")) m.target_sdk = *t, saw_target = true;
      m.max_sdk = sdk("maxSdkVersion");
    } else if (tag == "uses-permission" || tag == "uses-permission-sdk-23" || tag == "uses-permission-sdk-m") {
      UsesPermission p{a.str("name"), std::nullopt, tag != "uses-permission"};
      if (auto ms = a.integer("maxSdkVersion")) p.max_sdk = static_cast<int>(*ms);
      if (p.name.empty()) diag("manifest-permission-no-name", "<" + std::string(tag) + "> without a name");
      else m.uses_permissions.push_back(std::move(p));
    } else if (tag == "permission") {
      DeclaredPermission p;
      p.name = a.str("name");
      read_protection(a, p);
      m.declared_permissions.push_back(std::move(p));
    } else if (tag == "application") {
      if (m.application.present) {
        diag("manifest-duplicate-application", "more than one <application>; Android reads the first");
        continue;
      }
      Application& app = m.application;
      app.present = true;
      app.name = qualify_class_name(m.package, a.str("name"));
      app.label = a.str("label");
      app.debuggable = a.boolean("debuggable").value_or(false);
      app.allow_backup = a.boolean("allowBackup").value_or(true);
      app.uses_cleartext_traffic = a.boolean("usesCleartextTraffic");
      app.network_security_config = a.str("networkSecurityConfig");
      app.app_component_factory = qualify_class_name(m.package, a.str("appComponentFactory"));
    }
  }
  if (!saw_target) m.target_sdk = m.min_sdk;

  // Components: after uses-sdk is known, since exported defaults depend on targetSdk.
  const tinyxml2::XMLElement* app = root->FirstChildElement("application");
  for (auto* e = app ? app->FirstChildElement() : nullptr; e; e = e->NextSiblingElement()) {
    auto kind = kind_of(e->Name());
    if (!kind) continue;
    Attrs a(e, resolve);
    Component c;
    c.kind = *kind;
    c.name = qualify_class_name(m.package, a.str("name"));
    if (c.name.empty()) {
      diag("manifest-component-no-name", std::string("<") + e->Name() + "> without a name is ignored by Android");
      continue;
    }
    c.exported_attr = a.boolean("exported");
    c.permission = a.str("permission");
    c.process = a.str("process");
    c.enabled = a.boolean("enabled").value_or(true);
    c.direct_boot_aware = a.boolean("directBootAware").value_or(false);
    if (c.kind == ComponentKind::kActivityAlias)
      c.target_activity = qualify_class_name(m.package, a.str("targetActivity"));
    if (c.kind == ComponentKind::kProvider) c.authorities = a.str("authorities");
    for (auto* f = e->FirstChildElement("intent-filter"); f; f = f->NextSiblingElement("intent-filter"))
      c.intent_filters.push_back(read_filter(f, resolve));

    if (c.exported_attr) {
      c.exported = *c.exported_attr;
    } else if (c.kind == ComponentKind::kProvider) {
      c.exported = m.target_sdk <= kProviderExportedUntilSdk;
    } else {
      c.exported = !c.intent_filters.empty();
      if (c.exported && m.target_sdk >= kExplicitExportedFromSdk)
        diag("manifest-exported-missing",
             c.name + " has intent filters but no android:exported; Android 12+ refuses to install this");
    }
    m.components.push_back(std::move(c));
  }
  return m;
}

}  // namespace apkwarden::apk
