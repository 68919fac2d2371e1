// Evaluates the compiled rules against one app: each rule's match tree over the manifest, the
// code index and the app's contents, giving findings with a location, the owning SDK and evidence.
// Read-only over its inputs; one RuleEngine per scan (it caches the per-app matcher results).
#pragma once

#include <memory>
#include <vector>

#include "analyzer/report/evidence.h"
#include "analyzer/rules/hit.h"
#include "dex/diagnostic.h"
#include "signatures/rule_set.h"

namespace apkwarden::apk {
class ApkFile;
struct Manifest;
}  // namespace apkwarden::apk

namespace apkwarden::signatures {
class SdkCatalog;
}

namespace apkwarden::code {
class CodeIndex;
}

namespace apkwarden::rules {

struct RuleInputs {
  const signatures::RuleSet& rules;
  const signatures::SdkCatalog* catalog = nullptr;  // owners of classes and components
  const apk::Manifest* manifest = nullptr;          // null when the app has none
  const code::CodeIndex* index = nullptr;           // null when the app has no code
  const apk::ApkFile* file = nullptr;               // assets, resources, native libs
  const std::vector<report::SdkHit>* sdks = nullptr;  // SDKs found present (for sdk-present)
};

class RuleEngine {
 public:
  explicit RuleEngine(const RuleInputs& in);
  ~RuleEngine();

  // The findings of one rule (at most limits::kMaxFindingsPerRule), sorted.
  std::vector<report::Finding> run(const signatures::Rule& rule, Diagnostics* diags);
  // Every rule of the set, findings sorted.
  std::vector<report::Finding> run_all(Diagnostics* diags);

  // The raw result of one matcher (for tests and `rules check`).
  NodeResult evaluate(const signatures::MatchNode& node);

  // A hit's place as a report Location.
  report::Location location_of(const Hit& h) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace apkwarden::rules
