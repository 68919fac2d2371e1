#include "analyzer/native/call_scan.h"

#include <capstone/capstone.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>

#include "analyzer/native/capstone_library.h"
#include "analyzer/native/native_knowledge.h"
#include "dex/limits.h"

namespace apkwarden::native {

namespace {

constexpr uint64_t kResyncStarts = 16;  // window starts tried on variable-length code

int64_t sext(uint64_t v, unsigned bits) {
  const uint64_t m = uint64_t{1} << (bits - 1);
  v &= (m << 1) - 1;
  return static_cast<int64_t>((v ^ m) - m);
}

uint32_t arm_imm(uint32_t w) {  // ARM modified immediate: imm8 rotated right by 2*rot
  const uint32_t imm = w & 0xff, rot = ((w >> 8) & 0xf) * 2;
  return rot ? (imm >> rot) | (imm << (32 - rot)) : imm;
}

struct Code {
  ByteSpan bytes;
  uint64_t base = 0;
};

// Executable code: SHF_EXECINSTR sections other than the PLT, or PF_X segments without sections.
std::vector<Code> code_regions(const ElfImage& img) {
  std::vector<Code> out;
  for (const ElfSection& s : img.sections())
    if ((s.flags & kShfExecInstr) && s.type != 8 && s.in_file && s.name.rfind(".plt", 0) != 0)
      out.push_back({img.bytes().sub(s.offset, s.size), s.addr});
  if (out.empty() && img.sections().empty())
    for (const ElfSegment& s : img.segments())
      if (s.type == kPtLoad && (s.flags & 1)) out.push_back({img.bytes().sub(s.offset, s.filesz), s.vaddr});
  return out;
}

// PLT stub address -> dynamic symbol index, by decoding each stub's GOT load.
std::map<uint64_t, uint32_t> plt_stubs(const ElfImage& img) {
  std::map<uint64_t, uint32_t> stubs;
  const uint64_t gotplt = img.dynamic_value(3).value_or(0);  // DT_PLTGOT
  for (const ElfSection& s : img.sections()) {
    if (s.name != ".plt" && s.name != ".plt.sec" && s.name != ".plt.got") continue;
    const ByteSpan b = img.bytes().sub(s.offset, s.size);
    auto bind = [&](uint64_t entry, uint64_t slot) {
      if (uint32_t sym = img.got_symbol(slot)) stubs.emplace(entry, sym);
    };
    switch (img.machine()) {
      case kEmAarch64:
        for (size_t off = 0; off + 8 <= b.size(); off += 4) {
          const uint32_t w0 = b.read_or<uint32_t>(off, 0), w1 = b.read_or<uint32_t>(off + 4, 0);
          if ((w0 & 0x9f00001f) != 0x90000010 || (w1 & 0xffc003ff) != 0xf9400211) continue;  // adrp x16; ldr x17,[x16,#]
          const uint64_t pc = s.addr + off;
          const int64_t imm = sext((((w0 >> 5) & 0x7ffff) << 2) | ((w0 >> 29) & 3), 21) * 4096;
          const uint64_t slot = (pc & ~uint64_t{0xfff}) + imm + ((w1 >> 10) & 0xfff) * 8;
          const bool bti = off >= 4 && b.read_or<uint32_t>(off - 4, 0) == 0xd503245f;
          bind(bti ? pc - 4 : pc, slot);
        }
        break;
      case kEmArm:
        for (size_t off = 0; off + 12 <= b.size(); off += 4) {
          const uint32_t w0 = b.read_or<uint32_t>(off, 0);
          if ((w0 & 0xfffff000) != 0xe28fc000) continue;  // add ip, pc, #imm
          uint64_t v = s.addr + off + 8 + arm_imm(w0);
          for (size_t k = off + 4; k < off + 16 && k + 4 <= b.size(); k += 4) {
            const uint32_t w = b.read_or<uint32_t>(k, 0);
            if ((w & 0xfffff000) == 0xe28cc000) {  // add ip, ip, #imm
              v += arm_imm(w);
            } else if ((w & 0x0e500000) == 0x04100000 && ((w >> 16) & 15) == 12 && ((w >> 12) & 15) == 15) {
              const uint64_t imm = w & 0xfff;  // ldr pc, [ip, #±imm]!
              const uint64_t slot = ((w >> 23) & 1) ? v + imm : v - imm;
              bind(s.addr + off, slot);
              // BFD's Thumb entry in front of the ARM stub: "bx pc; b.n ." (Thumb callers land here).
              if (off >= 4 && b.read_or<uint32_t>(off - 4, 0) == 0xe7fd4778) bind(s.addr + off - 4, slot);
              break;
            } else {
              break;
            }
          }
        }
        break;
      case kEmX86_64:
      case kEmX86:
        for (size_t off = 0; off + 6 <= b.size(); ++off) {
          if (b[off] != 0xff) continue;
          const int64_t disp = static_cast<int32_t>(b.read_or<uint32_t>(off + 2, 0));
          const uint64_t entry = s.addr + (off & ~size_t{15});
          if (b[off + 1] == 0x25)
            bind(entry, img.machine() == kEmX86_64 ? s.addr + off + 6 + disp : static_cast<uint32_t>(disp));
          else if (b[off + 1] == 0xa3 && img.machine() == kEmX86)
            bind(entry, static_cast<uint32_t>(gotplt + disp));
        }
        break;
    }
  }
  return stubs;
}

// ---- Capstone windows ---------------------------------------------------------------------

struct Handle {
  const Capstone* cs = nullptr;
  csh h = 0;
  bool ok = false;
  Handle(cs_arch arch, cs_mode mode) : cs(capstone(nullptr)) {
    ok = cs && cs->open(arch, mode, &h) == CS_ERR_OK;
    if (ok) cs->option(h, CS_OPT_DETAIL, CS_OPT_ON);
  }
  ~Handle() {
    if (ok) cs->close(&h);
  }
};

Handle& handle_for(Isa isa) {
  thread_local Handle arm64(CS_ARCH_ARM64, CS_MODE_ARM), arm(CS_ARCH_ARM, CS_MODE_ARM),
      thumb(CS_ARCH_ARM, CS_MODE_THUMB), x64(CS_ARCH_X86, CS_MODE_64), x86(CS_ARCH_X86, CS_MODE_32);
  switch (isa) {
    case Isa::kArm64: return arm64;
    case Isa::kArm: return arm;
    case Isa::kThumb: return thumb;
    case Isa::kX86_64: return x64;
    case Isa::kX86: return x86;
  }
  return x64;
}

using Regs = std::array<std::optional<uint64_t>, 32>;

int arm64_index(unsigned r) {
  if (r >= ARM64_REG_W0 && r <= ARM64_REG_W30) return static_cast<int>(r - ARM64_REG_W0);
  if (r >= ARM64_REG_X0 && r <= ARM64_REG_X28) return static_cast<int>(r - ARM64_REG_X0);
  if (r == ARM64_REG_X29) return 29;
  if (r == ARM64_REG_X30) return 30;
  return -1;
}

int arm_index(unsigned r) { return r >= ARM_REG_R0 && r <= ARM_REG_R12 ? static_cast<int>(r - ARM_REG_R0) : -1; }

int x86_index(unsigned r) {
  switch (r) {
    case X86_REG_RAX: case X86_REG_EAX: return 0;
    case X86_REG_RCX: case X86_REG_ECX: return 1;
    case X86_REG_RDX: case X86_REG_EDX: return 2;
    case X86_REG_RBX: case X86_REG_EBX: return 3;
    case X86_REG_RSP: case X86_REG_ESP: return 4;
    case X86_REG_RBP: case X86_REG_EBP: return 5;
    case X86_REG_RSI: case X86_REG_ESI: return 6;
    case X86_REG_RDI: case X86_REG_EDI: return 7;
    case X86_REG_R8: case X86_REG_R8D: return 8;
    case X86_REG_R9: case X86_REG_R9D: return 9;
    default: return -1;
  }
}

void step_arm64(const cs_insn& in, Regs& r) {
  const cs_arm64& d = in.detail->arm64;
  const auto reg = [&](int i) { return d.operands[i].type == ARM64_OP_REG ? arm64_index(d.operands[i].reg) : -1; };
  const auto imm = [&](int i) -> std::optional<uint64_t> {
    if (d.operands[i].type != ARM64_OP_IMM) return std::nullopt;
    uint64_t v = static_cast<uint64_t>(d.operands[i].imm);
    if (d.operands[i].shift.type == ARM64_SFT_LSL) v <<= d.operands[i].shift.value;
    return v;
  };
  const int dst = d.op_count > 0 ? reg(0) : -1;
  switch (in.id) {
    case ARM64_INS_ADRP:
    case ARM64_INS_ADR:
      if (dst >= 0) r[dst] = imm(1);
      return;
    case ARM64_INS_ADD:
      if (dst >= 0 && d.op_count == 3 && reg(1) >= 0 && r[reg(1)] && imm(2)) r[dst] = *r[reg(1)] + *imm(2);
      else if (dst >= 0) r[dst].reset();
      return;
    case ARM64_INS_MOV:
    case ARM64_INS_MOVZ:
      if (dst >= 0 && d.op_count == 2) {
        if (auto v = imm(1)) r[dst] = *v;
        else if (reg(1) >= 0) r[dst] = r[reg(1)];
        else r[dst].reset();
      }
      return;
    case ARM64_INS_BL:
    case ARM64_INS_BLR:
      for (int i = 0; i <= 18; ++i) r[i].reset();
      return;
    default:
      break;
  }
  for (int i = 0; i < d.op_count; ++i)
    if (d.operands[i].type == ARM64_OP_REG && (d.operands[i].access & CS_AC_WRITE))
      if (int k = arm64_index(d.operands[i].reg); k >= 0) r[k].reset();
}

void step_arm(const cs_insn& in, bool thumb, const ElfImage* img, Regs& r) {
  const cs_arm& d = in.detail->arm;
  const uint64_t pc = in.address + (thumb ? 4 : 8);
  const auto reg = [&](int i) { return d.operands[i].type == ARM_OP_REG ? arm_index(d.operands[i].reg) : -1; };
  const auto is_pc = [&](int i) { return d.operands[i].type == ARM_OP_REG && d.operands[i].reg == ARM_REG_PC; };
  const int dst = d.op_count > 0 ? reg(0) : -1;
  switch (in.id) {
    case ARM_INS_LDR:
      if (dst >= 0 && d.op_count == 2 && d.operands[1].type == ARM_OP_MEM && d.operands[1].mem.base == ARM_REG_PC &&
          d.operands[1].mem.index == ARM_REG_INVALID) {
        const int64_t disp = d.operands[1].subtracted ? -int64_t{d.operands[1].mem.disp} : d.operands[1].mem.disp;
        ByteSpan lit = img ? img->at_va((pc & ~uint64_t{3}) + disp, 4) : ByteSpan();
        if (!lit.empty()) r[dst] = lit.read_or<uint32_t>(0, 0);
        else r[dst].reset();
        return;
      }
      break;
    case ARM_INS_ADD:
      if (dst >= 0) {
        // add rd, pc | add rd, rn, pc | add rd, pc, rn | add rd, rn, #imm
        std::optional<uint64_t> sum = uint64_t{0};
        const int first = d.op_count == 2 ? 0 : 1;
        for (int i = first; i < d.op_count && sum; ++i) {
          if (is_pc(i)) *sum += pc;
          else if (d.operands[i].type == ARM_OP_IMM) *sum += static_cast<uint32_t>(d.operands[i].imm);
          else if (reg(i) >= 0 && r[reg(i)]) *sum += *r[reg(i)];
          else sum.reset();
        }
        if (sum) r[dst] = *sum & 0xffffffff;
        else r[dst].reset();
        return;
      }
      break;
    case ARM_INS_MOVW:
      if (dst >= 0 && d.operands[1].type == ARM_OP_IMM) r[dst] = static_cast<uint32_t>(d.operands[1].imm) & 0xffff;
      return;
    case ARM_INS_MOVT:
      if (dst >= 0 && r[dst] && d.operands[1].type == ARM_OP_IMM)
        r[dst] = (*r[dst] & 0xffff) | ((static_cast<uint64_t>(d.operands[1].imm) & 0xffff) << 16);
      else if (dst >= 0) r[dst].reset();
      return;
    case ARM_INS_MOV:
      if (dst >= 0 && d.op_count == 2) {
        if (d.operands[1].type == ARM_OP_IMM) r[dst] = static_cast<uint32_t>(d.operands[1].imm);
        else if (reg(1) >= 0) r[dst] = r[reg(1)];
        else r[dst].reset();
        return;
      }
      break;
    case ARM_INS_ADR:
      if (dst >= 0 && d.operands[1].type == ARM_OP_IMM) r[dst] = ((pc & ~uint64_t{3}) + d.operands[1].imm) & 0xffffffff;
      return;
    case ARM_INS_BL:
    case ARM_INS_BLX:
      for (int i = 0; i <= 3; ++i) r[i].reset();
      r[12].reset();
      return;
    default:
      break;
  }
  for (int i = 0; i < d.op_count; ++i)
    if (d.operands[i].type == ARM_OP_REG && (d.operands[i].access & CS_AC_WRITE))
      if (int k = arm_index(d.operands[i].reg); k >= 0) r[k].reset();
}

// x86 state: registers plus the outgoing stack slots ([esp+4k] and pushes), 32-bit only.
struct X86State {
  Regs r;
  std::array<std::optional<uint64_t>, 6> slots;
  std::vector<std::optional<uint64_t>> pushes;
};

void step_x86(const cs_insn& in, bool is64, X86State& s) {
  const cs_x86& d = in.detail->x86;
  const auto value_of = [&](const cs_x86_op& op) -> std::optional<uint64_t> {
    if (op.type == X86_OP_IMM) return static_cast<uint64_t>(op.imm) & (is64 ? ~uint64_t{0} : 0xffffffff);
    if (op.type == X86_OP_REG) {
      int k = x86_index(op.reg);
      return k >= 0 ? s.r[k] : std::nullopt;
    }
    return std::nullopt;
  };
  switch (in.id) {
    case X86_INS_LEA:
      if (d.op_count == 2 && d.operands[0].type == X86_OP_REG && d.operands[1].type == X86_OP_MEM) {
        const int dst = x86_index(d.operands[0].reg);
        if (dst < 0) return;
        const x86_op_mem& m = d.operands[1].mem;
        if (m.index != X86_REG_INVALID) s.r[dst].reset();
        else if (m.base == X86_REG_RIP) s.r[dst] = in.address + in.size + m.disp;
        else if (m.base == X86_REG_INVALID) s.r[dst] = static_cast<uint64_t>(m.disp) & 0xffffffff;
        else if (int b = x86_index(m.base); b >= 0 && s.r[b]) s.r[dst] = (*s.r[b] + m.disp) & (is64 ? ~uint64_t{0} : 0xffffffff);
        else s.r[dst].reset();
        return;
      }
      break;
    case X86_INS_MOV:
      if (d.op_count == 2 && d.operands[0].type == X86_OP_REG) {
        const int dst = x86_index(d.operands[0].reg);
        if (dst >= 0) s.r[dst] = value_of(d.operands[1]);
        return;
      }
      if (d.op_count == 2 && d.operands[0].type == X86_OP_MEM && !is64) {
        const x86_op_mem& m = d.operands[0].mem;
        if ((m.base == X86_REG_ESP) && m.index == X86_REG_INVALID && m.disp >= 0 && m.disp % 4 == 0 && m.disp / 4 < 6)
          s.slots[m.disp / 4] = value_of(d.operands[1]);
        return;
      }
      break;
    case X86_INS_PUSH:
      if (d.op_count == 1) s.pushes.push_back(value_of(d.operands[0]));
      return;
    case X86_INS_CALL:
      for (int k : {0, 1, 2, 6, 7, 8, 9}) s.r[k].reset();
      s.slots = {};
      s.pushes.clear();
      return;
    default:
      break;
  }
  for (int i = 0; i < d.op_count; ++i)
    if (d.operands[i].type == X86_OP_REG && (d.operands[i].access & CS_AC_WRITE))
      if (int k = x86_index(d.operands[i].reg); k >= 0) s.r[k].reset();
}

// What the argument registers hold at a call, by ISA (see ArgValues).
ArgValues args_of(Isa isa, const Regs& r, const X86State& xs) {
  ArgValues out;
  switch (isa) {
    case Isa::kArm64:
      for (int i = 0; i < 6; ++i) out[i] = r[i];
      out[6] = r[8];
      break;
    case Isa::kArm:
    case Isa::kThumb:
      for (int i = 0; i < 4; ++i) out[i] = r[i];
      out[6] = r[7];
      break;
    case Isa::kX86_64: {
      const int order[6] = {7, 6, 2, 1, 8, 9};
      for (int i = 0; i < 6; ++i) out[i] = xs.r[order[i]];
      out[6] = xs.r[0];
      break;
    }
    case Isa::kX86:
      for (int i = 0; i < 6; ++i) {
        out[i] = xs.slots[i];
        if (!out[i] && static_cast<size_t>(i) < xs.pushes.size()) out[i] = xs.pushes[xs.pushes.size() - 1 - i];
      }
      out[6] = xs.r[0];
      break;
  }
  return out;
}

void step(Isa isa, const cs_insn& in, const ElfImage* img, Regs& r, X86State& xs) {
  switch (isa) {
    case Isa::kArm64: step_arm64(in, r); break;
    case Isa::kArm: step_arm(in, false, img, r); break;
    case Isa::kThumb: step_arm(in, true, img, r); break;
    case Isa::kX86_64: step_x86(in, true, xs); break;
    case Isa::kX86: step_x86(in, false, xs); break;
  }
}

// Decodes [start, site] and evaluates; nullopt unless an instruction starts exactly at `site`.
std::optional<ArgValues> eval_from(Isa isa, ByteSpan code, uint64_t base, uint64_t start, uint64_t site,
                                   const ElfImage* img, uint64_t got_base) {
  Handle& h = handle_for(isa);
  if (!h.ok || start < base || site < start) return std::nullopt;
  const uint64_t end = std::min<uint64_t>(site - base + 16, code.size());
  if (start - base >= end) return std::nullopt;
  const uint8_t* p = code.data() + (start - base);
  size_t size = end - (start - base);
  uint64_t addr = start;
  const Capstone& cs = *h.cs;
  const auto release = [&cs](cs_insn* i) { cs.free(i, 1); };
  std::unique_ptr<cs_insn, decltype(release)> in(cs.malloc(h.h), release);
  if (!in) return std::nullopt;
  Regs r;
  X86State xs;
  if (isa == Isa::kX86) xs.r[3] = got_base;  // ebx holds the GOT in i386 PIC code
  while (addr <= site && cs.disasm_iter(h.h, &p, &size, &addr, in.get())) {
    const uint64_t at = in->address;
    if (at == site) return args_of(isa, r, xs);
    step(isa, *in, img, r, xs);
  }
  return std::nullopt;
}

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

bool printable(const std::string& s) {
  if (s.empty()) return false;
  for (unsigned char c : s)
    if (c < 0x20 && c != '\t' && c != '\n') return false;
  return true;
}

}  // namespace

std::optional<ArgValues> recover_arguments(Isa isa, ByteSpan code, uint64_t base, uint64_t site,
                                           const ElfImage* image, uint64_t got_base) {
  const uint64_t lowest = site - std::min<uint64_t>(site - base, limits::kNativeWindowBytes);
  if (isa == Isa::kArm64 || isa == Isa::kArm) {
    const uint64_t start = lowest + ((site - lowest) % 4);
    return eval_from(isa, code, base, start, site, image, got_base);
  }
  // Variable-length code: the earliest of the first few starts whose decode lands on the site.
  // Decoding resynchronises within a few instructions, so a site inside a real instruction is
  // passed over from every such start; the site itself counts only at the start of the code.
  const uint64_t step = isa == Isa::kThumb ? 2 : 1;
  const uint64_t first = lowest + ((site - lowest) % step);
  if (first == site) return site == base ? eval_from(isa, code, base, site, site, image, got_base) : std::nullopt;
  const uint64_t last = std::min<uint64_t>(site, first + kResyncStarts * step);
  for (uint64_t start = first; start < last; start += step)
    if (auto v = eval_from(isa, code, base, start, site, image, got_base)) return v;
  return std::nullopt;
}

std::map<uint64_t, std::string> import_stubs(const ElfImage& img) {
  std::map<uint64_t, std::string> out;
  for (const auto& [addr, sym] : plt_stubs(img))
    if (sym < img.dynsyms().size()) out.emplace(addr, img.dynsyms()[sym].name);
  return out;
}

std::vector<FunctionCall> walk_function(const ElfImage& img, Isa isa, uint64_t start, uint64_t max_bytes) {
  std::vector<FunctionCall> calls;
  Handle& h = handle_for(isa);
  if (!h.ok) return calls;
  const std::vector<Code> regions = code_regions(img);
  const Code* code = nullptr;
  for (const Code& c : regions)
    if (start >= c.base && start - c.base < c.bytes.size()) code = &c;
  if (!code) return calls;
  const uint64_t from = start - code->base;
  const bool sized = max_bytes != 0;
  const uint64_t span = std::min<uint64_t>(sized ? max_bytes : limits::kMaxJniFunctionBytes, limits::kMaxJniFunctionBytes);
  size_t size = static_cast<size_t>(std::min<uint64_t>(code->bytes.size() - from, span));
  const uint8_t* p = code->bytes.data() + from;
  uint64_t addr = start;
  const Capstone& cs = *h.cs;
  const auto release = [&cs](cs_insn* i) { cs.free(i, 1); };
  std::unique_ptr<cs_insn, decltype(release)> in(cs.malloc(h.h), release);
  if (!in) return calls;
  Regs r;
  X86State xs;
  if (isa == Isa::kX86) xs.r[3] = img.dynamic_value(3).value_or(0);
  while (calls.size() < limits::kMaxNativeCallSites && cs.disasm_iter(h.h, &p, &size, &addr, in.get())) {
    std::optional<uint64_t> target, jump;
    bool is_call = false, is_return = false, switches = false;
    switch (isa) {
      case Isa::kArm:
      case Isa::kThumb: {
        const cs_arm& d = in->detail->arm;
        if (in->id == ARM_INS_BL || in->id == ARM_INS_BLX) {
          is_call = true;
          if (d.op_count >= 1 && d.operands[0].type == ARM_OP_IMM) {
            target = static_cast<uint32_t>(d.operands[0].imm);
            switches = in->id == ARM_INS_BLX;
          }
        } else if (in->id == ARM_INS_B && d.cc == ARM_CC_AL && d.op_count == 1 && d.operands[0].type == ARM_OP_IMM) {
          jump = static_cast<uint32_t>(d.operands[0].imm);
        } else if (in->id == ARM_INS_BX && d.op_count == 1 && d.operands[0].type == ARM_OP_REG &&
                   d.operands[0].reg == ARM_REG_LR) {
          is_return = true;
        } else if (in->id == ARM_INS_POP || in->id == ARM_INS_LDM) {
          for (int i = 0; i < d.op_count; ++i)
            if (d.operands[i].type == ARM_OP_REG && d.operands[i].reg == ARM_REG_PC) is_return = true;
        }
        break;
      }
      case Isa::kArm64: {
        const cs_arm64& d = in->detail->arm64;
        if (in->id == ARM64_INS_BL || in->id == ARM64_INS_BLR) {
          is_call = true;
          if (in->id == ARM64_INS_BL && d.op_count >= 1 && d.operands[0].type == ARM64_OP_IMM)
            target = static_cast<uint64_t>(d.operands[0].imm);
        } else if (in->id == ARM64_INS_B && (d.cc == ARM64_CC_INVALID || d.cc == ARM64_CC_AL) && d.op_count == 1 &&
                   d.operands[0].type == ARM64_OP_IMM) {
          jump = static_cast<uint64_t>(d.operands[0].imm);
        } else if (in->id == ARM64_INS_RET) {
          is_return = true;
        }
        break;
      }
      case Isa::kX86_64:
      case Isa::kX86: {
        const cs_x86& d = in->detail->x86;
        if (in->id == X86_INS_CALL) {
          is_call = true;
          if (d.op_count >= 1 && d.operands[0].type == X86_OP_IMM)
            target = static_cast<uint64_t>(d.operands[0].imm) & (isa == Isa::kX86 ? 0xffffffff : ~uint64_t{0});
        } else if (in->id == X86_INS_JMP && d.op_count == 1 && d.operands[0].type == X86_OP_IMM) {
          jump = static_cast<uint64_t>(d.operands[0].imm) & (isa == Isa::kX86 ? 0xffffffff : ~uint64_t{0});
        } else if (in->id == X86_INS_RET) {
          is_return = true;
        }
        break;
      }
    }
    // An unconditional jump out of the function is a tail call (often to an import's stub).
    if (jump && (*jump < start || *jump - start >= span)) {
      is_call = true;
      target = jump;
      is_return = true;
    }
    if (is_call) calls.push_back({in->address, target, isa == Isa::kThumb ? !switches : switches, args_of(isa, r, xs)});
    if (is_return && !sized) break;  // without a symbol size the function ends at its first return
    step(isa, *in, &img, r, xs);
  }
  return calls;
}

void scan_calls(const ElfImage& img, NativeLibFacts& facts) {
  const NativeKnowledge& k = native_knowledge();
  const uint16_t machine = img.machine();
  if (machine != kEmAarch64 && machine != kEmArm && machine != kEmX86_64 && machine != kEmX86) return;
  facts.disassembled = true;

  std::map<uint64_t, const WatchedImport*> watched;  // stub address -> import
  for (const auto& [addr, sym] : plt_stubs(img))
    if (const WatchedImport* w = k.find_import(img.dynsyms()[sym].name)) watched.emplace(addr, w);
  const auto got_watched = [&](uint64_t slot) -> const WatchedImport* {
    const uint32_t sym = img.got_symbol(slot);
    return sym ? k.find_import(img.dynsyms()[sym].name) : nullptr;
  };
  // Exported functions, for naming the caller.
  std::vector<std::pair<uint64_t, const ElfSymbol*>> funcs;
  for (const ElfSymbol& s : img.dynsyms())
    if (!s.undefined() && s.type == 2 && !s.name.empty()) funcs.emplace_back(s.value & ~uint64_t{1}, &s);
  std::sort(funcs.begin(), funcs.end(), [](auto& a, auto& b) { return a.first < b.first; });
  const auto caller_of = [&](uint64_t addr) -> std::string {
    auto it = std::upper_bound(funcs.begin(), funcs.end(), addr, [](uint64_t a, auto& f) { return a < f.first; });
    if (it == funcs.begin()) return "";
    --it;
    if (it->second->size && addr >= it->first + it->second->size) return "";
    return it->second->name;
  };
  const uint64_t got_base = img.dynamic_value(3).value_or(0);

  struct Candidate {
    uint64_t site;
    Isa isa;
    const WatchedImport* import;  // nullptr: a syscall
    const Code* code;
  };
  std::vector<Candidate> cands;
  const std::vector<Code> regions = code_regions(img);
  const auto target_watched = [&](uint64_t t) -> const WatchedImport* {
    auto it = watched.find(t);
    return it == watched.end() ? nullptr : it->second;
  };
  for (const Code& c : regions) {
    const ByteSpan b = c.bytes;
    switch (machine) {
      case kEmAarch64:
        for (size_t off = 0; off + 4 <= b.size(); off += 4) {
          const uint32_t w = b.read_or<uint32_t>(off, 0);
          if ((w & 0x7c000000) == 0x14000000) {  // b / bl imm26
            if (auto* imp = target_watched(c.base + off + sext(w & 0x3ffffff, 26) * 4))
              cands.push_back({c.base + off, Isa::kArm64, imp, &c});
          } else if (w == 0xd4000001) {
            cands.push_back({c.base + off, Isa::kArm64, nullptr, &c});
          }
        }
        break;
      case kEmArm:
        for (size_t off = 0; off + 4 <= b.size(); off += 2) {
          const uint32_t h1 = b.read_or<uint16_t>(off, 0), h2 = b.read_or<uint16_t>(off + 2, 0);
          const uint64_t pc = c.base + off;
          if (off % 4 == 0) {  // ARM: bl / b imm24, svc #0
            const uint32_t w = h1 | (h2 << 16);
            if ((w >> 28) != 0xf && ((w >> 25) & 7) == 5) {
              if (auto* imp = target_watched(pc + 8 + sext(w & 0xffffff, 24) * 4)) cands.push_back({pc, Isa::kArm, imp, &c});
            } else if (w == 0xef000000) {
              cands.push_back({pc, Isa::kArm, nullptr, &c});
            }
          }
          // Thumb-2: bl / blx / b.w imm, svc #0
          if ((h1 & 0xf800) == 0xf000 && (h2 & 0x8000) == 0x8000 && (h2 & 0x5000) != 0) {
            const uint32_t s = (h1 >> 10) & 1, j1 = (h2 >> 13) & 1, j2 = (h2 >> 11) & 1;
            const uint32_t i1 = !(j1 ^ s), i2 = !(j2 ^ s);
            const uint64_t imm = (s << 24) | (i1 << 23) | (i2 << 22) | ((h1 & 0x3ff) << 12) | ((h2 & 0x7ff) << 1);
            const int64_t off32 = sext(imm, 25);
            const bool blx = (h2 & 0x5000) == 0x4000;
            const uint64_t target = blx ? ((pc + 4) & ~uint64_t{3}) + off32 : pc + 4 + off32;
            if (auto* imp = target_watched(target)) cands.push_back({pc, Isa::kThumb, imp, &c});
          } else if (h1 == 0xdf00) {
            cands.push_back({pc, Isa::kThumb, nullptr, &c});
          }
        }
        break;
      case kEmX86_64:
      case kEmX86:
        for (size_t off = 0; off + 5 <= b.size(); ++off) {
          const uint8_t op = b[off];
          const uint64_t pc = c.base + off;
          const Isa isa = machine == kEmX86_64 ? Isa::kX86_64 : Isa::kX86;
          if (op == 0xe8 || op == 0xe9) {
            const int64_t disp = static_cast<int32_t>(b.read_or<uint32_t>(off + 1, 0));
            uint64_t target = pc + 5 + disp;
            if (isa == Isa::kX86) target &= 0xffffffff;
            if (auto* imp = target_watched(target)) cands.push_back({pc, isa, imp, &c});
          } else if (op == 0xff && b[off + 1] == 0x15 && isa == Isa::kX86_64 && off + 6 <= b.size()) {
            const int64_t disp = static_cast<int32_t>(b.read_or<uint32_t>(off + 2, 0));
            if (auto* imp = got_watched(pc + 6 + disp)) cands.push_back({pc, isa, imp, &c});
          } else if ((isa == Isa::kX86_64 && op == 0x0f && b[off + 1] == 0x05) ||
                     (isa == Isa::kX86 && op == 0xcd && b[off + 1] == 0x80)) {
            cands.push_back({pc, isa, nullptr, &c});
          }
        }
        break;
    }
  }

  for (const Candidate& cand : cands) {
    auto args = recover_arguments(cand.isa, cand.code->bytes, cand.code->base, cand.site, &img, got_base);
    if (!args) continue;  // the candidate is not an instruction boundary of decodable code
    if (!cand.import) {
      if (!(*args)[6] || facts.syscalls.size() >= limits::kMaxNativeSyscalls) continue;  // no number: data, not code
      facts.syscalls.push_back({cand.site, static_cast<int64_t>(*(*args)[6] & 0xffffffff)});
      continue;
    }
    if (facts.calls.size() >= limits::kMaxNativeCallSites) continue;
    CallSite cs;
    cs.function = cand.import->name;
    cs.kind = cand.import->kind;
    cs.address = cand.site;
    cs.caller = caller_of(cand.site);
    if (cand.import->arg >= 0 && cand.import->arg < 6) {
      if (auto v = (*args)[cand.import->arg]) {
        if (cs.kind == "ioctl") cs.argument = hex(*v & 0xffffffff);
        else if (auto s = img.c_string_at(*v, limits::kMaxElfStringBytes); s && printable(*s)) cs.argument = *s;
      }
    }
    facts.calls.push_back(std::move(cs));
  }
  std::sort(facts.calls.begin(), facts.calls.end(), [](const CallSite& a, const CallSite& b) { return a.address < b.address; });
  std::sort(facts.syscalls.begin(), facts.syscalls.end(), [](const Syscall& a, const Syscall& b) { return a.address < b.address; });
}

}  // namespace apkwarden::native
