// The Report: plain data with a stable order, produced by a scan and read by the formatters.
// Formatters never analyse. The JSON form is the contract documented in docs/report-schema.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/apk/manifest.h"
#include "analyzer/native/native_facts.h"
#include "analyzer/report/evidence.h"
#include "analyzer/report/rule_info.h"
#include "dex/diagnostic.h"

namespace apkwarden::report {

// Bumped on any incompatible change of the JSON report; additions keep the number.
inline constexpr int kSchemaVersion = 1;

struct ApkInfo {
  std::string path;
  std::string sha256;
  uint64_t size = 0;
  std::string kind;              // "apk", "dex", "split-bundle"
  std::vector<std::string> splits;  // split APK names inside a bundle
};

struct PermissionEntry {
  std::string name;
  std::string protection;        // dangerous, normal, signature, … or "unknown"
  std::optional<int> max_sdk;
  bool sdk23_only = false;
};

struct NativeLibEntry {
  std::string abi;
  std::string path;
  uint64_t size = 0;
  std::optional<native::NativeLibFacts> facts{};  // set by the native pass (analyzer/native)
};

// Code shipped outside the dex files Android loads itself: a dex, jar/zip/apk with dex inside,
// an ELF outside lib/, or a high-entropy blob (possibly an encrypted payload).
struct Payload {
  std::string path;        // entry name; nested: "assets/a.jar!classes.dex"
  std::string kind;        // dex, jar, apk, elf, high-entropy
  std::string sha256;
  uint64_t size = 0;
  uint64_t classes = 0;    // class defs in its dex files
  std::string loaded_by;   // class.method of the loader call, when resolved
};

struct Report {
  std::string tool_version;
  ApkInfo apk;
  bool has_manifest = false;
  apk::Manifest manifest;
  std::vector<PermissionEntry> permissions;
  std::vector<std::string> dex_files;
  std::vector<NativeLibEntry> native_libs;
  std::vector<SdkHit> sdks;        // sorted by id
  std::vector<Finding> findings;   // sorted (operator<=>)
  std::vector<Flow> flows;
  std::vector<Payload> payloads;   // in entry order
  Diagnostics diagnostics;
  std::vector<RuleInfo> rules;     // metadata of the rules behind `findings`, sorted by id
  // The CI gate's threshold (--fail-on); nullopt = "none": the verdict is always pass.
  std::optional<Severity> fail_on;

  const RuleInfo* find_rule(std::string_view id) const;
};

std::string to_json(const Report& report);
std::string to_text(const Report& report, bool color);
std::string to_sarif(const Report& report);
std::string to_html(const Report& report);


}  // namespace apkwarden::report
