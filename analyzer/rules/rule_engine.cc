// The rule engine: combinators over leaf results, and findings from a rule's root result.
//
// Semantics (docs/rules.md): a leaf gives hits (places) or a whole-app fact. <all scope=S> keeps
// the S-groups (same method, class, SDK, or the whole app) in which every child has a hit; facts
// hold everywhere or nowhere; <not> children remove the groups in which they hit. <any> is the
// union. A rule reports one finding per group of its root scope, located at the group's best hit.
#include "analyzer/rules/rule_engine.h"

#include <algorithm>
#include <set>
#include <unordered_set>

#include "analyzer/apk/manifest.h"
#include "analyzer/code/code_index.h"
#include "analyzer/rules/matchers.h"
#include "dex/limits.h"
#include "signatures/sdk_catalog.h"

namespace apkwarden::rules {

using signatures::MatchNode;
using signatures::Scope;
using Kind = MatchNode::Kind;

uint64_t scope_key(const Hit& h, Scope scope) {
  constexpr int kShift = 40;
  const auto unit_key = [&] { return (uint64_t{3} + static_cast<uint64_t>(h.unit)) << kShift | h.item; };
  switch (scope) {
    case Scope::kMethod:
      if (h.method != kNoUnit) return uint64_t{1} << kShift | h.method;
      if (h.cls != kNoUnit && h.unit == Hit::Unit::kCode) return uint64_t{2} << kShift | h.cls;
      return unit_key();
    case Scope::kClass:
      if (h.cls != kNoUnit) return uint64_t{2} << kShift | h.cls;
      return unit_key();
    case Scope::kSdk:
      return static_cast<uint64_t>(static_cast<int64_t>(h.sdk) + 1);
    case Scope::kApp:
      return 0;
  }
  return 0;
}

struct RuleEngine::Impl {
  explicit Impl(const RuleInputs& in) : ctx{in} {
    if (in.manifest) ctx.own_package = in.manifest->package;
  }
  MatchContext ctx;

