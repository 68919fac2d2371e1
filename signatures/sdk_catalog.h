// The SDK knowledge base: every SDK from signatures/sdks/*.xml (embedded in the binary), extra
// XML files from a directory, and optionally an imported Exodus tracker list, validated with
// file:line messages and compiled once into an immutable SdkCatalog that all threads share.
//
//   SdkCatalogBuilder b;
//   b.add_embedded();                       // signatures/sdks/*.xml
//   b.add_directory("my-sdks/");            // optional
//   add_exodus_trackers(b, json, "x.json"); // optional (exodus_import.h)
//   Result<std::shared_ptr<const SdkCatalog>> cat = std::move(b).build();
//   const Sdk* s = (*cat)->match_class("Lcom/qq/e/ads/splash/SplashAD;");   // tencent-gdt
#pragma once

#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dex/result.h"
#include "signatures/prefix_matcher.h"
#include "signatures/sdk.h"

namespace apkwarden::signatures {

// One validation problem, located in its data file.
struct CatalogIssue {
  std::string file;  // "sdks/ads-cn.xml", a user path, or an Exodus JSON file name
  int line = 0;      // 1-based; 0 when the file has no lines to point at (Exodus: none)
  std::string message;
  std::string to_string() const;  // "file:line: message"
};

// For one imported Exodus tracker, the SDKs of ours that cover the same classes.
struct ExodusOverlap {
  std::string exodus_id;  // "exodus-27"
  std::string exodus_name;
  std::vector<std::string> ours;  // sorted ids; empty when the tracker is new to us
};

class SdkCatalog {
 public:
  ~SdkCatalog();
  SdkCatalog(const SdkCatalog&) = delete;
  SdkCatalog& operator=(const SdkCatalog&) = delete;

  // Every SDK, sorted by id.
  std::span<const Sdk> sdks() const { return sdks_; }
  size_t size() const { return sdks_.size(); }
  const Sdk* find(std::string_view id) const;

  // The SDK owning a class, given as a descriptor ("Lcom/qq/e/Foo;") or dotted name. Our own
  // SDKs come first (longest matching prefix wins: com.tencent.mm.opensdk.modelpay. beats
  // com.tencent.mm.opensdk.); then Exodus prefixes (longest wins); then Exodus regexes (lowest
  // id wins). nullptr when none matches. Allocation-free for the prefix stages.
  const Sdk* match_class(std::string_view descriptor_or_dotted) const;
  // The SDK that ships a native library, by file name ("libBugly.so"; a path is cut to its name).
  const Sdk* match_native_lib(std::string_view file_name) const;
  // The SDK whose documented manifest component this is (exact class name, dotted or descriptor).
  // Components not listed by any SDK give nullptr, even when match_class would find an owner.
  const Sdk* match_component(std::string_view class_name) const;

  // The knowledge-base version (signatures/VERSION), e.g. "2026.11.28-1".
  const std::string& version() const { return version_; }
  // For each Exodus tracker in the catalog (sorted by numeric id), our SDKs that overlap it.
  const std::vector<ExodusOverlap>& exodus_overlaps() const { return overlaps_; }

 private:
  friend class SdkCatalogBuilder;
  SdkCatalog() = default;

  std::vector<Sdk> sdks_;
  std::string version_;
  PrefixMatcher own_;     // prefixes of builtin and user SDKs
  PrefixMatcher exodus_;  // prefix-like Exodus signatures
  struct PatternSet;                         // RE2::Set (nested in RE2, so not forward-declarable)
  std::unique_ptr<PatternSet> regexes_;      // Exodus regex signatures, over dotted names
  std::vector<uint32_t> regex_sdk_;          // Set index -> SDK index
  std::vector<std::pair<std::string, uint32_t>> components_;  // internal form, sorted
  std::vector<std::pair<std::string, uint32_t>> native_libs_;  // sorted
  std::vector<ExodusOverlap> overlaps_;
};

class SdkCatalogBuilder {
 public:
  // Parses and validates one XML data file; problems are recorded as issues.
  void add_xml(std::string_view file, std::string_view text, SdkOrigin origin = SdkOrigin::kUser);
  // Every embedded sdks/*.xml file.
  void add_embedded();
  // Every *.xml file directly in `dir` (sorted by name).
  void add_directory(const std::filesystem::path& dir);
  // An SDK built elsewhere (the Exodus import); validated like the XML ones except that
  // `country` may be empty and prefixes need not end in '.'.
  void add_sdk(Sdk sdk, std::string_view file, int line);
  // Records a problem found by an importer.
  void add_issue(std::string file, int line, std::string message);

  const std::vector<CatalogIssue>& issues() const { return issues_; }

  // Cross-file checks (duplicate ids, prefixes, components, native libs), then the compiled
  // catalog. Any issue makes the whole build an Error whose message lists the issues.
  Result<std::shared_ptr<const SdkCatalog>> build() &&;

 private:
  struct Pending {
    Sdk sdk;
    std::string file;
    int line;
  };
  std::vector<Pending> pending_;
  std::vector<CatalogIssue> issues_;
};

// Options for load_sdk_catalog().
struct SdkCatalogOptions {
  bool builtin = true;
  std::filesystem::path extra_dir;    // extra *.xml SDK files; empty for none
  std::filesystem::path exodus_json;  // an Exodus tracker list; empty for none
};

// The usual way to get a catalog: builtin data, plus the optional extras.
Result<std::shared_ptr<const SdkCatalog>> load_sdk_catalog(const SdkCatalogOptions& options = {});

// Validation helpers, exposed for the tests and other loaders in signatures/.
bool is_valid_country(std::string_view code);        // ISO 3166-1 alpha-2, assigned codes only
bool is_valid_class_prefix(std::string_view prefix);  // Java identifiers joined by '.', final '.'
bool is_valid_class_name(std::string_view name);      // Java identifiers joined by '.'
bool is_valid_sdk_id(std::string_view id);            // kebab-case [a-z0-9]+(-[a-z0-9]+)*

// The knowledge-base version string from the embedded signatures/VERSION.
std::string knowledge_base_version();

}  // namespace apkwarden::signatures
