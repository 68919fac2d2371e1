// One method's code as the analyses see it: the decoded instructions in pc order, grouped into
// basic blocks with normal and exception successors (a throwing instruction inside a try range
// ends its block and gets an edge to each handler). Built once per method, on demand.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "dex/code_item.h"
#include "dex/dex_file.h"
#include "dex/instruction.h"

namespace apkwarden::ir {

struct Block {
  uint32_t first = 0;  // index into MethodIr::insns
  uint32_t last = 0;   // inclusive
  std::vector<uint32_t> succs;       // normal successors (block ids)
  std::vector<uint32_t> catch_succs; // exception handlers reachable from this block
};

struct MethodIr {
  uint16_t registers = 0;
  uint16_t ins = 0;  // parameter registers (the last `ins` registers), `this` first
  std::vector<dex::Instruction> insns;
  std::vector<Block> blocks;  // block 0 is the entry
  bool complete = true;       // false: the walk stopped early (malformed code); what was read is kept

  // Index of the instruction at `pc`, or nullopt.
  std::optional<uint32_t> index_at(uint32_t pc) const;
  uint32_t first_param_register() const { return registers >= ins ? registers - ins : 0; }
};

// Decodes and splits the method's code. `max_insns` bounds the work (longer methods are cut
// there and marked incomplete).
MethodIr build_method_ir(const dex::DexFile& dex, const dex::CodeItem& code, uint32_t max_insns);

}  // namespace apkwarden::ir
