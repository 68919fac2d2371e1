// The generic monotonic fixpoint iterator (SPARTA's MonotonicFixpointIterator, reduced to what
// apkwarden needs): a worklist over a method's basic blocks in reverse post-order, joining
// states at block entries until nothing changes. Each analysis supplies only
//   - a Domain with `bool join_with(const Domain&)` (true when it grew) and `bool is_bottom()`;
//   - a transfer `void apply(uint32_t block, Domain& state)` that runs one block forwards, and
//     `Domain on_exception(uint32_t block, const Domain& in, const Domain& out)`, the state a
//     handler receives from a block whose instructions may throw; optionally
//     `bool edge_feasible(uint32_t block, uint32_t succ, const Domain& out)` to leave out edges
//     (a branch whose condition is known) from that state.
// Termination: domains have finite height here; `max_block_visits` bounds hostile code anyway.
#pragma once

#include <cstdint>
#include <set>
#include <vector>

#include "analyzer/ir/method_ir.h"

namespace apkwarden::dataflow {

// Reverse post-order of the blocks reachable from the entry (normal and exception edges).
std::vector<uint32_t> reverse_post_order(const ir::MethodIr& ir);

template <class Domain, class Transfer>
class MonotonicFixpoint {
 public:
  MonotonicFixpoint(const ir::MethodIr& ir, Transfer& transfer) : ir_(ir), transfer_(transfer) {}

  // Runs from `entry` at block 0; false when `max_block_visits` was reached (the states are then
  // a sound prefix of the fixpoint, not the fixpoint).
  bool run(const Domain& entry, uint64_t max_block_visits) {
    const size_t n = ir_.blocks.size();
    in_.assign(n, Domain{});
    if (n == 0) return true;
    const std::vector<uint32_t> rpo = reverse_post_order(ir_);
    std::vector<uint32_t> order(n, UINT32_MAX);
    for (uint32_t i = 0; i < rpo.size(); ++i) order[rpo[i]] = i;
    in_[0].join_with(entry);
    std::set<uint32_t> work{order[0]};
    uint64_t visits = 0;
    while (!work.empty()) {
      if (++visits > max_block_visits) return false;
      const uint32_t b = rpo[*work.begin()];
      work.erase(work.begin());
      Domain out = in_[b];
      transfer_.apply(b, out);
      const auto& block = ir_.blocks[b];
      for (uint32_t s : block.succs)
        if (order[s] != UINT32_MAX && feasible(b, s, out) && in_[s].join_with(out)) work.insert(order[s]);
      if (!block.catch_succs.empty()) {
        const Domain exc = transfer_.on_exception(b, in_[b], out);
        for (uint32_t s : block.catch_succs)
          if (order[s] != UINT32_MAX && in_[s].join_with(exc)) work.insert(order[s]);
      }
    }
    return true;
  }

  const Domain& entry_state(uint32_t block) const { return in_[block]; }

 private:
  // A transfer may say an edge cannot be taken from a state (`bool edge_feasible(block, succ,
  // out)`, monotone: a larger state keeps every edge a smaller one had); by default every edge can.
  bool feasible(uint32_t block, uint32_t succ, const Domain& out) {
    if constexpr (requires { transfer_.edge_feasible(block, succ, out); }) return transfer_.edge_feasible(block, succ, out);
    else return true;
  }

  const ir::MethodIr& ir_;
  Transfer& transfer_;
  std::vector<Domain> in_;
};

}  // namespace apkwarden::dataflow
