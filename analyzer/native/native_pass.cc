#include "analyzer/native/native_pass.h"

#include <algorithm>

#include "analyzer/apk/apk_file.h"
#include "analyzer/app/analysis_context.h"
#include "analyzer/native/jni_behaviour.h"
#include "analyzer/native/jni_names.h"
#include "analyzer/native/native_analysis.h"
#include "analyzer/native/native_findings.h"
#include "analyzer/rules/rules_pass.h"
#include "dex/access_flags.h"
#include "dex/class_data.h"
#include "dex/limits.h"
#include "signatures/sdk_catalog.h"

namespace apkwarden::native {

std::map<std::string, std::vector<std::string>> dex_native_methods(const AppCode& code) {
  std::map<std::string, std::vector<std::string>> out;
  for (const dex::DexFile& dex : code.dex_files) {
    for (uint32_t i = 0; i < dex.class_defs_size(); ++i) {
      auto def = dex.class_def(dex::ClassDefIdx(i));
      if (!def || def->class_data_off == 0) continue;
      dex::ClassDataReader reader(dex, *def);
      dex::ClassMember m;
      while (reader.next_method(m)) {
        if (!(m.access_flags & dex::kAccNative)) continue;
        std::string descriptor(dex.class_descriptor(*def));
        if (descriptor.size() < 3 || descriptor.front() != 'L' || descriptor.back() != ';') continue;
        std::string dotted = descriptor.substr(1, descriptor.size() - 2);
        std::replace(dotted.begin(), dotted.end(), '/', '.');
        const std::string java = dex.pretty_method_java(m.method());
        out[jni_short_name(dotted, dex.method_name(m.method()))].push_back(java);
        // RegisterNatives tables name the method and its descriptor only: "name:(I)V".
        const std::string dexdump = dex.pretty_method(m.method());  // "Lcom/x/A;.foo:(I)V"
        if (const size_t dot = dexdump.find(";."); dot != std::string::npos) out[dexdump.substr(dot + 2)].push_back(java);
      }
    }
  }
  for (auto& [name, methods] : out) {
    std::sort(methods.begin(), methods.end());
    methods.erase(std::unique(methods.begin(), methods.end()), methods.end());
  }
  return out;
}

void run_native_pass(AnalysisContext& context) {
  report::Report& r = context.report;
  const auto& libs = context.file.native_libs();
  if (libs.empty()) return;
  std::shared_ptr<const signatures::SdkCatalog> catalog = context.options.sdk_catalog;
  if (!catalog)
    if (auto loaded = rules::builtin_sdk_catalog(); loaded.ok()) catalog = loaded.value();
  const auto natives = dex_native_methods(context.code);
  uint64_t analysed_bytes = 0;
  size_t analysed = 0;
  size_t behaviour_budget = limits::kMaxJniBehaviourEntries;  // linked JNI methods walked, app-wide
  for (const auto& lib : libs) {
    auto entry = std::find_if(r.native_libs.begin(), r.native_libs.end(),
                              [&](const report::NativeLibEntry& e) { return e.path == lib.path; });
    if (entry == r.native_libs.end()) continue;
    if (analysed >= limits::kMaxNativeLibsPerApp || analysed_bytes + lib.size > limits::kMaxNativeBytesPerApp) {
      r.diagnostics.push_back({"native-limit", "native library not analysed: the per-app limit of " +
                                                   std::to_string(limits::kMaxNativeLibsPerApp) + " libraries / " +
                                                   std::to_string(limits::kMaxNativeBytesPerApp >> 20) + " MiB was reached",
                               lib.path});
      continue;
    }
    auto bytes = context.file.read(lib.path, &r.diagnostics);
    if (!bytes.ok()) continue;  // the container reported why
    ++analysed;
    analysed_bytes += bytes->size();
    auto facts = analyze_elf(ByteSpan(bytes->data(), bytes->size()), lib.path, NativeOptions{}, &r.diagnostics);
    if (!facts.ok()) {
      r.diagnostics.push_back({"native-not-elf", facts.error().message, lib.path});
      continue;
    }
    const std::string file_name = lib.path.substr(lib.path.rfind('/') + 1);
    if (catalog)
      if (const signatures::Sdk* sdk = catalog->match_native_lib(file_name)) facts->sdk = sdk->id;
    for (JniExport& j : facts->jni) {
      const std::string short_name =
          j.symbol == "RegisterNatives" ? j.method + ":" + j.signature : j.symbol.substr(0, j.symbol.find("__"));
      if (auto it = natives.find(short_name); it != natives.end()) j.dex_methods = it->second;
    }
    describe_jni_behaviour(ByteSpan(bytes->data(), bytes->size()), *facts, behaviour_budget);
    for (report::Finding& f : native_findings(*facts)) r.findings.push_back(std::move(f));
    entry->facts = std::move(facts.value());
  }
  std::sort(r.findings.begin(), r.findings.end());
}

}  // namespace apkwarden::native
