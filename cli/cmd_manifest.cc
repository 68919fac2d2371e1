// apkwarden manifest APP: the decoded AndroidManifest.xml as readable XML.
#include <cstdio>

#include "analyzer/app/scan.h"
#include "cli/command.h"
#include "cli/output.h"

namespace apkwarden::cli {

namespace {

int run_manifest(const ParsedArgs& args) {
  const std::string& path = args.positional.at(0);
  Diagnostics diags;
  auto xml = decode_manifest_text(path, &diags);
  if (!xml.ok()) {
    print_error(path, xml.error().message);
    return kExitError;
  }
  if (!args.flag("quiet"))
    for (const auto& d : diags) print_error(d.where, d.code + ": " + d.message);
  return write_output(args.value_or("output", ""), *xml) ? kExitOk : kExitError;
}

}  // namespace

Command manifest_command() {
  return {{"manifest",
           "APP",
           "Print the app's decoded AndroidManifest.xml as XML text (the document that\n"
           "`aapt dump xmltree` describes). Decoding anomalies are reported on stderr.",
           {{"output", 'o', "FILE", "write to FILE instead of stdout", {}},
            {"quiet", 'q', "", "do not print decoding diagnostics", {}}},
           1,
           1},
          run_manifest};
}

}  // namespace apkwarden::cli
