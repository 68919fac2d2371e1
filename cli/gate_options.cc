#include "cli/gate_options.h"

#include <fstream>
#include <iterator>

#include "analyzer/report/fingerprint.h"
#include "analyzer/report/gate.h"
#include "cli/output.h"
#include "dex/limits.h"

namespace apkwarden::cli {

namespace {

// The whole file, or false with a message printed.
bool read_small_file(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    print_error(path, "cannot open the file");
    return false;
  }
  in.seekg(0, std::ios::end);
  const auto size = in.tellg();
  if (size < 0 || static_cast<uint64_t>(size) > limits::kMaxGateFileBytes) {
    print_error(path, "larger than " + std::to_string(limits::kMaxGateFileBytes >> 20) + " MiB");
    return false;
  }
  in.seekg(0);
  out->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

template <class Parse>
bool load_file(const std::string& path, report::Suppressions* out, Parse parse) {
  std::string text;
  if (!read_small_file(path, &text)) return false;
  auto parsed = parse(text, path, out);
  if (!parsed.ok()) {
    std::fprintf(stderr, "apkwarden: %s\n", parsed.error().message.c_str());
    return false;
  }
  return true;
}

}  // namespace

std::vector<OptionSpec> gate_option_specs() {
  return {
      {"fail-on", 0, "SEVERITY", "exit 1 when an unsuppressed finding is at or above SEVERITY (default none)",
       {"none", "info", "low", "medium", "high", "critical"}},
      {"baseline", 0, "FILE", "findings whose fingerprint is in FILE are suppressed (see --write-baseline)", {}},
      {"write-baseline", 0, "FILE", "write the fingerprints of all findings to FILE", {}},
      {"suppress", 0, "RULE|SDK", "suppress the findings of a rule id or of an SDK id", {}, true},
      {"suppressions", 0, "FILE", "suppression file: 'rule|sdk|fingerprint VALUE REASON' per line", {}, true},
  };
}

bool load_suppressions(const ParsedArgs& args, report::Suppressions* out) {
  for (const auto& path : args.values("baseline"))
    if (!load_file(path, out, report::parse_baseline)) return false;
  for (const auto& path : args.values("suppressions"))
    if (!load_file(path, out, report::parse_suppression_file)) return false;
  for (const auto& value : args.values("suppress")) out->entries.push_back(report::command_line_suppression(value));
  return true;
}

bool apply_gate_options(const ParsedArgs& args, const report::Suppressions& suppressions, report::Report& report) {
  report::assign_fingerprints(report);
  report::apply_suppressions(suppressions, report);
  report::parse_fail_on(args.value_or("fail-on", "none"), &report.fail_on);
  if (auto path = args.value("write-baseline")) return write_output(*path, report::baseline_text(report));
  return true;
}

}  // namespace apkwarden::cli
