// The APIs that load code at run time, read from signatures/android/code_loaders.tsv.
#pragma once

#include <string>
#include <vector>

#include "dex/result.h"

namespace apkwarden::payload {

struct CodeLoaderApi {
  std::string class_name;  // dotted: "dalvik.system.DexClassLoader"
  std::string method;      // "<init>", "loadDex", "loadLibrary"
  bool native = false;     // loads an ELF library rather than dex code
};

// Parses the TSV text (header line and '#' comments skipped); an Error names the bad line.
Result<std::vector<CodeLoaderApi>> parse_code_loaders(std::string_view tsv);

// The embedded table, parsed once (our own data: an error here is a build defect, reported).
const Result<std::vector<CodeLoaderApi>>& builtin_code_loaders();

}  // namespace apkwarden::payload
