#include "analyzer/ir/method_ir.h"

#include <algorithm>

#include "dex/code_walker.h"
#include "dex/limits.h"

namespace apkwarden::ir {

std::optional<uint32_t> MethodIr::index_at(uint32_t pc) const {
  auto it = std::lower_bound(insns.begin(), insns.end(), pc,
                             [](const dex::Instruction& i, uint32_t p) { return i.pc < p; });
  if (it == insns.end() || it->pc != pc) return std::nullopt;
  return static_cast<uint32_t>(it - insns.begin());
}

namespace {

struct TryRange {
  uint32_t start = 0, end = 0;  // pcs, end exclusive
  std::vector<uint32_t> handler_pcs;
};

std::vector<TryRange> read_tries(const dex::CodeItem& code, bool& complete) {
  std::vector<TryRange> out;
  if (code.tries_size() > limits::kMaxIrTryItems) complete = false;
  for (uint32_t t = 0; t < code.tries_size() && t < limits::kMaxIrTryItems; ++t) {
    auto item = code.try_item(t);
    if (!item) break;
    TryRange r;
    r.start = item->start_addr;
    r.end = item->start_addr + item->insn_count;
    auto it = code.handlers_at(item->handler_off);
    dex::CatchHandler h;
    uint32_t guard = 0;
    while (it.next(h) && ++guard < 4096)
      if (std::find(r.handler_pcs.begin(), r.handler_pcs.end(), h.address) == r.handler_pcs.end()) {
        if (r.handler_pcs.size() >= limits::kMaxIrHandlersPerTry) {
          complete = false;
          break;
        }
        r.handler_pcs.push_back(h.address);
      }
    out.push_back(std::move(r));
  }
  return out;
}

void add_unique(std::vector<uint32_t>& v, uint32_t x) {
  if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
}

}  // namespace

MethodIr build_method_ir(const dex::DexFile& dex, const dex::CodeItem& code, uint32_t max_insns) {
  (void)dex;
  MethodIr ir;
  ir.registers = code.registers_size();
  ir.ins = code.ins_size();
  const ByteSpan bytes = code.insns_bytes();
  dex::CodeWalker walker(bytes);
  dex::Instruction insn;
  while (walker.next(insn)) {
    if (ir.insns.size() >= max_insns) {
      ir.complete = false;
      break;
    }
    ir.insns.push_back(insn);
  }
  if (!walker.ok()) ir.complete = false;
  const size_t n = ir.insns.size();
  if (n == 0) return ir;

  const std::vector<TryRange> tries = read_tries(code, ir.complete);
  // Hostile code can make every instruction sit in thousands of overlapping try ranges: past
  // kMaxIrTryLookups checks, no further exception edges are added (partial).
  uint64_t lookups = 0;
  auto handlers_of = [&](uint32_t pc) {
    std::vector<uint32_t> hs;
    for (const auto& t : tries) {
      if (++lookups > limits::kMaxIrTryLookups) {
        ir.complete = false;
        return std::vector<uint32_t>{};
      }
      if (pc >= t.start && pc < t.end)
        for (uint32_t h : t.handler_pcs) {
          if (hs.size() >= limits::kMaxIrHandlersPerTry) {
            ir.complete = false;
            return hs;
          }
          add_unique(hs, h);
        }
    }
    return hs;
  };

  // Leaders: entry, branch targets, handler starts, instructions after a block end.
  std::vector<uint8_t> leader(n, 0), ends(n, 0);
  leader[0] = 1;
  auto mark_pc = [&](int64_t pc) {
    if (pc < 0 || pc > UINT32_MAX) return;
    if (auto idx = ir.index_at(static_cast<uint32_t>(pc))) leader[*idx] = 1;
  };
  std::vector<std::vector<uint32_t>> targets(n);  // branch/switch target pcs per instruction
  for (size_t i = 0; i < n; ++i) {
    const auto& in = ir.insns[i];
    const uint32_t f = in.flags();
    if (f & dex::opflags::kBranch) {
      targets[i].push_back(static_cast<uint32_t>(in.target()));
    } else if (f & dex::opflags::kSwitch) {
      if (in.opcode == dex::Opcode::kPackedSwitch) {
        dex::PackedSwitchPayload p;
        if (dex::read_packed_switch(bytes, in, p) == dex::PayloadStatus::kOk)
          for (uint32_t k = 0; k < p.size; ++k) targets[i].push_back(in.pc + p.target(k));
      } else {
        dex::SparseSwitchPayload p;
        if (dex::read_sparse_switch(bytes, in, p) == dex::PayloadStatus::kOk)
          for (uint32_t k = 0; k < p.size; ++k) targets[i].push_back(in.pc + p.target(k));
      }
    }
    for (uint32_t t : targets[i]) mark_pc(t);
    const bool throws_in_try = (f & dex::opflags::kCanThrow) && !tries.empty() && !handlers_of(in.pc).empty();
    if ((f & (dex::opflags::kBranch | dex::opflags::kSwitch | dex::opflags::kReturn | dex::opflags::kThrow)) ||
        !(f & dex::opflags::kContinue) || throws_in_try) {
      ends[i] = 1;
      if (i + 1 < n) leader[i + 1] = 1;
    }
  }
  for (const auto& t : tries)
    for (uint32_t h : t.handler_pcs) mark_pc(h);

  // An invoke inside a try ends its block, so its move-result may start the next one: the
  // analyses carry the pending result in their state across that edge.
  std::vector<uint32_t> block_of(n, 0);
  for (size_t i = 0; i < n; ++i) {
    if (leader[i] || ir.blocks.empty()) ir.blocks.push_back(Block{static_cast<uint32_t>(i), static_cast<uint32_t>(i), {}, {}});
    ir.blocks.back().last = static_cast<uint32_t>(i);
    block_of[i] = static_cast<uint32_t>(ir.blocks.size() - 1);
  }
  auto block_at_pc = [&](uint32_t pc) -> std::optional<uint32_t> {
    auto idx = ir.index_at(pc);
    if (!idx) return std::nullopt;
    return block_of[*idx];
  };
  for (auto& b : ir.blocks) {
    const auto& in = ir.insns[b.last];
    const uint32_t f = in.flags();
    for (uint32_t t : targets[b.last])
      if (auto s = block_at_pc(t)) add_unique(b.succs, *s);
    if ((f & dex::opflags::kContinue) && b.last + 1 < n) add_unique(b.succs, block_of[b.last + 1]);
    // Every throwing instruction of the block may reach the handlers covering it.
    for (uint32_t i = b.first; i <= b.last; ++i) {
      if (!(ir.insns[i].flags() & dex::opflags::kCanThrow)) continue;
      for (uint32_t h : handlers_of(ir.insns[i].pc))
        if (auto s = block_at_pc(h)) add_unique(b.catch_succs, *s);
    }
  }
  return ir;
}

}  // namespace apkwarden::ir
