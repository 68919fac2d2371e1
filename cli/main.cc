// apkwarden command-line entry point: finds the subcommand, parses its arguments, runs it.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <new>
#include <string>
#include <system_error>
#include <string_view>
#include <vector>

#include "cli/budget.h"
#include "cli/command.h"

namespace {

using apkwarden::cli::Command;

std::vector<Command> all_commands() {
  using namespace apkwarden::cli;
  return {
      scan_command(),
      manifest_command(),
      dex_command(),
      rules_command(),
      sdks_command(),
      native_command(),
      batch_command(),
      report_command(),
      export_command(),
      merge_command(),
  };
}

void print_usage(FILE* out) {
  std::fprintf(out,
               "usage: apkwarden <command> [options] ARGS\n\n"
               "Static analyzer for Android apps: personal data flows, pop-up and splash ads,\n"
               "self-start, link blocking and the other behaviours of MIIT's 2021 campaign.\n\n"
               "commands:\n");
  for (const Command& c : all_commands()) {
    const std::string& s = c.spec.summary;
    std::fprintf(out, "  %-10s %s\n", c.spec.name.c_str(), s.substr(0, s.find_first_of(".:\n")).c_str());
  }
  std::fprintf(out, "\n'apkwarden <command> --help' describes each command. 'apkwarden --version' prints the version.\n");
}

// `what`: the file being analysed (or the command).
int report_out_of_memory(const std::string& what) {
  const uint64_t mib = apkwarden::cli::memory_budget_mib();
  const std::string budget = mib ? " (the budget is " + std::to_string(mib) + " MiB, --max-memory)" : "";
  std::fprintf(stderr, "apkwarden: %s: out of memory%s\n", what.c_str(), budget.c_str());
  return apkwarden::cli::kExitError;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace apkwarden::cli;
  // libzip converts every entry's DOS time with mktime(), and glibc's mktime re-checks
  // /etc/localtime on each call unless TZ is set: 3,800 stat() calls (half the run time) for an
  // 18 MB APK. apkwarden never prints local times, so a fixed zone changes nothing else.
  setenv("TZ", "UTC", /*overwrite=*/0);
  if (argc < 2) {
    print_usage(stderr);
    return kExitError;
  }
  const std::string_view first = argv[1];
  if (first == "--version" || first == "-V") {
    std::printf("apkwarden %s\n", APKWARDEN_VERSION);
    return kExitOk;
  }
  if (first == "--help" || first == "-h" || first == "help") {
    print_usage(stdout);
    return kExitOk;
  }
  for (const Command& c : all_commands()) {
    if (c.spec.name != first) continue;
    ParseOutcome parsed = parse_args(c.spec, argc, argv, 2);
    if (parsed.help) {
      std::fputs(help_text(c.spec).c_str(), stdout);
      return kExitOk;
    }
    if (!parsed.ok) {
      std::fprintf(stderr, "%s\n", parsed.error.c_str());
      return kExitError;
    }
    try {
      return c.run(parsed.args);
    } catch (const std::bad_alloc&) {
      return report_out_of_memory(parsed.args.positional.empty() ? c.spec.name : parsed.args.positional[0]);
    } catch (const std::system_error& e) {
      // A thread that cannot get its stack under the memory budget.
      if (e.code() == std::errc::resource_unavailable_try_again) return report_out_of_memory(parsed.args.positional.empty() ? c.spec.name : parsed.args.positional[0]);
      std::fprintf(stderr, "apkwarden: %s: internal error: %s\n", c.spec.name.c_str(), e.what());
      return kExitError;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "apkwarden: %s: internal error: %s\n", c.spec.name.c_str(), e.what());
      return kExitError;
    }
  }
  std::fprintf(stderr, "apkwarden: unknown command '%s' (see 'apkwarden --help')\n", argv[1]);
  return kExitError;
}
