// Reads one rule file (format in rule.h and docs/rules.md) with tinyxml2, checking every element
// and attribute against the schema; each problem becomes an issue at the line tinyxml2 reports.
#include <tinyxml2.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>

#include "dex/limits.h"
#include "signatures/rule_set.h"
#include "signatures/sdk.h"

namespace apkwarden::signatures {

namespace {

using tinyxml2::XMLAttribute;
using tinyxml2::XMLElement;
using Kind = MatchNode::Kind;

std::string_view trim(std::string_view s) {
  const auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && ws(s.back())) s.remove_suffix(1);
  return s;
}

// "a|b|c" -> {"a","b","c"} (empty parts dropped).
std::vector<std::string> split_bar(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    const size_t bar = s.find('|');
    std::string_view part = trim(s.substr(0, bar));
    if (!part.empty()) out.emplace_back(part);
    if (bar == std::string_view::npos) break;
    s.remove_prefix(bar + 1);
  }
  return out;
}

std::optional<int64_t> parse_int(std::string_view s) {
  s = trim(s);
  int base = 10;
  bool negative = false;
  if (s.starts_with('-')) {
    negative = true;
    s.remove_prefix(1);
  }
  if (s.starts_with("0x") || s.starts_with("0X")) {
    base = 16;
    s.remove_prefix(2);
  }
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty() || v > (uint64_t{1} << 63)) return std::nullopt;
  return negative ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
}

bool is_kebab(std::string_view id) {
  if (id.empty() || id.size() > 64 || id.front() == '-' || id.back() == '-') return false;
  char prev = 0;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    if (c == '-' && prev == '-') return false;
    prev = c;
  }
  return true;
}

