// The CI gate: whether a report fails at its --fail-on threshold. A finding counts when it is
// not suppressed and its severity is at or above the threshold; every format shows the same
// verdict because they all ask this function.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "analyzer/report/report.h"

namespace apkwarden::report {

struct GateVerdict {
  std::optional<Severity> fail_on;  // nullopt: "none"
  size_t failing = 0;      // unsuppressed findings at or above fail_on
  size_t suppressed = 0;   // findings marked suppressed (any severity)
  bool failed() const { return failing > 0; }
  const char* name() const { return failed() ? "fail" : "pass"; }
};

GateVerdict evaluate_gate(const Report& report);

// "none" -> nullopt threshold; "info".."critical" -> that severity; anything else -> false.
bool parse_fail_on(std::string_view text, std::optional<Severity>* out);

}  // namespace apkwarden::report
