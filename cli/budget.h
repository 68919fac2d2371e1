// The per-app budget of a command: wall-clock time and memory, from --timeout and --max-memory
// (defaults in dex/limits.h). A watchdog thread ends the process with exit 2 and a message naming
// the app when time runs out; memory is capped with RLIMIT_AS, and running out of it ends the
// command with exit 2 in main.cc (except in sanitizer builds, whose shadow memory needs the
// whole address space).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/args.h"

namespace apkwarden::cli {

struct Budget {
  unsigned timeout_seconds = 0;  // 0: none
  uint64_t memory_mib = 0;       // 0: none
};

// The --timeout and --max-memory options, for a command's spec.
std::vector<OptionSpec> budget_options();

// The budget the arguments ask for; an error message when a value is not a number.
std::optional<std::string> parse_budget(const ParsedArgs& args, Budget* out);

// Applies `budget` to the rest of this process; `what` (the app's path) names it in messages.
void enforce_budget(const Budget& budget, const std::string& what);

// The memory budget in force (0: none), for main.cc's out-of-memory message.
uint64_t memory_budget_mib();

}  // namespace apkwarden::cli