  NodeResult eval(const MatchNode& n);
  NodeResult eval_all(const MatchNode& n);
  NodeResult eval_any(const MatchNode& n);
};

NodeResult RuleEngine::Impl::eval(const MatchNode& n) {
  switch (n.kind) {
    case Kind::kAll: return eval_all(n);
    case Kind::kAny: return eval_any(n);
    case Kind::kNot: return n.children.empty() ? NodeResult{} : eval(n.children.front());
    case Kind::kAnalysis: return NodeResult{};  // an analysis pass makes these findings
    default: break;
  }
  if (n.is_manifest()) return match_manifest(n, ctx);
  switch (n.kind) {
    case Kind::kAssetString:
    case Kind::kNativeLib:
    case Kind::kFile:
    case Kind::kSdkPresent:
      return match_contents(n, ctx);
    default:
      return match_code(n, ctx);
  }
}

NodeResult RuleEngine::Impl::eval_any(const MatchNode& n) {
  NodeResult r;
  for (const MatchNode& c : n.children) {
    if (c.kind == Kind::kNot) continue;  // rejected by the loader; ignored if built by hand
    NodeResult x = eval(c);
    r.global = r.global || x.global;
    for (Hit& h : x.hits) r.hits.push_back(std::move(h));
    for (Hit& h : x.witnesses) r.witnesses.push_back(std::move(h));
  }
  if (r.global) {
    // A fact that holds makes the whole <any> hold; its places become plain evidence.
    for (Hit& h : r.hits) r.witnesses.push_back(std::move(h));
    r.hits.clear();
  }
  return r;
}

NodeResult RuleEngine::Impl::eval_all(const MatchNode& n) {
  NodeResult r;
  std::vector<NodeResult> placed;   // children with hits
  std::vector<NodeResult> negated;  // <not> children
  for (const MatchNode& c : n.children) {
    if (c.kind == Kind::kNot) {
      negated.push_back(eval(c));
      if (negated.back().global) return {};  // "not <fact that holds>"
      continue;
    }
    NodeResult x = eval(c);
    if (!x.matched()) return {};
    for (Hit& h : x.witnesses) r.witnesses.push_back(std::move(h));
    if (!x.global) placed.push_back(std::move(x));
  }
  if (placed.empty()) {
    r.global = true;
    return r;
  }
  // Groups present in every placed child, minus the groups of negated children.
  std::vector<uint64_t> keys;
  for (const Hit& h : placed.front().hits) keys.push_back(scope_key(h, n.scope));
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  for (size_t i = 1; i < placed.size() && !keys.empty(); ++i) {
    std::vector<uint64_t> other;
    for (const Hit& h : placed[i].hits) other.push_back(scope_key(h, n.scope));
    std::sort(other.begin(), other.end());
    std::vector<uint64_t> both;
    std::set_intersection(keys.begin(), keys.end(), other.begin(), other.end(), std::back_inserter(both));
    keys = std::move(both);
  }
  for (const NodeResult& x : negated) {
    std::vector<uint64_t> other;
    for (const Hit& h : x.hits) other.push_back(scope_key(h, n.scope));
    std::sort(other.begin(), other.end());
    std::vector<uint64_t> rest;
    std::set_difference(keys.begin(), keys.end(), other.begin(), other.end(), std::back_inserter(rest));
    keys = std::move(rest);
  }
  if (keys.empty()) return {};
  for (NodeResult& x : placed)
    for (Hit& h : x.hits)
      if (std::binary_search(keys.begin(), keys.end(), scope_key(h, n.scope))) r.hits.push_back(std::move(h));
  return r;
}

RuleEngine::RuleEngine(const RuleInputs& in) : impl_(std::make_unique<Impl>(in)) {}
RuleEngine::~RuleEngine() = default;

NodeResult RuleEngine::evaluate(const MatchNode& node) { return impl_->eval(node); }

report::Location RuleEngine::location_of(const Hit& h) const {
  report::Location l;
  const RuleInputs& in = impl_->ctx.in;
  switch (h.unit) {
    case Hit::Unit::kCode:
      if (!in.index) break;
      l.kind = report::Location::Kind::kCode;
      if (h.method != kNoUnit) {
        const code::IndexedMethod& m = in.index->methods()[h.method];
        l.dex = in.index->dex(in.index->classes()[m.cls].dex).location();
        l.class_name = in.index->class_java_name(m.cls);
        l.method = in.index->method_java_signature(h.method);
        l.pc = h.pc;
        l.line = in.index->line_of(h.method, h.pc);
      } else if (h.cls != kNoUnit) {
        l.dex = in.index->dex(in.index->classes()[h.cls].dex).location();
        l.class_name = in.index->class_java_name(h.cls);
      }
      break;
    case Hit::Unit::kComponent:
      l.kind = report::Location::Kind::kManifest;
      l.path = "AndroidManifest.xml";
      if (in.manifest && h.item < in.manifest->components.size())
        l.element = apk::component_kind_name(in.manifest->components[h.item].kind);
      l.name = h.name;
      break;
    case Hit::Unit::kApplication:
      l.kind = report::Location::Kind::kManifest;
      l.path = "AndroidManifest.xml";
      l.element = h.name == "targetSdkVersion" || h.name == "minSdkVersion" ? "uses-sdk" : "application";
      l.name = h.name;
      break;
    case Hit::Unit::kPermission:
      l.kind = report::Location::Kind::kManifest;
      l.path = "AndroidManifest.xml";
      l.element = "uses-permission";
      l.name = h.name;
      break;
    case Hit::Unit::kNativeLib:
      l.kind = report::Location::Kind::kNative;
      l.lib = h.name;
      l.path = h.name;
      break;
    case Hit::Unit::kResource:
      l.kind = report::Location::Kind::kResource;
      l.path = h.name;
      break;
    case Hit::Unit::kSdk:
      break;
  }
  return l;
}

namespace {

// Code places first (they are the most precise evidence), then components, then the rest.
int hit_rank(const Hit& h) {
  switch (h.unit) {
    case Hit::Unit::kCode: return h.method != kNoUnit ? 0 : 1;
    case Hit::Unit::kComponent: return 2;
    case Hit::Unit::kNativeLib: return 3;
    case Hit::Unit::kResource: return 4;
    case Hit::Unit::kPermission: return 5;
    case Hit::Unit::kApplication: return 6;
    case Hit::Unit::kSdk: return 7;
  }
  return 8;
}

bool hit_before(const Hit& a, const Hit& b) {
  return std::tie(a.unit, a.method, a.cls, a.item, a.pc, a.evidence) <
         std::tie(b.unit, b.method, b.cls, b.item, b.pc, b.evidence);
}

}  // namespace

std::vector<report::Finding> RuleEngine::run(const signatures::Rule& rule, Diagnostics* diags) {
  (void)diags;
  NodeResult res = impl_->eval(rule.match);
  std::vector<report::Finding> out;
  if (!res.matched()) return out;
  const RuleInputs& in = impl_->ctx.in;

  // `ordered`: the group is already in evaluation order (facts), only ranked by kind.
  const auto make = [&](std::vector<const Hit*> group, bool ordered) {
    std::stable_sort(group.begin(), group.end(), [ordered](const Hit* a, const Hit* b) {
      const int ra = hit_rank(*a), rb = hit_rank(*b);
      return ra != rb ? ra < rb : !ordered && hit_before(*a, *b);
    });
    report::Finding f;
    f.rule = rule.id;
    f.category = rule.category;
    f.severity = report::parse_severity(rule.severity).value_or(report::Severity::kMedium);
    f.confidence = rule.confidence;
    f.title = rule.title;
    f.regulation = rule.regulation;
    f.remediation = rule.remediation;
    if (!group.empty()) {
      const Hit& best = *group.front();
      f.location = location_of(best);
      if (best.sdk >= 0 && in.catalog && static_cast<size_t>(best.sdk) < in.catalog->size())
        f.sdk = in.catalog->sdks()[static_cast<size_t>(best.sdk)].id;
    }
    std::set<std::string> seen;
    const auto add = [&](const Hit& h) {
      if (h.evidence.empty() || f.evidence.size() >= limits::kMaxEvidencePerFinding) return;
      std::string e = h.evidence;
      if (h.unit == Hit::Unit::kCode && h.method != kNoUnit && in.index)
        e += " in " + in.index->class_java_name(in.index->methods()[h.method].cls) + "." +
             in.index->method_java_signature(h.method);
      if (seen.insert(e).second) f.evidence.push_back(std::move(e));
    };
    for (const Hit* h : group) add(*h);
    for (const Hit& h : res.witnesses) add(h);
    out.push_back(std::move(f));
  };

  if (res.global) {
    std::vector<const Hit*> group;
    for (const Hit& h : res.witnesses) group.push_back(&h);
    make(std::move(group), true);
  } else {
    // One finding per group of the root's scope, in the order of their best hits.
    std::vector<std::pair<uint64_t, const Hit*>> keyed;
    for (const Hit& h : res.hits) keyed.emplace_back(scope_key(h, rule.match.scope), &h);
    std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (size_t i = 0; i < keyed.size() && out.size() < limits::kMaxFindingsPerRule;) {
      size_t j = i;
      std::vector<const Hit*> group;
      while (j < keyed.size() && keyed[j].first == keyed[i].first) group.push_back(keyed[j++].second);
      make(std::move(group), false);
      i = j;
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<report::Finding> RuleEngine::run_all(Diagnostics* diags) {
  std::vector<report::Finding> all;
  for (const signatures::Rule& r : impl_->ctx.in.rules.rules()) {
    auto f = run(r, diags);
    for (auto& x : f) all.push_back(std::move(x));
  }
  std::sort(all.begin(), all.end());
  return all;
}

}  // namespace apkwarden::rules
