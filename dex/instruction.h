// Decoding one Dalvik instruction from a method's code (the insns array of a code item, as raw
// bytes: 2*N bytes for N little-endian 16-bit code units). Every read goes through ByteSpan, so
// an instruction that runs past the end, or a payload whose header claims more data than there
// is, is reported as a status value and never read out of bounds.
//
// The payload pseudo-instructions (switch tables and array data) are decoded into views that
// read their elements on demand from the code bytes: nothing is copied or allocated.
#pragma once

#include <cstdint>

#include "dex/byte_span.h"
#include "dex/opcode_table.h"
#include "dex/result.h"

namespace apkwarden::dex {

enum class DecodeStatus : uint8_t {
  kOk,
  kPayload,        // a payload pseudo-instruction (data, not an instruction); size is set
  kPcOutOfRange,   // pc is at or past the end of the code
  kTruncated,      // the instruction (or payload) runs past the end of the code
  kUnusedOpcode,   // one of the unused opcode values (size is set to 1, as dexdump steps over it)
  kBadArgCount,    // 35c/45cc with an argument count above 5 (size is set)
};
const char* decode_status_name(DecodeStatus s);

// One decoded instruction. Register operands keep the names of the format description:
//  - va, vb, vc: the plain register operands (vA, vB, vC; format_register_fields() says how many
//    are meaningful: 12x has vA, vB; 23x has vA, vB, vC; 21c has vA; ...).
//  - 35c/45cc argument lists: arg_count registers in args[] (vC, vD, vE, vF, vG).
//  - 3rc/4rcc ranges: arg_count registers starting at range_start.
// reg_count()/reg(i) enumerate every register operand whatever the format.
struct Instruction {
  uint32_t pc = 0;       // in code units from the start of the method's insns
  uint32_t size = 1;     // in code units (for a payload: the whole payload)
  Opcode opcode = Opcode::kNop;
  uint8_t arg_count = 0;
  uint8_t args[5] = {};
  uint16_t range_start = 0;
  uint16_t va = 0, vb = 0, vc = 0;
  uint32_t index = 0;        // string/type/field/method/call-site/method-handle/proto index
  uint32_t proto_index = 0;  // 45cc/4rcc: the proto index (H)
  int32_t offset = 0;        // branch offset (10t 20t 30t 21t 22t) or payload offset (31t), from pc
  int64_t literal = 0;       // the constant's value: sign-extended; 21h shifted into place; 51l wide

  InstructionFormat format() const { return opcode_format(opcode); }
  IndexKind index_kind() const { return opcode_index_kind(opcode); }
  uint32_t flags() const { return opcode_flags(opcode); }
  bool has(uint32_t flag) const { return (opcode_flags(opcode) & flag) != 0; }
  std::string_view name() const { return opcode_name(opcode); }
  bool is_range() const { return has(opflags::kRange); }
  // Where a branch (or a 31t payload reference) points, in code units; may be negative or past the
  // end for malformed code, hence 64-bit.
  int64_t target() const { return static_cast<int64_t>(pc) + offset; }
  uint32_t next_pc() const { return pc + size; }

  uint32_t reg_count() const;
  uint32_t reg(uint32_t i) const;
};

// Decodes the instruction at `pc` (code units) of `code`. On kOk, kPayload, kUnusedOpcode and
// kBadArgCount, out.pc/out.size/out.opcode are set (so a linear sweep can step over it).
DecodeStatus decode(ByteSpan code, uint32_t pc, Instruction& out);

// Number of whole code units in `code`.
inline uint32_t code_units(ByteSpan code) {
  const size_t n = code.size() / 2;
  return n > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(n);
}

// The Result-returning form for callers that want an Error with a message.
Result<Instruction> decode_instruction(ByteSpan code, uint32_t pc);

// ---- payloads ------------------------------------------------------------------------------

// If a payload starts at `pc`, its ident (0x0100/0x0200/0x0300); 0 otherwise.
uint16_t payload_ident_at(ByteSpan code, uint32_t pc);
// Size in code units of the payload at `pc` computed from its header (64-bit: a hostile header
// may claim far more than fits). False if there is no payload or its header is cut off.
bool payload_units_at(ByteSpan code, uint32_t pc, uint64_t& units);

enum class PayloadStatus : uint8_t {
  kOk,
  kNotPayloadUser,    // the instruction is not packed-switch / sparse-switch / fill-array-data
  kOutOfRange,        // pc + offset lies outside the code
  kMisaligned,        // payloads must start on a 4-byte boundary (even code unit)
  kWrongIdent,        // the target does not hold the payload kind this instruction needs
  kTruncated,         // the payload's header claims more data than the code holds
  kBadElementWidth,   // fill-array-data element width other than 1, 2, 4, 8
};
const char* payload_status_name(PayloadStatus s);

// packed-switch-payload: size targets for keys first_key .. first_key + size - 1.
struct PackedSwitchPayload {
  uint32_t pc = 0;  // where the payload starts
  uint16_t size = 0;
  int32_t first_key = 0;
  ByteSpan targets_bytes;  // size * 4 bytes

  int32_t key(uint32_t i) const { return static_cast<int32_t>(static_cast<uint32_t>(first_key) + i); }
  // Branch offset relative to the switch instruction (not to the payload).
  int32_t target(uint32_t i) const { return targets_bytes.read_or<int32_t>(size_t{i} * 4, 0); }
};

// sparse-switch-payload: size (key, target) pairs, keys sorted ascending in valid code.
struct SparseSwitchPayload {
  uint32_t pc = 0;
  uint16_t size = 0;
  ByteSpan keys_bytes;     // size * 4 bytes
  ByteSpan targets_bytes;  // size * 4 bytes

  int32_t key(uint32_t i) const { return keys_bytes.read_or<int32_t>(size_t{i} * 4, 0); }
  int32_t target(uint32_t i) const { return targets_bytes.read_or<int32_t>(size_t{i} * 4, 0); }
};

// fill-array-data-payload: element_count elements of element_width bytes each.
struct FillArrayDataPayload {
  uint32_t pc = 0;
  uint16_t element_width = 0;
  uint32_t element_count = 0;
  ByteSpan data;  // element_width * element_count bytes

  // Element i, little-endian, zero-extended to 64 bits (0 if out of range).
  uint64_t element(uint32_t i) const;
};

// Read the payload that `user` (a 31t instruction) points at, with range, alignment, ident and
// size checks. `out` is only meaningful on kOk.
PayloadStatus read_packed_switch(ByteSpan code, const Instruction& user, PackedSwitchPayload& out);
PayloadStatus read_sparse_switch(ByteSpan code, const Instruction& user, SparseSwitchPayload& out);
PayloadStatus read_fill_array_data(ByteSpan code, const Instruction& user, FillArrayDataPayload& out);

// The payload ident a payload user needs (0 if `op` uses none).
uint16_t payload_ident_for(Opcode op);

}  // namespace apkwarden::dex
