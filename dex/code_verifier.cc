#include "dex/code_verifier.h"

#include <cstdio>
#include <string>
#include <vector>

#include "dex/instruction.h"
#include "dex/limits.h"

namespace apkwarden::dex {
namespace {

// Per-code-unit marks from the linear sweep and the reachability pass.
enum Mark : uint8_t {
  kStart = 1,      // an instruction starts here
  kPayload = 2,    // a payload starts here
  kReached = 4,    // reachability: some path gets here
};

class Verifier {
 public:
  Verifier(ByteSpan code, const CodeVerifyOptions& o, Diagnostics& out)
      : code_(code), opt_(o), out_(out), units_(code_units(code)) {}

  CodeVerifySummary run() {
    if (units_ == 0) {
      report("dex-insn-empty-code", 0, "the method's code has no instructions");
      return summary_;
    }
    if (units_ > limits::kMaxCodeUnitsPerMethod) {
      report("dex-insn-code-too-long", 0,
             "code of " + std::to_string(units_) + " units exceeds the limit; checked up to it");
      units_ = limits::kMaxCodeUnitsPerMethod;
    }
    marks_.assign(units_, 0);
    sweep();
    for (uint32_t pc = 0; pc < units_; ++pc) {
      if (marks_[pc] & kStart) check_instruction(pc);
    }
    check_handlers();
    if (opt_.check_reachability) check_reachability();
    if (suppressed_ > 0) {
      out_.push_back({"dex-insn-too-many-anomalies",
                      std::to_string(suppressed_) + " more instruction anomalies in this method not listed",
                      std::string(opt_.where)});
    }
    return summary_;
  }

 private:
  void report(const char* code, uint32_t pc, std::string message) {
    ++summary_.anomalies;
    if (reported_ >= limits::kMaxInsnDiagnosticsPerMethod) {
      ++suppressed_;
      return;
    }
    ++reported_;
    char at[16];
    std::snprintf(at, sizeof at, "@%04x", pc);
    out_.push_back({code, std::move(message), std::string(opt_.where) + at});
  }

  static std::string hex(int64_t v) {
    char buf[32];
    if (v < 0) std::snprintf(buf, sizeof buf, "-%04llx", static_cast<unsigned long long>(-v));
    else std::snprintf(buf, sizeof buf, "%04llx", static_cast<unsigned long long>(v));
    return buf;
  }

  // Linear sweep: marks instruction and payload starts. Unused opcodes are stepped over as one
  // unit (as dexdump does) so the rest of the method is still checked.
  void sweep() {
    uint32_t pc = 0;
    Instruction insn;
    while (pc < units_) {
      const DecodeStatus s = decode(code_, pc, insn);
      if ((s == DecodeStatus::kOk || s == DecodeStatus::kPayload || s == DecodeStatus::kUnusedOpcode ||
           s == DecodeStatus::kBadArgCount) &&
          insn.size <= units_ - pc) {
        if (s == DecodeStatus::kPayload) {
          marks_[pc] |= kPayload;
          ++summary_.payloads;
        } else {
          marks_[pc] |= kStart;
          ++summary_.instructions;
        }
        if (s == DecodeStatus::kUnusedOpcode)
          report("dex-insn-unused-opcode", pc, "unused opcode " + std::string(insn.name()));
        if (s == DecodeStatus::kBadArgCount)
          report("dex-insn-bad-arg-count", pc,
                 std::string(insn.name()) + " with " + std::to_string(insn.arg_count) + " arguments");
        pc += insn.size;
        continue;
      }
      report("dex-insn-truncated", pc,
             std::string(s == DecodeStatus::kPayload || payload_ident_at(code_, pc) ? "payload" : insn.name()) +
                 " runs past the end of the code (" + std::to_string(units_) + " units)");
      break;
    }
    swept_to_end_ = pc == units_;
  }

