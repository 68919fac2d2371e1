// RuleSet: validation across files, regex compilation, and the shared builtin instance.
#include "signatures/rule_set.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <fstream>
#include <mutex>

#include "dex/limits.h"
#include "signatures/embedded.h"

namespace apkwarden::signatures {

namespace {

template <size_t N>
bool one_of(const std::array<std::string_view, N>& list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

re2::RE2::Options regex_options() {
  re2::RE2::Options opt;
  opt.set_max_mem(limits::kMaxSignatureRegexMemory / 8);
  opt.set_log_errors(false);
  return opt;
}

template <class F>
void for_each_node(const MatchNode& n, F&& f) {
  f(n);
  for (const MatchNode& c : n.children) for_each_node(c, f);
}

const re2::RE2* lookup(const std::vector<std::pair<const MatchNode*, CompiledRegex>>& v, const MatchNode& n) {
  auto it = std::lower_bound(v.begin(), v.end(), &n, [](const auto& e, const MatchNode* k) { return e.first < k; });
  return it != v.end() && it->first == &n ? it->second.get() : nullptr;
}

}  // namespace

bool is_rule_category(std::string_view s) { return one_of(kRuleCategories, s); }

const char* scope_name(Scope s) {
  switch (s) {
    case Scope::kMethod: return "method";
    case Scope::kClass: return "class";
    case Scope::kSdk: return "sdk";
    case Scope::kApp: return "app";
  }
  return "method";
}

std::optional<Scope> parse_scope(std::string_view s) {
  for (Scope x : {Scope::kMethod, Scope::kClass, Scope::kSdk, Scope::kApp})
    if (s == scope_name(x)) return x;
  return std::nullopt;
}

const char* match_kind_name(MatchNode::Kind k) {
  using K = MatchNode::Kind;
  switch (k) {
    case K::kAll: return "all";
    case K::kAny: return "any";
    case K::kNot: return "not";
    case K::kApplicationAttr: return "application";
    case K::kUsesPermission: return "uses-permission";
    case K::kComponent: return "component";
    case K::kTargetSdk: return "target-sdk";
    case K::kMinSdk: return "min-sdk";
    case K::kClass: return "class";
    case K::kInvoke: return "invoke";
    case K::kField: return "field";
    case K::kString: return "string";
    case K::kIntArg: return "int-arg";
    case K::kOverride: return "override";
    case K::kAdApi: return "ad-api";
    case K::kAssetString: return "asset-string";
    case K::kNativeLib: return "native-lib";
    case K::kFile: return "file";
    case K::kSdkPresent: return "sdk-present";
    case K::kAnalysis: return "analysis";
  }
  return "?";
}

struct RuleSet::StringSet {
  StringSet() : set(regex_options(), re2::RE2::UNANCHORED) {}
  re2::RE2::Set set;
};

RuleSet::~RuleSet() = default;

const Rule* RuleSet::find(std::string_view id) const {
  auto it = std::lower_bound(rules_.begin(), rules_.end(), id, [](const Rule& r, std::string_view k) { return r.id < k; });
  return it != rules_.end() && it->id == id ? &*it : nullptr;
}

const re2::RE2* RuleSet::pattern_of(const MatchNode& node) const { return lookup(patterns_, node); }
const re2::RE2* RuleSet::caller_of(const MatchNode& node) const { return lookup(callers_, node); }

void RuleSet::strings_matching(std::string_view s, std::vector<const MatchNode*>& out, std::vector<int>& scratch) const {
  if (!string_set_) return;
  scratch.clear();
  if (!string_set_->set.Match(s, &scratch)) return;
  std::sort(scratch.begin(), scratch.end());
  for (int i : scratch) out.push_back(string_nodes_[static_cast<size_t>(i)]);
}

void RuleSetBuilder::add_issue(std::string file, int line, std::string message) {
  issues_.push_back({std::move(file), line, std::move(message)});
}

void RuleSetBuilder::add_embedded() {
  for (const embedded::EmbeddedFile& f : embedded::signature_files())
    if (f.path.starts_with("rules/") && f.path.ends_with(".xml")) add_xml(f.path, f.contents, RuleOrigin::kBuiltin);
}

void RuleSetBuilder::add_path(const std::filesystem::path& path) {
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  if (std::filesystem::is_regular_file(path, ec)) {
    files.push_back(path);
  } else {
    for (auto it = std::filesystem::directory_iterator(path, ec); !ec && it != std::filesystem::directory_iterator();
         it.increment(ec))
      if (it->path().extension() == ".xml" && it->is_regular_file()) files.push_back(it->path());
    if (ec) {
      add_issue(path.string(), 0, "cannot list directory: " + ec.message());
      return;
    }
    if (files.empty()) add_issue(path.string(), 0, "no *.xml rule files here");
  }
  std::sort(files.begin(), files.end());
  for (const auto& p : files) {
    const auto size = std::filesystem::file_size(p, ec);
    if (ec || size > limits::kMaxSignatureFileBytes) {
      add_issue(p.string(), 0, ec ? "cannot read: " + ec.message() : "file too large");
      continue;
    }
    std::ifstream in(p, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in && !in.eof()) {
      add_issue(p.string(), 0, "cannot read");
      continue;
    }
    add_xml(p.string(), text, RuleOrigin::kUser);
  }
}

Result<std::shared_ptr<const RuleSet>> RuleSetBuilder::build() && {
  std::stable_sort(rules_.begin(), rules_.end(), [](const Rule& a, const Rule& b) { return a.id < b.id; });
  for (size_t i = 1; i < rules_.size(); ++i)
    if (rules_[i].id == rules_[i - 1].id)
      add_issue(rules_[i].source, 0, "rule id '" + rules_[i].id + "' is already defined at " + rules_[i - 1].source);

  std::shared_ptr<RuleSet> set(new RuleSet());
  set->rules_ = std::move(rules_);
  set->version_ = std::string(embedded::find_signature_file("VERSION"));
  while (!set->version_.empty() && (set->version_.back() == '\n' || set->version_.back() == '\r'))
    set->version_.pop_back();
  auto strings = std::make_unique<RuleSet::StringSet>();

  // Sources are "file:line" of the rule; issues here name the node's line in the same file.
  for (const Rule& r : set->rules_) {
    const std::string file = r.source.substr(0, r.source.rfind(':'));
    for_each_node(r.match, [&](const MatchNode& n) {
      if (!n.pattern.empty()) {
        auto re = std::make_shared<const re2::RE2>(n.pattern, regex_options());
        if (!re->ok()) {
          add_issue(file, n.line, "pattern '" + n.pattern + "' is not a valid RE2 regex: " + re->error());
        } else {
          std::string err;
          if (n.kind == MatchNode::Kind::kString && strings->set.Add(n.pattern, &err) >= 0)
            set->string_nodes_.push_back(&n);
          set->patterns_.emplace_back(&n, std::move(re));
        }
      }
      if (!n.caller.empty()) {
        auto re = std::make_shared<const re2::RE2>(n.caller, regex_options());
        if (!re->ok()) add_issue(file, n.line, "caller '" + n.caller + "' is not a valid RE2 regex: " + re->error());
        else set->callers_.emplace_back(&n, std::move(re));
      }
    });
  }
  if (!set->string_nodes_.empty()) {
    if (strings->set.Compile()) set->string_set_ = std::move(strings);
    else add_issue("rules", 0, "the string pattern set exceeds the regex memory limit");
  }
  if (!issues_.empty()) {
    std::string msg = std::to_string(issues_.size()) + " problem(s) in the rules:";
    for (size_t i = 0; i < issues_.size() && i < 20; ++i) msg += "\n  " + issues_[i].to_string();
    if (issues_.size() > 20) msg += "\n  …";
    return make_error(ErrorCode::kMalformed, std::move(msg));
  }
  const auto by_node = [](const auto& a, const auto& b) { return a.first < b.first; };
  std::sort(set->patterns_.begin(), set->patterns_.end(), by_node);
  std::sort(set->callers_.begin(), set->callers_.end(), by_node);
  return std::shared_ptr<const RuleSet>(std::move(set));
}

Result<std::shared_ptr<const RuleSet>> load_rule_set(const RuleSetOptions& options) {
  RuleSetBuilder b;
  if (options.builtin) b.add_embedded();
  if (!options.extra.empty()) b.add_path(options.extra);
  return std::move(b).build();
}

Result<std::shared_ptr<const RuleSet>> builtin_rule_set() {
  static std::once_flag once;
  static Result<std::shared_ptr<const RuleSet>>* cached = nullptr;
  std::call_once(once, [] { cached = new Result<std::shared_ptr<const RuleSet>>(load_rule_set()); });
  return *cached;
}

}  // namespace apkwarden::signatures
