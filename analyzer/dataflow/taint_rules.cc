#include "analyzer/dataflow/taint_rules.h"

#include <deque>
#include <set>

#include "dex/descriptor.h"
#include "signatures/embedded.h"
#include "signatures/text_split.h"

namespace apkwarden::dataflow {

namespace {

constexpr size_t kMaxSupertypes = 64;

std::string key(std::string_view cls, std::string_view member) {
  std::string k(cls);
  k += '\t';
  k += member;
  return k;
}

using signatures::split;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string java_params(const dex::DexFile& dex, dex::ProtoIdx proto) {
  std::string out;
  const dex::TypeList params = dex.proto_parameters(proto);
  for (uint32_t i = 0; i < params.size(); ++i) {
    if (i) out += ',';
    out += dex::descriptor_to_java(dex.type_descriptor(params[i]));
  }
  return out;
}

Result<TaintRules> TaintRules::load(const std::string& flowdroid_file) {
  auto spec = signatures::load_taint_spec(flowdroid_file);
  if (!spec.ok()) return spec.error();
  TaintRules rules;
  rules.spec_ = std::move(spec.value());
  if (auto r = rules.add_models("taint/models.tsv", embedded::find_signature_file("taint/models.tsv")); !r.ok())
    return r.error();
  if (auto r = rules.add_hierarchy("taint/framework-hierarchy.tsv",
                                   embedded::find_signature_file("taint/framework-hierarchy.tsv"));
      !r.ok())
    return r.error();
  rules.index();
  return rules;
}

Result<bool> TaintRules::add_models(std::string_view file, std::string_view text) {
  int line_no = 0;
  auto port = [&](std::string_view t, bool is_to, ModelPort& out) {
    if (t == "this") out = {ModelPort::Kind::kThis, 0};
    else if (t == "ret" && is_to) out = {ModelPort::Kind::kRet, 0};
    else if (t == "args" && !is_to) out = {ModelPort::Kind::kArgs, 0};
    else if (t.substr(0, 3) == "arg" && t.size() > 3 && t.size() < 6 &&
             t.substr(3).find_first_not_of("0123456789") == std::string_view::npos)
      out = {ModelPort::Kind::kArg, static_cast<uint32_t>(std::stoul(std::string(t.substr(3))))};
    else if (t.substr(0, 6) == "store:" && t.size() > 6) {
      const std::string name(t.substr(6));
      uint32_t id = 0;
      while (id < stores_.size() && stores_[id] != name) ++id;
      if (id == stores_.size()) stores_.push_back(name);
      out = {ModelPort::Kind::kStore, id};
    } else
      return false;
    return true;
  };
  for (std::string_view line : split(text, '\n')) {
    ++line_no;
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    auto cols = split(line, '\t');
    auto fail = [&](const std::string& why) {
      return make_error(ErrorCode::kMalformed, std::string(file) + ":" + std::to_string(line_no) + ": " + why);
    };
    if (cols.size() != 3) return fail("expected 3 tab-separated columns");
    Model m;
    for (std::string_view tok : split(cols[2], ' ')) {
      tok = trim(tok);
      if (tok.empty() || tok == "none") continue;
      if (tok == "alias") {
        m.returns_receiver = true;
        continue;
      }
      if (tok.substr(0, 9) == "wraps:arg" && tok.size() > 9) {
        ModelPort p;
        if (!port(tok.substr(6), false, p) || p.kind != ModelPort::Kind::kArg) return fail("bad " + std::string(tok));
        m.wraps = static_cast<int>(p.index);
        continue;
      }
      if (tok.substr(0, 4) == "run:" && tok.size() > 4) {
        m.triggers.emplace_back(tok.substr(4));
        continue;
      }
      const size_t arrow = tok.find("->");
      ModelEffect e;
      if (arrow == std::string_view::npos || !port(tok.substr(0, arrow), false, e.from) ||
          !port(tok.substr(arrow + 2), true, e.to))
        return fail("bad effect '" + std::string(tok) + "'");
      m.effects.push_back(e);
    }
    const std::string k = key(cols[0], cols[1]);
    if (models_by_key_.count(k)) return fail("duplicate model for " + std::string(cols[0]) + "." + std::string(cols[1]));
    models_by_key_[k] = static_cast<int32_t>(models_.size());
    models_.push_back(std::move(m));
  }
  return true;
}

Result<bool> TaintRules::add_hierarchy(std::string_view file, std::string_view text) {
  int line_no = 0;
  for (std::string_view line : split(text, '\n')) {
    ++line_no;
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    auto cols = split(line, '\t');
    if (cols.size() < 2)
      return make_error(ErrorCode::kMalformed, std::string(file) + ":" + std::to_string(line_no) + ": expected class and supertypes");
    auto& supers = framework_supers_[std::string(cols[0])];
    for (size_t i = 1; i < cols.size(); ++i) supers.emplace_back(trim(cols[i]));
  }
  return true;
}

void TaintRules::index(size_t first_source, size_t first_sink) {
  for (size_t i = first_source; i < spec_.sources.size(); ++i) {
    const auto& s = spec_.sources[i];
    const std::string k = key(s.class_name, s.member);
    switch (s.kind) {
      case signatures::SourceSpec::Kind::kReturn: sources_[k].push_back(static_cast<int32_t>(i)); break;
      case signatures::SourceSpec::Kind::kField: fields_[k].push_back(static_cast<int32_t>(i)); break;
      case signatures::SourceSpec::Kind::kCallback: callbacks_[k].push_back(static_cast<int32_t>(i)); break;
    }
  }
  for (size_t i = first_sink; i < spec_.sinks.size(); ++i)
    sinks_[key(spec_.sinks[i].class_name, spec_.sinks[i].method)].push_back(static_cast<int32_t>(i));
}

std::vector<std::string> TaintRules::supertypes(const dex::ClassPool& pool, std::string_view descriptor) const {
  std::vector<std::string> out;
  std::set<std::string> seen;
  std::deque<std::string> queue;
  auto push = [&](std::string name) {
    if (out.size() + queue.size() >= kMaxSupertypes) return;
    if (seen.insert(name).second) queue.push_back(std::move(name));
  };
  push(dex::descriptor_to_java(descriptor));
  // App-defined classes: walk the pool (superclass and interfaces), noting descriptors.
  std::deque<uint32_t> nodes;
  std::set<uint32_t> seen_nodes;
  if (auto id = pool.find(descriptor)) nodes.push_back(*id);
  while (!nodes.empty() && seen_nodes.size() < kMaxSupertypes) {
    const uint32_t id = nodes.front();
    nodes.pop_front();
    if (!seen_nodes.insert(id).second) continue;
    const auto& n = pool.node(id);
    push(dex::descriptor_to_java(n.descriptor));
    if (n.superclass != dex::kNoNode) nodes.push_back(n.superclass);
    for (uint32_t i : n.interfaces) nodes.push_back(i);
  }
  while (!queue.empty()) {
    std::string name = std::move(queue.front());
    queue.pop_front();
    if (auto it = framework_supers_.find(name); it != framework_supers_.end())
      for (const auto& s : it->second) push(s);
    out.push_back(std::move(name));
  }
  return out;
}

CallRules TaintRules::for_call(const dex::ClassPool& pool, uint32_t dex_index, dex::MethodIdx method) const {
  CallRules r;
  const dex::DexFile& dex = pool.dex(dex_index);
  auto id = dex.method_id(method);
  if (!id) return r;
  const std::string_view name = dex.method_name(method);
  r.is_constructor = name == "<init>";
  const std::string_view cls = dex.method_class_descriptor(method);
  r.is_method_invoke = name == "invoke" && cls == "Ljava/lang/reflect/Method;";
  std::string params;
  bool have_params = false;
  auto params_match = [&](const std::string& want) {
    if (want.empty()) return true;
    if (!have_params) {
      params = java_params(dex, id->proto_idx);
      have_params = true;
    }
    return params == want;
  };
  for (const std::string& type : supertypes(pool, cls)) {
    const std::string k = key(type, name);
    if (r.source < 0)
      if (auto it = sources_.find(k); it != sources_.end())
        for (int32_t i : it->second)
          if (params_match(spec_.sources[i].params)) {
            r.source = i;
            break;
          }
    if (r.sink < 0)
      if (auto it = sinks_.find(k); it != sinks_.end())
        for (int32_t i : it->second)
          if (params_match(spec_.sinks[i].params)) {
            r.sink = i;
            break;
          }
    if (r.model < 0)
      if (auto it = models_by_key_.find(k); it != models_by_key_.end()) r.model = it->second;
  }
  return r;
}

int32_t TaintRules::override_model(const dex::ClassPool& pool, uint32_t node, std::string_view name) const {
  const auto types = supertypes(pool, pool.node(node).descriptor);
  for (size_t i = 1; i < types.size(); ++i)
    if (auto it = models_by_key_.find(key(types[i], name)); it != models_by_key_.end()) return it->second;
  return -1;
}

int32_t TaintRules::source_named(const dex::ClassPool& pool, std::string_view class_descriptor,
                                 std::string_view name) const {
  for (const std::string& type : supertypes(pool, class_descriptor))
    if (auto it = sources_.find(key(type, name)); it != sources_.end())
      for (int32_t i : it->second)
        if (spec_.sources[i].arg < 0) return i;
  return -1;
}

int32_t TaintRules::sink_named(const dex::ClassPool& pool, std::string_view class_descriptor,
                               std::string_view name) const {
  for (const std::string& type : supertypes(pool, class_descriptor))
    if (auto it = sinks_.find(key(type, name)); it != sinks_.end() && !it->second.empty()) return it->second.front();
  return -1;
}

std::pair<int32_t, int32_t> TaintRules::add_app_rules(std::vector<signatures::SourceSpec> sources,
                                                      std::vector<signatures::SinkSpec> sinks) {
  const size_t first_source = spec_.sources.size(), first_sink = spec_.sinks.size();
  for (auto& s : sources) spec_.sources.push_back(std::move(s));
  for (auto& s : sinks) spec_.sinks.push_back(std::move(s));
  index(first_source, first_sink);
  return {static_cast<int32_t>(first_source), static_cast<int32_t>(first_sink)};
}

int32_t TaintRules::model_named(const dex::ClassPool& pool, std::string_view class_descriptor,
                                std::string_view name) const {
  for (const std::string& type : supertypes(pool, class_descriptor))
    if (auto it = models_by_key_.find(key(type, name)); it != models_by_key_.end()) return it->second;
  return -1;
}

int32_t TaintRules::field_source(std::string_view class_descriptor, std::string_view field_name,
                                 const dex::ClassPool& pool) const {
  if (fields_.empty()) return -1;
  for (const std::string& type : supertypes(pool, class_descriptor))
    if (auto it = fields_.find(key(type, field_name)); it != fields_.end()) return it->second.front();
  return -1;
}

int32_t TaintRules::callback_source(const dex::ClassPool& pool, uint32_t node, std::string_view name) const {
  if (callbacks_.empty()) return -1;
  for (const std::string& type : supertypes(pool, pool.node(node).descriptor)) {
    if (auto it = callbacks_.find(key(type, name)); it != callbacks_.end()) return it->second.front();
  }
  return -1;
}

}  // namespace apkwarden::dataflow
