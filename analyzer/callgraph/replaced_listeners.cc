#include "analyzer/callgraph/replaced_listeners.h"

#include <algorithm>

#include "dex/limits.h"

namespace apkwarden::callgraph {

namespace {

bool mentions(const dex::Instruction& in, uint32_t reg) {
  for (uint32_t i = 0; i < in.reg_count(); ++i)
    if (in.reg(i) == reg || in.reg(i) + 1 == reg) return true;  // a wide pair covers reg too
  return false;
}

// A one-argument instance call of a method named set*: a setter holds one value.
bool is_setter_call(const dex::DexFile& dex, const dex::Instruction& in) {
  if (in.opcode != dex::Opcode::kInvokeVirtual && in.opcode != dex::Opcode::kInvokeInterface) return false;
  if (in.reg_count() != 2 || in.index >= dex.method_ids_size()) return false;
  return dex.method_name(dex::MethodIdx(in.index)).starts_with("set");
}

bool is_constructor_of(const dex::DexFile& dex, const dex::Instruction& in, uint32_t reg) {
  return in.opcode == dex::Opcode::kInvokeDirect && in.reg_count() >= 1 && in.reg(0) == reg &&
         in.index < dex.method_ids_size() && dex.method_name(dex::MethodIdx(in.index)) == "<init>";
}

}  // namespace

std::vector<uint32_t> replaced_listener_allocations(const dex::DexFile& dex, const std::vector<dex::Instruction>& insns,
                                                    bool has_tries) {
  std::vector<uint32_t> out;
  if (has_tries) return out;
  std::vector<int64_t> targets;
  for (const dex::Instruction& in : insns) {
    if (in.flags() & dex::opflags::kSwitch) return out;
    if (in.flags() & dex::opflags::kBranch) targets.push_back(in.target());
  }
  std::sort(targets.begin(), targets.end());
  auto is_target = [&](uint32_t pc) { return std::binary_search(targets.begin(), targets.end(), int64_t{pc}); };
  for (size_t i = 0; i < insns.size(); ++i) {
    if (insns[i].opcode != dex::Opcode::kNewInstance) continue;
    const uint32_t obj = insns[i].va;
    bool in_register = true, ok = true;
    size_t replaced = 0;
    // Only a short stretch after the allocation is looked at: straight-line registration code.
    const size_t end = std::min(insns.size(), i + 1 + limits::kMaxListenerScanInstructions);
    for (size_t j = i + 1; j < end && ok; ++j) {
      const dex::Instruction& in = insns[j];
      if (is_target(in.pc) || (in.flags() & (dex::opflags::kBranch | dex::opflags::kReturn | dex::opflags::kThrow))) break;
      if (!in_register) break;
      if (!mentions(in, obj)) continue;
      if (is_constructor_of(dex, in, obj)) continue;
      if ((in.flags() & dex::opflags::kConst) && in.va == obj) {
        in_register = false;  // overwritten: the object is in no register any more
        continue;
      }
      if (!is_setter_call(dex, in) || in.reg(1) != obj || in.reg(0) == obj) {
        ok = false;
        break;
      }
      // The same setter on the same receiver again, with only constants (not into the receiver)
      // loaded in between.
      const uint32_t receiver = in.reg(0);
      bool found = false, overwritten = false;
      for (size_t k = j + 1; k < end; ++k) {
        const dex::Instruction& next = insns[k];
        if (is_target(next.pc)) break;
        if ((next.flags() & dex::opflags::kConst) && next.va != receiver && next.va + 1u != receiver) {
          overwritten |= next.va == obj;
          continue;
        }
        found = next.opcode == in.opcode && next.index == in.index && next.reg_count() == 2 && next.reg(0) == receiver &&
                (next.reg(1) != obj || overwritten);
        break;
      }
      if (!found) ok = false;
      else ++replaced;
    }
    if (ok && replaced > 0 && !in_register) out.push_back(insns[i].pc);
  }
  return out;
}

}  // namespace apkwarden::callgraph
