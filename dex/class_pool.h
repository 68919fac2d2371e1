// ClassPool: the classes of all dex files of an app (classes.dex, classes2.dex, ... in Android
// order) as one hierarchy. The first definition of a descriptor wins, as in the runtime's
// class loader; later duplicates are diagnosed. Superclasses and interfaces that no dex
// defines (the framework: Landroid/..., Ljava/..., or simply missing) become external nodes.
// Keys are string_views into the dex bytes: the DexFiles (and their bytes) must outlive the pool.
//
// Every walk is cycle-safe: cyclic hierarchies are diagnosed at build time and every walk is
// bounded by limits::kMaxClassHierarchyDepth or a visited set.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dex/access_flags.h"
#include "dex/dex_file.h"
#include "dex/diagnostic.h"
#include "dex/index_types.h"

namespace apkwarden::dex {

inline constexpr uint32_t kNoNode = 0xffffffffu;

struct ClassNode {
  std::string_view descriptor;
  int32_t dex = -1;  // index into the pool's dex list; -1 for an external class
  ClassDefIdx def;
  uint32_t access_flags = 0;
  uint32_t superclass = kNoNode;
  std::vector<uint32_t> interfaces;    // direct superinterfaces
  std::vector<uint32_t> subclasses;    // classes whose superclass is this one
  std::vector<uint32_t> implementors;  // classes/interfaces listing this one as an interface
  bool in_cycle = false;

  bool external() const { return dex < 0; }
  bool is_interface() const { return (access_flags & kAccInterface) != 0; }
};

// A method definition found by resolution.
struct MethodRef {
  uint32_t node = kNoNode;  // the class that declares it
  uint32_t dex = 0;
  MethodIdx method;  // in that dex
  uint32_t access_flags = 0;
  uint32_t code_off = 0;
  bool operator==(const MethodRef&) const = default;
};

class ClassPool {
 public:
  ClassPool() = default;
  // `dexes` must stay alive and unmoved while the pool is used.
  static ClassPool build(const std::vector<DexFile>& dexes, Diagnostics* diags);

  size_t size() const { return nodes_.size(); }
  size_t defined_count() const { return defined_; }
  const ClassNode& node(uint32_t id) const { return nodes_[id]; }
  const DexFile& dex(uint32_t i) const { return (*dexes_)[i]; }
  std::optional<uint32_t> find(std::string_view descriptor) const;

  // True when `descriptor` is `ancestor` or inherits from it through superclasses or
  // interfaces (as Class.isAssignableFrom). Unknown descriptors are only equal to themselves.
  bool is_subclass_of(std::string_view descriptor, std::string_view ancestor) const;
  // Superclass chain from the class's parent upwards (bounded; stops at a cycle).
  std::vector<uint32_t> superclass_chain(uint32_t id) const;

  // Resolves a method reference the way the runtime does: the class itself, its superclasses,
  // then its superinterfaces (default methods). nullopt when nothing defined in the app matches
  // (e.g. a framework method).
  std::optional<MethodRef> resolve_method(std::string_view class_descriptor, std::string_view name,
                                          const DexFile& proto_dex, ProtoIdx proto) const;
  std::optional<MethodRef> resolve_method(uint32_t dex_index, MethodIdx method) const;
  // For a virtual/interface call through `method` of dex `dex_index`: the resolved target (if
  // defined in the app) followed by every override in subclasses / implementors, in
  // deterministic order, each once.
  std::vector<MethodRef> override_targets(uint32_t dex_index, MethodIdx method) const;

  // The method a class itself declares with this name and proto, if any.
  std::optional<MethodRef> find_declared_method(uint32_t id, std::string_view name, const DexFile& proto_dex,
                                                ProtoIdx proto) const;

 private:
  uint32_t intern_external(std::string_view descriptor);
  void detect_cycles(Diagnostics* diags);

  const std::vector<DexFile>* dexes_ = nullptr;
  std::vector<ClassNode> nodes_;
  std::unordered_map<std::string_view, uint32_t> by_descriptor_;
  size_t defined_ = 0;
};

// True when two protos (possibly of different dex files) have the same return and parameter types.
bool same_proto(const DexFile& a, ProtoIdx pa, const DexFile& b, ProtoIdx pb);

}  // namespace apkwarden::dex
