#include "dex/class_pool.h"

#include <algorithm>

#include <string>

#include "dex/class_data.h"
#include "dex/limits.h"

namespace apkwarden::dex {

bool same_proto(const DexFile& a, ProtoIdx pa, const DexFile& b, ProtoIdx pb) {
  if (&a == &b && pa == pb) return true;
  auto x = a.proto_id(pa);
  auto y = b.proto_id(pb);
  if (!x || !y) return false;
  if (a.string_data(x->shorty) != b.string_data(y->shorty)) return false;
  if (a.type_descriptor(x->return_type) != b.type_descriptor(y->return_type)) return false;
  const TypeList px = a.type_list(x->parameters_off), py = b.type_list(y->parameters_off);
  if (px.size() != py.size()) return false;
  for (uint32_t i = 0; i < px.size(); ++i)
    if (a.type_descriptor(px[i]) != b.type_descriptor(py[i])) return false;
  return true;
}

uint32_t ClassPool::intern_external(std::string_view descriptor) {
  auto [it, inserted] = by_descriptor_.emplace(descriptor, static_cast<uint32_t>(nodes_.size()));
  if (inserted) {
    ClassNode n;
    n.descriptor = descriptor;
    nodes_.push_back(std::move(n));
  }
  return it->second;
}

ClassPool ClassPool::build(const std::vector<DexFile>& dexes, Diagnostics* diags) {
  ClassPool pool;
  pool.dexes_ = &dexes;
  size_t total = 0;
  for (const DexFile& d : dexes) total += d.class_defs_size();
  pool.nodes_.reserve(total);
  pool.by_descriptor_.reserve(total * 2);
  // Pass 1: defined classes, first definition wins.
  for (size_t di = 0; di < dexes.size(); ++di) {
    const DexFile& d = dexes[di];
    for (uint32_t ci = 0; ci < d.class_defs_size(); ++ci) {
      auto def = d.class_def(ClassDefIdx(ci));
      if (!def) continue;
      const std::string_view desc = d.type_descriptor(def->class_idx);
      if (desc.empty()) continue;  // out-of-range type: the verifier reports it
      auto [it, inserted] = pool.by_descriptor_.emplace(desc, static_cast<uint32_t>(pool.nodes_.size()));
      if (!inserted) {
        if (diags) {
          const ClassNode& first = pool.nodes_[it->second];
          diags->push_back(Diagnostic{"dex-duplicate-class",
                                      std::string(desc) + " is defined again; the definition in " +
                                          dexes[first.dex].location() + " wins",
                                      d.where(d.header().class_defs_off + uint64_t{ci} * 32)});
        }
        continue;
      }
      ClassNode n;
      n.descriptor = desc;
      n.dex = static_cast<int32_t>(di);
      n.def = ClassDefIdx(ci);
      n.access_flags = def->access_flags;
      pool.nodes_.push_back(std::move(n));
    }
  }
  pool.defined_ = pool.nodes_.size();
  // Pass 2: links. External nodes are appended while we go, so index, don't iterate.
  uint32_t capped = 0;
  for (uint32_t id = 0; id < pool.defined_; ++id) {
    const DexFile& d = dexes[pool.nodes_[id].dex];
    const ClassDef def = *d.class_def(pool.nodes_[id].def);
    if (def.superclass_idx.valid()) {
      const std::string_view super = d.type_descriptor(def.superclass_idx);
      if (!super.empty()) {
        const uint32_t s = pool.intern_external(super);
        pool.nodes_[id].superclass = s;
        pool.nodes_[s].subclasses.push_back(id);
      }
    }
    const TypeList ifaces = d.class_interfaces(def);
    // A hostile interfaces_off can point at any u32 that fits the file (a "list" of a million
    // entries, shared by many classes): link at most kMaxInterfacesPerClass of them.
    const uint32_t n_ifaces = std::min<uint32_t>(ifaces.size(), limits::kMaxInterfacesPerClass);
    if (ifaces.size() > n_ifaces && diags && ++capped <= 1)
      diags->push_back({"dex-too-many-interfaces",
                        "a class lists " + std::to_string(ifaces.size()) + " interfaces; only the first " +
                            std::to_string(n_ifaces) + " are linked",
                        d.location()});
    for (uint32_t i = 0; i < n_ifaces; ++i) {
      const std::string_view iface = d.type_descriptor(ifaces[i]);
      if (iface.empty()) continue;
      const uint32_t s = pool.intern_external(iface);
      pool.nodes_[id].interfaces.push_back(s);
      pool.nodes_[s].implementors.push_back(id);
    }
  }
  pool.detect_cycles(diags);
  return pool;
}

// Iterative DFS over superclass + interface edges; a back edge closes a cycle. Nodes on a cycle
// are marked so walks can stop there; each cycle is reported once, naming its classes.
void ClassPool::detect_cycles(Diagnostics* diags) {
  enum : uint8_t { kWhite, kGrey, kBlack };
  std::vector<uint8_t> color(nodes_.size(), kWhite);
  struct Frame {
    uint32_t node;
    uint32_t edge;  // 0 = superclass, 1.. = interfaces[edge - 1]
  };
  std::vector<Frame> stack;
  for (uint32_t root = 0; root < nodes_.size(); ++root) {
    if (color[root] != kWhite) continue;
    stack.push_back({root, 0});
    color[root] = kGrey;
    while (!stack.empty()) {
      Frame& f = stack.back();
      const ClassNode& n = nodes_[f.node];
      uint32_t next = kNoNode;
      while (next == kNoNode && f.edge <= n.interfaces.size()) {
        next = f.edge == 0 ? n.superclass : n.interfaces[f.edge - 1];
        ++f.edge;
      }
      if (next == kNoNode) {
        color[f.node] = kBlack;
        stack.pop_back();
        continue;
      }
      if (color[next] == kWhite) {
        color[next] = kGrey;
        stack.push_back({next, 0});
      } else if (color[next] == kGrey) {
        std::string names;
        size_t start = stack.size();
        while (start > 0 && stack[start - 1].node != next) --start;
        if (start > 0) --start;
        for (size_t i = start; i < stack.size(); ++i) {
          nodes_[stack[i].node].in_cycle = true;
          if (names.size() < 1024) {
            if (!names.empty()) names += " -> ";
            names += nodes_[stack[i].node].descriptor;
          }
        }
        if (diags) {
          const ClassNode& c = nodes_[next];
          std::string where = c.external() ? std::string(c.descriptor)
                                           : dex(c.dex).where(dex(c.dex).header().class_defs_off +
                                                              uint64_t{c.def.value} * 32);
          diags->push_back(Diagnostic{"dex-class-hierarchy-cycle",
                                      "cyclic class hierarchy: " + names + " -> " + std::string(c.descriptor), where});
        }
      }
    }
  }
}

std::optional<uint32_t> ClassPool::find(std::string_view descriptor) const {
  auto it = by_descriptor_.find(descriptor);
  if (it == by_descriptor_.end()) return std::nullopt;
  return it->second;
}

std::vector<uint32_t> ClassPool::superclass_chain(uint32_t id) const {
  std::vector<uint32_t> out;
  if (id >= nodes_.size()) return out;
  uint32_t cur = nodes_[id].superclass;
  while (cur != kNoNode && cur != id && out.size() < limits::kMaxClassHierarchyDepth) {
    if (nodes_[cur].in_cycle) {  // stop after one trip round a cycle
      bool seen = false;
      for (uint32_t s : out) seen |= (s == cur);
      if (seen) break;
    }
    out.push_back(cur);
    cur = nodes_[cur].superclass;
  }
  return out;
}

namespace {

// The set of classes an upward walk (superclasses + superinterfaces) has met. Such walks touch
// few nodes, so a list with linear lookup beats allocating a bitmap over the whole pool; the
// walk is cut at limits::kMaxHierarchyWalkNodes.
class UpwardWalk {
 public:
  // Adds `id` unless seen or the walk is full; true if added.
  bool add(uint32_t id) {
    if (id == kNoNode || list_.size() >= limits::kMaxHierarchyWalkNodes) return false;
    for (uint32_t x : list_)
      if (x == id) return false;
    list_.push_back(id);
    return true;
  }
  size_t size() const { return list_.size(); }
  uint32_t operator[](size_t i) const { return list_[i]; }

