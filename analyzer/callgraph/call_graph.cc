#include "analyzer/callgraph/call_graph.h"

#include <algorithm>
#include <deque>

#include "analyzer/callgraph/replaced_listeners.h"
#include "dex/access_flags.h"
#include "dex/code_item.h"
#include "dex/code_walker.h"
#include "dex/limits.h"

namespace apkwarden::callgraph {

namespace {

bool is_virtual_invoke(dex::Opcode op) {
  switch (op) {
    case dex::Opcode::kInvokeVirtual:
    case dex::Opcode::kInvokeVirtualRange:
    case dex::Opcode::kInvokeInterface:
    case dex::Opcode::kInvokeInterfaceRange: return true;
    default: return false;
  }
}

std::optional<uint32_t> type_node(const dex::ClassPool& pool, const dex::DexFile& dex, uint32_t type_idx) {
  if (type_idx >= dex.type_ids_size()) return std::nullopt;
  auto id = pool.find(dex.type_descriptor(dex::TypeIdx(type_idx)));
  if (!id || pool.node(*id).external()) return std::nullopt;
  return id;
}

// The app class a string constant names ("com.x.Plugin"), if any.
std::optional<uint32_t> named_app_class(const dex::ClassPool& pool, const dex::DexFile& dex, uint32_t string_idx) {
  if (string_idx >= dex.string_ids_size()) return std::nullopt;
  const std::string_view text = dex.string_data(dex::StringIdx(string_idx));
  if (text.size() < 3 || text.size() > 256 || text.find('.') == std::string_view::npos) return std::nullopt;
  std::string d = "L";
  for (char c : text) {
    if (c == ' ' || c == '/' || c == ';' || c == ':') return std::nullopt;
    d += c == '.' ? '/' : c;
  }
  d += ';';
  auto id = pool.find(d);
  if (!id || pool.node(*id).external() || AppMethods::is_platform_class(d)) return std::nullopt;
  return id;
}

std::optional<uint32_t> field_class_node(const dex::ClassPool& pool, const dex::DexFile& dex, uint32_t field_idx) {
  if (field_idx >= dex.field_ids_size()) return std::nullopt;
  auto id = pool.find(dex.field_class_descriptor(dex::FieldIdx(field_idx)));
  if (!id || pool.node(*id).external()) return std::nullopt;
  return id;
}

std::optional<uint32_t> clinit_of(const dex::ClassPool& pool, const AppMethods& methods, uint32_t node) {
  for (uint32_t m : methods.of_class(node)) {
    const auto& am = methods[m];
    if (pool.dex(am.dex).method_name(am.method) == "<clinit>") return m;
  }
  return std::nullopt;
}

}  // namespace

void Dispatch::add_instantiated(uint32_t node) {
  if (instantiated_.size() < pool_.size()) instantiated_.resize(pool_.size(), 0);
  if (node >= instantiated_.size() || instantiated_[node]) return;
  instantiated_[node] = 1;
  cache_.clear();
}

bool Dispatch::runs_on_an_instance(const dex::MethodRef& target, std::string_view name, const dex::DexFile& proto_dex,
                                   dex::ProtoIdx proto) const {
  // Down from the declaring class through subclasses (and implementors, for a default method),
  // not below a class that overrides the method again: one instantiated class there inherits it.
  std::vector<uint32_t> work{target.node};
  std::vector<uint8_t> seen(pool_.size(), 0);
  if (target.node >= seen.size()) return true;
  seen[target.node] = 1;
  for (size_t i = 0; i < work.size(); ++i) {
    if (i >= limits::kMaxHierarchyWalkNodes) return true;  // too wide to tell: keep the target
    const uint32_t n = work[i];
    if (i > 0)
      if (auto m = pool_.find_declared_method(n, name, proto_dex, proto))
        if (!(m->access_flags & (dex::kAccStatic | dex::kAccPrivate))) continue;
    if (n < instantiated_.size() && instantiated_[n]) return true;
    const dex::ClassNode& cn = pool_.node(n);
    for (const auto* list : {&cn.subclasses, &cn.implementors})
      for (uint32_t sub : *list)
        if (sub < seen.size() && !seen[sub]) {
          seen[sub] = 1;
          work.push_back(sub);
        }
  }
  return false;
}

const std::vector<uint32_t>& Dispatch::targets(uint32_t dex_index, const dex::Instruction& insn) {
  const bool virt = is_virtual_invoke(insn.opcode);
  const uint64_t key = (uint64_t{dex_index} << 33) | (uint64_t{insn.index} << 1) | (virt ? 1 : 0);
  auto it = cache_.find(key);
  if (it != cache_.end()) return it->second;
  std::vector<uint32_t> out;
  const dex::MethodIdx ref(insn.index);
  if (insn.index_kind() == dex::IndexKind::kMethod || insn.index_kind() == dex::IndexKind::kMethodAndProto) {
    if (insn.index < pool_.dex(dex_index).method_ids_size()) {
      if (!virt) {
        if (auto r = pool_.resolve_method(dex_index, ref))
          if (auto id = methods_.find(r->dex, r->method)) out.push_back(*id);
      } else {
        // Rapid type analysis: a target counts when an instantiated class runs it; none known
        // (objects the framework creates) keeps every target.
        const dex::DexFile& d = pool_.dex(dex_index);
        auto mid = d.method_id(ref);
        const std::string_view name = mid ? d.string_data(mid->name_idx) : std::string_view{};
        std::vector<uint32_t> all, live;
        for (const auto& r : pool_.override_targets(dex_index, ref)) {
          auto id = methods_.find(r.dex, r.method);
          if (!id) continue;
          all.push_back(*id);
          if (mid && runs_on_an_instance(r, name, d, mid->proto_idx)) live.push_back(*id);
        }
        out = live.empty() ? all : live;
      }
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return cache_.emplace(key, std::move(out)).first->second;
}

void add_instantiated_classes(const dex::ClassPool& pool, const AppMethods& methods, Dispatch& dispatch) {
  std::vector<uint8_t> seen(pool.size(), 0);
  for_each_app_instruction(pool, methods, [&](uint32_t, const dex::DexFile& dex, const dex::Instruction& in) {
    std::optional<uint32_t> n;
    if (in.opcode == dex::Opcode::kNewInstance || in.opcode == dex::Opcode::kConstClass)
      n = type_node(pool, dex, in.index);
    else if (in.opcode == dex::Opcode::kConstString || in.opcode == dex::Opcode::kConstStringJumbo)
      n = named_app_class(pool, dex, in.index);  // Class.forName / loadClass, then newInstance
    if (n && !seen[*n]) {
      seen[*n] = 1;
      dispatch.add_instantiated(*n);
    }
  });
}

bool has_framework_supertype(const dex::ClassPool& pool, uint32_t node) {
  std::deque<uint32_t> work{node};
  std::vector<uint32_t> seen;
  while (!work.empty() && seen.size() < 256) {
    const uint32_t n = work.front();
    work.pop_front();
    if (std::find(seen.begin(), seen.end(), n) != seen.end()) continue;
    seen.push_back(n);
    const auto& cn = pool.node(n);
    if (cn.external() || AppMethods::is_platform_class(cn.descriptor)) {
      if (cn.descriptor != "Ljava/lang/Object;") return true;
      continue;
    }
    if (cn.superclass != dex::kNoNode) work.push_back(cn.superclass);
    for (uint32_t i : cn.interfaces) work.push_back(i);
  }
  return false;
}

std::vector<uint32_t> callback_methods(const dex::ClassPool& pool, const AppMethods& methods, uint32_t node) {
  std::vector<uint32_t> out;
  if (!has_framework_supertype(pool, node)) return out;
  uint32_t n = node;
  for (int depth = 0; n != dex::kNoNode && depth < 64; ++depth) {
    const auto& cn = pool.node(n);
    if (cn.external() || AppMethods::is_platform_class(cn.descriptor)) break;
    for (uint32_t m : methods.of_class(n)) {
      const auto& am = methods[m];
      if (am.access_flags & (dex::kAccStatic | dex::kAccPrivate | dex::kAccConstructor)) continue;
      out.push_back(m);
    }
    n = cn.superclass;
  }
  return out;
}

Reachability compute_reachability(const dex::ClassPool& pool, const AppMethods& methods, Dispatch& dispatch,
                                  const std::vector<uint32_t>& entries) {
  Reachability r;
  const size_t n = methods.size();
  r.reachable.assign(n, 0);
  r.is_entry.assign(n, 0);
  r.callees.assign(n, {});
  r.callers.assign(n, {});
  std::vector<uint8_t> class_seen(pool.size(), 0);
  std::vector<uint32_t> discovered;
  std::deque<uint32_t> work;
  auto reach = [&](uint32_t m, bool entry) {
    if (entry) r.is_entry[m] = 1;
    if (r.reachable[m]) return;
    r.reachable[m] = 1;
    discovered.push_back(m);
    work.push_back(m);
  };
  auto touch_class = [&](uint32_t node, bool instantiated) {
    if (node >= class_seen.size()) return;
    const uint8_t bit = instantiated ? 2 : 1;
    if ((class_seen[node] & bit) == bit) return;
    const bool first = class_seen[node] == 0;
    class_seen[node] |= bit | 1;
    if (first)
      if (auto c = clinit_of(pool, methods, node)) reach(*c, true);
    if (instantiated)
      for (uint32_t m : callback_methods(pool, methods, node)) reach(m, true);
  };
  for (uint32_t e : entries) reach(e, true);
  std::vector<dex::Instruction> insns;  // the method being walked, reused
  std::vector<uint32_t> replaced;
  while (!work.empty()) {
    const uint32_t m = work.front();
    work.pop_front();
    const auto& am = methods[m];
    touch_class(am.node, false);
    const dex::DexFile& dex = pool.dex(am.dex);
    auto code = dex::CodeItem::at(dex, am.code_off);
    if (!code.ok()) continue;
    insns.clear();
    bool allocates = false;
    dex::CodeWalker w(code->insns_bytes());
    for (dex::Instruction in; w.next(in);) {
      insns.push_back(in);
      allocates |= in.opcode == dex::Opcode::kNewInstance;
    }
    replaced.clear();
    if (allocates) replaced = replaced_listener_allocations(dex, insns, code->tries_size() != 0);
    for (const dex::Instruction& in : insns) {
      const uint32_t f = in.flags();
      if (in.opcode == dex::Opcode::kConstString || in.opcode == dex::Opcode::kConstStringJumbo) {
        // Reflection with a constant class name: the class may be instantiated and any of its
        // methods called.
        if (auto c = named_app_class(pool, dex, in.index)) {
          touch_class(*c, true);
          for (uint32_t cm : methods.of_class(*c)) reach(cm, true);
        }
      } else if (in.opcode == dex::Opcode::kNewInstance || in.opcode == dex::Opcode::kConstClass) {
        // A listener replaced before it could hear anything makes no callbacks reachable.
        const bool live = std::find(replaced.begin(), replaced.end(), in.pc) == replaced.end();
        if (auto c = type_node(pool, dex, in.index)) touch_class(*c, live);
      } else if ((f & (dex::opflags::kFieldGet | dex::opflags::kFieldPut)) && (f & dex::opflags::kStatic)) {
        if (auto c = field_class_node(pool, dex, in.index)) touch_class(*c, false);
      } else if (f & dex::opflags::kInvoke) {
        for (uint32_t t : dispatch.targets(am.dex, in)) {
          r.callees[m].push_back(t);
          reach(t, false);
        }
      }
    }
    auto& cs = r.callees[m];
    std::sort(cs.begin(), cs.end());
    cs.erase(std::unique(cs.begin(), cs.end()), cs.end());
    for (uint32_t c : cs) r.callers[c].push_back(m);
  }
  for (auto& c : r.callers) {
    std::sort(c.begin(), c.end());
    c.erase(std::unique(c.begin(), c.end()), c.end());
  }
  // Post-order over the call edges from the discovered roots: callees first.
  std::vector<uint8_t> state(n, 0);
  for (uint32_t root : discovered) {
    if (state[root]) continue;
    std::vector<std::pair<uint32_t, uint32_t>> stack{{root, 0}};
    state[root] = 1;
    while (!stack.empty()) {
      auto& [m, k] = stack.back();
      if (k < r.callees[m].size()) {
        const uint32_t c = r.callees[m][k++];
        if (!state[c]) {
          state[c] = 1;
          stack.push_back({c, 0});
        }
      } else {
        r.order.push_back(m);
        stack.pop_back();
      }
    }
  }
  return r;
}

}  // namespace apkwarden::callgraph
