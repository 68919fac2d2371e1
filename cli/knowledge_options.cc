#include "cli/knowledge_options.h"

#include "analyzer/rules/rules_pass.h"

namespace apkwarden::cli {

OptionSpec rules_option() {
  return {"rules", 0, "DIR", "add the rules in DIR/*.xml (or one rule FILE) to the builtin rules", {}};
}

OptionSpec trackers_option() {
  return {"trackers", 0, "FILE", "add the trackers of an Exodus Privacy tracker list (JSON) to the SDKs", {}};
}

Result<std::shared_ptr<const signatures::SdkCatalog>> load_catalog(const ParsedArgs& args) {
  const auto trackers = args.value("trackers");
  if (!trackers) return rules::builtin_sdk_catalog();
  signatures::SdkCatalogOptions opt;
  opt.exodus_json = *trackers;
  return signatures::load_sdk_catalog(opt);
}

Result<std::shared_ptr<const signatures::RuleSet>> load_rules(const ParsedArgs& args) {
  const auto dir = args.value("rules");
  if (!dir) return signatures::builtin_rule_set();
  signatures::RuleSetOptions opt;
  opt.extra = *dir;
  return signatures::load_rule_set(opt);
}

}  // namespace apkwarden::cli
