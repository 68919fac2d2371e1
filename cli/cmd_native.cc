// apkwarden native FILE: one ELF library (a bare .so or executable) analysed as the scan
// analyses the app's lib/<abi>/*.so: ELF facts, JNI exports, strings, sensitive call sites.
#include <fstream>
#include <iterator>

#include "analyzer/native/native_analysis.h"
#include "analyzer/native/native_findings.h"
#include "analyzer/native/native_json.h"
#include "cli/command.h"
#include "cli/output.h"
#include "dex/limits.h"

namespace apkwarden::cli {

namespace {

int run_native(const ParsedArgs& args) {
  const std::string& path = args.positional.at(0);
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) {
    print_error(path, "cannot open the file");
    return kExitError;
  }
  const std::streamoff size = in.tellg();
  if (size < 0 || static_cast<uint64_t>(size) > limits::kMaxElfBytes) {
    print_error(path, "not a readable ELF file of at most " + std::to_string(limits::kMaxElfBytes >> 20) + " MiB");
    return kExitError;
  }
  std::vector<uint8_t> bytes(static_cast<size_t>(size));
  in.seekg(0);
  in.read(reinterpret_cast<char*>(bytes.data()), size);
  Diagnostics diags;
  auto facts = native::analyze_elf(ByteSpan(bytes.data(), bytes.size()), path, native::NativeOptions{}, &diags);
  if (!facts.ok()) {
    print_error(path, facts.error().message);
    return kExitError;
  }
  const auto findings = native::native_findings(*facts);
  const std::string format = args.value_or("format", stdout_is_terminal() ? "text" : "json");
  const std::string text = format == "json" ? native::native_to_json(*facts, findings, diags)
                                            : native::native_to_text(*facts, findings, diags);
  return write_output(args.value_or("output", ""), text) ? kExitOk : kExitError;
}

}  // namespace

Command native_command() {
  return {{"native",
           "FILE",
           "Analyse one ELF library: machine, NEEDED, imported and exported dynamic symbols,\n"
           "hardening, JNI exports, strings, calls to sensitive imports with their constant\n"
           "arguments, raw syscalls and findings (docs/native.md).",
           {{"format", 'f', "FORMAT", "output format; text on a terminal, json otherwise", {"json", "text"}},
            {"output", 'o', "FILE", "write to FILE instead of stdout", {}}},
           1,
           1},
          run_native};
}

}  // namespace apkwarden::cli
