// The SARIF 2.1.0 report (OASIS sarif-v2.1.0; docs/report-formats.md): one run, the APK as the
// analysed artifact, tool.driver.rules from the rules' metadata, one result per finding with
// its location twice over: physically (the APK, a region GitHub can show) and logically
// (class/method, manifest element, native symbol). partialFingerprints carries the finding's
// stable fingerprint; suppressed findings keep their result and gain a `suppressions` entry.
// Taint flows whose source or sink lies in a finding's method become that result's codeFlows;
// the others are results of the formatter's own rule "data-flow" (level note).
#include <cstdio>
#include <map>

#include "analyzer/report/gate.h"
#include "analyzer/report/json_writer.h"
#include "analyzer/report/report.h"

namespace apkwarden::report {

namespace {

constexpr std::string_view kSarifSchema = "https://json.schemastore.org/sarif-2.1.0.json";
constexpr std::string_view kFingerprintKey = "apkwarden/v1";
constexpr std::string_view kFlowRuleId = "data-flow";

const char* sarif_level(Severity s) {
  switch (s) {
    case Severity::kCritical:
    case Severity::kHigh: return "error";
    case Severity::kMedium: return "warning";
    case Severity::kLow:
    case Severity::kInfo: return "note";
  }
  return "warning";
}

// GitHub code scanning's "security-severity" (0.1-10): its buckets low < 4 <= medium < 7 <=
// high < 9 <= critical.
const char* security_severity(Severity s) {
  switch (s) {
    case Severity::kCritical: return "9.5";
    case Severity::kHigh: return "8.0";
    case Severity::kMedium: return "5.5";
    case Severity::kLow: return "3.0";
    case Severity::kInfo: return "0.5";
  }
  return "5.5";
}

// A path as a URI reference (RFC 3986): unreserved characters and '/' as they are, the rest
// percent-encoded; an absolute path becomes a file:// URI.
std::string path_uri(const std::string& path) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out = !path.empty() && path[0] == '/' ? "file://" : "";
  for (unsigned char c : path) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '.' || c == '_' || c == '~' || c == '/';
    if (keep) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// "ManifestDebuggable" from "manifest-debuggable": SARIF's rule `name` is an identifier.
std::string rule_name(std::string_view id) {
  std::string out;
  bool upper = true;
  for (char c : id) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum) {
      upper = true;
      continue;
    }
    out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    upper = false;
  }
  return out;
}

// SARIF wants messages that end with a period.
std::string sentence(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n')) s.pop_back();
  if (s.empty()) return s;
  if (s.back() != '.' && s.back() != '!' && s.back() != '?') s += '.';
  return s;
}

std::string join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : sep) + s;
  return out;
}

// The rules in driver order: report.rules first (sorted by id), then any rule a finding names
// that has no metadata (described from the finding), then "data-flow" when a flow needs it.
struct DriverRules {
  std::vector<RuleInfo> rules;
  std::map<std::string, size_t> index;
};

DriverRules driver_rules(const Report& r, bool need_flow_rule) {
  DriverRules d;
  for (const RuleInfo& ri : r.rules) d.rules.push_back(ri);
  for (const Finding& f : r.findings) {
    if (r.find_rule(f.rule)) continue;
    bool known = false;
    for (const RuleInfo& ri : d.rules) known |= ri.id == f.rule;
    if (!known) d.rules.push_back({f.rule, f.title, "", f.category, f.severity, f.confidence, f.regulation, f.remediation});
  }
  if (need_flow_rule)
    d.rules.push_back({std::string(kFlowRuleId), "Personal data flows from a source to a sink",
                       "Taint analysis found a path from an API that returns personal data to an API that sends or "
                       "stores it.",
                       "data-flow", Severity::kInfo, "medium", {}, ""});
  for (size_t i = 0; i < d.rules.size(); ++i) d.index.emplace(d.rules[i].id, i);
  return d;
}

void write_text(JsonWriter& w, std::string_view key, const std::string& text) {
  w.key(key).begin_object().field("text", sentence(text)).end_object();
}

void write_rule(JsonWriter& w, const RuleInfo& ri) {
  w.begin_object();
  w.field("id", ri.id).field("name", rule_name(ri.id));
  write_text(w, "shortDescription", ri.title.empty() ? ri.id : ri.title);
  write_text(w, "fullDescription", ri.description.empty() ? (ri.title.empty() ? ri.id : ri.title) : ri.description);
  std::string help = ri.description.empty() ? ri.title : ri.description;
  std::string markdown = "**" + (ri.title.empty() ? ri.id : ri.title) + "**\n\n" + sentence(help);
  if (!ri.remediation.empty()) {
    help = sentence(help) + " Remediation: " + sentence(ri.remediation);
    markdown += "\n\n**Remediation:** " + sentence(ri.remediation);
  }
  if (!ri.regulation.empty()) {
    help = sentence(help) + " Regulation: " + join(ri.regulation, "; ");
    markdown += "\n\n**Regulation:**\n";
    for (const auto& reg : ri.regulation) markdown += "\n- " + reg;
  }
  w.key("help").begin_object().field("text", sentence(help)).field("markdown", markdown).end_object();
  w.key("defaultConfiguration").begin_object().field("level", sarif_level(ri.severity)).end_object();
  w.key("properties").begin_object();
  w.field("category", ri.category).field("severity", severity_name(ri.severity));
  if (!ri.confidence.empty()) w.field("precision", ri.confidence);
  w.field("security-severity", security_severity(ri.severity));
  w.key("regulation").begin_array();
  for (const auto& reg : ri.regulation) w.value(reg);
  w.end_array();
  w.key("tags").begin_array().value("security").value(ri.category).end_array();
  w.end_object();
  w.end_object();
}

