// The behaviour rules: every rule file from signatures/rules/*.xml (embedded in the binary) plus a
// user's rule directory, validated with file:line messages and compiled once (RE2 programs, one
// memory-capped RE2::Set over all const-string patterns) into an immutable RuleSet shared by
// all threads.
//
//   RuleSetBuilder b;
//   b.add_embedded();
//   b.add_directory("my-rules/");
//   Result<std::shared_ptr<const RuleSet>> rules = std::move(b).build();
#pragma once

#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dex/result.h"
#include "signatures/rule.h"
#include "signatures/sdk_catalog.h"  // CatalogIssue

namespace re2 {
class RE2;
}

namespace apkwarden::signatures {

// A regex compiled once, owned by the RuleSet.
using CompiledRegex = std::shared_ptr<const re2::RE2>;

class RuleSet {
 public:
  ~RuleSet();
  RuleSet(const RuleSet&) = delete;
  RuleSet& operator=(const RuleSet&) = delete;

  // Every rule, sorted by id.
  std::span<const Rule> rules() const { return rules_; }
  size_t size() const { return rules_.size(); }
  const Rule* find(std::string_view id) const;

  // The compiled form of a node's `pattern` / `caller` (nullptr when the node has none).
  const re2::RE2* pattern_of(const MatchNode& node) const;
  const re2::RE2* caller_of(const MatchNode& node) const;

  // All kString patterns of all rules in one RE2::Set: strings_matching() gives the nodes whose
  // pattern matches `s` (appended to `out`, in node order). One pass per string, however many
  // rules there are.
  void strings_matching(std::string_view s, std::vector<const MatchNode*>& out,
                        std::vector<int>& scratch) const;
  size_t string_pattern_count() const { return string_nodes_.size(); }

  const std::string& version() const { return version_; }

 private:
  friend class RuleSetBuilder;
  RuleSet() = default;

  std::vector<Rule> rules_;
  std::string version_;
  std::vector<std::pair<const MatchNode*, CompiledRegex>> patterns_;  // sorted by node address
  std::vector<std::pair<const MatchNode*, CompiledRegex>> callers_;   // sorted by node address
  struct StringSet;
  std::unique_ptr<StringSet> string_set_;
  std::vector<const MatchNode*> string_nodes_;  // Set index -> node
};

class RuleSetBuilder {
 public:
  // Parses and validates one rule file; problems are recorded as issues.
  void add_xml(std::string_view file, std::string_view text, RuleOrigin origin = RuleOrigin::kUser);
  // Every embedded rules/*.xml file.
  void add_embedded();
  // Every *.xml file directly in `dir` (sorted by name), or `dir` itself when it is a file.
  void add_path(const std::filesystem::path& dir);
  void add_rule(Rule rule) { rules_.push_back(std::move(rule)); }
  void add_issue(std::string file, int line, std::string message);

  const std::vector<CatalogIssue>& issues() const { return issues_; }

  // Cross-file checks (duplicate ids), regex compilation, then the RuleSet. Any issue makes the
  // build an Error whose message lists the issues (one "file:line: message" per line).
  Result<std::shared_ptr<const RuleSet>> build() &&;

 private:
  std::vector<Rule> rules_;
  std::vector<CatalogIssue> issues_;
};

struct RuleSetOptions {
  bool builtin = true;
  std::filesystem::path extra;  // a user's rule directory or file; empty for none
};

Result<std::shared_ptr<const RuleSet>> load_rule_set(const RuleSetOptions& options = {});

// The builtin rules, loaded once per process (thread-safe); an Error only if our own data is bad.
Result<std::shared_ptr<const RuleSet>> builtin_rule_set();

}  // namespace apkwarden::signatures