template <size_t N>
bool one_of(const std::array<std::string_view, N>& list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

constexpr std::array<std::string_view, 5> kComponentKinds = {"activity", "activity-alias", "service", "receiver",
                                                            "provider"};
constexpr std::array<std::string_view, 4> kApplicationAttrs = {"debuggable", "allow-backup", "uses-cleartext-traffic",
                                                              "network-security-config"};

struct KindInfo {
  std::string_view element;
  Kind kind;
  std::initializer_list<std::string_view> attributes;  // allowed besides `description`
};

// Code matchers also accept owner, owner-category, loaded and (where a method calls) caller.
const KindInfo kKinds[] = {
    {"all", Kind::kAll, {"scope"}},
    {"any", Kind::kAny, {"scope"}},
    {"not", Kind::kNot, {}},
    {"application", Kind::kApplicationAttr, {"attr", "value"}},
    {"uses-permission", Kind::kUsesPermission, {"name", "pattern"}},
    {"component", Kind::kComponent, {"kind", "action", "category", "exported", "permission", "pattern"}},
    {"target-sdk", Kind::kTargetSdk, {"below", "at-least"}},
    {"min-sdk", Kind::kMinSdk, {"below", "at-least"}},
    {"class", Kind::kClass, {"prefix", "pattern", "owner", "owner-category", "loaded"}},
    {"invoke", Kind::kInvoke, {"class", "method", "proto", "owner", "owner-category", "caller", "loaded"}},
    {"field", Kind::kField, {"class", "name", "value", "mask", "owner", "owner-category", "caller", "loaded"}},
    {"string", Kind::kString, {"pattern", "foreign", "owner", "owner-category", "caller", "loaded"}},
    {"int-arg", Kind::kIntArg, {"class", "method", "proto", "arg", "value", "mask", "owner", "owner-category", "caller", "loaded"}},
    {"override", Kind::kOverride, {"class", "method", "proto", "owner", "owner-category", "loaded"}},
    {"ad-api", Kind::kAdApi, {"kind", "owner", "owner-category", "caller", "loaded"}},
    {"asset-string", Kind::kAssetString, {"pattern"}},
    {"native-lib", Kind::kNativeLib, {"pattern"}},
    {"file", Kind::kFile, {"pattern"}},
    {"sdk-present", Kind::kSdkPresent, {"id", "category"}},
    {"analysis", Kind::kAnalysis, {"name"}},
};

class RuleReader {
 public:
  RuleReader(RuleSetBuilder& b, std::string_view file, RuleOrigin origin) : b_(b), file_(file), origin_(origin) {}

  void issue(int line, std::string msg) { b_.add_issue(file_, line, std::move(msg)); }

  bool check_attributes(const XMLElement* e, std::initializer_list<std::string_view> allowed) {
    bool ok = true;
    for (const XMLAttribute* a = e->FirstAttribute(); a; a = a->Next()) {
      const std::string_view n = a->Name();
      if (n == "description") continue;
      if (std::find(allowed.begin(), allowed.end(), n) == allowed.end()) {
        issue(a->GetLineNum(), "unknown attribute '" + std::string(n) + "' on <" + e->Name() + ">");
        ok = false;
      }
    }
    return ok;
  }

  std::optional<std::string> required(const XMLElement* e, const char* name) {
    const char* v = e->Attribute(name);
    if (!v || trim(v).empty()) {
      issue(e->GetLineNum(), std::string("<") + e->Name() + "> needs a non-empty '" + name + "' attribute");
      return std::nullopt;
    }
    return std::string(trim(v));
  }

  std::string optional_attr(const XMLElement* e, const char* name) {
    const char* v = e->Attribute(name);
    return v ? std::string(trim(v)) : std::string();
  }

  std::optional<std::string> text_of(const XMLElement* e) {
    check_attributes(e, {});
    const char* t = e->GetText();
    if (e->FirstChildElement() || !t || trim(t).empty()) {
      issue(e->GetLineNum(), std::string("<") + e->Name() + "> must hold text only");
      return std::nullopt;
    }
    return std::string(trim(t));
  }

  void read_rule(const XMLElement* e);

 private:
  // value="a|b" or mask="0x20" (exactly one when `required`).
  void read_values(const XMLElement* e, MatchNode& n, bool required) {
    const std::string value = optional_attr(e, "value"), mask = optional_attr(e, "mask");
    if (!value.empty() && !mask.empty()) issue(n.line, "give value or mask, not both");
    else if (required && value.empty() && mask.empty()) issue(n.line, "<" + std::string(e->Name()) + "> needs value or mask");
    for (const auto& v : split_bar(value)) {
      auto x = parse_int(v);
      if (!x) issue(n.line, "value '" + v + "' is not an integer");
      else n.values.push_back(*x);
    }
    if (!mask.empty()) {
      auto x = parse_int(mask);
      if (!x || *x == 0) issue(n.line, "mask '" + mask + "' is not a non-zero integer");
      else n.mask = *x;
    }
  }
  std::optional<MatchNode> read_node(const XMLElement* e, int depth);
  // class="a.B|c.D": each part a dotted Java name.
  void check_classes(const MatchNode& n) {
    for (const auto& c : split_bar(n.class_name))
      if (!is_valid_class_name(c)) issue(n.line, "class '" + c + "' is not a dotted Java name");
  }
  void read_owner(const XMLElement* e, MatchNode& n);

  RuleSetBuilder& b_;
  std::string file_;
  RuleOrigin origin_;
};

void RuleReader::read_owner(const XMLElement* e, MatchNode& n) {
  const std::string owner = optional_attr(e, "owner");
  if (owner.empty() || owner == "any") n.owner = Owner::kAny;
  else if (owner == "app") n.owner = Owner::kApp;
  else if (owner == "sdk") n.owner = Owner::kSdk;
  else issue(e->GetLineNum(), "owner must be any, app or sdk, not '" + owner + "'");
  n.owner_category = optional_attr(e, "owner-category");
  if (!n.owner_category.empty()) {
    if (!is_sdk_category(n.owner_category))
      issue(e->GetLineNum(), "unknown SDK category '" + n.owner_category + "'");
    if (n.owner == Owner::kApp) issue(e->GetLineNum(), "owner=\"app\" contradicts owner-category");
    n.owner = Owner::kSdk;
  }
  n.caller = optional_attr(e, "caller");
  const std::string loaded = optional_attr(e, "loaded");
  if (loaded.empty() || loaded == "any") n.loaded = Loaded::kAny;
  else if (loaded == "installed") n.loaded = Loaded::kInstalled;
  else if (loaded == "runtime") n.loaded = Loaded::kRuntime;
  else issue(e->GetLineNum(), "loaded must be any, installed or runtime, not '" + loaded + "'");
}

std::optional<MatchNode> RuleReader::read_node(const XMLElement* e, int depth) {
  const std::string_view element = e->Name();
  const KindInfo* info = nullptr;
  for (const KindInfo& k : kKinds)
    if (k.element == element) info = &k;
  if (!info) {
    issue(e->GetLineNum(), "unknown matcher <" + std::string(element) + ">");
    return std::nullopt;
  }
  if (depth > limits::kMaxRuleDepth) {
    issue(e->GetLineNum(), "matchers nested too deep");
    return std::nullopt;
  }
  if (!check_attributes(e, info->attributes)) return std::nullopt;
  MatchNode n;
  n.kind = info->kind;
  n.line = e->GetLineNum();
  n.description = optional_attr(e, "description");
  const size_t issues_before = b_.issues().size();
  const auto need = [&](const char* a) { return required(e, a).value_or(""); };

  if (n.is_combinator()) {
    if (const char* s = e->Attribute("scope")) {
      auto scope = parse_scope(trim(s));
      if (!scope) issue(n.line, "scope must be method, class, sdk or app, not '" + std::string(s) + "'");
      else n.scope = *scope;
    }
    for (const XMLElement* c = e->FirstChildElement(); c; c = c->NextSiblingElement())
      if (auto child = read_node(c, depth + 1)) n.children.push_back(std::move(*child));
    if (n.kind == Kind::kNot && n.children.size() != 1)
      issue(n.line, "<not> holds exactly one matcher");
    if (n.kind != Kind::kNot && n.children.empty()) issue(n.line, "<" + std::string(element) + "> is empty");
    if (n.kind == Kind::kAll) {
      const bool positive = std::any_of(n.children.begin(), n.children.end(),
                                        [](const MatchNode& c) { return c.kind != Kind::kNot; });
      if (!positive && !n.children.empty()) issue(n.line, "<all> needs at least one matcher that is not <not>");
    }
  } else if (e->FirstChildElement()) {
    issue(n.line, "<" + std::string(element) + "> takes no child elements");
  }

  switch (n.kind) {
    case Kind::kAll:
    case Kind::kAny:
    case Kind::kNot:
      break;
    case Kind::kApplicationAttr:
      n.attr = need("attr");
      n.value = need("value");
      if (!n.attr.empty() && !one_of(kApplicationAttrs, n.attr)) issue(n.line, "unknown application attr '" + n.attr + "'");
      if (n.attr == "network-security-config" && n.value != "present" && n.value != "absent")
        issue(n.line, "network-security-config value is present or absent");
      else if (!n.attr.empty() && n.attr != "network-security-config" && n.value != "true" && n.value != "false" &&
               !(n.attr == "uses-cleartext-traffic" && n.value == "unset"))
        issue(n.line, "value must be true or false" +
                          std::string(n.attr == "uses-cleartext-traffic" ? " or unset" : ""));
      break;
    case Kind::kUsesPermission:
      n.name = optional_attr(e, "name");
      n.pattern = optional_attr(e, "pattern");
      if (n.name.empty() == n.pattern.empty()) issue(n.line, "<uses-permission> needs one of name or pattern");
      break;
    case Kind::kComponent: {
      n.component_kinds = split_bar(optional_attr(e, "kind"));
      for (const auto& k : n.component_kinds)
        if (!one_of(kComponentKinds, k)) issue(n.line, "unknown component kind '" + k + "'");
      n.actions = split_bar(optional_attr(e, "action"));
      n.category = optional_attr(e, "category");
      const std::string exported = optional_attr(e, "exported");
      if (exported == "true") n.exported = true;
      else if (exported == "false") n.exported = false;
      else if (!exported.empty()) issue(n.line, "exported must be true or false");
      n.permission = optional_attr(e, "permission");
      n.pattern = optional_attr(e, "pattern");
      break;
    }
    case Kind::kTargetSdk:
    case Kind::kMinSdk: {
      for (const char* a : {"below", "at-least"}) {
        if (!e->Attribute(a)) continue;
        auto v = parse_int(e->Attribute(a));
        if (!v || *v < 1 || *v > 1000) issue(n.line, std::string(a) + " must be an API level");
        else (std::string_view(a) == "below" ? n.below : n.at_least) = static_cast<int>(*v);
      }
      if (!n.below && !n.at_least) issue(n.line, "<" + std::string(element) + "> needs below or at-least");
      break;
    }
    case Kind::kClass:
      read_owner(e, n);
      n.prefix = optional_attr(e, "prefix");
      n.pattern = optional_attr(e, "pattern");
      if (n.prefix.empty() == n.pattern.empty()) issue(n.line, "<class> needs one of prefix or pattern");
      if (!n.prefix.empty() && !is_valid_class_prefix(n.prefix) && !is_valid_class_name(n.prefix))
        issue(n.line, "class prefix '" + n.prefix + "' is not a dotted Java name");
      break;
    case Kind::kInvoke:
    case Kind::kOverride:
      read_owner(e, n);
      n.class_name = need("class");
      n.method = need("method");
      n.proto = optional_attr(e, "proto");
      check_classes(n);
      if (!n.proto.empty() && (n.proto.front() != '(' || n.proto.find(')') == std::string::npos))
        issue(n.line, "proto must look like (Landroid/os/Bundle;)V");
      break;
    case Kind::kField:
      read_owner(e, n);
      n.class_name = need("class");
      n.name = need("name");
      read_values(e, n, false);
      check_classes(n);
      break;
    case Kind::kString:
    case Kind::kAssetString:
    case Kind::kNativeLib:
    case Kind::kFile: {
      if (n.kind == Kind::kString) read_owner(e, n);
      n.pattern = need("pattern");
      const std::string foreign = optional_attr(e, "foreign");
      if (foreign == "true") n.foreign = true;
      else if (!foreign.empty() && foreign != "false") issue(n.line, "foreign must be true or false");
      break;
    }
    case Kind::kIntArg: {
      read_owner(e, n);
      n.class_name = need("class");
      n.method = need("method");
      check_classes(n);
      n.proto = optional_attr(e, "proto");
      auto arg = parse_int(need("arg"));
      if (!arg || *arg < 0 || *arg > 255) issue(n.line, "arg must be an argument index 0..255");
      else n.arg = static_cast<int>(*arg);
      read_values(e, n, true);
      break;
    }
    case Kind::kAdApi:
      read_owner(e, n);
      n.ad_kinds = split_bar(optional_attr(e, "kind"));
      for (const auto& k : n.ad_kinds)
        if (!is_ad_kind(k)) issue(n.line, "unknown ad kind '" + k + "'");
      break;
    case Kind::kSdkPresent:
      n.name = optional_attr(e, "id");
      n.category = optional_attr(e, "category");
      if (n.name.empty() == n.category.empty()) issue(n.line, "<sdk-present> needs one of id or category");
      if (!n.category.empty() && !is_sdk_category(n.category)) issue(n.line, "unknown SDK category '" + n.category + "'");
      break;
    case Kind::kAnalysis:
      n.name = need("name");
      if (!n.name.empty() && !one_of(kRuleAnalyses, n.name)) issue(n.line, "unknown analysis '" + n.name + "'");
      if (depth != 1) issue(n.line, "<analysis> stands alone in <match>");
      break;
  }
  if (!n.caller.empty() && n.kind == Kind::kClass) issue(n.line, "caller does not apply to <class>");
  if (b_.issues().size() != issues_before) return std::nullopt;
  return n;
}

void RuleReader::read_rule(const XMLElement* e) {
  check_attributes(e, {"id", "title", "category", "severity", "confidence"});
  Rule r;
  r.origin = origin_;
  r.source = file_ + ":" + std::to_string(e->GetLineNum());
  const size_t issues_before = b_.issues().size();
  r.id = required(e, "id").value_or("");
  r.title = required(e, "title").value_or("");
  r.category = required(e, "category").value_or("");
  r.severity = required(e, "severity").value_or("");
  r.confidence = required(e, "confidence").value_or("");
  const int line = e->GetLineNum();
  if (!r.id.empty() && !is_kebab(r.id)) issue(line, "rule id '" + r.id + "' is not kebab-case");
  if (!r.category.empty() && !is_rule_category(r.category)) issue(line, "unknown category '" + r.category + "'");
  if (!r.severity.empty() && !one_of(kRuleSeverities, r.severity)) issue(line, "unknown severity '" + r.severity + "'");
  if (!r.confidence.empty() && !one_of(kRuleConfidences, r.confidence))
    issue(line, "unknown confidence '" + r.confidence + "'");
  int matches = 0;
  for (const XMLElement* c = e->FirstChildElement(); c; c = c->NextSiblingElement()) {
    const std::string_view name = c->Name();
    if (name == "regulation") {
      if (auto t = text_of(c)) r.regulation.push_back(*t);
    } else if (name == "remediation") {
      if (auto t = text_of(c)) r.remediation = *t;
    } else if (name == "description") {
      if (auto t = text_of(c)) r.description = *t;
    } else if (name == "fixture") {
      check_attributes(c, {"positive", "negative"});
      const std::string pos = optional_attr(c, "positive"), neg = optional_attr(c, "negative");
      if (pos.empty() == neg.empty()) issue(c->GetLineNum(), "<fixture> names one positive or one negative fixture");
      if (!pos.empty()) r.positive_fixtures.push_back(pos);
      if (!neg.empty()) r.negative_fixtures.push_back(neg);
    } else if (name == "match") {
      ++matches;
      check_attributes(c, {"scope"});
      MatchNode root;
      root.kind = Kind::kAll;
      root.line = c->GetLineNum();
      if (const char* s = c->Attribute("scope")) {
        auto scope = parse_scope(trim(s));
        if (!scope) issue(root.line, "scope must be method, class, sdk or app");
        else root.scope = *scope;
      }
      int n = 0;
      for (const XMLElement* m = c->FirstChildElement(); m; m = m->NextSiblingElement()) {
        ++n;
        if (auto node = read_node(m, 1)) root.children.push_back(std::move(*node));
      }
      if (n == 0) issue(root.line, "<match> is empty");
      else if (n > 1 && std::any_of(root.children.begin(), root.children.end(),
                                    [](const MatchNode& m) { return m.kind == Kind::kAnalysis; }))
        issue(root.line, "<analysis> stands alone in <match>");
      else if (!root.children.empty() && root.children.front().kind == Kind::kNot && root.children.size() == 1)
        issue(root.line, "<match> needs a matcher that is not <not>");
      r.match = std::move(root);
    } else {
      issue(c->GetLineNum(), "unknown element <" + std::string(name) + "> in <rule>");
    }
  }
  if (matches != 1) issue(line, "a rule needs exactly one <match>");
  if (origin_ == RuleOrigin::kBuiltin && (r.positive_fixtures.empty() || r.negative_fixtures.empty()))
    issue(line, "a builtin rule names at least one positive and one negative <fixture>");
  if (b_.issues().size() == issues_before) b_.add_rule(std::move(r));
}

}  // namespace

