// apkwarden scan APP: analyse one app, print its report in one format, and act as a CI gate.
#include <cstdlib>

#include "analyzer/app/scan.h"
#include "analyzer/report/gate.h"
#include "cli/budget.h"
#include "cli/command.h"
#include "cli/dataflow_options.h"
#include "cli/gate_options.h"
#include "cli/knowledge_options.h"
#include "cli/output.h"

namespace apkwarden::cli {

namespace {

std::string format_report(const report::Report& r, const std::string& format, bool color) {
  if (format == "json") return report::to_json(r);
  if (format == "sarif") return report::to_sarif(r);
  if (format == "html") return report::to_html(r);
  return report::to_text(r, color);
}

int run_scan(const ParsedArgs& args) {
  const std::string& path = args.positional.at(0);
  Budget budget;
  if (auto error = parse_budget(args, &budget)) {
    print_error("scan", *error);
    return kExitError;
  }
  enforce_budget(budget, path);
  ScanOptions options;
  options.tool_version = APKWARDEN_VERSION;
  options.analyze_code = !args.flag("no-code");
  options.signatures = !args.flag("no-signatures");
  if (auto t = args.value("threads")) {
    char* end = nullptr;
    const unsigned long n = std::strtoul(t->c_str(), &end, 10);
    if (t->empty() || *end || n == 0 || n > 1024) {
      print_error(path, "--threads must be a number from 1 to 1024, not '" + *t + "'");
      return kExitError;
    }
    options.threads = static_cast<unsigned>(n);
  }
  // The knowledge base is compiled only when a pass will read it (it is most of a --no-code
  // scan's time otherwise); files the user names are always checked.
  if ((options.analyze_code && options.signatures) || args.value("trackers") || args.value("rules")) {
    auto catalog = load_catalog(args);
    if (!catalog.ok()) {
      print_error(args.value_or("trackers", "signatures/sdks"), catalog.error().message);
      return kExitError;
    }
    auto rules = load_rules(args);
    if (!rules.ok()) {
      print_error(args.value_or("rules", "signatures/rules"), rules.error().message);
      return kExitError;
    }
    options.sdk_catalog = catalog.value();
    options.rules = rules.value();
  }
  report::Suppressions suppressions;
  if (!load_suppressions(args, &suppressions)) return kExitError;

  if (auto err = apply_dataflow_options(args, options)) {
    print_error(path, *err);
    return kExitError;
  }
  auto report = scan_app(path, options);
  if (!report.ok()) {
    print_error(path, report.error().message);
    return kExitError;
  }
  if (!apply_gate_options(args, suppressions, *report)) return kExitError;

  const std::string format = args.value_or("format", stdout_is_terminal() ? "text" : "json");
  const std::string out_path = args.value_or("output", "");
  const bool to_terminal = (out_path.empty() || out_path == "-") && stdout_is_terminal();
  const bool color = format == "text" && to_terminal && !args.flag("no-color") && !std::getenv("NO_COLOR");
  if (!write_output(out_path, format_report(*report, format, color))) return kExitError;
  return report::evaluate_gate(*report).failed() ? kExitFindings : kExitOk;
}

CommandSpec scan_spec() {
  CommandSpec spec{
      "scan",
      "APP",
      "Analyse one app (.apk, .apks/.xapk split bundle, or bare .dex) and print its report:\n"
      "identity, permissions, components, SDKs, findings, flows and diagnostics, as JSON (the\n"
      "documented, versioned contract, docs/report-schema.md), SARIF 2.1.0, one self-contained\n"
      "HTML page, or text. As a CI gate: exit 0 when analysed and nothing unsuppressed is at or\n"
      "above --fail-on, 1 when something is, 2 when the app (or a baseline/suppression file)\n"
      "cannot be read, or when it exceeds its time or memory budget; errors win.",
      {{"format", 'f', "FORMAT", "output format; text on a terminal, json otherwise", {"json", "sarif", "html", "text"}},
       {"output", 'o', "FILE", "write the report to FILE instead of stdout", {}},
       {"no-color", 0, "", "no colour in text output (also: NO_COLOR set)", {}},
       {"threads", 'j', "N", "worker threads (default: the number of cores); output is the same for any N", {}},
       {"no-code", 0, "", "identity, manifest, container and payload facts only: no code analysis, SDKs, rules or flows (fast triage)", {}},
       {"no-signatures", 0, "", "skip SDK detection and the behaviour rules (inventory only)", {}},
       rules_option(),
       trackers_option(),
       DATAFLOW_SCAN_OPTIONS},
      1,
      1};
  for (auto& o : gate_option_specs()) spec.options.push_back(std::move(o));
  for (auto& o : budget_options()) spec.options.push_back(std::move(o));
  return spec;
}

}  // namespace

Command scan_command() { return {scan_spec(), run_scan}; }

}  // namespace apkwarden::cli
