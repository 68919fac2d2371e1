// apkwarden scan APP: analyse one app and print its report.
#include "analyzer/app/scan.h"
#include "cli/command.h"
#include "cli/dataflow_options.h"
#include "cli/output.h"

namespace apkwarden::cli {

namespace {

int run_scan(const ParsedArgs& args) {
  const std::string& path = args.positional.at(0);
  ScanOptions options;
  options.tool_version = APKWARDEN_VERSION;
  if (auto err = apply_dataflow_options(args, options)) return print_error(path, *err), kExitError;
  auto report = scan_app(path, options);
  if (!report.ok()) {
    print_error(path, report.error().message);
    return kExitError;
  }
  const std::string format = args.value_or("format", stdout_is_terminal() ? "text" : "json");
  const std::string out_path = args.value_or("output", "");
  const bool color = format == "text" && out_path.empty() && stdout_is_terminal() && !args.flag("no-color");
  const std::string text = format == "json" ? report::to_json(*report) : report::to_text(*report, color);
  return write_output(out_path, text) ? kExitOk : kExitError;
}

}  // namespace

Command scan_command() {
  return {{"scan",
           "APP",
           "Analyse one app (.apk, .apks/.xapk split bundle, or bare .dex) and print its report:\n"
           "identity, permissions, components, code files and diagnostics. JSON is the documented,\n"
           "versioned contract (docs/report-schema.md). Exit 0 when analysed, 2 when the file\n"
           "cannot be analysed.",
           {{"format", 'f', "FORMAT", "output format; text on a terminal, json otherwise", {"json", "text"}},
            {"output", 'o', "FILE", "write the report to FILE instead of stdout", {}},
            {"no-color", 0, "", "no colour in text output", {}},
            DATAFLOW_SCAN_OPTIONS},
           1,
           1},
          run_scan};
}

}  // namespace apkwarden::cli
