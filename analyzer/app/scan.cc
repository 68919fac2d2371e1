// The scan pipeline for the manifest scope: container -> manifest + resources -> report.
#include "analyzer/app/scan.h"

#include <algorithm>
#include <cstdio>
#include <future>
#include <optional>

#include "analyzer/apk/apk_file.h"
#include "analyzer/apk/axml.h"
#include "analyzer/apk/manifest.h"
#include "analyzer/apk/resource_table.h"
#include "analyzer/app/analysis_context.h"
#include "analyzer/app/app_code.h"
#include "analyzer/app/parallel.h"
#include "analyzer/app/payloads.h"
#include "analyzer/dataflow/taint_pass.h"
#include "analyzer/native/native_analysis.h"
#include "analyzer/native/native_pass.h"
#include "analyzer/payload/loader_links.h"
#include "analyzer/rules/rules_pass.h"
#include "signatures/permission_table.h"
#include "signatures/rule_set.h"

namespace apkwarden {

namespace {

constexpr std::string_view kManifestEntry = "AndroidManifest.xml";
constexpr std::string_view kResourcesEntry = "resources.arsc";

const char* kind_name(apk::ApkFile::Kind kind) {
  switch (kind) {
    case apk::ApkFile::Kind::kApk: return "apk";
    case apk::ApkFile::Kind::kDex: return "dex";
    case apk::ApkFile::Kind::kSplitBundle: return "split-bundle";
  }
  return "apk";
}

// resources.arsc of the base APK, or nullopt (absent or unreadable: diagnostics say which).
std::optional<apk::ResourceTable> load_resources(const apk::ApkFile& file, Diagnostics* diags) {
  if (!file.contains(kResourcesEntry)) return std::nullopt;
  auto bytes = file.read(kResourcesEntry, diags);
  if (!bytes.ok()) return std::nullopt;
  auto table = apk::ResourceTable::parse_owned(std::move(bytes.value()), std::string(kResourcesEntry), diags);
  if (!table.ok()) {
    diags->push_back({"arsc-unreadable", table.error().message, std::string(kResourcesEntry)});
    return std::nullopt;
  }
  return std::move(table.value());
}

// "@0x7f0b0001" -> the value of that resource in the default configuration.
apk::ReferenceResolver make_resolver(const apk::ResourceTable* resources) {
  return [resources](std::string_view text) -> std::optional<std::string> {
    if (!resources || text.size() < 4 || text.substr(0, 3) != "@0x") return std::nullopt;
    uint32_t id = 0;
    if (std::sscanf(std::string(text.substr(3)).c_str(), "%x", &id) != 1) return std::nullopt;
    if (auto s = resources->string_value(id)) return s;
    if (auto v = resources->resolve(id)) return apk::format_plain_value(*v);
    return std::nullopt;
  };
}

std::string protection_of(const apk::Manifest& m, const std::string& permission) {
  for (const auto& d : m.declared_permissions)
    if (d.name == permission) return d.protection;
  if (auto p = signatures::find_platform_permission(permission)) return std::string(p->protection);
  return "unknown";
}

void fill_manifest(const apk::ApkFile& file, report::Report& r) {
  Diagnostics* diags = &r.diagnostics;
  if (!file.contains(kManifestEntry)) {
    diags->push_back({"apk-no-manifest", "the APK has no AndroidManifest.xml", file.path()});
    return;
  }
  auto bytes = file.read(kManifestEntry, diags);
  if (!bytes.ok()) {
    diags->push_back({"manifest-unreadable", bytes.error().message, std::string(kManifestEntry)});
    return;
  }
  auto doc = apk::decode_axml(ByteSpan(bytes->data(), bytes->size()), std::string(kManifestEntry), nullptr, diags);
  if (!doc.ok()) {
    diags->push_back({"manifest-undecodable", doc.error().message, std::string(kManifestEntry)});
    return;
  }
  std::optional<apk::ResourceTable> resources = load_resources(file, diags);
  auto manifest = apk::parse_manifest(doc->xml(), make_resolver(resources ? &*resources : nullptr),
                                      kManifestEntry, diags);
  if (!manifest.ok()) {
    diags->push_back({"manifest-invalid", manifest.error().message, std::string(kManifestEntry)});
    return;
  }
  r.has_manifest = true;
  r.manifest = std::move(manifest.value());
  for (const auto& p : r.manifest.uses_permissions)
    r.permissions.push_back({p.name, protection_of(r.manifest, p.name), p.max_sdk, p.sdk23_only});
}

// The analyses, in a fixed order (later passes may read what earlier ones added).
void run_analysis_passes(AnalysisContext& context) {
  if (context.options.signatures) rules::run_signature_pass(context);  // code index, SDKs, behaviour rules
  // Native before dataflow: the taint pass models JNI methods from what their code does.
  native::run_native_pass(context);    // lib/<abi>/*.so facts, JNI links and native findings
  dataflow::run_taint_pass(context);                                    // flows and flow findings
  payload::run_payload_pass(context);  // payloads joined to their loaders; what loaded code does
  // The findings in the order they had when the native pass (which sorts them) ran last.
  if (!context.report.native_libs.empty())
    std::sort(context.report.findings.begin(), context.report.findings.end());
  rules::describe_rules(context);      // metadata of the rules behind the findings
}

// The scan proper, over an opened app; `r` already holds the diagnostics met while opening it.
Result<report::Report> scan_opened(const apk::ApkFile& file, const std::string& path, const ScanOptions& options,
                                   report::Report r) {
  // The whole-file hash is the longest single step for big APKs (~10 ms for 18 MB): run it on a
  // second core while the rest of the scan reads the app.
  std::future<std::string> sha256 = std::async(std::launch::async, [&file] { return file.sha256(); });

  r.tool_version = options.tool_version;
  r.apk.path = path;
  r.apk.size = file.size();
  r.apk.kind = kind_name(file.kind());
  for (const auto& part : file.parts())
    if (!part.is_base) r.apk.splits.push_back(part.prefix.substr(0, part.prefix.size() - 1));

  if (file.kind() != apk::ApkFile::Kind::kDex) fill_manifest(file, r);
  r.dex_files = file.dex_names();
  for (const auto& lib : file.native_libs()) r.native_libs.push_back({lib.abi, lib.path, lib.size, std::nullopt});
  std::vector<PayloadDex> payload_dex;
  r.payloads = find_payloads(file, &r.diagnostics, options.analyze_code ? &payload_dex : nullptr);

  if (options.analyze_code) {
    LoadCodeOptions load_options;
    load_options.threads = options.threads ? options.threads : default_threads();
    AppCode code = load_app_code(file, load_options, &r.diagnostics);
    add_payload_code(code, std::move(payload_dex));
    AnalysisContext context{file, code, options, r};
    run_analysis_passes(context);
  }

  r.apk.sha256 = sha256.get();
  if (!r.has_manifest && r.dex_files.empty())
    return make_error(ErrorCode::kMalformed, "not an Android app: no readable AndroidManifest.xml and no dex code");
  return r;
}

}  // namespace

void preload_knowledge(const ScanOptions& options) {
  if (!options.analyze_code) return;
  if (options.signatures) {
    if (!options.sdk_catalog) (void)rules::builtin_sdk_catalog();
    if (!options.rules) (void)signatures::builtin_rule_set();
  }
  if (options.dataflow) dataflow::preload_taint_rules(options.sources_sinks_file);
  native::load_native_tools();
}

Result<report::Report> scan_app(const std::string& path, const ScanOptions& options) {
  report::Report r;
  auto opened = apk::ApkFile::open_path(path, &r.diagnostics);
  if (!opened.ok()) return opened.error();
  return scan_opened(*opened, path, options, std::move(r));
}

Result<report::Report> scan_app_bytes(std::vector<uint8_t> bytes, const std::string& name,
                                      const ScanOptions& options) {
  report::Report r;
  auto opened = apk::ApkFile::open_bytes(std::move(bytes), name, &r.diagnostics);
  if (!opened.ok()) return opened.error();
  return scan_opened(*opened, name, options, std::move(r));
}

Result<std::string> decode_manifest_text(const std::string& path, Diagnostics* diags) {
  auto opened = apk::ApkFile::open_path(path, diags);
  if (!opened.ok()) return opened.error();
  const apk::ApkFile& file = *opened;
  if (!file.contains(kManifestEntry))
    return make_error(ErrorCode::kMalformed, "no AndroidManifest.xml in this file");
  auto bytes = file.read(kManifestEntry, diags);
  if (!bytes.ok()) return bytes.error();
  std::optional<apk::ResourceTable> resources = load_resources(file, diags);
  auto doc = apk::decode_axml(ByteSpan(bytes->data(), bytes->size()), std::string(kManifestEntry),
                              resources ? &*resources : nullptr, diags);
  if (!doc.ok()) return doc.error();
  return apk::to_xml_text(*doc);
}

}  // namespace apkwarden
