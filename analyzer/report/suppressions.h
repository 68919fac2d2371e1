// What the CI gate does not count: a baseline (fingerprints of findings accepted earlier),
// --suppress RULE|SDK on the command line, and a suppression file with a reason per entry.
// Suppressed findings stay in the report, marked with Finding::suppression, in every format.
//
// Baseline file (written by --write-baseline; one finding a line, '#' starts a comment):
//   # apkwarden baseline v1
//   <fingerprint> <TAB> <rule> <TAB> <where>        only the first field is read
//
// Suppression file (one entry a line, '#' comments, blank lines ignored):
//   rule manifest-allow-backup   Backups are encrypted by our MDM profile (SEC-142)
//   sdk com.umeng                Analytics is disclosed in the privacy policy, section 4
//   fingerprint 3f2a…            Reviewed false positive, ticket APP-77
// The reason is required: an entry without one is an error naming the line.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/report/report.h"
#include "dex/result.h"

namespace apkwarden::report {

struct SuppressionEntry {
  std::string kind;    // "rule", "sdk", "fingerprint", or "rule-or-sdk" (--suppress)
  std::string value;
  std::string reason;
};

struct Suppressions {
  std::set<std::string> baseline;       // fingerprints
  std::vector<SuppressionEntry> entries;  // first match wins, in the order given

  bool empty() const { return baseline.empty() && entries.empty(); }
};

// Parses a baseline file's text into `out->baseline`. `name` names the file in errors.
Result<size_t> parse_baseline(std::string_view text, std::string_view name, Suppressions* out);

// Parses a suppression file's text into `out->entries`.
Result<size_t> parse_suppression_file(std::string_view text, std::string_view name, Suppressions* out);

// An entry for `--suppress VALUE` (matches a rule id or an SDK id).
SuppressionEntry command_line_suppression(std::string value);

// Marks every finding the suppressions cover. Needs fingerprints (assign_fingerprints) first.
// Entries win over the baseline, so a finding carries the reason a person wrote.
void apply_suppressions(const Suppressions& s, Report& report);

// The baseline text for every finding of `report` (suppressed or not), sorted by fingerprint.
std::string baseline_text(const Report& report);

}  // namespace apkwarden::report
