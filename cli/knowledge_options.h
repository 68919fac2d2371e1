// The knowledge-base options that several commands share (--rules DIR, --trackers FILE): the
// option declarations and the loading of the SDK catalog and rule set they select.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cli/args.h"
#include "dex/result.h"
#include "signatures/rule_set.h"
#include "signatures/sdk_catalog.h"

namespace apkwarden::cli {

OptionSpec rules_option();
OptionSpec trackers_option();

// Builtin SDKs plus --trackers (an Exodus tracker list), if given.
Result<std::shared_ptr<const signatures::SdkCatalog>> load_catalog(const ParsedArgs& args);
// Builtin rules plus --rules (a directory or file of rules), if given.
Result<std::shared_ptr<const signatures::RuleSet>> load_rules(const ParsedArgs& args);

}  // namespace apkwarden::cli
