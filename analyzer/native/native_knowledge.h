// The native analysis's knowledge, read from signatures/native/*.tsv (embedded): which imports
// to follow and which constant arguments and strings reveal collection of personal data.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace apkwarden::native {

struct WatchedImport {
  std::string name;
  std::string kind;  // property, path, command, network, library, symbol, ioctl, identity
  int arg = -1;      // argument whose constant is recovered, -1 for none
};

struct SensitivePattern {
  std::string kind;   // property, path, command, ioctl
  std::string match;  // exact, prefix, glob
  std::string pattern;
  std::string data;   // device-id, mac-address, app-list, …
};

// One sign of native code rewriting the app's compiled code (signatures/native/code-tamper.tsv).
struct TamperPattern {
  std::string kind;   // import, path
  std::string match;  // exact, prefix, suffix, glob
  std::string pattern;
  bool matches(std::string_view value) const;
};

struct NativeKnowledge {
  std::vector<WatchedImport> imports;
  std::vector<SensitivePattern> sensitive;
  std::vector<TamperPattern> tamper;

  const WatchedImport* find_import(std::string_view name) const;
  // The data type a constant of `kind` reveals ("device-id"), or nullopt.
  std::optional<std::string> classify(std::string_view kind, std::string_view value) const;
};

// Evidence that a library rewrites the app's compiled code in memory ("mprotect, path
// /data/app/…/base.odex"): it imports a tamper import and holds a tamper path; nullopt otherwise.
struct NativeLibFacts;
std::optional<std::string> rewrites_app_code(const NativeLibFacts& lib);

// Loaded once from the embedded files (a malformed line is our bug: it throws at first use).
const NativeKnowledge& native_knowledge();

}  // namespace apkwarden::native
