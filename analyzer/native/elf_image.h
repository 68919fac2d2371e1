// Our own bounds-checked ELF reader (STYLE.md principle 1): header, program and section headers,
// the dynamic table, the dynamic symbol table and the relocations that bind GOT slots to
// symbols. Every offset is checked through ByteSpan before use; anomalies become Diagnostics
// ("native-elf-*"). LIEF only ever sees bytes this reader accepted (lief_facts.h).
// Little-endian ELF32/ELF64 only (every Android ABI is little-endian).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dex/byte_span.h"
#include "dex/diagnostic.h"
#include "dex/result.h"

namespace apkwarden::native {

inline constexpr uint16_t kEmX86 = 3, kEmArm = 40, kEmX86_64 = 62, kEmAarch64 = 183;
inline constexpr uint32_t kShfExecInstr = 0x4;
inline constexpr uint32_t kPtLoad = 1, kPtDynamic = 2, kPtInterp = 3, kPtGnuStack = 0x6474e551,
                          kPtGnuRelro = 0x6474e552;

struct ElfSection {
  std::string name;
  uint32_t type = 0;
  uint64_t flags = 0, addr = 0, offset = 0, size = 0;
  uint32_t link = 0;
  uint64_t entsize = 0;
  bool in_file = true;  // [offset, offset+size) lies in the file (NOBITS: always true)
};

struct ElfSegment {
  uint32_t type = 0, flags = 0;
  uint64_t offset = 0, vaddr = 0, filesz = 0, memsz = 0;
};

struct ElfDynamic {
  int64_t tag = 0;
  uint64_t value = 0;
};

struct ElfSymbol {
  std::string name;
  uint64_t value = 0, size = 0;
  uint8_t type = 0, bind = 0, visibility = 0;
  uint16_t shndx = 0;
  bool undefined() const { return shndx == 0; }
  // A named symbol other modules bind to: defined, global, weak or unique.
  bool exported() const { return !undefined() && !name.empty() && (bind == 1 || bind == 2 || bind == 10); }
  bool imported() const { return undefined() && !name.empty(); }
};

class ElfImage {
 public:
  // Reads `bytes` (kept by reference: the caller owns them for the image's lifetime). An Error
  // only when there is no usable ELF header; damage further in gives diagnostics and an image
  // with what could be read (`truncated()` tells).
  static Result<ElfImage> parse(ByteSpan bytes, const std::string& where, Diagnostics* diags);

  ByteSpan bytes() const { return bytes_; }
  bool is64() const { return is64_; }
  uint16_t machine() const { return machine_; }
  uint16_t type() const { return type_; }
  uint64_t entry() const { return entry_; }
  bool truncated() const { return truncated_; }

  const std::vector<ElfSection>& sections() const { return sections_; }
  const std::vector<ElfSegment>& segments() const { return segments_; }
  const std::vector<ElfDynamic>& dynamic() const { return dynamic_; }
  const std::vector<std::string>& needed() const { return needed_; }
  const std::string& soname() const { return soname_; }
  // The dynamic symbol table, index 0 included (as readelf --dyn-syms lists it).
  const std::vector<ElfSymbol>& dynsyms() const { return dynsyms_; }
  // Symbol index bound to a GOT slot by a relocation, or 0.
  uint32_t got_symbol(uint64_t slot) const;
  // The pointer stored at `va` once loaded: a RELATIVE relocation's target (PIC data), else the
  // word in the file; nullopt for a slot a symbol relocation fills, or an unmapped address.
  std::optional<uint64_t> pointer_at(uint64_t va) const;

  const ElfSection* section(std::string_view name) const;
  bool has_dynamic(int64_t tag) const;
  std::optional<uint64_t> dynamic_value(int64_t tag) const;

  // File bytes behind [va, va+n) inside one PT_LOAD segment's file image; empty if none.
  ByteSpan at_va(uint64_t va, uint64_t n) const;
  // NUL-terminated string at `va` (at most `max` bytes); nullopt if unmapped or unterminated.
  std::optional<std::string> c_string_at(uint64_t va, size_t max) const;
  // Little-endian word of the image's pointer size at `va`.
  std::optional<uint64_t> word_at(uint64_t va) const;

 private:
  void read_segments(Diagnostics* diags, const std::string& where);
  void read_sections(Diagnostics* diags, const std::string& where);
  void read_dynamic(Diagnostics* diags, const std::string& where);
  void read_dynsyms(Diagnostics* diags, const std::string& where);
  void read_relocations(Diagnostics* diags, const std::string& where);
  void read_reloc_table(ByteSpan table, bool rela, Diagnostics* diags, const std::string& where);
  std::optional<uint64_t> va_to_offset(uint64_t va, uint64_t n) const;
  uint64_t word(size_t off) const;  // 4 or 8 bytes by class; 0 out of range
  uint32_t relative_type() const;    // R_*_RELATIVE of the machine

  ByteSpan bytes_;
  bool is64_ = false;
  bool truncated_ = false;
  uint16_t machine_ = 0, type_ = 0;
  uint64_t entry_ = 0, phoff_ = 0, shoff_ = 0;
  uint32_t phnum_ = 0, shnum_ = 0, shstrndx_ = 0;
  std::vector<ElfSection> sections_;
  std::vector<ElfSegment> segments_;
  std::vector<ElfDynamic> dynamic_;
  std::vector<std::string> needed_;
  std::string soname_;
  std::vector<ElfSymbol> dynsyms_;
  std::vector<std::pair<uint64_t, uint32_t>> got_;  // sorted (slot, symbol index)
  std::vector<std::pair<uint64_t, uint64_t>> relative_;  // sorted (slot, addend); REL: addend read from the slot
};

const char* machine_name(uint16_t machine);  // "aarch64", "arm", "x86", "x86_64", "unknown"

}  // namespace apkwarden::native
