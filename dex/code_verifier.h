// Instruction-level checks on one method's code, reported as diagnostics (never an abort):
// Android rejects such methods at install or load time, so in an APK they are signals (packers,
// obfuscators, hand-made or damaged code). Like ART's verifier it is separate from decoding:
// the decoder and walker read permissively; this says what is wrong.
//
// Diagnostic codes (stable):
//   dex-insn-empty-code              the method has a code item with no instructions
//   dex-insn-code-too-long           longer than limits::kMaxCodeUnitsPerMethod; checked up to it
//   dex-insn-unused-opcode           an unused opcode value (0x3e..0x43, 0x73, 0x79, 0x7a, 0xe3..0xf9)
//   dex-insn-bad-arg-count           35c/45cc with more than 5 argument registers
//   dex-insn-truncated               an instruction or payload runs past the end of the code
//   dex-insn-register-out-of-range   a register number >= registers_size
//   dex-insn-branch-out-of-range     a branch or switch target outside the method
//   dex-insn-branch-mid-instruction  a branch or switch target inside an instruction or payload
//   dex-insn-branch-zero-offset      a branch to itself (only goto/32 may do that)
//   dex-insn-payload-out-of-range    a 31t payload offset outside the method
//   dex-insn-payload-misaligned      a payload not on a 4-byte boundary
//   dex-insn-payload-wrong-ident     the target is not the payload kind the instruction needs
//   dex-insn-payload-truncated       the payload's header claims more data than the method holds
//   dex-insn-payload-bad-width       fill-array-data element width other than 1, 2, 4, 8
//   dex-insn-payload-mid-instruction the payload does not start at an instruction boundary
//   dex-insn-sparse-switch-unsorted  sparse-switch keys not strictly ascending
//   dex-insn-handler-out-of-range    a catch handler address outside the method or mid-instruction
//   dex-insn-falls-off-end           reachable code runs off the end of the method
//   dex-insn-unreachable-code        instructions no path reaches (reported once per method)
//   dex-insn-too-many-anomalies      limits::kMaxInsnDiagnosticsPerMethod reached; the rest is counted
//   dex-insn-diagnostics-truncated   (verify_dex) limits::kMaxInsnDiagnosticsPerDex listed for a dex file
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "dex/byte_span.h"
#include "dex/diagnostic.h"

namespace apkwarden::dex {

struct CodeVerifyOptions {
  uint32_t registers_size = 65536;        // from the code item (65536: no register check)
  std::span<const uint32_t> handler_pcs;  // catch handler addresses: entry points besides pc 0
  bool check_reachability = true;         // needs handler_pcs to be complete to be meaningful
  std::string_view where;                 // names the method in Diagnostic::where ("<where>@<pc>")
};

struct CodeVerifySummary {
  uint32_t instructions = 0;  // instruction starts found by the linear sweep
  uint32_t payloads = 0;
  uint32_t anomalies = 0;     // all anomalies found, including those past the diagnostics cap
};

CodeVerifySummary verify_code(ByteSpan code, const CodeVerifyOptions& options, Diagnostics& out);

}  // namespace apkwarden::dex
