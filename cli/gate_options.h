// The CI gate's command-line options (--fail-on, --baseline, --write-baseline, --suppress,
// --suppressions), declared once for every command that reports findings, and their effect
// on a scanned report: fingerprints, suppressions and the threshold.
#pragma once

#include <vector>

#include "analyzer/report/report.h"
#include "analyzer/report/suppressions.h"
#include "cli/args.h"

namespace apkwarden::cli {

std::vector<OptionSpec> gate_option_specs();

// Reads the baseline and suppression files named by `args` (before the scan, so a bad file
// stops the run early). Prints a message naming the file and returns false on any error.
bool load_suppressions(const ParsedArgs& args, report::Suppressions* out);

// Fingerprints, suppressions and the --fail-on threshold applied to `report`; then writes the
// baseline when --write-baseline asks. False (message printed) when it cannot be written.
bool apply_gate_options(const ParsedArgs& args, const report::Suppressions& suppressions, report::Report& report);

}  // namespace apkwarden::cli
