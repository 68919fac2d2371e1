// The CI gate: whether a report fails at its --fail-on threshold. A finding counts when it is
// not suppressed and its severity is at or above the threshold; every format shows the same
// verdict because they all ask this function.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "analyzer/report/report.h"

namespace apkwarden::report {

// A packed app (an unsuppressed finding of category "packer": a packer's stub, an encrypted
// payload next to a loader) is never a clean pass: its verdict is "cannot-verify", and it fails
// the gate at any threshold other than none.
struct GateVerdict {
  std::optional<Severity> fail_on;  // nullopt: "none"
  size_t failing = 0;      // unsuppressed findings at or above fail_on
  size_t suppressed = 0;   // findings marked suppressed (any severity)
  bool cannot_verify = false;  // the analysed code is not the code that runs
  bool failed() const { return failing > 0 || (fail_on && cannot_verify); }
  const char* name() const { return cannot_verify ? "cannot-verify" : failed() ? "fail" : "pass"; }
};

GateVerdict evaluate_gate(const Report& report);

// "none" -> nullopt threshold; "info".."critical" -> that severity; anything else -> false.
bool parse_fail_on(std::string_view text, std::optional<Severity>* out);

}  // namespace apkwarden::report
