// The human-readable report: identity first, then permissions, exposed components, diagnostics.
#include <string>

#include "analyzer/report/report.h"

namespace apkwarden::report {

namespace {

struct Style {
  bool color;
  std::string bold(const std::string& s) const { return color ? "\x1b[1m" + s + "\x1b[0m" : s; }
  std::string red(const std::string& s) const { return color ? "\x1b[31m" + s + "\x1b[0m" : s; }
  std::string yellow(const std::string& s) const { return color ? "\x1b[33m" + s + "\x1b[0m" : s; }
  std::string dim(const std::string& s) const { return color ? "\x1b[2m" + s + "\x1b[0m" : s; }
};

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
