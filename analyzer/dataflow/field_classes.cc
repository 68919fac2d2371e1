// TaintWorld's field classes: which app classes the objects stored in each field belong to, so
// a virtual call on an object read from a field reaches the overrides of those classes only
// (type propagation through fields, as in Tip and Palsberg's XTA call graphs). MultiHandlers1:
// a listener's `dataProvider` field is only ever given a MultiHandlers2, so its setData call
// does not reach MultiHandlers1.setData.
#include "analyzer/dataflow/taint_world.h"

#include <algorithm>


namespace apkwarden::dataflow {

bool stores_null(const dex::Instruction* previous, const dex::Instruction& put) {
  // javac's `f = null`: the instruction just before the store loads 0 into the stored register.
  return previous && (previous->flags() & dex::opflags::kConst) && previous->va == put.va && previous->literal == 0 &&
         previous->opcode != dex::Opcode::kConstString && previous->opcode != dex::Opcode::kConstStringJumbo &&
         previous->opcode != dex::Opcode::kConstClass;
}

namespace {

bool is_object_put(dex::Opcode op) { return op == dex::Opcode::kIputObject || op == dex::Opcode::kSputObject; }

}  // namespace

void TaintWorld::find_stored_fields() {
  stored_fields_scanned_ = true;
  uint32_t previous_method = UINT32_MAX;
  dex::Instruction previous;
  callgraph::for_each_app_instruction(pool, methods, [&](uint32_t m, const dex::DexFile& dex, const dex::Instruction& in) {
    const bool same_method = m == previous_method;
    if (is_object_put(in.opcode) && !stores_null(same_method ? &previous : nullptr, in) &&
        in.index < dex.field_ids_size()) {
      const uint32_t f = field_id(methods[m].dex, dex::FieldIdx(in.index));
      if (f >= stored_fields_.size()) stored_fields_.resize(f + 1, 0);
      stored_fields_[f] = 1;
    }
    previous = in;
    previous_method = m;
  });
}

void TaintWorld::add_field_class(uint32_t field, uint32_t node) {
  FieldClasses& fc = field_classes_[field];
  if (fc.any) return;
  if (node == kAnyClass || fc.nodes.size() >= limits::kMaxFieldClasses) {
    fc.any = true;
    fc.nodes.clear();
  } else {
    auto it = std::lower_bound(fc.nodes.begin(), fc.nodes.end(), node);
    if (it != fc.nodes.end() && *it == node) return;
    fc.nodes.insert(it, node);
  }
  for (uint32_t r : field_readers_[field]) enqueue(r);
}

const std::vector<uint32_t>* TaintWorld::field_classes(uint32_t field, uint32_t reader) {
  if (!stored_fields_scanned_) find_stored_fields();
  // A field the app's code never stores an object into is set by the framework or by
  // reflection: anything may be there.
  if (field >= stored_fields_.size() || !stored_fields_[field]) return nullptr;
  (void)read_field(field, reader);  // registers the reader: a new class re-analyses it
  const FieldClasses& fc = field_classes_[field];
  return fc.any ? nullptr : &fc.nodes;
}

bool TaintWorld::may_run_on(uint32_t target, const std::vector<uint32_t>& classes) const {
  const std::string_view declaring = pool.node(methods[target].node).descriptor;
  for (uint32_t c : classes) {
    const std::string_view stored = pool.node(c).descriptor;
    // The stored class inherits the target, or one of its subclasses overrides it with the target.
    if (pool.is_subclass_of(stored, declaring) || pool.is_subclass_of(declaring, stored)) return true;
  }
  return false;
}

}  // namespace apkwarden::dataflow
