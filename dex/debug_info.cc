#include "dex/debug_info.h"

#include <string>

#include "dex/byte_span.h"
#include "dex/limits.h"

namespace apkwarden::dex {

namespace {

enum : uint8_t {
  kDbgEndSequence = 0x00,
  kDbgAdvancePc = 0x01,
  kDbgAdvanceLine = 0x02,
  kDbgStartLocal = 0x03,
  kDbgStartLocalExtended = 0x04,
  kDbgEndLocal = 0x05,
  kDbgRestartLocal = 0x06,
  kDbgSetPrologueEnd = 0x07,
  kDbgSetEpilogueBegin = 0x08,
  kDbgSetFile = 0x09,
  kDbgFirstSpecial = 0x0a,
};
constexpr int kDbgLineBase = -4;
constexpr int kDbgLineRange = 15;

}  // namespace

uint32_t DebugInfo::line_at(uint32_t pc) const {
  uint32_t line = 0;
  for (const LineEntry& e : lines) {
    if (e.pc > pc) break;
    line = e.line;
  }
  return line;
}

Result<DebugInfo> decode_debug_info(const DexFile& dex, uint32_t offset, uint32_t insns_size, Diagnostics* diags) {
  const ByteSpan file = dex.container();
  if (offset == 0 || offset >= file.size())
    return make_error(ErrorCode::kOutOfRange, dex.where(offset) + ": debug_info_off points outside the file", offset);
  ByteCursor c(file, offset);
  DebugInfo info;
  info.line_start = c.uleb128();
  const uint32_t params = c.uleb128();
  if (c.failed()) return make_error(ErrorCode::kTruncated, dex.where(offset) + ": debug_info_item truncated", offset);
  if (params > limits::kMaxDebugInfoParameters || params > c.remaining())
    return make_error(ErrorCode::kMalformed,
                      dex.where(offset) + ": debug_info_item declares " + std::to_string(params) + " parameters",
                      offset);
  // Each name is at least one byte, so this reservation is bounded by the file size.
  info.parameter_names.reserve(params);
  for (uint32_t i = 0; i < params; ++i) {
    const int64_t name = c.uleb128p1();
    info.parameter_names.push_back(name < 0 ? StringIdx() : StringIdx(static_cast<uint32_t>(name)));
  }

  uint64_t pc = 0;
  int64_t line = info.line_start;
  auto string_ok = [&](int64_t idx) { return idx < 0 || idx < int64_t{dex.string_ids_size()}; };
  auto type_ok = [&](int64_t idx) { return idx < 0 || idx < int64_t{dex.type_ids_size()}; };
  for (uint32_t ops = 0;; ++ops) {
    if (ops >= limits::kMaxDebugInfoOpsPerMethod)
      return make_error(ErrorCode::kLimitExceeded, dex.where(offset) + ": debug_info_item has too many opcodes", offset);
    const size_t op_pos = c.pos();
    const uint8_t op = c.u8();
    if (c.failed())
      return make_error(ErrorCode::kTruncated, dex.where(offset) + ": debug_info_item has no end", op_pos);
    bool bad_index = false;
    switch (op) {
      case kDbgEndSequence:
        if (c.overflowed())
          return make_error(ErrorCode::kMalformed, dex.where(offset) + ": debug_info_item has a malformed uleb128",
                            offset);
        return info;
      case kDbgAdvancePc:
        pc += c.uleb128();
        break;
      case kDbgAdvanceLine:
        line += c.sleb128();
        break;
      case kDbgStartLocal: {
        c.uleb128();  // register
        bad_index |= !string_ok(c.uleb128p1());
        bad_index |= !type_ok(c.uleb128p1());
        break;
      }
      case kDbgStartLocalExtended: {
        c.uleb128();
        bad_index |= !string_ok(c.uleb128p1());
        bad_index |= !type_ok(c.uleb128p1());
        bad_index |= !string_ok(c.uleb128p1());  // signature
        break;
      }
      case kDbgEndLocal:
      case kDbgRestartLocal:
        c.uleb128();
        break;
      case kDbgSetPrologueEnd:
      case kDbgSetEpilogueBegin:
        break;
      case kDbgSetFile: {
        const int64_t f = c.uleb128p1();
        bad_index |= !string_ok(f);
        info.source_files.push_back(f < 0 ? StringIdx() : StringIdx(static_cast<uint32_t>(f)));
        break;
      }
      default: {
        const int adjusted = op - kDbgFirstSpecial;
        line += kDbgLineBase + adjusted % kDbgLineRange;
        pc += adjusted / kDbgLineRange;
        if (pc >= insns_size && !info.pc_past_end) {
          info.pc_past_end = true;
          if (diags)
            diags->push_back(Diagnostic{"dex-debug-info-pc-past-end",
                                        "debug info addresses pc " + std::to_string(pc) + " of a method with " +
                                            std::to_string(insns_size) + " code units",
                                        dex.where(op_pos)});
        }
        // Lines are 32-bit in the format; clamp what an adversary pushed outside.
        const uint32_t l = line < 0 ? 0 : line > 0xffffffffll ? 0xffffffffu : static_cast<uint32_t>(line);
        info.lines.push_back(LineEntry{static_cast<uint32_t>(pc > 0xffffffffull ? 0xffffffffull : pc), l});
        break;
      }
    }
    if (c.failed())
      return make_error(ErrorCode::kTruncated, dex.where(offset) + ": debug_info_item runs past the end of the file",
                        op_pos);
    if (bad_index)
      return make_error(ErrorCode::kMalformed, dex.where(op_pos) + ": debug_info_item refers to an out-of-range index",
                        op_pos);
    // pc only grows; an absurd pc cannot make an entry useful, and uint64 cannot overflow here
    // within kMaxDebugInfoOpsPerMethod steps of at most 2^32 each.
  }
}

}  // namespace apkwarden::dex
