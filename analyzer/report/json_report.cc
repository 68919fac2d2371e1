// The JSON report (docs/report-schema.md). Key order is fixed here; arrays come sorted or in
// the app's own order (document order of the manifest, Android's dex order).
#include "analyzer/native/native_json.h"
#include "analyzer/report/gate.h"
#include "analyzer/report/json_writer.h"
#include "analyzer/report/report.h"

namespace apkwarden::report {

namespace {

void write_string_array(JsonWriter& w, std::string_view key, const std::vector<std::string>& items) {
  w.key(key).begin_array();
  for (const auto& s : items) w.value(s);
  w.end_array();
}

void write_optional_string(JsonWriter& w, std::string_view key, const std::string& s) {
  if (s.empty()) w.null_field(key);
  else w.field(key, s);
}

void write_intent_data(JsonWriter& w, const apk::IntentData& d) {
  w.begin_object();
  const std::pair<const char*, const std::string*> parts[] = {
      {"scheme", &d.scheme}, {"host", &d.host}, {"port", &d.port}, {"path", &d.path},
      {"path_prefix", &d.path_prefix}, {"path_pattern", &d.path_pattern}, {"mime_type", &d.mime_type}};
  for (const auto& [k, v] : parts)
    if (!v->empty()) w.field(k, *v);
  w.end_object();
}

void write_component(JsonWriter& w, const apk::Component& c) {
  w.begin_object();
  w.field("kind", apk::component_kind_name(c.kind));
  w.field("name", c.name);
  w.field("exported", c.exported);
  write_optional_string(w, "permission", c.permission);
  w.key("intent_filters").begin_array();
  for (const auto& f : c.intent_filters) {
    w.begin_object();
    write_string_array(w, "actions", f.actions);
    write_string_array(w, "categories", f.categories);
    w.key("data").begin_array();
    for (const auto& d : f.data) write_intent_data(w, d);
    w.end_array();
    w.end_object();
  }
  w.end_array();
  write_optional_string(w, "process", c.process);
  w.field("enabled", c.enabled);
  if (c.kind == apk::ComponentKind::kActivityAlias) w.field("target_activity", c.target_activity);
  if (c.kind == apk::ComponentKind::kProvider) write_optional_string(w, "authorities", c.authorities);
  w.end_object();
}

void write_apk(JsonWriter& w, const Report& r) {
  const apk::Manifest& m = r.manifest;
  w.key("apk").begin_object();
  w.field("path", r.apk.path);
  w.field("sha256", r.apk.sha256);
  w.field("size", r.apk.size);
  w.field("kind", r.apk.kind);
  if (r.has_manifest) {
    w.field("package", m.package);
    w.field("version_code", m.version_code);
    w.field("version_name", m.version_name);
    w.field("min_sdk", m.min_sdk);
    w.field("target_sdk", m.target_sdk);
    write_optional_string(w, "label", m.application.label);
  } else {
    for (const char* k : {"package", "version_code", "version_name", "min_sdk", "target_sdk", "label"})
      w.null_field(k);
  }
  write_string_array(w, "splits", r.apk.splits);
  w.end_object();
}

void write_application(JsonWriter& w, const Report& r) {
  const apk::Application& a = r.manifest.application;
  if (!r.has_manifest || !a.present) {
    w.null_field("application");
    return;
  }
  w.key("application").begin_object();
  write_optional_string(w, "name", a.name);
  w.field("debuggable", a.debuggable);
  w.field("allow_backup", a.allow_backup);
  if (a.uses_cleartext_traffic) w.field("uses_cleartext_traffic", *a.uses_cleartext_traffic);
  else w.null_field("uses_cleartext_traffic");
  write_optional_string(w, "network_security_config", a.network_security_config);
  w.end_object();
}

void write_location(JsonWriter& w, const Location& l) {
  w.key("location").begin_object();
  w.field("kind", location_kind_name(l.kind));
  switch (l.kind) {
    case Location::Kind::kCode:
      w.field("dex", l.dex).field("class", l.class_name).field("method", l.method).field("pc", l.pc);
      if (l.line) w.field("line", *l.line);
      else w.null_field("line");
      break;
    case Location::Kind::kManifest:
      w.field("element", l.element).field("name", l.name);
      break;
    case Location::Kind::kNative:
      w.field("lib", l.lib).field("address", l.address);
      write_optional_string(w, "symbol", l.symbol);
      break;
    case Location::Kind::kResource:
      w.field("path", l.path);
      write_optional_string(w, "name", l.name);
      break;
    case Location::Kind::kNone:
      break;
  }
  w.end_object();
}

void write_sdk(JsonWriter& w, const SdkHit& s) {
  w.begin_object();
  w.field("id", s.id).field("name", s.name).field("vendor", s.vendor);
  write_optional_string(w, "country", s.country);
  w.field("category", s.category).field("present", s.present).field("reachable", s.reachable);
  write_string_array(w, "evidence", s.evidence);
  w.end_object();
}

void write_finding(JsonWriter& w, const Finding& f) {
  w.begin_object();
  w.field("rule", f.rule).field("category", f.category).field("severity", severity_name(f.severity));
  w.field("confidence", f.confidence).field("title", f.title);
  if (f.sdk) w.field("sdk", *f.sdk);
  else w.null_field("sdk");
  write_location(w, f.location);
  write_string_array(w, "evidence", f.evidence);
  write_string_array(w, "regulation", f.regulation);
  write_optional_string(w, "remediation", f.remediation);
  write_optional_string(w, "fingerprint", f.fingerprint);
  w.field("suppressed", f.suppression.has_value());
  if (f.suppression) {
    w.key("suppression").begin_object();
    w.field("kind", f.suppression->kind).field("reason", f.suppression->reason);
    w.end_object();
  } else {
    w.null_field("suppression");
  }
  w.end_object();
}

void write_rule(JsonWriter& w, const RuleInfo& r) {
  w.begin_object();
  w.field("id", r.id).field("title", r.title);
  write_optional_string(w, "description", r.description);
  w.field("category", r.category).field("severity", severity_name(r.severity));
  w.field("confidence", r.confidence);
  write_string_array(w, "regulation", r.regulation);
  write_optional_string(w, "remediation", r.remediation);
  w.end_object();
}

void write_gate(JsonWriter& w, const Report& r) {
  const GateVerdict v = evaluate_gate(r);
  w.key("gate").begin_object();
  w.field("fail_on", v.fail_on ? severity_name(*v.fail_on) : "none");
  w.field("verdict", v.name());
  w.field("failing", static_cast<uint64_t>(v.failing));
  w.field("suppressed", static_cast<uint64_t>(v.suppressed));
  w.end_object();
}

void write_flow_end(JsonWriter& w, std::string_view key, const FlowEnd& e, bool is_source) {
  w.key(key).begin_object();
  w.field("api", e.api);
  w.field(is_source ? "data" : "kind", e.kind);
  if (is_source) write_optional_string(w, "permission", e.permission);
  write_location(w, e.location);
  if (!is_source) {
    // url_or_host holds a constant URL ("http://h/p") or a bare host; both keys are derived.
    const std::string& u = e.url_or_host;
    const size_t scheme = u.find("://");
    write_optional_string(w, "url", scheme == std::string::npos ? std::string() : u);
    std::string host = scheme == std::string::npos ? u : u.substr(scheme + 3);
    host = host.substr(0, host.find_first_of("/:?#"));
    write_optional_string(w, "host", host);
  }
  w.end_object();
}

void write_flow(JsonWriter& w, const Flow& f) {
  w.begin_object();
  write_flow_end(w, "source", f.source, true);
  write_flow_end(w, "sink", f.sink, false);
  write_string_array(w, "path", f.path);
  if (f.sdk) w.field("sdk", *f.sdk);
  else w.null_field("sdk");
  w.end_object();
}

}  // namespace

std::string to_json(const Report& r) {
  JsonWriter w(2);
  w.begin_object();
  w.field("schema_version", kSchemaVersion);
  w.key("tool").begin_object().field("name", "apkwarden").field("version", r.tool_version).end_object();
  write_apk(w, r);

  w.key("permissions").begin_array();
  for (const auto& p : r.permissions) {
    w.begin_object().field("name", p.name).field("protection", p.protection);
    if (p.max_sdk) w.field("max_sdk", *p.max_sdk);
    else w.null_field("max_sdk");
    w.field("sdk23_only", p.sdk23_only);
    w.end_object();
  }
  w.end_array();

  w.key("components").begin_array();
  for (const auto& c : r.manifest.components) write_component(w, c);
  w.end_array();

  write_application(w, r);
  write_string_array(w, "dex_files", r.dex_files);

  w.key("native_libs").begin_array();
  for (const auto& n : r.native_libs) {
    w.begin_object().field("abi", n.abi).field("path", n.path).field("size", n.size);
    if (n.facts) native::write_facts_fields(w, *n.facts, false);
    w.end_object();
  }
  w.end_array();

  w.key("sdks").begin_array();
  for (const auto& s : r.sdks) write_sdk(w, s);
  w.end_array();
  w.key("findings").begin_array();
  for (const auto& f : r.findings) write_finding(w, f);
  w.end_array();
  w.key("flows").begin_array();
  for (const auto& f : r.flows) write_flow(w, f);
  w.end_array();

  w.key("payloads").begin_array();
  for (const auto& p : r.payloads) {
    w.begin_object().field("path", p.path).field("kind", p.kind).field("sha256", p.sha256).field("size", p.size);
    w.field("classes", p.classes);
    write_optional_string(w, "loaded_by", p.loaded_by);
    w.end_object();
  }
  w.end_array();

  w.key("diagnostics").begin_array();
  for (const auto& d : r.diagnostics)
    w.begin_object().field("code", d.code).field("message", d.message).field("where", d.where).end_object();
  w.end_array();

  w.key("rules").begin_array();
  for (const auto& rule : r.rules) write_rule(w, rule);
  w.end_array();
  write_gate(w, r);
  w.end_object();
  return w.take();
}

}  // namespace apkwarden::report
