// apkwarden report DB: catalog summary tables over a batch store, as text, CSV or HTML.
#include <cstdlib>

#include "analyzer/batch/summary.h"
#include "cli/command.h"
#include "cli/output.h"
#include "cli/store_access.h"

namespace apkwarden::cli {

namespace {

int run_report(const ParsedArgs& args) {
  const std::string& location = args.positional.at(0);
  auto store = open_existing_store(location);
  if (!store) return kExitError;
  std::string ruleset;
  if (auto v = args.value("ruleset")) {
    ruleset = *v;
  } else {
    auto latest = batch::latest_ruleset(store->db());
    if (!latest.ok()) return print_error(location, latest.error().message), kExitError;
    ruleset = *latest;
  }
  const int top = std::atoi(args.value_or("top", "20").c_str());
  if (top <= 0) return print_error("--top", "wants a positive number"), kExitError;
  auto summary = batch::summarize(store->db(), ruleset, top);
  if (!summary.ok()) return print_error(location, summary.error().message), kExitError;
  const std::string format = args.value_or("format", "text");
  const std::string text = format == "csv"    ? batch::summary_csv(*summary)
                           : format == "html" ? batch::summary_html(*summary)
                                              : batch::summary_text(*summary);
  return write_output(args.value_or("output", ""), text) ? kExitOk : kExitError;
}

}  // namespace

Command report_command() {
  return {{"report",
           "DB",
           "Summarise a batch store: apps by verdict, findings by category and severity, top SDKs,\n"
           "top violating apps and errors by reason, for one rule-set version (default: the newest).",
           {{"format", 'f', "FORMAT", "output format (default text)", {"text", "csv", "html"}},
            {"output", 'o', "FILE", "write to FILE instead of stdout", {}},
            {"top", 0, "N", "rows in the top-SDK and top-app tables (default 20)", {}},
            {"ruleset", 0, "VERSION", "rule-set version to summarise (default: the newest in the store)", {}}},
           1,
           1},
          run_report};
}

}  // namespace apkwarden::cli
