// Per-opcode instruction counts: a fixed array of 256 counters, no allocation. Counts what a
// CodeWalker yields (payloads are not instructions), so the totals per name match the lines of
// dexdump -d with that name (dexdump's "nop // spacer" lines count as nop).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "dex/instruction.h"
#include "dex/opcode_table.h"

namespace apkwarden::dex {

class OpcodeStats {
 public:
  void add(Opcode op, uint64_t n = 1) { counts_[static_cast<uint8_t>(op)] += n; }
  void add(const Instruction& insn) { add(insn.opcode); }
  void merge(const OpcodeStats& other) {
    for (size_t i = 0; i < kOpcodeCount; ++i) counts_[i] += other.counts_[i];
  }

  uint64_t count(Opcode op) const { return counts_[static_cast<uint8_t>(op)]; }
  uint64_t total() const {
    uint64_t t = 0;
    for (uint64_t c : counts_) t += c;
    return t;
  }
  // Number of distinct opcodes seen.
  uint32_t distinct() const {
    uint32_t d = 0;
    for (uint64_t c : counts_) d += c != 0;
    return d;
  }

  // Calls f(Opcode, std::string_view name, uint64_t count) for each opcode seen, in opcode order
  // (deterministic); with include_zero, for all 256.
  template <class F>
  void for_each(F&& f, bool include_zero = false) const {
    for (size_t i = 0; i < kOpcodeCount; ++i) {
      if (counts_[i] == 0 && !include_zero) continue;
      const auto op = static_cast<Opcode>(i);
      f(op, opcode_name(op), counts_[i]);
    }
  }

  bool operator==(const OpcodeStats&) const = default;

 private:
  std::array<uint64_t, kOpcodeCount> counts_{};
};

}  // namespace apkwarden::dex
