#include "analyzer/dataflow/taint_world.h"

#include <algorithm>

namespace apkwarden::dataflow {

namespace {
template <class Map>
bool join_map(Map& into, const Map& from) {
  bool changed = false;
  for (const auto& [k, v] : from) changed |= into[k].join_with(v);
  return changed;
}
}  // namespace

bool Summary::join_with(const Summary& o) {
  bool changed = ret.join_with(o.ret);
  if (param_out.size() < o.param_out.size()) {
    param_out.resize(o.param_out.size());
  }
  for (size_t i = 0; i < o.param_out.size(); ++i) changed |= param_out[i].join_with(o.param_out[i]);
  changed |= join_map(field_writes, o.field_writes);
  changed |= join_map(store_writes, o.store_writes);
  for (const auto& [site, reach] : o.sinks) {
    auto [it, inserted] = sinks.try_emplace(site, reach);
    if (inserted) {
      changed |= !reach.labels.empty();
      continue;
    }
    changed |= it->second.labels.join_with(reach.labels);
  }
  return changed;
}

TaintWorld::TaintWorld(const dex::ClassPool& p, const callgraph::AppMethods& m, const TaintRules& r,
                       callgraph::Dispatch& d)
    : pool(p), methods(m), rules(r), dispatch(d) {
  summaries.resize(methods.size());
  summary_readers_.resize(methods.size());
  queued.assign(methods.size(), 0);
  analysable.assign(methods.size(), 0);
  rules_cache_.resize(16);
  rules_known_.resize(16);
  store_taint_.resize(rules.store_count());
  store_readers_.resize(rules.store_count());
}

uint32_t TaintWorld::source_site(const CallSite& s) {
  auto [it, inserted] = source_ids_.try_emplace(s.key(), static_cast<uint32_t>(sources.size()));
  if (inserted) sources.push_back(s);
  return it->second;
}

uint32_t TaintWorld::sink_site(const CallSite& s) {
  auto [it, inserted] = sink_ids_.try_emplace(s.key(), static_cast<uint32_t>(sinks.size()));
  if (inserted) sinks.push_back(s);
  else if (sinks[it->second].url.empty() && !s.url.empty()) sinks[it->second].url = s.url;
  return it->second;
}

const CallRules& TaintWorld::call_rules(uint32_t dex, dex::MethodIdx m) {
  if (dex >= rules_cache_.size()) {
    rules_cache_.resize(dex + 1);
    rules_known_.resize(dex + 1);
  }
  auto& cache = rules_cache_[dex];
  auto& known = rules_known_[dex];
  if (cache.empty()) {
    cache.resize(pool.dex(dex).method_ids_size());
    known.assign(cache.size(), 0);
  }
  static const CallRules kNone;
  if (m.value >= cache.size()) return kNone;
  if (!known[m.value]) {
    cache[m.value] = rules.for_call(pool, dex, m);
    known[m.value] = 1;
  }
  return cache[m.value];
}

int32_t TaintWorld::callback_source(uint32_t method) {
  if (callback_cache_.empty()) callback_cache_.assign(methods.size(), -2);
  int32_t& c = callback_cache_[method];
  if (c == -2) {
    const auto& am = methods[method];
    c = rules.callback_source(pool, am.node, pool.dex(am.dex).method_name(am.method));
  }
  return c;
}

uint32_t TaintWorld::field_id(uint32_t dex, dex::FieldIdx f) {
  const uint64_t k = (uint64_t{dex} << 32) | f.value;
  if (auto it = field_ids_.find(k); it != field_ids_.end()) return it->second;
  const dex::DexFile& d = pool.dex(dex);
  std::string name;
  if (f.value < d.field_ids_size()) {
    name = std::string(d.field_class_descriptor(f)) + "->" + std::string(d.field_name(f));
  } else {
    name = "?" + std::to_string(k);
  }
  auto [it, inserted] = field_names_.try_emplace(name, static_cast<uint32_t>(field_taint_.size()));
  if (inserted) {
    field_taint_.emplace_back();
    field_readers_.emplace_back();
  }
  field_ids_[k] = it->second;
  return it->second;
}

namespace {
void add_reader(std::vector<uint32_t>& readers, uint32_t m) {
  auto it = std::lower_bound(readers.begin(), readers.end(), m);
  if (it == readers.end() || *it != m) readers.insert(it, m);
}
}  // namespace

const LabelSet& TaintWorld::read_field(uint32_t field, uint32_t reader) {
  add_reader(field_readers_[field], reader);
  return field_taint_[field];
}

void TaintWorld::write_field(uint32_t field, const LabelSet& sites) {
  if (field_taint_[field].join_with(sites))
    for (uint32_t r : field_readers_[field]) enqueue(r);
}

const LabelSet& TaintWorld::read_store(uint32_t store, uint32_t reader) {
  add_reader(store_readers_[store], reader);
  return store_taint_[store];
}

void TaintWorld::write_store(uint32_t store, const LabelSet& sites) {
  if (store_taint_[store].join_with(sites))
    for (uint32_t r : store_readers_[store]) enqueue(r);
}

void TaintWorld::add_summary_reader(uint32_t callee, uint32_t reader) {
  add_reader(summary_readers_[callee], reader);
}

uint32_t TaintWorld::reflective(const std::string& name) {
  auto [it, inserted] = reflective_ids_.try_emplace(name, static_cast<uint32_t>(reflective_names_.size()));
  if (inserted) reflective_names_.push_back(name);
  return it->second;
}

const std::vector<uint32_t>& TaintWorld::reflective_methods(uint32_t id) {
  auto [it, inserted] = reflective_methods_.try_emplace(id);
  if (!inserted) return it->second;
  const std::string& name = reflective_names_[id];
  const size_t arrow = name.find("->");
  if (arrow == std::string::npos) return it->second;
  const std::string cls = name.substr(0, arrow), method = name.substr(arrow + 2);
  auto node = pool.find(cls);
  for (int depth = 0; node && *node != dex::kNoNode && depth < 64; ++depth) {
    for (uint32_t m : methods.of_class(*node)) {
      const auto& am = methods[m];
      if (pool.dex(am.dex).method_name(am.method) == method) it->second.push_back(m);
    }
    if (!it->second.empty()) break;
    node = pool.node(*node).superclass;
  }
  return it->second;
}

std::vector<uint32_t> TaintWorld::overrides_named(uint32_t dex, dex::MethodIdx ref, const std::vector<std::string>& names) {
  std::vector<uint32_t> out;
  const dex::DexFile& d = pool.dex(dex);
  auto start = pool.find(d.method_class_descriptor(ref));
  if (!start || pool.node(*start).external()) return out;
  auto add_class = [&](uint32_t node) {
    for (uint32_t m : methods.of_class(node)) {
      const auto& am = methods[m];
      const std::string_view n = pool.dex(am.dex).method_name(am.method);
      for (const auto& want : names)
        if (n == want) out.push_back(m);
    }
  };
  // Subclasses (the receiver may be one), bounded.
  std::vector<uint32_t> work{*start};
  for (size_t i = 0; i < work.size() && work.size() < 4096; ++i) {
    add_class(work[i]);
    for (uint32_t sub : pool.node(work[i]).subclasses) work.push_back(sub);
  }
  // Superclasses defined in the app.
  uint32_t n = pool.node(*start).superclass;
  for (int depth = 0; n != dex::kNoNode && depth < 64 && !pool.node(n).external(); ++depth) {
    add_class(n);
    n = pool.node(n).superclass;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void TaintWorld::add_flow(uint32_t source, uint32_t sink, std::vector<uint32_t> path) {
  if (flows.size() >= limits::kMaxFlowsPerApp) return;
  auto [it, inserted] = flows.try_emplace({source, sink});
  if (!inserted) return;
  path.erase(std::unique(path.begin(), path.end()), path.end());
  if (path.size() > limits::kMaxTaintPathMethods) path.resize(limits::kMaxTaintPathMethods);
  it->second.methods = std::move(path);
}

void TaintWorld::enqueue(uint32_t method) {
  if (method >= queued.size() || queued[method] || !analysable[method]) return;
  queued[method] = 1;
  queue.push_back(method);
}

}  // namespace apkwarden::dataflow