  // A branch or switch target: inside the method and on an instruction start. Messages are only
  // built when something is wrong (this runs for every branch of every method).
  bool check_target(uint32_t pc, int64_t target, std::string_view name, const int32_t* case_key = nullptr) {
    const bool outside = target < 0 || target >= units_;
    if (!outside && (marks_[target] & kStart)) return true;
    std::string what(name);
    if (case_key) what += " case " + std::to_string(*case_key);
    if (outside)
      report("dex-insn-branch-out-of-range", pc, what + " target " + hex(target) + " is outside the method");
    else
      report("dex-insn-branch-mid-instruction", pc,
             what + " target " + hex(target) + " is not at an instruction boundary");
    return false;
  }

  void check_instruction(uint32_t pc) {
    Instruction insn;
    if (decode(code_, pc, insn) != DecodeStatus::kOk) return;  // reported by the sweep
    check_registers(insn);
    if (insn.has(opflags::kBranch)) {
      check_target(pc, insn.target(), insn.name());
      if (insn.offset == 0 && insn.opcode != Opcode::kGoto32)
        report("dex-insn-branch-zero-offset", pc, std::string(insn.name()) + " branches to itself");
    }
    if (insn.has(opflags::kPayloadUser)) check_payload(insn);
  }

  void check_registers(const Instruction& insn) {
    const uint32_t n = insn.reg_count();
    if (n == 0) return;
    if (insn.is_range()) {
      const uint64_t end = uint64_t{insn.range_start} + n;
      if (end > opt_.registers_size)
        report("dex-insn-register-out-of-range", insn.pc,
               std::string(insn.name()) + " uses v" + std::to_string(end - 1) + " but the method has " +
                   std::to_string(opt_.registers_size) + " registers");
      return;
    }
    for (uint32_t k = 0; k < n; ++k) {
      if (insn.reg(k) >= opt_.registers_size) {
        report("dex-insn-register-out-of-range", insn.pc,
               std::string(insn.name()) + " uses v" + std::to_string(insn.reg(k)) + " but the method has " +
                   std::to_string(opt_.registers_size) + " registers");
        return;  // one per instruction
      }
    }
  }

  void check_payload(const Instruction& insn) {
    uint32_t ppc = 0;
    PayloadStatus s;
    PackedSwitchPayload packed;
    SparseSwitchPayload sparse;
    FillArrayDataPayload array;
    if (insn.opcode == Opcode::kPackedSwitch) s = read_packed_switch(code_, insn, packed), ppc = packed.pc;
    else if (insn.opcode == Opcode::kSparseSwitch) s = read_sparse_switch(code_, insn, sparse), ppc = sparse.pc;
    else s = read_fill_array_data(code_, insn, array), ppc = array.pc;

    auto fail = [&](const char* code, const char* what) {
      report(code, insn.pc, std::string(insn.name()) + " " + what + " (payload at " + hex(insn.target()) + ")");
    };
    switch (s) {
      case PayloadStatus::kOk: break;
      case PayloadStatus::kNotPayloadUser: return;
      case PayloadStatus::kOutOfRange:
        return fail("dex-insn-payload-out-of-range", "payload offset points outside the method");
      case PayloadStatus::kMisaligned:
        return fail("dex-insn-payload-misaligned", "payload is not 4-byte aligned");
      case PayloadStatus::kWrongIdent:
        return fail("dex-insn-payload-wrong-ident", "target does not hold its payload kind");
      case PayloadStatus::kTruncated:
        return fail("dex-insn-payload-truncated", "payload runs past the end of the code");
      case PayloadStatus::kBadElementWidth:
        return fail("dex-insn-payload-bad-width", "payload has an element width other than 1, 2, 4, 8");
    }
    if (!(marks_[ppc] & kPayload))
      return fail("dex-insn-payload-mid-instruction", "payload is not at an instruction boundary");
    if (insn.opcode == Opcode::kPackedSwitch) {
      for (uint32_t i = 0; i < packed.size; ++i) {
        const int32_t key = packed.key(i);
        if (!check_target(insn.pc, insn.pc + int64_t{packed.target(i)}, insn.name(), &key)) break;  // one per switch
      }
    } else if (insn.opcode == Opcode::kSparseSwitch) {
      for (uint32_t i = 0; i < sparse.size; ++i) {
        const int32_t key = sparse.key(i);
        if (!check_target(insn.pc, insn.pc + int64_t{sparse.target(i)}, insn.name(), &key)) break;
      }
      for (uint32_t i = 1; i < sparse.size; ++i) {
        if (sparse.key(i - 1) >= sparse.key(i))
          return fail("dex-insn-sparse-switch-unsorted", "keys are not strictly ascending");
      }
    }
  }

