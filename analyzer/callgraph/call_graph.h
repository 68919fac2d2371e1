// Call targets and reachability over the app's methods. Dispatch is class-hierarchy based
// (ClassPool::override_targets), refined by the classes the app instantiates anywhere
// (new-instance, const-class, manifest components); static and direct calls resolve exactly.
// Reachability starts from the entry points (analyzer/entrypoints) and adds, as code becomes
// reachable, the static initialisers of the classes it touches and the framework callbacks of
// the classes it instantiates.
#pragma once

#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzer/callgraph/app_methods.h"
#include "dex/class_pool.h"
#include "dex/instruction.h"

namespace apkwarden::callgraph {

class Dispatch {
 public:
  Dispatch(const dex::ClassPool& pool, const AppMethods& methods) : pool_(pool), methods_(methods) {}
  // Marks a class (node id) as instantiated: its supertypes can dispatch to it.
  void add_instantiated(uint32_t node);
  // App methods an invoke instruction of dex `dex_index` may call (empty: framework or unknown).
  const std::vector<uint32_t>& targets(uint32_t dex_index, const dex::Instruction& insn);

 private:
  const dex::ClassPool& pool_;
  const AppMethods& methods_;
  // Whether an instantiated class inherits `target` (the declaring class or a subclass that does
  // not override it).
  bool runs_on_an_instance(const dex::MethodRef& target, std::string_view name, const dex::DexFile& proto_dex,
                           dex::ProtoIdx proto) const;

  std::vector<uint8_t> instantiated_;  // per node
  std::unordered_map<uint64_t, std::vector<uint32_t>> cache_;
};

struct Reachability {
  std::vector<uint8_t> reachable;            // per app method
  std::vector<uint32_t> order;               // reachable methods, callees before callers where acyclic
  std::vector<std::vector<uint32_t>> callees;  // per method (reachable ones only)
  std::vector<std::vector<uint32_t>> callers;
  std::vector<uint8_t> is_entry;             // per app method: called by the framework
};

// Instantiated classes over all app code (for Dispatch).
void add_instantiated_classes(const dex::ClassPool& pool, const AppMethods& methods, Dispatch& dispatch);

// Whether a class has a framework supertype other than java.lang.Object (its overriding
// methods may be called back by the framework).
bool has_framework_supertype(const dex::ClassPool& pool, uint32_t node);

// From `entries` (app method ids), following calls, class initialisers and callbacks of classes
// instantiated by reachable code.
Reachability compute_reachability(const dex::ClassPool& pool, const AppMethods& methods, Dispatch& dispatch,
                                  const std::vector<uint32_t>& entries);

// Methods of class `node` (and its app superclasses) the framework may call on an instance.
std::vector<uint32_t> callback_methods(const dex::ClassPool& pool, const AppMethods& methods, uint32_t node);

}  // namespace apkwarden::callgraph
