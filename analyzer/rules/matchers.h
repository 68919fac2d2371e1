// The leaf matchers of the rule engine, one family per file: manifest predicates
// (manifest_matchers.cc), code matchers over the CodeIndex (code_matchers.cc) and the app's
// contents (content_matchers.cc). Each returns the NodeResult of one leaf.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzer/rules/hit.h"
#include "analyzer/rules/rule_engine.h"

namespace apkwarden::rules {

// Per-scan state shared by the matchers: inputs and the caches built on first use.
struct MatchContext {
  const RuleInputs& in;
  // kString nodes -> the StringSite indices whose string matches (filled once, for all nodes).
  bool strings_done = false;
  std::unordered_map<const signatures::MatchNode*, std::vector<uint32_t>> string_sites;
  // Text files of assets/ and res/ already read (path, text), for asset-string matchers.
  bool assets_done = false;
  std::vector<std::pair<std::string, std::string>> asset_texts;

  std::string own_package;  // the manifest's package, for <string foreign="true">

  int32_t sdk_of_class_name(std::string_view dotted) const;  // owning SDK of a class name, or -1
};

NodeResult match_manifest(const signatures::MatchNode& node, MatchContext& ctx);
NodeResult match_code(const signatures::MatchNode& node, MatchContext& ctx);
NodeResult match_contents(const signatures::MatchNode& node, MatchContext& ctx);

}  // namespace apkwarden::rules
