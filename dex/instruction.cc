#include "dex/instruction.h"

#include <string>

namespace apkwarden::dex {
namespace {

// Sign-extends the low `bits` of v.
constexpr int32_t sext(uint32_t v, int bits) {
  const uint32_t m = 1u << (bits - 1);
  v &= (bits == 32) ? ~0u : ((1u << bits) - 1);
  return static_cast<int32_t>((v ^ m) - m);
}

// Reads code unit `i` of the payload/instruction at `pc`; false if it is not in the code.
bool unit_at(ByteSpan code, uint64_t unit, uint16_t& out) {
  if (unit > SIZE_MAX / 2) return false;
  return code.read<uint16_t>(static_cast<size_t>(unit) * 2, out);
}

}  // namespace

const char* decode_status_name(DecodeStatus s) {
  switch (s) {
    case DecodeStatus::kOk: return "ok";
    case DecodeStatus::kPayload: return "payload";
    case DecodeStatus::kPcOutOfRange: return "pc-out-of-range";
    case DecodeStatus::kTruncated: return "truncated";
    case DecodeStatus::kUnusedOpcode: return "unused-opcode";
    case DecodeStatus::kBadArgCount: return "bad-arg-count";
  }
  return "?";
}

const char* payload_status_name(PayloadStatus s) {
  switch (s) {
    case PayloadStatus::kOk: return "ok";
    case PayloadStatus::kNotPayloadUser: return "not-payload-user";
    case PayloadStatus::kOutOfRange: return "out-of-range";
    case PayloadStatus::kMisaligned: return "misaligned";
    case PayloadStatus::kWrongIdent: return "wrong-ident";
    case PayloadStatus::kTruncated: return "truncated";
    case PayloadStatus::kBadElementWidth: return "bad-element-width";
  }
  return "?";
}

uint32_t Instruction::reg_count() const {
  const InstructionFormat f = format();
  switch (f) {
    case InstructionFormat::k35c:
    case InstructionFormat::k35ms:
    case InstructionFormat::k35mi:
    case InstructionFormat::k45cc:
      return arg_count <= 5 ? arg_count : 5;
    case InstructionFormat::k3rc:
    case InstructionFormat::k3rms:
    case InstructionFormat::k3rmi:
    case InstructionFormat::k4rcc:
      return arg_count;
    default:
      return format_register_fields(f);
  }
}

uint32_t Instruction::reg(uint32_t i) const {
  switch (format()) {
    case InstructionFormat::k35c:
    case InstructionFormat::k35ms:
    case InstructionFormat::k35mi:
    case InstructionFormat::k45cc:
      return i < 5 ? args[i] : 0;
    case InstructionFormat::k3rc:
    case InstructionFormat::k3rms:
    case InstructionFormat::k3rmi:
    case InstructionFormat::k4rcc:
      return uint32_t{range_start} + i;  // may exceed 0xffff for hostile code: the verifier checks
    default:
      return i == 0 ? va : i == 1 ? vb : vc;
  }
}

uint16_t payload_ident_at(ByteSpan code, uint32_t pc) {
  uint16_t u0 = 0;
  if (!unit_at(code, pc, u0)) return 0;
  return (u0 == kPackedSwitchPayloadIdent || u0 == kSparseSwitchPayloadIdent ||
          u0 == kFillArrayDataPayloadIdent)
             ? u0
             : 0;
}

bool payload_units_at(ByteSpan code, uint32_t pc, uint64_t& units) {
  const uint16_t ident = payload_ident_at(code, pc);
  uint16_t u1 = 0;
  if (ident == 0 || !unit_at(code, uint64_t{pc} + 1, u1)) return false;
  if (ident == kPackedSwitchPayloadIdent) {
    units = 4 + uint64_t{u1} * 2;  // ident, size, first_key(2), targets(2 each)
  } else if (ident == kSparseSwitchPayloadIdent) {
    units = 2 + uint64_t{u1} * 4;  // ident, size, keys(2 each), targets(2 each)
  } else {
    uint16_t lo = 0, hi = 0;
    if (!unit_at(code, uint64_t{pc} + 2, lo) || !unit_at(code, uint64_t{pc} + 3, hi)) return false;
    const uint64_t count = uint64_t{lo} | (uint64_t{hi} << 16);
    units = 4 + (uint64_t{u1} * count + 1) / 2;  // at most 4 + (65535 * 2^32) / 2: no overflow
  }
  return true;
}

DecodeStatus decode(ByteSpan code, uint32_t pc, Instruction& out) {
  const uint32_t total = code_units(code);
  if (pc >= total) return DecodeStatus::kPcOutOfRange;
  uint16_t u[5] = {};
  code.read<uint16_t>(size_t{pc} * 2, u[0]);
  out = Instruction{};
  out.pc = pc;
  out.opcode = static_cast<Opcode>(u[0] & 0xff);

  if (u[0] == kPackedSwitchPayloadIdent || u[0] == kSparseSwitchPayloadIdent ||
      u[0] == kFillArrayDataPayloadIdent) {
    uint64_t units = 0;
    if (!payload_units_at(code, pc, units) || units > uint64_t{total} - pc) {
      out.size = 1;
      return DecodeStatus::kTruncated;
    }
    out.size = static_cast<uint32_t>(units);
    return DecodeStatus::kPayload;
  }

  const uint32_t size = opcode_units(out.opcode);
  out.size = size;
  if (!opcode_is_valid(out.opcode)) return DecodeStatus::kUnusedOpcode;
  if (size > total - pc) return DecodeStatus::kTruncated;
  for (uint32_t i = 1; i < size; ++i) code.read<uint16_t>((size_t{pc} + i) * 2, u[i]);  // in range: checked

  const uint32_t hi = u[0] >> 8;
  const uint32_t a4 = hi & 0xf, b4 = hi >> 4;
  const uint32_t u32 = uint32_t{u[1]} | (uint32_t{u[2]} << 16);
  switch (out.format()) {
    case InstructionFormat::k10x:
      break;
    case InstructionFormat::k12x:
      out.va = a4, out.vb = b4;
      break;
    case InstructionFormat::k11n:
      out.va = a4, out.literal = sext(b4, 4);
      break;
    case InstructionFormat::k11x:
      out.va = hi;
      break;
    case InstructionFormat::k10t:
      out.offset = sext(hi, 8);
      break;
    case InstructionFormat::k20t:
      out.offset = sext(u[1], 16);
      break;
    case InstructionFormat::k20bc:  // AA is a verification error kind, not a register
      out.literal = hi, out.index = u[1];
      break;
    case InstructionFormat::k22x:
      out.va = hi, out.vb = u[1];
      break;
    case InstructionFormat::k21t:
      out.va = hi, out.offset = sext(u[1], 16);
      break;
    case InstructionFormat::k21s:
      out.va = hi, out.literal = sext(u[1], 16);
      break;
    case InstructionFormat::k21h:
      out.va = hi;
      // const/high16 fills the top of 32 bits, const-wide/high16 the top of 64 bits.
      out.literal = out.opcode == Opcode::kConstWideHigh16
                        ? static_cast<int64_t>(uint64_t{u[1]} << 48)
                        : int64_t{static_cast<int32_t>(uint32_t{u[1]} << 16)};
      break;
    case InstructionFormat::k21c:
      out.va = hi, out.index = u[1];
      break;
    case InstructionFormat::k23x:
      out.va = hi, out.vb = u[1] & 0xff, out.vc = u[1] >> 8;
      break;
    case InstructionFormat::k22b:
      out.va = hi, out.vb = u[1] & 0xff, out.literal = sext(u[1] >> 8, 8);
      break;
    case InstructionFormat::k22t:
      out.va = a4, out.vb = b4, out.offset = sext(u[1], 16);
      break;
    case InstructionFormat::k22s:
      out.va = a4, out.vb = b4, out.literal = sext(u[1], 16);
      break;
    case InstructionFormat::k22c:
    case InstructionFormat::k22cs:
      out.va = a4, out.vb = b4, out.index = u[1];
      break;
    case InstructionFormat::k30t:
      out.offset = static_cast<int32_t>(u32);
      break;
    case InstructionFormat::k32x:
      out.va = u[1], out.vb = u[2];
      break;
    case InstructionFormat::k31i:
      out.va = hi, out.literal = static_cast<int32_t>(u32);
      break;
    case InstructionFormat::k31t:
      out.va = hi, out.offset = static_cast<int32_t>(u32);
      break;
    case InstructionFormat::k31c:
      out.va = hi, out.index = u32;
      break;
    case InstructionFormat::k35c:
    case InstructionFormat::k35ms:
    case InstructionFormat::k35mi:
    case InstructionFormat::k45cc:
      out.arg_count = static_cast<uint8_t>(b4);
      out.index = u[1];
      out.args[0] = u[2] & 0xf, out.args[1] = (u[2] >> 4) & 0xf, out.args[2] = (u[2] >> 8) & 0xf;
      out.args[3] = u[2] >> 12, out.args[4] = static_cast<uint8_t>(a4);
      if (out.format() == InstructionFormat::k45cc) out.proto_index = u[3];
      if (b4 > 5) return DecodeStatus::kBadArgCount;
      break;
    case InstructionFormat::k3rc:
    case InstructionFormat::k3rms:
    case InstructionFormat::k3rmi:
    case InstructionFormat::k4rcc:
      out.arg_count = static_cast<uint8_t>(hi);
      out.index = u[1];
      out.range_start = u[2];
      if (out.format() == InstructionFormat::k4rcc) out.proto_index = u[3];
      break;
    case InstructionFormat::k51l:
      out.va = hi;
      out.literal = static_cast<int64_t>(uint64_t{u32} | (uint64_t{u[3]} << 32) | (uint64_t{u[4]} << 48));
      break;
  }
  return DecodeStatus::kOk;
}

Result<Instruction> decode_instruction(ByteSpan code, uint32_t pc) {
  Instruction insn;
  const DecodeStatus s = decode(code, pc, insn);
  const uint64_t off = uint64_t{pc} * 2;
  switch (s) {
    case DecodeStatus::kOk:
      return insn;
    case DecodeStatus::kPayload:
      return make_error(ErrorCode::kMalformed, "payload pseudo-instruction where an instruction was expected", off);
    case DecodeStatus::kPcOutOfRange:
      return make_error(ErrorCode::kOutOfRange, "pc past the end of the code", off);
    case DecodeStatus::kTruncated:
      return make_error(ErrorCode::kTruncated, "instruction runs past the end of the code", off);
    case DecodeStatus::kUnusedOpcode:
      return make_error(ErrorCode::kMalformed, "unused opcode " + std::string(insn.name()), off);
    case DecodeStatus::kBadArgCount:
      return make_error(ErrorCode::kMalformed, "argument count above 5 in " + std::string(insn.name()), off);
  }
  return make_error(ErrorCode::kMalformed, "bad instruction", off);
}

uint16_t payload_ident_for(Opcode op) {
  if (op == Opcode::kPackedSwitch) return kPackedSwitchPayloadIdent;
  if (op == Opcode::kSparseSwitch) return kSparseSwitchPayloadIdent;
  if (op == Opcode::kFillArrayData) return kFillArrayDataPayloadIdent;
  return 0;
}

namespace {

// Common checks for a payload reference; on kOk `ppc` is the payload's pc and its size fits.
PayloadStatus locate_payload(ByteSpan code, const Instruction& user, Opcode want, uint32_t& ppc) {
  if (user.opcode != want) return PayloadStatus::kNotPayloadUser;
  const int64_t t = user.target();
  const uint32_t total = code_units(code);
  if (t < 0 || t >= total) return PayloadStatus::kOutOfRange;
  ppc = static_cast<uint32_t>(t);
  if (ppc % 2 != 0) return PayloadStatus::kMisaligned;
  uint16_t u0 = 0;
  unit_at(code, ppc, u0);
  if (u0 != payload_ident_for(want)) return PayloadStatus::kWrongIdent;
  uint64_t units = 0;
  if (!payload_units_at(code, ppc, units) || units > uint64_t{total} - ppc) return PayloadStatus::kTruncated;
  return PayloadStatus::kOk;
}

}  // namespace

PayloadStatus read_packed_switch(ByteSpan code, const Instruction& user, PackedSwitchPayload& out) {
  uint32_t ppc = 0;
  const PayloadStatus s = locate_payload(code, user, Opcode::kPackedSwitch, ppc);
  if (s != PayloadStatus::kOk) return s;
  ByteCursor c(code, size_t{ppc} * 2 + 2);
  out = PackedSwitchPayload{};
  out.pc = ppc;
  out.size = c.u16();
  out.first_key = static_cast<int32_t>(c.u32());
  out.targets_bytes = c.bytes(size_t{out.size} * 4);
  return c.failed() ? PayloadStatus::kTruncated : PayloadStatus::kOk;
}

PayloadStatus read_sparse_switch(ByteSpan code, const Instruction& user, SparseSwitchPayload& out) {
  uint32_t ppc = 0;
  const PayloadStatus s = locate_payload(code, user, Opcode::kSparseSwitch, ppc);
  if (s != PayloadStatus::kOk) return s;
  ByteCursor c(code, size_t{ppc} * 2 + 2);
  out = SparseSwitchPayload{};
  out.pc = ppc;
  out.size = c.u16();
  out.keys_bytes = c.bytes(size_t{out.size} * 4);
  out.targets_bytes = c.bytes(size_t{out.size} * 4);
  return c.failed() ? PayloadStatus::kTruncated : PayloadStatus::kOk;
}

PayloadStatus read_fill_array_data(ByteSpan code, const Instruction& user, FillArrayDataPayload& out) {
  uint32_t ppc = 0;
  const PayloadStatus s = locate_payload(code, user, Opcode::kFillArrayData, ppc);
  if (s != PayloadStatus::kOk) return s;
  ByteCursor c(code, size_t{ppc} * 2 + 2);
  out = FillArrayDataPayload{};
  out.pc = ppc;
  out.element_width = c.u16();
  out.element_count = c.u32();
  const uint16_t w = out.element_width;
  if (w != 1 && w != 2 && w != 4 && w != 8) return PayloadStatus::kBadElementWidth;
  // locate_payload checked that width * count fits in the code, so this cannot overflow size_t.
  out.data = c.bytes(size_t{w} * out.element_count);
  return c.failed() ? PayloadStatus::kTruncated : PayloadStatus::kOk;
}

uint64_t FillArrayDataPayload::element(uint32_t i) const {
  if (i >= element_count) return 0;
  const size_t off = size_t{i} * element_width;
  switch (element_width) {
    case 1: return data.read_or<uint8_t>(off, 0);
    case 2: return data.read_or<uint16_t>(off, 0);
    case 4: return data.read_or<uint32_t>(off, 0);
    case 8: return data.read_or<uint64_t>(off, 0);
    default: return 0;
  }
}

}  // namespace apkwarden::dex
