// Manifest predicates: application attributes, permissions, SDK levels (whole-app facts) and
// components (one hit each, owned by the SDK whose class or component it is).
#include <re2/re2.h>

#include <algorithm>

#include "analyzer/apk/manifest.h"
#include "analyzer/code/code_index.h"
#include "analyzer/rules/matchers.h"
#include "signatures/sdk_catalog.h"

namespace apkwarden::rules {

namespace {

using signatures::MatchNode;
using Kind = MatchNode::Kind;

NodeResult fact(bool holds, Hit witness) {
  NodeResult r;
  r.global = holds;
  if (holds) r.witnesses.push_back(std::move(witness));
  return r;
}

Hit app_hit(Hit::Unit unit, std::string name, std::string evidence) {
  Hit h;
  h.unit = unit;
  h.item = 0;
  h.name = std::move(name);
  h.evidence = std::move(evidence);
  return h;
}

NodeResult application_attr(const MatchNode& n, const apk::Manifest& m) {
  const apk::Application& a = m.application;
  std::string actual;
  if (n.attr == "debuggable") actual = a.debuggable ? "true" : "false";
  else if (n.attr == "allow-backup") actual = a.allow_backup ? "true" : "false";
  else if (n.attr == "uses-cleartext-traffic")
    actual = a.uses_cleartext_traffic ? (*a.uses_cleartext_traffic ? "true" : "false") : "unset";
  else if (n.attr == "network-security-config") actual = a.network_security_config.empty() ? "absent" : "present";
  std::string evidence = "application " + n.attr + " is " + actual;
  if (n.attr == "allow-backup" && actual == "true") evidence += " (Android's default when not written)";
  return fact(actual == n.value, app_hit(Hit::Unit::kApplication, n.attr, std::move(evidence)));
}

bool component_kind_matches(const MatchNode& n, apk::ComponentKind k) {
  if (n.component_kinds.empty()) return true;
  const std::string_view name = apk::component_kind_name(k);
  return std::find(n.component_kinds.begin(), n.component_kinds.end(), name) != n.component_kinds.end();
}

NodeResult components(const MatchNode& n, MatchContext& ctx, const apk::Manifest& m) {
  NodeResult r;
  const re2::RE2* re = n.pattern.empty() ? nullptr : ctx.in.rules.pattern_of(n);
  for (size_t i = 0; i < m.components.size(); ++i) {
    const apk::Component& c = m.components[i];
    if (!component_kind_matches(n, c.kind)) continue;
    if (n.exported && c.exported != *n.exported) continue;
    if (n.permission == "none" && !c.permission.empty()) continue;
    if (!n.permission.empty() && n.permission != "none" && c.permission != n.permission) continue;
    if (re && !re2::RE2::PartialMatch(c.name, *re)) continue;
    std::string matched_action;
    if (!n.actions.empty() || !n.category.empty()) {
      bool any = false;
      for (const apk::IntentFilter& f : c.intent_filters) {
        if (!n.category.empty() && !f.has_category(n.category)) continue;
        if (n.actions.empty()) {
          any = true;
          break;
        }
        for (const auto& a : n.actions)
          if (f.has_action(a)) {
            any = true;
            matched_action = a;
            break;
          }
        if (any) break;
      }
      if (!any) continue;
    }
    Hit h;
    h.unit = Hit::Unit::kComponent;
    h.item = static_cast<uint32_t>(i);
    h.name = c.name;
    h.sdk = ctx.sdk_of_class_name(c.name);
    if (ctx.in.index) {
      const uint32_t cls = ctx.in.index->find_class(code::java_to_descriptor(c.name));
      if (cls != code::kNone) h.cls = cls;
    }
    h.evidence = std::string(apk::component_kind_name(c.kind)) + " " + c.name;
    if (!matched_action.empty()) h.evidence += " receives " + matched_action;
    if (c.exported) h.evidence += c.permission.empty() ? ", exported without permission" : ", exported";
    if (!c.enabled) h.evidence += " (disabled in the manifest; code can enable it)";
    r.hits.push_back(std::move(h));
  }
  return r;
}

}  // namespace

int32_t MatchContext::sdk_of_class_name(std::string_view dotted) const {
  if (!in.catalog) return -1;
  const signatures::Sdk* s = in.catalog->match_component(dotted);
  if (!s) s = in.catalog->match_class(dotted);
  return s ? static_cast<int32_t>(s - in.catalog->sdks().data()) : -1;
}

NodeResult match_manifest(const MatchNode& n, MatchContext& ctx) {
  if (!ctx.in.manifest) return {};
  const apk::Manifest& m = *ctx.in.manifest;
  switch (n.kind) {
    case Kind::kApplicationAttr:
      return application_attr(n, m);
    case Kind::kUsesPermission: {
      const re2::RE2* re = n.pattern.empty() ? nullptr : ctx.in.rules.pattern_of(n);
      for (const auto& p : m.uses_permissions)
        if (re ? re2::RE2::FullMatch(p.name, *re) : p.name == n.name)
          return fact(true, app_hit(Hit::Unit::kPermission, p.name, "uses-permission " + p.name));
      return {};
    }
    case Kind::kComponent:
      return components(n, ctx, m);
    case Kind::kTargetSdk:
    case Kind::kMinSdk: {
      const bool target = n.kind == Kind::kTargetSdk;
      const int v = target ? m.target_sdk : m.min_sdk;
      const bool holds = (!n.below || v < *n.below) && (!n.at_least || v >= *n.at_least);
      const char* what = target ? "targetSdkVersion" : "minSdkVersion";
      return fact(holds, app_hit(Hit::Unit::kApplication, what, std::string(what) + " is " + std::to_string(v)));
    }
    default:
      return {};
  }
}

}  // namespace apkwarden::rules
