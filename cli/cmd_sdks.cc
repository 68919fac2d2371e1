// apkwarden sdks list: the SDK knowledge base.
#include <cstdio>

#include "analyzer/report/json_writer.h"
#include "cli/command.h"
#include "cli/knowledge_options.h"
#include "cli/output.h"

namespace apkwarden::cli {

namespace {

int run_sdks(const ParsedArgs& args) {
  if (args.positional.at(0) != "list") {
    std::fprintf(stderr, "apkwarden sdks: unknown action '%s' (list)\n", args.positional[0].c_str());
    return kExitError;
  }
  auto catalog = load_catalog(args);
  if (!catalog.ok()) {
    print_error(args.value_or("trackers", "signatures/sdks"), catalog.error().message);
    return kExitError;
  }
  const std::string out_path = args.value_or("output", "");
  if (args.value_or("format", "text") == "json") {
    report::JsonWriter w(2);
    w.begin_array();
    for (const signatures::Sdk& s : (*catalog)->sdks()) {
      w.begin_object().field("id", s.id).field("name", s.name).field("vendor", s.vendor);
      if (s.country.empty()) w.null_field("country");
      else w.field("country", s.country);
      w.field("category", s.category);
      w.end_object();
    }
    w.end_array();
    return write_output(out_path, w.take() + "\n") ? kExitOk : kExitError;
  }
  std::string out;
  char line[512];
  for (const signatures::Sdk& s : (*catalog)->sdks()) {
    std::snprintf(line, sizeof line, "%-32s %-3s %-12s %s (%s)\n", s.id.c_str(), s.country.empty() ? "-" : s.country.c_str(),
                  s.category.c_str(), s.name.c_str(), s.vendor.c_str());
    out += line;
  }
  return write_output(out_path, out) ? kExitOk : kExitError;
}

}  // namespace

Command sdks_command() {
  return {{"sdks",
           "list",
           "List the SDK knowledge base: id, vendor country, category, name and vendor. With\n"
           "--trackers, the imported Exodus trackers are listed too (ids exodus-<n>).",
           {{"format", 'f', "FORMAT", "output format", {"text", "json"}},
            {"output", 'o', "FILE", "write to FILE instead of stdout", {}},
            trackers_option()},
           1,
           1},
          run_sdks};
}

}  // namespace apkwarden::cli
