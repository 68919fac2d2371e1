#include "analyzer/dataflow/taint_world.h"

#include <algorithm>

#include "analyzer/apk/apk_file.h"
#include "analyzer/apk/resource_table.h"
#include "dex/class_data.h"

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
  changed |= join_map(field_param_objects, o.field_param_objects);
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
                       callgraph::Dispatch& d, const apk::ApkFile* file)
    : pool(p), methods(m), rules(r), dispatch(d), file_(file) {
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

const std::vector<ModelEffect>& TaintWorld::entry_effects(uint32_t method) {
  static const std::vector<ModelEffect> kNone;
  if (entry_model_cache_.empty()) entry_model_cache_.assign(methods.size(), -2);
  int32_t& c = entry_model_cache_[method];
  if (c == -2) {
    const auto& am = methods[method];
    c = rules.override_model(pool, am.node, pool.dex(am.dex).method_name(am.method));
  }
  return c >= 0 ? rules.model(c).effects : kNone;
}

uint32_t TaintWorld::field_id(uint32_t dex, dex::FieldIdx f) {
  const uint64_t k = (uint64_t{dex} << 32) | f.value;
  if (auto it = field_ids_.find(k); it != field_ids_.end()) return it->second;
  const dex::DexFile& d = pool.dex(dex);
  std::string name;
  if (f.value < d.field_ids_size()) {
    // Resolve as the runtime does: the class that declares the field, found upwards from the
    // referenced class (MainActivity.imei may be GeneralActivity.imei).
    std::string_view owner = d.field_class_descriptor(f);
    const std::string_view fname = d.field_name(f);
    auto node = pool.find(owner);
    for (int depth = 0; node && *node != dex::kNoNode && !pool.node(*node).external() && depth < 64; ++depth) {
      const dex::ClassNode& n = pool.node(*node);
      const dex::DexFile& nd = pool.dex(static_cast<uint32_t>(n.dex));
      bool declares = false;
      if (auto def = nd.class_def(n.def); def && def->class_data_off) {
        dex::ClassDataReader reader(nd, *def);
        dex::ClassMember m;
        while (!declares && reader.next(m) && m.is_field()) declares = nd.field_name(m.field()) == fname;
      }
      if (declares) {
        owner = n.descriptor;
        break;
      }
      node = n.superclass;
    }
    name = std::string(owner) + "->" + std::string(fname);
  } else {
    name = "?" + std::to_string(k);
  }
  const uint32_t id = named_field(name);
  field_ids_[k] = id;
  return id;
}

bool TaintWorld::is_framework_field(uint32_t dex, dex::FieldIdx f) const {
  const dex::DexFile& d = pool.dex(dex);
  if (f.value >= d.field_ids_size()) return false;
  const std::string_view cls = d.field_class_descriptor(f);
  auto node = pool.find(cls);
  return !node || pool.node(*node).external() || callgraph::AppMethods::is_platform_class(cls);
}

bool TaintWorld::is_url_string(uint32_t dex, uint32_t idx) {
  if (dex >= url_strings_.size()) url_strings_.resize(dex + 1);
  auto& cache = url_strings_[dex];
  if (cache.empty()) cache.assign(pool.dex(dex).string_ids_size(), 0);
  if (idx >= cache.size()) return false;
  if (!cache[idx]) {
    const std::string_view t = pool.dex(dex).string_data(dex::StringIdx(idx));
    const bool url = t.substr(0, 7) == "http://" || t.substr(0, 8) == "https://" || t.substr(0, 5) == "ws://" ||
                     t.substr(0, 6) == "wss://";
    cache[idx] = url ? 2 : 1;
  }
  return cache[idx] == 2;
}

uint32_t TaintWorld::named_field(const std::string& name) {
  auto [it, inserted] = field_names_.try_emplace(name, static_cast<uint32_t>(field_taint_.size()));
  if (inserted) {
    field_taint_.emplace_back();
    field_readers_.emplace_back();
  }
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

void TaintWorld::write_static_string(uint32_t field, uint32_t dex, uint32_t str) {
  StaticString& s = static_strings_[field];
  using State = StaticString::State;
  if (s.state == State::kVaries || (s.state == State::kConstant && s.dex == dex && s.str == str)) return;
  if (s.state == State::kUnset && str != kNoConstant) s = {State::kConstant, dex, str};
  else s.state = State::kVaries;
  for (uint32_t r : field_readers_[field]) enqueue(r);
}

std::optional<uint32_t> TaintWorld::read_static_string(uint32_t field, uint32_t dex, uint32_t reader) {
  add_reader(field_readers_[field], reader);
  auto it = static_strings_.find(field);
  if (it == static_strings_.end() || it->second.state != StaticString::State::kConstant || it->second.dex != dex)
    return std::nullopt;
  return it->second.str;
}

LabelSet TaintWorld::read_field_whole(uint32_t field, uint32_t reader) {
  LabelSet out = read_field(field, reader);
  if (auto it = element_taint_.find(field); it != element_taint_.end())
    for (const LabelSet& slot : it->second) out.join_with(slot);
  return out;
}

LabelSet TaintWorld::read_element(uint32_t field, uint32_t index, uint32_t reader) {
  LabelSet out = read_field(field, reader);
  if (auto it = element_taint_.find(field); it != element_taint_.end() && index < it->second.size())
    out.join_with(it->second[index]);
  return out;
}

bool TaintWorld::write_element(uint32_t field, uint32_t index, const LabelSet& sites) {
  if (index >= kMaxArrayIndexSlots) return false;
  if (sites.empty()) return true;
  std::vector<LabelSet>& slots = element_taint_[field];
  if (slots.size() <= index) slots.resize(index + 1);
  if (slots[index].join_with(sites))
    for (uint32_t r : field_readers_[field]) enqueue(r);
  return true;
}

const std::vector<uint32_t>& TaintWorld::same_signature_methods(uint32_t method) {
  auto [it, inserted] = same_signature_.try_emplace(method);
  if (!inserted) return it->second;
  const auto& am = methods[method];
  const dex::DexFile& d = pool.dex(am.dex);
  auto id = d.method_id(am.method);
  if (!id || (am.access_flags & dex::kAccConstructor)) return it->second;
  const uint32_t kinds = dex::kAccStatic;
  for (uint32_t other : methods.of_class(am.node)) {
    const auto& om = methods[other];
    if (other == method || (om.access_flags & dex::kAccConstructor) || (om.access_flags & kinds) != (am.access_flags & kinds))
      continue;
    const dex::DexFile& od = pool.dex(om.dex);
    auto oid = od.method_id(om.method);
    if (oid && dex::same_proto(d, id->proto_idx, od, oid->proto_idx)) it->second.push_back(other);
  }
  return it->second;
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

uint32_t TaintWorld::text_id(const std::string& text) {
  if (auto it = text_ids_.find(text); it != text_ids_.end()) return it->second;
  if (text_bytes_ + text.size() > limits::kMaxFoldedTextBytesPerApp) return 0;
  text_bytes_ += text.size();
  const auto id = static_cast<uint32_t>(texts_.size());
  text_ids_.emplace(text, id);
  texts_.push_back(text);
  return id;
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

bool TaintWorld::may_dispatch_to(uint32_t node, uint32_t target, bool exactly) {
  const uint64_t key = (static_cast<uint64_t>(node) << 33) | (static_cast<uint64_t>(target) << 1) | (exactly ? 1 : 0);
  if (auto it = dispatch_cache_.find(key); it != dispatch_cache_.end()) return it->second;
  bool ok = true;
  const uint32_t owner = methods[target].node;
  if (owner != dex::kNoNode && owner < pool.size() && node < pool.size()) {
    const dex::ClassNode& c = pool.node(owner);
    const std::string_view t = pool.node(node).descriptor;
    ok = c.is_interface() || c.external() || pool.is_subclass_of(t, c.descriptor) ||
         (!exactly && pool.is_subclass_of(c.descriptor, t));
  }
  dispatch_cache_.emplace(key, ok);
  return ok;
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

uint64_t TaintWorld::approx_bytes() const {
  constexpr uint64_t kNode = 64;  // a map node or vector header
  uint64_t total = summaries.size() * sizeof(Summary) + methods.size() * 16;
  for (const auto& s : summaries) {
    total += s.ret.size() * 4 + s.param_out.size() * sizeof(LabelSet);
    total += (s.field_writes.size() + s.store_writes.size()) * (kNode + sizeof(LabelSet));
    for (const auto& [site, reach] : s.sinks) total += kNode + sizeof(SinkReach) + reach.via.size() * 4 + reach.labels.size() * 4;
  }
  for (const auto& f : field_taint_) total += sizeof(LabelSet) + f.size() * 4;
  for (const auto& r : field_readers_) total += 24 + r.size() * 4;
  for (const auto& r : summary_readers_) total += 24 + r.size() * 4;
  total += (sources.size() + sinks.size()) * (sizeof(CallSite) + kNode);
  total += flows.size() * (kNode + 64);
  total += dispatch_cache_.size() * 32;
  for (const auto& [field, slots] : element_taint_)
    for (const LabelSet& l : slots) total += sizeof(LabelSet) + l.size() * 4;
  total += 2 * text_bytes_ + texts_.size() * (kNode + 2 * sizeof(std::string));
  return total;
}

TaintWorld::~TaintWorld() = default;

std::optional<std::string> TaintWorld::resource_string(uint32_t id) {
  if (!resources_loaded_) {
    resources_loaded_ = true;
    constexpr std::string_view kEntry = "resources.arsc";
    if (file_ && file_->contains(kEntry))
      if (auto bytes = file_->read(kEntry, nullptr); bytes.ok())
        if (auto table = apk::ResourceTable::parse_owned(std::move(bytes.value()), std::string(kEntry), nullptr);
            table.ok())
          resources_ = std::make_unique<apk::ResourceTable>(std::move(table.value()));
  }
  if (!resources_) return std::nullopt;
  return resources_->string_value(id);
}

bool TaintWorld::reach_late(uint32_t method) {
  if (method >= analysable.size() || analysable[method]) return false;
  analysable[method] = 1;
  if (late_.empty()) late_.assign(analysable.size(), 0);
  late_[method] = 1;
  enqueue(method);
  return true;
}

void TaintWorld::enqueue(uint32_t method) {
  if (method >= queued.size() || queued[method] || !analysable[method]) return;
  queued[method] = 1;
  queue.push_back(method);
}

}  // namespace apkwarden::dataflow