// The physical location: the APK (artifact 0) and a region. An APK has no lines; GitHub code
// scanning needs region.startLine, so it is the debug line when the dex has one, else 1.
void write_physical(JsonWriter& w, const Report& r, const Location& l) {
  w.key("physicalLocation").begin_object();
  w.key("artifactLocation").begin_object().field("uri", path_uri(r.apk.path)).field("index", 0).end_object();
  w.key("region").begin_object();
  w.field("startLine", l.kind == Location::Kind::kCode && l.line && *l.line > 0 ? *l.line : 1u);
  w.end_object();
  w.end_object();
}

void write_logical(JsonWriter& w, const Location& l) {
  w.key("logicalLocations").begin_array();
  const auto entry = [&](const std::string& name, const std::string& fqn, const char* kind) {
    w.begin_object().field("name", name).field("fullyQualifiedName", fqn).field("kind", kind).end_object();
  };
  switch (l.kind) {
    case Location::Kind::kCode:
      if (l.method.empty()) entry(l.class_name, l.class_name, "type");
      else entry(l.method, l.class_name + "." + l.method, "function");
      break;
    case Location::Kind::kManifest:
      entry(l.name.empty() ? l.element : l.name, "AndroidManifest.xml/" + l.element + (l.name.empty() ? "" : "/" + l.name),
            "element");
      break;
    case Location::Kind::kNative:
      if (l.symbol.empty()) entry(l.lib, l.lib, "module");
      else entry(l.symbol, l.lib + "!" + l.symbol, "function");
      break;
    case Location::Kind::kResource:
      entry(l.name.empty() ? l.path : l.name, l.path + (l.name.empty() ? "" : "/" + l.name), "resource");
      break;
    case Location::Kind::kNone:
      break;
  }
  w.end_array();
}

void write_location(JsonWriter& w, const Report& r, const Location& l, const std::string& message) {
  w.begin_object();
  write_physical(w, r, l);
  if (l.kind != Location::Kind::kNone) write_logical(w, l);
  if (!message.empty()) write_text(w, "message", message);
  w.end_object();
}

void write_code_flow(JsonWriter& w, const Report& r, const Flow& f) {
  w.begin_object();
  write_text(w, "message", f.source.kind + " from " + f.source.api + " reaches " + f.sink.kind + " sink " + f.sink.api);
  w.key("threadFlows").begin_array().begin_object().key("locations").begin_array();
  const auto step = [&](const Location& l, const std::string& text, int nesting) {
    w.begin_object().key("location");
    write_location(w, r, l, text);
    w.field("nestingLevel", nesting).end_object();
  };
  step(f.source.location, "source: " + f.source.api, 0);
  for (const std::string& m : f.path) {
    Location l;
    l.kind = Location::Kind::kNone;
    w.begin_object().key("location").begin_object();
    write_physical(w, r, l);
    w.key("logicalLocations").begin_array();
    w.begin_object().field("fullyQualifiedName", m).field("kind", "function").end_object();
    w.end_array();
    write_text(w, "message", "via " + m);
    w.end_object().field("nestingLevel", 1).end_object();
  }
  step(f.sink.location, "sink: " + f.sink.api + (f.sink.url_or_host.empty() ? "" : " (" + f.sink.url_or_host + ")"), 0);
  w.end_array().end_object().end_array();
  w.end_object();
}

std::string finding_message(const Finding& f) {
  std::string m = sentence(f.title.empty() ? f.rule : f.title);
  if (f.sdk) m += " Owning SDK: " + *f.sdk + ".";
  if (!f.evidence.empty()) m += " Evidence: " + sentence(join(f.evidence, "; "));
  return m;
}