 private:
  std::vector<uint32_t> list_;
};

}  // namespace

bool ClassPool::is_subclass_of(std::string_view descriptor, std::string_view ancestor) const {
  if (descriptor == ancestor) return true;
  auto start = find(descriptor);
  auto target = find(ancestor);
  if (!start || !target) return false;
  // A class (not interface) ancestor can only be reached through superclasses.
  if (!nodes_[*target].external() && !nodes_[*target].is_interface()) {
    uint32_t cur = nodes_[*start].superclass;
    for (uint32_t depth = 0; cur != kNoNode && depth < limits::kMaxClassHierarchyDepth; ++depth) {
      if (cur == *target) return true;
      cur = nodes_[cur].superclass;
    }
    return false;
  }
  UpwardWalk walk;
  walk.add(*start);
  for (size_t i = 0; i < walk.size(); ++i) {
    const ClassNode& n = nodes_[walk[i]];
    if (n.superclass == *target) return true;
    walk.add(n.superclass);
    for (uint32_t s : n.interfaces) {
      if (s == *target) return true;
      walk.add(s);
    }
  }
  return false;
}

std::optional<MethodRef> ClassPool::find_declared_method(uint32_t id, std::string_view name, const DexFile& proto_dex,
                                                         ProtoIdx proto) const {
  if (id >= nodes_.size() || nodes_[id].external()) return std::nullopt;
  const ClassNode& n = nodes_[id];
  const DexFile& d = dex(n.dex);
  auto def = d.class_def(n.def);
  if (!def) return std::nullopt;
  ClassDataReader r(d, *def);
  ClassMember m;
  while (r.next_method(m)) {
    auto mid = d.method_id(m.method());
    if (!mid || d.string_data(mid->name_idx) != name) continue;
    if (!same_proto(d, mid->proto_idx, proto_dex, proto)) continue;
    return MethodRef{id, static_cast<uint32_t>(n.dex), m.method(), m.access_flags, m.code_off};
  }
  return std::nullopt;
}

std::optional<MethodRef> ClassPool::resolve_method(std::string_view class_descriptor, std::string_view name,
                                                   const DexFile& proto_dex, ProtoIdx proto) const {
  auto start = find(class_descriptor);
  if (!start) return std::nullopt;
  // 1. The class and its superclasses.
  uint32_t cur = *start;
  for (uint32_t depth = 0; cur != kNoNode && depth < limits::kMaxClassHierarchyDepth; ++depth) {
    if (auto m = find_declared_method(cur, name, proto_dex, proto)) return m;
    cur = nodes_[cur].superclass;
  }
  // 2. Superinterfaces of the class and of its superclasses (default / abstract methods),
  //    breadth first so the most specific interface is found first.
  UpwardWalk walk;
  cur = *start;
  for (uint32_t depth = 0; cur != kNoNode && depth < limits::kMaxClassHierarchyDepth; ++depth) {
    for (uint32_t i : nodes_[cur].interfaces) walk.add(i);
    cur = nodes_[cur].superclass;
  }
  for (size_t i = 0; i < walk.size(); ++i) {
    if (auto m = find_declared_method(walk[i], name, proto_dex, proto)) return m;
    for (uint32_t s : nodes_[walk[i]].interfaces) walk.add(s);
  }
  return std::nullopt;
}

std::optional<MethodRef> ClassPool::resolve_method(uint32_t dex_index, MethodIdx method) const {
  if (!dexes_ || dex_index >= dexes_->size()) return std::nullopt;
  const DexFile& d = dex(dex_index);
  auto mid = d.method_id(method);
  if (!mid) return std::nullopt;
  return resolve_method(d.type_descriptor(mid->class_idx), d.string_data(mid->name_idx), d, mid->proto_idx);
}

std::vector<MethodRef> ClassPool::override_targets(uint32_t dex_index, MethodIdx method) const {
  std::vector<MethodRef> out;
  if (!dexes_ || dex_index >= dexes_->size()) return out;
  const DexFile& d = dex(dex_index);
  auto mid = d.method_id(method);
  if (!mid) return out;
  const std::string_view name = d.string_data(mid->name_idx);
  if (auto base = resolve_method(d.type_descriptor(mid->class_idx), name, d, mid->proto_idx)) {
    if (base->access_flags & (kAccPrivate | kAccStatic)) return {*base};  // no dispatch
    out.push_back(*base);
  }
  auto start = find(d.type_descriptor(mid->class_idx));
  if (!start) return out;
  // Every class below the static receiver type: subclasses and implementors, transitively.
  std::vector<uint32_t> work{*start};
  std::vector<bool> seen(nodes_.size(), false);
  seen[*start] = true;
  for (size_t i = 0; i < work.size(); ++i) {
    const ClassNode& n = nodes_[work[i]];
    for (const auto* list : {&n.subclasses, &n.implementors})
      for (uint32_t s : *list)
        if (!seen[s]) {
          seen[s] = true;
          work.push_back(s);
        }
    if (i == 0) continue;
    if (auto m = find_declared_method(work[i], name, d, mid->proto_idx)) {
      if (m->access_flags & (kAccPrivate | kAccStatic)) continue;
      bool dup = false;
      for (const MethodRef& r : out) dup |= (r == *m);
      if (!dup) out.push_back(*m);
    }
  }
  return out;
}

}  // namespace apkwarden::dex