  void check_handlers() {
    for (uint32_t h : opt_.handler_pcs) {
      if (h >= units_ || !(marks_[h] & kStart))
        report("dex-insn-handler-out-of-range", h, "catch handler at " + hex(h) + " is not at an instruction");
    }
  }

  void push(std::vector<uint32_t>& work, int64_t pc) {
    if (pc < 0 || pc >= units_) return;
    const auto p = static_cast<uint32_t>(pc);
    if ((marks_[p] & kStart) && !(marks_[p] & kReached)) {
      marks_[p] |= kReached;
      work.push_back(p);
    }
  }

  void check_reachability() {
    std::vector<uint32_t> work;
    push(work, 0);
    for (uint32_t h : opt_.handler_pcs) push(work, h);
    bool fell_off = false;
    Instruction insn;
    while (!work.empty()) {
      const uint32_t pc = work.back();
      work.pop_back();
      if (decode(code_, pc, insn) != DecodeStatus::kOk) continue;  // invalid: no successors
      if (insn.has(opflags::kContinue)) {
        if (insn.next_pc() >= units_ && swept_to_end_ && !fell_off) {
          fell_off = true;
          report("dex-insn-falls-off-end", pc, std::string(insn.name()) + " at the end of the code can fall through");
        }
        push(work, insn.next_pc());
      }
      if (insn.has(opflags::kBranch)) push(work, insn.target());
      if (insn.opcode == Opcode::kPackedSwitch) {
        PackedSwitchPayload p;
        if (read_packed_switch(code_, insn, p) == PayloadStatus::kOk)
          for (uint32_t i = 0; i < p.size; ++i) push(work, pc + int64_t{p.target(i)});
      } else if (insn.opcode == Opcode::kSparseSwitch) {
        SparseSwitchPayload p;
        if (read_sparse_switch(code_, insn, p) == PayloadStatus::kOk)
          for (uint32_t i = 0; i < p.size; ++i) push(work, pc + int64_t{p.target(i)});
      }
    }
    // nop is exempt: compilers pad with it (e.g. before a payload, which must be aligned).
    uint32_t count = 0, first = 0;
    for (uint32_t pc = 0; pc < units_; ++pc) {
      if ((marks_[pc] & (kStart | kReached)) != kStart) continue;
      uint16_t u0 = 0;
      code_.read<uint16_t>(size_t{pc} * 2, u0);
      if ((u0 & 0xff) == static_cast<uint8_t>(Opcode::kNop)) continue;
      if (count++ == 0) first = pc;
    }
    if (count > 0)
      report("dex-insn-unreachable-code", first,
             std::to_string(count) + " unreachable instruction(s), the first at " + hex(first));
  }

  ByteSpan code_;
  const CodeVerifyOptions& opt_;
  Diagnostics& out_;
  uint32_t units_;
  std::vector<uint8_t> marks_;
  bool swept_to_end_ = false;
  uint32_t reported_ = 0;
  uint32_t suppressed_ = 0;
  CodeVerifySummary summary_;
};

}  // namespace

CodeVerifySummary verify_code(ByteSpan code, const CodeVerifyOptions& options, Diagnostics& out) {
  return Verifier(code, options, out).run();
}

}  // namespace apkwarden::dex
