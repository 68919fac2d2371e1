// Code matchers over the CodeIndex: class presence, calls, field accesses, const-strings,
// integer constants at call sites, overrides of framework methods and SDK ad APIs. Each hit is
// a place in a method (or a class), owned by the SDK that owns its class.
#include <re2/re2.h>

#include <algorithm>
#include <cstdio>

#include "analyzer/code/code_index.h"
#include "analyzer/code/dex_lookup.h"
#include "analyzer/rules/matchers.h"
#include "dex/descriptor.h"
#include "dex/limits.h"
#include "signatures/sdk_catalog.h"

namespace apkwarden::rules {

namespace {

using signatures::MatchNode;
using signatures::Owner;
using Kind = MatchNode::Kind;

bool owner_ok(const MatchNode& n, const MatchContext& ctx, const code::IndexedClass& cls) {
  if (n.loaded != signatures::Loaded::kAny &&
      ctx.in.index->code().is_runtime_loaded(cls.dex) != (n.loaded == signatures::Loaded::kRuntime))
    return false;
  const int32_t sdk = cls.sdk;
  switch (n.owner) {
    case Owner::kAny: return true;
    case Owner::kApp: return sdk < 0;
    case Owner::kSdk:
      if (sdk < 0) return false;
      if (n.owner_category.empty() || !ctx.in.catalog) return true;
      return ctx.in.catalog->sdks()[static_cast<size_t>(sdk)].category == n.owner_category;
  }
  return true;
}

// Whether the method `m` passes the node's owner and caller filters.
bool method_ok(const MatchNode& n, const MatchContext& ctx, uint32_t m) {
  const code::CodeIndex& ix = *ctx.in.index;
  if (!owner_ok(n, ctx, ix.classes()[ix.methods()[m].cls])) return false;
  if (!n.caller.empty()) {
    const re2::RE2* re = ctx.in.rules.caller_of(n);
    if (!re || !re2::RE2::FullMatch(ix.method_name(m), *re)) return false;
  }
  return true;
}

Hit code_hit(const code::CodeIndex& ix, uint32_t m, uint32_t pc, std::string evidence) {
  Hit h;
  h.unit = Hit::Unit::kCode;
  h.method = m;
  h.cls = ix.methods()[m].cls;
  h.sdk = ix.classes()[h.cls].sdk;
  h.pc = pc;
  h.evidence = std::move(evidence);
  return h;
}

// A constant against value="a|b" or mask="bits" (no condition: any constant, or none needed).
bool value_ok(const MatchNode& n, int64_t v) {
  if (n.mask) return (v & *n.mask) == *n.mask;
  return n.values.empty() || std::find(n.values.begin(), n.values.end(), v) != n.values.end();
}

std::string shown_value(int64_t v) {
  char hex[24];
  std::snprintf(hex, sizeof hex, "%#llx", static_cast<unsigned long long>(v));
  return std::to_string(v) + (v > 9 || v < 0 ? std::string(" (") + hex + ")" : "");
}

bool full(const NodeResult& r) { return r.hits.size() >= limits::kMaxHitsPerMatcher; }

// "a.B|c.D" -> {"La/B;", "Lc/D;"}
std::vector<std::string> descriptors_of(std::string_view classes) {
  std::vector<std::string> out;
  while (!classes.empty()) {
    const size_t bar = classes.find('|');
    out.push_back(code::java_to_descriptor(classes.substr(0, bar)));
    if (bar == std::string_view::npos) break;
    classes.remove_prefix(bar + 1);
  }
  return out;
}

// Calls to `method` of one of `classes` ('|'-separated, dotted), as invokes() indices. A call
// through an app class that inherits the method (invoke-virtual MyActivity.startService) counts.
template <class F>
void for_each_call(const MatchContext& ctx, const std::string& classes, const std::string& method,
                   const std::string& proto, F&& f) {
  const code::CodeIndex& ix = *ctx.in.index;
  const std::vector<std::string> targets = descriptors_of(classes);
  std::vector<std::string_view> names;
  for (std::string_view rest = method; !rest.empty();) {
    const size_t bar = rest.find('|');
    names.push_back(rest.substr(0, bar));
    if (bar == std::string_view::npos) break;
    rest.remove_prefix(bar + 1);
  }
  for (uint32_t d = 0; d < ix.code().dex_files.size(); ++d) {
    const dex::DexFile& dx = ix.dex(d);
    for (std::string_view one : names) {
    const dex::StringIdx name = code::find_string(dx, one);
    if (name.is_none()) continue;
    for (uint32_t m : ix.method_ids_named(d, name)) {
      auto id = dx.method_id(dex::MethodIdx(m));
      if (!id) continue;
      const std::string_view desc = dx.type_descriptor(id->class_idx);
      bool ok = std::find(targets.begin(), targets.end(), desc) != targets.end();
      if (!ok && ix.find_class(desc) != code::kNone)
        for (const auto& t : targets) ok = ok || ix.pool().is_subclass_of(desc, t);
      if (!ok || (!proto.empty() && dx.proto_signature(id->proto_idx) != proto)) continue;
      for (uint32_t site : ix.calls_to(d, dex::MethodIdx(m))) f(site);
    }
    }
  }
}

std::string describe(const MatchNode& n, std::string fallback) {
  return n.description.empty() ? std::move(fallback) : n.description;
}

NodeResult classes(const MatchNode& n, MatchContext& ctx) {
  NodeResult r;
  const code::CodeIndex& ix = *ctx.in.index;
  std::string internal;
  if (!n.prefix.empty()) {
    internal = "L";
    for (char c : n.prefix) internal += c == '.' ? '/' : c;
  }
  const re2::RE2* re = n.pattern.empty() ? nullptr : ctx.in.rules.pattern_of(n);
  for (uint32_t c = 0; c < ix.classes().size() && !full(r); ++c) {
    const code::IndexedClass& cls = ix.classes()[c];
    if (!owner_ok(n, ctx, cls)) continue;
    if (!internal.empty()) {
      const std::string_view d = cls.descriptor;
      // A prefix ending in '.' is a package; otherwise the whole class name or a class prefix.
      if (!d.starts_with(internal)) continue;
    } else if (!re || !re2::RE2::PartialMatch(dex::descriptor_to_java(cls.descriptor), *re)) {
      continue;
    }
    Hit h;
    h.unit = Hit::Unit::kCode;
    h.cls = c;
    h.sdk = cls.sdk;
    h.evidence = describe(n, "defines class " + dex::descriptor_to_java(cls.descriptor));
    r.hits.push_back(std::move(h));
  }
  return r;
}

NodeResult invokes(const MatchNode& n, MatchContext& ctx) {
  NodeResult r;
  const code::CodeIndex& ix = *ctx.in.index;
  for_each_call(ctx, n.class_name, n.method, n.proto, [&](uint32_t site) {
    const code::InvokeSite& s = ix.invokes()[site];
    if (full(r) || !method_ok(n, ctx, s.caller)) return;
    r.hits.push_back(code_hit(ix, s.caller, s.pc,
                              describe(n, "calls " + ix.dex_of_method(s.caller).pretty_method_java(s.callee))));
  });
  return r;
}

NodeResult int_args(const MatchNode& n, MatchContext& ctx) {
  NodeResult r;
  const code::CodeIndex& ix = *ctx.in.index;
  for_each_call(ctx, n.class_name, n.method, n.proto, [&](uint32_t site) {
    const code::InvokeSite& s = ix.invokes()[site];
    if (full(r) || !method_ok(n, ctx, s.caller)) return;
    for (const code::IntArgSite& a : ix.int_args_of(site)) {
      if (a.arg != n.arg || !value_ok(n, a.value)) continue;
      r.hits.push_back(code_hit(ix, s.caller, s.pc,
                                describe(n, "passes a constant to " + n.class_name + "." + n.method) +
                                    " (argument " + std::to_string(a.arg) + " = " + shown_value(a.value) + ")"));
    }
  });
  return r;
}

NodeResult fields(const MatchNode& n, MatchContext& ctx) {
  NodeResult r;
  const code::CodeIndex& ix = *ctx.in.index;
  for (uint32_t d = 0; d < ix.code().dex_files.size(); ++d)
    for (const std::string& desc : descriptors_of(n.class_name))
    for (dex::FieldIdx f : code::find_field_ids(ix.dex(d), desc, n.name))
      for (uint32_t site : ix.accesses_of(d, f)) {
        const code::FieldSite& s = ix.fields()[site];
        if (full(r) || !method_ok(n, ctx, s.method)) continue;
        const bool constrained = n.mask || !n.values.empty();
        if (constrained && !(s.write && s.has_value && value_ok(n, s.value))) continue;
        std::string what = describe(n, std::string(s.write ? "writes " : "reads ") + n.class_name + "." + n.name);
        if (constrained) what += " = " + shown_value(s.value);
        r.hits.push_back(code_hit(ix, s.method, s.pc, std::move(what)));
      }
  return r;
}

// One pass over all const-string sites for every <string> node of the rule set.
void match_all_strings(MatchContext& ctx) {
  ctx.strings_done = true;
  const code::CodeIndex& ix = *ctx.in.index;
  if (ctx.in.rules.string_pattern_count() == 0) return;
  // Per dex and string: -2 not yet matched, -1 no match, else an offset into `matched`.
  std::vector<std::vector<int32_t>> state(ix.code().dex_files.size());
  for (size_t d = 0; d < state.size(); ++d) state[d].assign(ix.dex(static_cast<uint32_t>(d)).string_ids_size(), -2);
  std::vector<std::vector<const MatchNode*>> matched;
  std::vector<const MatchNode*> nodes;
  std::vector<int> scratch;
  for (uint32_t i = 0; i < ix.strings().size(); ++i) {
    const code::StringSite& s = ix.strings()[i];
    const uint32_t d = ix.classes()[ix.methods()[s.method].cls].dex;
    if (s.string.value >= state[d].size()) continue;
    int32_t& st = state[d][s.string.value];
    if (st == -2) {
      nodes.clear();
      const std::string text = ix.dex(d).string(s.string);
      ctx.in.rules.strings_matching(text, nodes, scratch);
      if (nodes.empty()) st = -1;
      else {
        st = static_cast<int32_t>(matched.size());
        matched.push_back(nodes);
      }
    }
    if (st >= 0)
      for (const MatchNode* n : matched[static_cast<size_t>(st)]) ctx.string_sites[n].push_back(i);
  }
}

NodeResult strings(const MatchNode& n, MatchContext& ctx) {
  if (!ctx.strings_done) match_all_strings(ctx);
  NodeResult r;
  const code::CodeIndex& ix = *ctx.in.index;
  auto it = ctx.string_sites.find(&n);
  if (it == ctx.string_sites.end()) return r;
  for (uint32_t i : it->second) {
    const code::StringSite& s = ix.strings()[i];
    if (full(r) || !method_ok(n, ctx, s.method)) continue;
    std::string text = ix.dex_of_method(s.method).string(s.string);
    if (n.foreign && !ctx.own_package.empty() &&
        (text == ctx.own_package || (text.starts_with(ctx.own_package) && text[ctx.own_package.size()] == '.')))
      continue;
    if (text.size() > 120) text = text.substr(0, 117) + "...";
    r.hits.push_back(code_hit(ix, s.method, s.pc, describe(n, "uses the string") + " \"" + text + "\""));
  }
  return r;
}

NodeResult overrides(const MatchNode& n, MatchContext& ctx) {
  NodeResult r;
  const code::CodeIndex& ix = *ctx.in.index;
  const std::vector<std::string> bases = descriptors_of(n.class_name);
  for (uint32_t c = 0; c < ix.classes().size() && !full(r); ++c) {
    const code::IndexedClass& cls = ix.classes()[c];
    if (std::find(bases.begin(), bases.end(), cls.descriptor) != bases.end() || !owner_ok(n, ctx, cls)) continue;
    bool named = false;  // cheap check first: does the class declare such a method at all?
    for (uint32_t m = cls.first_method; m < cls.first_method + cls.method_count; ++m)
      named = named || ix.method_name(m) == n.method;
    bool sub = false;
    for (const auto& b : bases) sub = sub || (named && ix.pool().is_subclass_of(cls.descriptor, b));
    if (!sub) continue;
    const dex::DexFile& d = ix.dex_of_class(c);
    for (uint32_t m = cls.first_method; m < cls.first_method + cls.method_count; ++m) {
      if (ix.method_name(m) != n.method) continue;
      if (!n.proto.empty()) {
        auto mid = d.method_id(ix.methods()[m].method);
        if (!mid || d.proto_signature(mid->proto_idx) != n.proto) continue;
      }
      r.hits.push_back(code_hit(ix, m, 0, describe(n, "overrides " + n.class_name + "." + n.method)));
    }
  }
  return r;
}

NodeResult ad_apis(const MatchNode& n, MatchContext& ctx) {
  NodeResult r;
  if (!ctx.in.catalog) return r;
  const code::CodeIndex& ix = *ctx.in.index;
  for (const signatures::Sdk& sdk : ctx.in.catalog->sdks()) {
    for (const signatures::AdApi& api : sdk.ad_apis) {
      if (!n.ad_kinds.empty() && std::find(n.ad_kinds.begin(), n.ad_kinds.end(), api.kind) == n.ad_kinds.end())
        continue;
      const std::string what =
          describe(n, "calls the " + api.kind + " ad API " + api.class_name + "." + api.method + " of " + sdk.name);
      for_each_call(ctx, api.class_name, api.method, "", [&](uint32_t site) {
        const code::InvokeSite& s = ix.invokes()[site];
        if (!full(r) && method_ok(n, ctx, s.caller)) r.hits.push_back(code_hit(ix, s.caller, s.pc, what));
      });
    }
  }
  return r;
}

}  // namespace

NodeResult match_code(const MatchNode& n, MatchContext& ctx) {
  if (!ctx.in.index) return {};
  switch (n.kind) {
    case Kind::kClass: return classes(n, ctx);
    case Kind::kInvoke: return invokes(n, ctx);
    case Kind::kIntArg: return int_args(n, ctx);
    case Kind::kField: return fields(n, ctx);
    case Kind::kString: return strings(n, ctx);
    case Kind::kOverride: return overrides(n, ctx);
    case Kind::kAdApi: return ad_apis(n, ctx);
    default: return {};
  }
}

}  // namespace apkwarden::rules
