// A subcommand: its argument declaration and the function that runs it. The list of all
// subcommands lives in main.cc.
#pragma once

#include "cli/args.h"

namespace apkwarden::cli {

// Exit codes (ripgrep's convention): 0 success, 1 findings at/above the threshold, 2 error.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitError = 2;

struct Command {
  CommandSpec spec;
  int (*run)(const ParsedArgs& args);
};

Command scan_command();
Command manifest_command();
Command dex_command();
Command rules_command();
Command sdks_command();
Command native_command();
Command batch_command();
Command report_command();
Command export_command();
Command merge_command();

}  // namespace apkwarden::cli
