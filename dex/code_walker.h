// Linear sweep over a method's instructions, in order, the way dexdump -d lists them: each
// instruction follows the previous one; payload pseudo-instructions (switch tables, array data)
// are stepped over as data and not reported as instructions. Allocation-free. The walk stops
// cleanly at the end of the code or at the first malformed spot, and says which and where.
//
//   CodeWalker w(code);
//   Instruction insn;
//   while (w.next(insn)) { ... }
//   if (w.stop() != WalkStop::kEnd) { ... w.stop_pc() ... }
#pragma once

#include <cstdint>

#include "dex/instruction.h"
#include "dex/limits.h"

namespace apkwarden::dex {

enum class WalkStop : uint8_t {
  kNone,          // still walking
  kEnd,           // reached the end of the code exactly
  kTruncated,     // an instruction or payload runs past the end
  kUnusedOpcode,  // an unused opcode value
  kBadArgCount,   // 35c/45cc with more than 5 arguments
  kLimit,         // the code is longer than limits::kMaxCodeUnitsPerMethod; walked up to it
};

inline const char* walk_stop_name(WalkStop s) {
  switch (s) {
    case WalkStop::kNone: return "none";
    case WalkStop::kEnd: return "end";
    case WalkStop::kTruncated: return "truncated";
    case WalkStop::kUnusedOpcode: return "unused-opcode";
    case WalkStop::kBadArgCount: return "bad-arg-count";
    case WalkStop::kLimit: return "limit";
  }
  return "?";
}

class CodeWalker {
 public:
  explicit CodeWalker(ByteSpan code, uint32_t start_pc = 0)
      : code_(code), pc_(start_pc), end_(code_units(code)) {
    if (end_ > limits::kMaxCodeUnitsPerMethod) {
      end_ = limits::kMaxCodeUnitsPerMethod;
      limited_ = true;
    }
  }

  // The next instruction into `out`; false when the walk has stopped (see stop()).
  bool next(Instruction& out) {
    while (stop_ == WalkStop::kNone) {
      if (pc_ >= end_) {
        finish(limited_ ? WalkStop::kLimit : WalkStop::kEnd);
        break;
      }
      const DecodeStatus s = decode(code_, pc_, out);
      if (s == DecodeStatus::kOk && out.size <= end_ - pc_) {
        pc_ += out.size;
        ++instructions_;
        return true;
      }
      if (s == DecodeStatus::kPayload && out.size <= end_ - pc_) {
        pc_ += out.size;
        ++payloads_;
        continue;
      }
      finish(s == DecodeStatus::kUnusedOpcode  ? WalkStop::kUnusedOpcode
             : s == DecodeStatus::kBadArgCount ? WalkStop::kBadArgCount
             : limited_                        ? WalkStop::kLimit
                                               : WalkStop::kTruncated);
    }
    return false;
  }

  WalkStop stop() const { return stop_; }
  bool ok() const { return stop_ == WalkStop::kEnd; }
  // Where the walk stopped: the pc of the offending instruction, or the end of the code.
  uint32_t stop_pc() const { return stop_pc_; }
  // The pc of the next instruction to be decoded.
  uint32_t pc() const { return pc_; }
  uint32_t instructions() const { return instructions_; }
  uint32_t payloads() const { return payloads_; }

 private:
  void finish(WalkStop s) {
    stop_ = s;
    stop_pc_ = pc_;
  }

  ByteSpan code_;
  uint32_t pc_ = 0;
  uint32_t end_ = 0;
  uint32_t stop_pc_ = 0;
  uint32_t instructions_ = 0;
  uint32_t payloads_ = 0;
  bool limited_ = false;
  WalkStop stop_ = WalkStop::kNone;
};

}  // namespace apkwarden::dex
