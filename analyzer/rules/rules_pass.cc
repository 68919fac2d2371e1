#include "analyzer/rules/rules_pass.h"

#include <algorithm>
#include <mutex>
#include <set>
#include <string>

#include "analyzer/apk/apk_file.h"
#include "analyzer/app/analysis_context.h"
#include "analyzer/app/parallel.h"
#include "analyzer/code/code_index.h"
#include "analyzer/rules/rule_engine.h"
#include "analyzer/rules/rule_finding.h"
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

  std::shared_ptr<const code::CodeIndex> index;
  if (!context.code.dex_files.empty()) {
    const unsigned threads = context.options.threads ? context.options.threads : default_threads();
    index = code::CodeIndex::build(context.code, catalog.get(), threads, &r.diagnostics);
  }
  context.index = index;
  context.rules = rule_set;
  const apk::Manifest* manifest = r.has_manifest ? &r.manifest : nullptr;
  if (catalog) r.sdks = detect_sdks(*catalog, index.get(), manifest, &context.file);
  if (!rule_set) return;

  RuleInputs in{*rule_set, catalog.get(), manifest, index.get(), &context.file, &r.sdks};
  RuleEngine engine(in);
  std::vector<report::Finding> findings = engine.run_all(&r.diagnostics);
  for (auto& f : findings) r.findings.push_back(std::move(f));
  std::sort(r.findings.begin(), r.findings.end());
}

void describe_rules(AnalysisContext& context) {
  report::Report& r = context.report;
  std::set<std::string> ids;
  for (const auto& f : r.findings) ids.insert(f.rule);
  r.rules.clear();
  for (const std::string& id : ids) {
    const signatures::Rule* rule = context.rules ? context.rules->find(id) : nullptr;
    if (rule) {
      r.rules.push_back(rule_info_of(*rule));
      continue;
    }
    const auto f = std::find_if(r.findings.begin(), r.findings.end(), [&](const report::Finding& x) { return x.rule == id; });
    report::RuleInfo info;
    info.id = id;
    info.title = f->title;
    info.description = f->title;
    info.category = f->category;
    info.severity = f->severity;
    info.confidence = f->confidence;
    info.regulation = f->regulation;
    info.remediation = f->remediation;
    r.rules.push_back(std::move(info));
  }
}

}  // namespace apkwarden::rules
