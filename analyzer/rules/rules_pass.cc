#include "analyzer/rules/rules_pass.h"

#include <algorithm>
#include <mutex>

#include "analyzer/apk/apk_file.h"
#include "analyzer/app/analysis_context.h"
#include "analyzer/app/parallel.h"
#include "analyzer/code/code_index.h"
#include "analyzer/rules/rule_engine.h"
#include "analyzer/rules/sdk_detection.h"
#include "signatures/rule_set.h"
#include "signatures/sdk_catalog.h"

namespace apkwarden::rules {

Result<std::shared_ptr<const signatures::SdkCatalog>> builtin_sdk_catalog() {
  static std::once_flag once;
  static Result<std::shared_ptr<const signatures::SdkCatalog>>* cached = nullptr;
  std::call_once(once, [] {
    cached = new Result<std::shared_ptr<const signatures::SdkCatalog>>(signatures::load_sdk_catalog());
  });
  return *cached;
}

void run_signature_pass(AnalysisContext& context) {
  report::Report& r = context.report;
  std::shared_ptr<const signatures::SdkCatalog> catalog = context.options.sdk_catalog;
  if (!catalog) {
    auto loaded = builtin_sdk_catalog();
    if (!loaded.ok()) {
      r.diagnostics.push_back({"sdk-catalog-invalid", loaded.error().message, "signatures/sdks"});
    } else {
      catalog = loaded.value();
    }
  }
  std::shared_ptr<const signatures::RuleSet> rule_set = context.options.rules;
  if (!rule_set) {
    auto loaded = signatures::builtin_rule_set();
    if (!loaded.ok()) r.diagnostics.push_back({"rules-invalid", loaded.error().message, "signatures/rules"});
    else rule_set = loaded.value();
  }

  std::unique_ptr<code::CodeIndex> index;
  if (!context.code.dex_files.empty()) {
    const unsigned threads = context.options.threads ? context.options.threads : default_threads();
    index = code::CodeIndex::build(context.code, catalog.get(), threads, &r.diagnostics);
  }
  const apk::Manifest* manifest = r.has_manifest ? &r.manifest : nullptr;
  if (catalog) r.sdks = detect_sdks(*catalog, index.get(), manifest, &context.file);
  if (!rule_set) return;

  RuleInputs in{*rule_set, catalog.get(), manifest, index.get(), &context.file, &r.sdks};
  RuleEngine engine(in);
  std::vector<report::Finding> findings = engine.run_all(&r.diagnostics);
  for (auto& f : findings) r.findings.push_back(std::move(f));
  std::sort(r.findings.begin(), r.findings.end());
}

}  // namespace apkwarden::rules
