#include "dex/instruction_format.h"

#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstring>

namespace apkwarden::dex {
namespace {

[[gnu::format(printf, 2, 3)]] void appendf(std::string& out, const char* fmt, ...) {
  char buf[128];
  va_list ap;
  va_start(ap, fmt);
  const int n = std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n > 0) out.append(buf, static_cast<size_t>(n) < sizeof buf ? static_cast<size_t>(n) : sizeof buf - 1);
}

std::string index_text(const char* kind, uint32_t idx) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s@%04x", kind, idx);
  return buf;
}

// The pool operand: the namer's text, and in dexdump style its `// kind@index` comment.
void append_index(std::string& out, const Instruction& insn, IndexNamer& namer, FormatStyle style) {
  const bool dd = style == FormatStyle::kDexdump;
  const int width = insn.format() == InstructionFormat::k31c ? 8 : 4;  // as dexdump prints it
  const uint32_t i = insn.index;
  auto with_comment = [&](std::string text, const char* kind) {
    out += text;
    if (dd) appendf(out, " // %s@%0*x", kind, width, i);
  };
  switch (insn.index_kind()) {
    case IndexKind::kNone: break;
    case IndexKind::kString: with_comment(namer.string(i), "string"); break;
    case IndexKind::kType: with_comment(namer.type(i), "type"); break;
    case IndexKind::kField: with_comment(namer.field(i), "field"); break;
    case IndexKind::kMethod: with_comment(namer.method(i), "method"); break;
    case IndexKind::kProto: with_comment(namer.proto(i), "proto"); break;
    // dexdump prints only the index for these two (their details are too large for one line).
    case IndexKind::kCallSite:
      if (dd) appendf(out, "call_site@%0*x", width, i);
      else out += namer.call_site(i);
      break;
    case IndexKind::kMethodHandle:
      if (dd) appendf(out, "method_handle@%0*x", width, i);
      else out += namer.method_handle(i);
      break;
    case IndexKind::kMethodAndProto:
      out += namer.method(i);
      out += ", ";
      out += namer.proto(insn.proto_index);
      if (dd) appendf(out, " // method@%0*x, proto@%0*x", width, i, width, insn.proto_index);
      break;
  }
}

// Branch target: dexdump prints pc + offset as a 32-bit value and the signed offset.
void append_target(std::string& out, const Instruction& insn, FormatStyle style) {
  if (style == FormatStyle::kDexdump) {
    const int32_t off = insn.offset;
    const uint32_t mag = off < 0 ? 0u - static_cast<uint32_t>(off) : static_cast<uint32_t>(off);
    appendf(out, "%04x // %c%04x", insn.pc + static_cast<uint32_t>(off), off < 0 ? '-' : '+', mag);
  } else {
    const int64_t t = insn.target();
    if (t < 0) appendf(out, "-%04" PRIx64, static_cast<uint64_t>(-t));
    else appendf(out, "%04" PRIx64, static_cast<uint64_t>(t));
  }
}

void append_regs_list(std::string& out, const Instruction& insn) {
  out += '{';
  for (uint32_t k = 0, n = insn.reg_count(); k < n; ++k) appendf(out, k == 0 ? "v%u" : ", v%u", insn.reg(k));
  out += "}, ";
}

}  // namespace

std::string IndexNamer::string(uint32_t idx) { return index_text("string", idx); }
std::string IndexNamer::type(uint32_t idx) { return index_text("type", idx); }
std::string IndexNamer::field(uint32_t idx) { return index_text("field", idx); }
std::string IndexNamer::method(uint32_t idx) { return index_text("method", idx); }
std::string IndexNamer::proto(uint32_t idx) { return index_text("proto", idx); }
std::string IndexNamer::call_site(uint32_t idx) { return index_text("call_site", idx); }
std::string IndexNamer::method_handle(uint32_t idx) { return index_text("method_handle", idx); }