void write_finding_result(JsonWriter& w, const Report& r, const DriverRules& d, const Finding& f) {
  w.begin_object();
  w.field("ruleId", f.rule).field("ruleIndex", static_cast<uint64_t>(d.index.at(f.rule)));
  w.field("level", sarif_level(f.severity));
  write_text(w, "message", finding_message(f));
  w.key("locations").begin_array();
  write_location(w, r, f.location, "");
  w.end_array();
  w.key("partialFingerprints").begin_object().field(kFingerprintKey, f.fingerprint).end_object();
  std::vector<const Flow*> flows;
  for (const Flow& fl : r.flows)
    if (flow_matches_finding(fl, f)) flows.push_back(&fl);
  if (!flows.empty()) {
    w.key("codeFlows").begin_array();
    for (const Flow* fl : flows) write_code_flow(w, r, *fl);
    w.end_array();
  }
  if (f.suppression) {
    w.key("suppressions").begin_array().begin_object();
    w.field("kind", "external").field("status", "accepted").field("justification", f.suppression->reason);
    w.key("properties").begin_object().field("suppressedBy", f.suppression->kind).end_object();
    w.end_object().end_array();
  }
  w.key("properties").begin_object();
  w.field("category", f.category).field("severity", severity_name(f.severity)).field("confidence", f.confidence);
  if (f.sdk) w.field("sdk", *f.sdk);
  w.key("evidence").begin_array();
  for (const auto& e : f.evidence) w.value(e);
  w.end_array();
  w.key("regulation").begin_array();
  for (const auto& reg : f.regulation) w.value(reg);
  w.end_array();
  if (!f.remediation.empty()) w.field("remediation", f.remediation);
  if (f.location.kind == Location::Kind::kCode) w.field("dex", f.location.dex).field("pc", f.location.pc);
  if (f.location.kind == Location::Kind::kNative) w.field("address", f.location.address);
  w.end_object();
  w.end_object();
}

void write_flow_result(JsonWriter& w, const Report& r, const DriverRules& d, const Flow& f) {
  w.begin_object();
  w.field("ruleId", kFlowRuleId).field("ruleIndex", static_cast<uint64_t>(d.index.at(std::string(kFlowRuleId))));
  w.field("level", "note");
  std::string msg = f.source.kind + " from " + f.source.api + " reaches " + f.sink.kind + " sink " + f.sink.api;
  if (!f.sink.url_or_host.empty()) msg += " (" + f.sink.url_or_host + ")";
  if (f.sdk) msg += " in SDK " + *f.sdk;
  write_text(w, "message", msg);
  w.key("locations").begin_array();
  write_location(w, r, f.sink.location, "");
  w.end_array();
  w.key("codeFlows").begin_array();
  write_code_flow(w, r, f);
  w.end_array();
  w.end_object();
}

bool flow_has_finding(const Report& r, const Flow& fl) {
  for (const Finding& f : r.findings)
    if (flow_matches_finding(fl, f)) return true;
  return false;
}

}  // namespace

std::string to_sarif(const Report& r) {
  bool need_flow_rule = false;
  for (const Flow& fl : r.flows) need_flow_rule |= !flow_has_finding(r, fl);
  const DriverRules d = driver_rules(r, need_flow_rule);

  JsonWriter w(2);
  w.begin_object();
  w.field("$schema", kSarifSchema).field("version", "2.1.0");
  w.key("runs").begin_array().begin_object();

  w.key("tool").begin_object().key("driver").begin_object();
  w.field("name", "apkwarden").field("version", r.tool_version).field("semanticVersion", r.tool_version);
  w.key("rules").begin_array();
  for (const RuleInfo& ri : d.rules) write_rule(w, ri);
  w.end_array();
  w.end_object().end_object();

  w.key("invocations").begin_array().begin_object();
  w.field("executionSuccessful", true);
  w.key("toolExecutionNotifications").begin_array();
  for (const Diagnostic& diag : r.diagnostics) {
    w.begin_object();
    w.key("descriptor").begin_object().field("id", diag.code).end_object();
    w.field("level", "warning");
    write_text(w, "message", diag.where.empty() ? diag.message : diag.where + ": " + diag.message);
    w.end_object();
  }
  w.end_array();
  w.end_object().end_array();

  w.key("artifacts").begin_array().begin_object();
  w.key("location").begin_object().field("uri", path_uri(r.apk.path)).end_object();
  w.field("length", r.apk.size);
  w.field("mimeType", "application/vnd.android.package-archive");
  w.key("roles").begin_array().value("analysisTarget").end_array();
  if (!r.apk.sha256.empty()) w.key("hashes").begin_object().field("sha-256", r.apk.sha256).end_object();
  w.end_object().end_array();

  w.key("results").begin_array();
  for (const Finding& f : r.findings) write_finding_result(w, r, d, f);
  for (const Flow& fl : r.flows)
    if (!flow_has_finding(r, fl)) write_flow_result(w, r, d, fl);
  w.end_array();

  const GateVerdict v = evaluate_gate(r);
  w.key("properties").begin_object();
  w.field("package", r.has_manifest ? r.manifest.package : "");
  w.field("failOn", v.fail_on ? severity_name(*v.fail_on) : "none").field("verdict", v.name());
  w.end_object();

  w.end_object().end_array();
  w.end_object();
  return w.take();
}

}  // namespace apkwarden::report
