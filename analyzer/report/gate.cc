#include "analyzer/report/gate.h"

#include <algorithm>

namespace apkwarden::report {

GateVerdict evaluate_gate(const Report& report) {
  GateVerdict v;
  v.fail_on = report.fail_on;
  for (const Finding& f : report.findings) {
    if (f.suppression) {
      ++v.suppressed;
      continue;
    }
    if (f.category == "packer") v.cannot_verify = true;
    if (report.fail_on && f.severity >= *report.fail_on) ++v.failing;
  }
  return v;
}

bool parse_fail_on(std::string_view text, std::optional<Severity>* out) {
  if (text == "none") {
    *out = std::nullopt;
    return true;
  }
  auto s = parse_severity(text);
  if (!s) return false;
  *out = *s;
  return true;
}

}  // namespace apkwarden::report