void append_instruction(std::string& out, const Instruction& insn, IndexNamer& namer, FormatStyle style) {
  const bool dd = style == FormatStyle::kDexdump;
  out += insn.name();
  const int64_t lit = insn.literal;
  switch (insn.format()) {
    case InstructionFormat::k10x:
      if (dd && insn.opcode == Opcode::kNop) out += " // spacer";
      break;
    case InstructionFormat::k12x:
    case InstructionFormat::k22x:
    case InstructionFormat::k32x:
      appendf(out, " v%u, v%u", insn.va, insn.vb);
      break;
    case InstructionFormat::k11x:
      appendf(out, " v%u", insn.va);
      break;
    case InstructionFormat::k11n:
      appendf(out, " v%u, #int %d", insn.va, static_cast<int32_t>(lit));
      if (dd) appendf(out, " // #%x", static_cast<unsigned>(lit & 0xff));
      break;
    case InstructionFormat::k21s:
      if (!dd && insn.opcode == Opcode::kConstWide16) appendf(out, " v%u, #long %" PRId64, insn.va, lit);
      else appendf(out, " v%u, #int %d", insn.va, static_cast<int32_t>(lit));
      if (dd) appendf(out, " // #%x", static_cast<unsigned>(lit & 0xffff));
      break;
    case InstructionFormat::k21h:
      if (insn.opcode == Opcode::kConstWideHigh16) {
        appendf(out, " v%u, #long %" PRId64, insn.va, lit);
        if (dd) appendf(out, " // #%x", static_cast<unsigned>(static_cast<uint64_t>(lit) >> 48));
      } else {
        appendf(out, " v%u, #int %d", insn.va, static_cast<int32_t>(lit));
        if (dd) appendf(out, " // #%x", static_cast<unsigned>(static_cast<uint32_t>(lit) >> 16));
      }
      break;
    case InstructionFormat::k10t:
    case InstructionFormat::k20t:
      out += ' ';
      append_target(out, insn, style);
      break;
    case InstructionFormat::k30t:
      if (dd) appendf(out, " #%08x", static_cast<uint32_t>(insn.offset));  // dexdump's quirk: the raw offset
      else out += ' ', append_target(out, insn, style);
      break;
    case InstructionFormat::k21t:
      appendf(out, " v%u, ", insn.va);
      append_target(out, insn, style);
      break;
    case InstructionFormat::k22t:
      appendf(out, " v%u, v%u, ", insn.va, insn.vb);
      append_target(out, insn, style);
      break;
    case InstructionFormat::k21c:
    case InstructionFormat::k31c:
      appendf(out, " v%u, ", insn.va);
      append_index(out, insn, namer, style);
      break;
    case InstructionFormat::k22c:
    case InstructionFormat::k22cs:
      appendf(out, " v%u, v%u, ", insn.va, insn.vb);
      append_index(out, insn, namer, style);
      break;
    case InstructionFormat::k23x:
      appendf(out, " v%u, v%u, v%u", insn.va, insn.vb, insn.vc);
      break;
    case InstructionFormat::k22b:
      appendf(out, " v%u, v%u, #int %d", insn.va, insn.vb, static_cast<int32_t>(lit));
      if (dd) appendf(out, " // #%02x", static_cast<unsigned>(lit & 0xff));
      break;
    case InstructionFormat::k22s:
      appendf(out, " v%u, v%u, #int %d", insn.va, insn.vb, static_cast<int32_t>(lit));
      if (dd) appendf(out, " // #%04x", static_cast<unsigned>(lit & 0xffff));
      break;
    case InstructionFormat::k31i:
      if (dd) {
        // dexdump shows every 31i constant as a float, followed by its bits.
        const uint32_t bits = static_cast<uint32_t>(lit);
        float f;
        std::memcpy(&f, &bits, sizeof f);
        appendf(out, " v%u, #float %g // #%08x", insn.va, static_cast<double>(f), bits);
      } else if (insn.opcode == Opcode::kConstWide32) {
        appendf(out, " v%u, #long %" PRId64, insn.va, lit);
      } else {
        appendf(out, " v%u, #int %d", insn.va, static_cast<int32_t>(lit));
      }
      break;
    case InstructionFormat::k31t:
      if (dd) {
        appendf(out, " v%u, %08x // +%08x", insn.va, insn.pc + static_cast<uint32_t>(insn.offset),
                static_cast<uint32_t>(insn.offset));
      } else {
        appendf(out, " v%u, ", insn.va);
        append_target(out, insn, style);
      }
      break;
    case InstructionFormat::k35c:
    case InstructionFormat::k35ms:
    case InstructionFormat::k35mi:
    case InstructionFormat::k45cc:
    case InstructionFormat::k3rc:
    case InstructionFormat::k3rms:
    case InstructionFormat::k3rmi:
    case InstructionFormat::k4rcc:
      out += ' ';
      append_regs_list(out, insn);
      append_index(out, insn, namer, style);
      break;
    case InstructionFormat::k20bc:
      appendf(out, " %u, ", static_cast<unsigned>(lit));
      out += index_text("ref", insn.index);
      break;
    case InstructionFormat::k51l:
      if (dd) {
        const uint64_t bits = static_cast<uint64_t>(lit);
        double d;
        std::memcpy(&d, &bits, sizeof d);
        appendf(out, " v%u, #double %g // #%016" PRIx64, insn.va, d, bits);
      } else {
        appendf(out, " v%u, #long %" PRId64, insn.va, lit);
      }
      break;
  }
}

std::string format_instruction(const Instruction& insn, IndexNamer& namer, FormatStyle style) {
  std::string out;
  append_instruction(out, insn, namer, style);
  return out;
}

std::string quote_string_literal(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7f) appendf(out, "\\u%04x", c);
        else out += ch;
    }
  }
  out += '"';
  return out;
}

}  // namespace apkwarden::dex
