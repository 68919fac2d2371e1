// The human-readable report: identity first, then the gate verdict and the findings grouped by
// category (one line each, most severe first), SDKs, flows, permissions, exposed components,
// diagnostics. Colour only when asked (the CLI asks on a terminal).
#include <algorithm>
#include <map>
#include <string>

#include "analyzer/report/gate.h"
#include "analyzer/report/report.h"

namespace apkwarden::report {

namespace {

struct Style {
  bool color;
  std::string bold(const std::string& s) const { return color ? "\x1b[1m" + s + "\x1b[0m" : s; }
  std::string red(const std::string& s) const { return color ? "\x1b[31m" + s + "\x1b[0m" : s; }
  std::string yellow(const std::string& s) const { return color ? "\x1b[33m" + s + "\x1b[0m" : s; }
  std::string dim(const std::string& s) const { return color ? "\x1b[2m" + s + "\x1b[0m" : s; }
  std::string green(const std::string& s) const { return color ? "\x1b[32m" + s + "\x1b[0m" : s; }
  std::string severity(Severity sev) const {
    std::string name = severity_name(sev);
    name.resize(8, ' ');
    switch (sev) {
      case Severity::kCritical: return color ? "\x1b[1;31m" + name + "\x1b[0m" : name;
      case Severity::kHigh: return red(name);
      case Severity::kMedium: return yellow(name);
      case Severity::kLow:
      case Severity::kInfo: return dim(name);
    }
    return name;
  }
};

std::string count_by_severity(const std::vector<Finding>& findings) {
  size_t n[5] = {};
  for (const Finding& f : findings) ++n[static_cast<int>(f.severity)];
  std::string out;
  for (int i = 4; i >= 0; --i)
    if (n[i]) out += (out.empty() ? "" : ", ") + std::to_string(n[i]) + " " + severity_name(static_cast<Severity>(i));
  return out;
}

std::string finding_line(const Style& st, const Finding& f) {
  std::string line = "    " + st.severity(f.severity) + " " + f.title + "  " + describe_location(f.location, false);
  line += "  " + st.dim("[" + f.rule + (f.sdk ? ", sdk " + *f.sdk : "") + "]");
  if (f.suppression) line += "  " + st.green("(suppressed: " + f.suppression->reason + ")");
  return line + "\n";
}

void append_findings(std::string& out, const Style& st, const Report& r) {
  const GateVerdict v = evaluate_gate(r);
  out += "\n" + st.bold("Findings") + " (" + std::to_string(r.findings.size());
  if (!r.findings.empty()) out += ": " + count_by_severity(r.findings);
  if (v.suppressed) out += "; " + std::to_string(v.suppressed) + " suppressed";
  out += ")  gate " + (v.cannot_verify ? st.red("CANNOT VERIFY") : v.failed() ? st.red("FAIL") : st.green("PASS"));
  out += v.fail_on ? std::string(" at ") + severity_name(*v.fail_on) + " (" + std::to_string(v.failing) + " failing)"
                   : std::string(" (--fail-on none)");
  out += "\n";
  std::map<std::string, std::vector<const Finding*>> by_category;
  for (const Finding& f : r.findings) by_category[f.category].push_back(&f);
  for (auto& [category, list] : by_category) {
    std::stable_sort(list.begin(), list.end(), [](const Finding* a, const Finding* b) { return a->severity > b->severity; });
    out += "  " + st.bold(category.empty() ? "uncategorised" : category) + "\n";
    for (const Finding* f : list) out += finding_line(st, *f);
  }
}

void append_sdks_and_flows(std::string& out, const Style& st, const Report& r) {
  if (!r.sdks.empty()) {
    out += "\n" + st.bold("SDKs") + " (" + std::to_string(r.sdks.size()) + ")\n";
    for (const SdkHit& s : r.sdks) {
      std::string state = s.present ? "present" : "absent";
      if (s.present) state += s.reachable ? ", reachable" : ", not reachable";
      out += "  " + s.id + "  " + s.name + "  " + st.dim(s.category + (s.country.empty() ? "" : ", " + s.country)) +
             "  " + state + "\n";
    }
  }
  if (!r.flows.empty()) {
    out += "\n" + st.bold("Flows") + " (" + std::to_string(r.flows.size()) + ")\n";
    for (const Flow& f : r.flows) {
      out += "  " + f.source.kind + " -> " + f.sink.kind + "  " + f.source.api + " -> " + f.sink.api;
      if (!f.sink.url_or_host.empty()) out += " (" + f.sink.url_or_host + ")";
      if (f.sdk) out += "  " + st.dim("[sdk " + *f.sdk + "]");
      out += "\n";
    }
  }
}

}  // namespace

std::string to_text(const Report& r, bool color) {
  const Style st{color};
  const apk::Manifest& m = r.manifest;
  std::string out;
  out += st.bold(r.apk.path) + "\n";
  if (r.has_manifest) {
    out += "  package  " + m.package + "  version " + m.version_name + " (" + std::to_string(m.version_code) + ")\n";
    out += "  sdk      min " + std::to_string(m.min_sdk) + ", target " + std::to_string(m.target_sdk) + "\n";
    if (!m.application.label.empty()) out += "  label    " + m.application.label + "\n";
  }
  out += "  sha256   " + r.apk.sha256 + "  (" + std::to_string(r.apk.size) + " bytes)\n";
  out += "  code     " + std::to_string(r.dex_files.size()) + " dex file(s), " +
         std::to_string(r.native_libs.size()) + " native lib(s)\n";
  if (r.has_manifest && m.application.present) {
    const apk::Application& a = m.application;
    if (a.debuggable) out += "  " + st.red("debuggable") + "\n";
    if (a.allow_backup) out += "  " + st.yellow("allowBackup") + " (app data can be copied with adb backup)\n";
    if (a.uses_cleartext_traffic.value_or(false)) out += "  " + st.yellow("usesCleartextTraffic") + "\n";
  }

  append_findings(out, st, r);
  append_sdks_and_flows(out, st, r);

  size_t dangerous = 0;
  for (const auto& p : r.permissions) dangerous += p.protection == "dangerous";
  out += "\n" + st.bold("Permissions") + " (" + std::to_string(r.permissions.size()) + ", " +
         std::to_string(dangerous) + " dangerous)\n";
  for (const auto& p : r.permissions) {
    const std::string line = "  " + p.name + "  " + st.dim(p.protection);
    out += (p.protection == "dangerous" ? st.yellow(line) : line) + "\n";
  }

  size_t exported = 0;
  for (const auto& c : m.components) exported += c.exported;
  out += "\n" + st.bold("Components") + " (" + std::to_string(m.components.size()) + ", " +
         std::to_string(exported) + " exported)\n";
  for (const auto& c : m.components) {
    std::string line = "  " + std::string(apk::component_kind_name(c.kind)) + "  " + c.name;
    if (c.exported) line += c.permission.empty() ? "  exported" : "  exported (" + c.permission + ")";
    if (!c.enabled) line += "  disabled";
    out += line + "\n";
  }

  if (!r.diagnostics.empty()) {
    out += "\n" + st.bold("Diagnostics") + " (" + std::to_string(r.diagnostics.size()) + ")\n";
    for (const auto& d : r.diagnostics) out += "  " + d.code + "  " + d.where + ": " + d.message + "\n";
  }
  return out;
}

}  // namespace apkwarden::report
