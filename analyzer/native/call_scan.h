// The code scan: finds calls to watched imports (native_knowledge.h) through the PLT or the GOT,
// and raw syscall instructions, then decodes the instructions just before each site with Capstone
// to recover constant arguments: ARM64 adrp+add / adr / mov, ARM and Thumb-2 ldr-literal
// (+ add pc) and movw+movt, x86-64 lea [rip+d] / mov, x86 lea [ebx+d] / push / mov [esp+d].
//
// Candidates are found by decoding branch encodings directly (a call to a PLT stub is one fixed
// instruction shape per ISA); Capstone then confirms each candidate by decoding a window that
// must land exactly on it, so the 18 MB libraries of bench/native stay well under a second.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/native/elf_image.h"
#include "analyzer/native/native_facts.h"
#include "dex/byte_span.h"

namespace apkwarden::native {

// Fills facts.calls and facts.syscalls (and facts.disassembled).
void scan_calls(const ElfImage& image, NativeLibFacts& facts);

enum class Isa { kArm64, kArm, kThumb, kX86_64, kX86 };

// What the instructions in `code` (at `base`, ending with the call or syscall at `site`) leave
// in the argument registers: [0..5] the first arguments (x0-x5, r0-r3, rdi.., x86 stack slots),
// [6] the syscall-number register (x8, r7, rax/eax). nullopt when the decode does not land
// exactly on `site`. `got_base` is the value assumed for ebx (x86 PIC code).
using ArgValues = std::array<std::optional<uint64_t>, 7>;
std::optional<ArgValues> recover_arguments(Isa isa, ByteSpan code, uint64_t base, uint64_t site,
                                           const ElfImage* image, uint64_t got_base);

// Import names by PLT stub address (the targets of direct calls to imports).
std::map<uint64_t, std::string> import_stubs(const ElfImage& image);

// One call met walking a function: its site, direct target (nullopt: through a register), whether
// the target is Thumb code (ARM), and the argument registers just before it.
struct FunctionCall {
  uint64_t site = 0;
  std::optional<uint64_t> target;
  bool target_thumb = false;
  ArgValues args;
};

// Decodes the function at `start` linearly, `max_bytes` long (its symbol size; 0 when unknown:
// then up to its first return), never more than limits::kMaxJniFunctionBytes, and lists its calls
// with the constant arguments the register evaluation recovers.
std::vector<FunctionCall> walk_function(const ElfImage& image, Isa isa, uint64_t start, uint64_t max_bytes);

}  // namespace apkwarden::native
