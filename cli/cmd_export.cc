// apkwarden export DB: a batch store's results as JSON Lines (one app per line, with its whole
// report) or CSV (one table), sorted so the same results always export to the same bytes.
#include <cstdio>
#include <fstream>

#include "analyzer/batch/export.h"
#include "cli/command.h"
#include "cli/output.h"
#include "cli/store_access.h"

namespace apkwarden::cli {

namespace {

int run_export(const ParsedArgs& args) {
  const std::string& location = args.positional.at(0);
  auto store = open_existing_store(location);
  if (!store) return kExitError;
  const std::string out_path = args.value_or("output", "-");
  std::ofstream file;
  if (out_path != "-") {
    file.open(out_path, std::ios::binary | std::ios::trunc);
    if (!file) return print_error(out_path, "cannot write the output file"), kExitError;
  }
  // Streamed line by line: a catalog's reports do not have to fit in memory at once.
  const batch::LineSink sink = [&](const std::string& line) {
    if (file.is_open()) return static_cast<bool>(file << line << '\n');
    return std::fwrite(line.data(), 1, line.size(), stdout) == line.size() && std::fputc('\n', stdout) != EOF;
  };
  const std::string format = args.value_or("format", "jsonl");
  auto n = format == "csv" ? batch::export_csv(store->db(), args.value_or("table", "apps"), sink)
                           : batch::export_jsonl(store->db(), sink);
  if (!n.ok()) return print_error(location, n.error().message), kExitError;
  if (file.is_open()) file.close();
  if ((file.is_open() || out_path != "-") ? !file : std::fflush(stdout) != 0)
    return print_error(out_path, "cannot write the output file"), kExitError;
  return kExitOk;
}

}  // namespace

Command export_command() {
  return {{"export",
           "DB",
           "Export a batch store: JSON Lines, one object per app (status, verdict, error and the whole\n"
           "report), or CSV of one table. Rows are sorted by SHA-256; run measurements are left out.",
           {{"format", 'f', "FORMAT", "jsonl (default) or csv", {"jsonl", "csv"}},
            {"table", 't', "TABLE", "table for CSV (default apps)", {"apps", "sdks", "findings", "flows", "errors"}},
            {"output", 'o', "FILE", "write to FILE instead of stdout", {}}},
           1,
           1},
          run_export};
}

}  // namespace apkwarden::cli