void RuleSetBuilder::add_xml(std::string_view file, std::string_view text, RuleOrigin origin) {
  if (text.size() > limits::kMaxSignatureFileBytes) {
    add_issue(std::string(file), 0, "file too large");
    return;
  }
  tinyxml2::XMLDocument doc;
  if (doc.Parse(text.data(), text.size()) != tinyxml2::XML_SUCCESS) {
    add_issue(std::string(file), doc.ErrorLineNum(), std::string("not well-formed XML: ") + doc.ErrorStr());
    return;
  }
  const XMLElement* root = doc.RootElement();
  if (!root || std::string_view(root->Name()) != "rules") {
    add_issue(std::string(file), root ? root->GetLineNum() : 0, "the root element must be <rules>");
    return;
  }
  RuleReader reader(*this, file, origin);
  reader.check_attributes(root, {"version"});
  size_t count = 0;
  for (const XMLElement* e = root->FirstChildElement(); e; e = e->NextSiblingElement()) {
    if (std::string_view(e->Name()) != "rule") {
      reader.issue(e->GetLineNum(), "unknown element <" + std::string(e->Name()) + "> in <rules>");
      continue;
    }
    if (++count > limits::kMaxRules) {
      reader.issue(e->GetLineNum(), "too many rules");
      break;
    }
    reader.read_rule(e);
  }
}

}  // namespace apkwarden::signatures
