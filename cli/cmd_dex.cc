// apkwarden dex APP --stats | --dump: the app's DEX code, counted or disassembled.
#include <string>

#include "analyzer/app/dex_inspect.h"
#include "analyzer/app/parallel.h"
#include "analyzer/report/dex_report.h"
#include "cli/command.h"
#include "cli/output.h"

namespace apkwarden::cli {

namespace {

unsigned thread_count(const ParsedArgs& args) {
  const std::string v = args.value_or("threads", "");
  if (v.empty()) return default_threads();
  const int n = std::atoi(v.c_str());
  return n > 0 ? static_cast<unsigned>(n) : 1u;
}

int run_dex(const ParsedArgs& args) {
  const std::string& path = args.positional.at(0);
  const std::string out_path = args.value_or("output", "");
  if (args.flag("dump")) {
    Diagnostics diags;
    auto text = dump_dex(path, args.value_or("class", ""), &diags);
    if (!text.ok()) {
      print_error(path, text.error().message);
      return kExitError;
    }
    for (const auto& d : diags) print_error(d.where, d.code + ": " + d.message);
    return write_output(out_path, *text) ? kExitOk : kExitError;
  }
  DexInspectOptions options;
  options.threads = thread_count(args);
  options.verify = args.flag("verify");
  auto inspection = inspect_dex(path, options);
  if (!inspection.ok()) {
    print_error(path, inspection.error().message);
    return kExitError;
  }
  const std::string format = args.value_or("format", stdout_is_terminal() ? "text" : "json");
  const std::string text = format == "json" ? report::to_json(*inspection) : report::to_text(*inspection);
  return write_output(out_path, text) ? kExitOk : kExitError;
}

}  // namespace

Command dex_command() {
  return {{"dex",
           "APP",
           "Count or disassemble the app's DEX code (every dex Android would load, in order).\n"
           "--stats (the default): classes, methods, decoded instructions and per-opcode counts;\n"
           "--verify adds the structure and instruction verifier's anomalies as diagnostics.\n"
           "--dump: a readable smali-like listing, optionally of the classes matching --class.",
           {{"stats", 's', "", "print statistics (default)", {}},
            {"dump", 'd', "", "print a disassembly instead of statistics", {}},
            {"class", 'c', "PATTERN", "with --dump: only classes whose name matches this RE2 pattern", {}},
            {"verify", 0, "", "run the verifier and report anomalies", {}},
            {"format", 'f', "FORMAT", "statistics format; text on a terminal, json otherwise", {"json", "text"}},
            {"threads", 'j', "N", "worker threads (default: the number of cores)", {}},
            {"output", 'o', "FILE", "write to FILE instead of stdout", {}}},
           1,
           1},
          run_dex};
}

}  // namespace apkwarden::cli
