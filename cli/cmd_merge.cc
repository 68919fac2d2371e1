// apkwarden merge OUT IN...: combine batch stores (e.g. one SQLite file per shard) into one.
#include <cstdio>

#include "analyzer/batch/merge.h"
#include "cli/command.h"
#include "cli/output.h"
#include "cli/store_access.h"

namespace apkwarden::cli {

namespace {

int run_merge(const ParsedArgs& args) {
  const std::string& out_location = args.positional.at(0);
  auto out = batch::ResultStore::open(out_location);
  if (!out.ok()) return print_error(out_location, out.error().message), kExitError;
  batch::MergeCounts total;
  for (size_t i = 1; i < args.positional.size(); ++i) {
    const std::string& in_location = args.positional[i];
    if (in_location == out_location) return print_error(in_location, "is also the output store"), kExitError;
    auto in = open_existing_store(in_location);
    if (!in) return kExitError;
    auto counts = batch::merge_store(**out, *in, args.flag("replace"));
    if (!counts.ok()) return print_error(in_location, counts.error().message), kExitError;
    if (!args.flag("quiet"))
      std::fprintf(stderr, "merge: %s: %zu apps copied, %zu already present\n", in_location.c_str(), counts->copied,
                   counts->already_present);
    total.copied += counts->copied;
    total.already_present += counts->already_present;
  }
  return kExitOk;
}

}  // namespace

Command merge_command() {
  return {{"merge",
           "OUT IN...",
           "Merge batch stores: copy every app of each IN store that OUT lacks into OUT (created if\n"
           "needed), one transaction per app. Stores are SQLite files or postgresql://... Apps already\n"
           "in OUT with the same rule-set version are kept unless --replace.",
           {{"replace", 0, "", "apps present in both take the IN store's results", {}},
            {"quiet", 'q', "", "no per-store counts on stderr", {}}},
           2,
           SIZE_MAX},
          run_merge};
}

}  // namespace apkwarden::cli
