#include "analyzer/native/elf_image.h"

#include <algorithm>

#include "dex/limits.h"

namespace apkwarden::native {

namespace {

constexpr uint32_t kShtStrtab = 3, kShtNobits = 8, kShtDynsym = 11;  // section types (SHT_*)
constexpr int64_t kDtNull = 0, kDtNeeded = 1, kDtPltRelSz = 2, kDtStrTab = 5, kDtSymTab = 6, kDtRela = 7,
                  kDtRelaSz = 8, kDtStrSz = 10, kDtSoname = 14, kDtRel = 17, kDtRelSz = 18, kDtPltRel = 20,
                  kDtJmpRel = 23;

void note(Diagnostics* diags, const char* code, std::string message, const std::string& where) {
  if (diags) diags->push_back({code, std::move(message), where});
}

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

// The NUL-terminated string at `off` in `table`; nullopt when it runs off the table.
std::optional<std::string> string_in(ByteSpan table, uint64_t off) {
  if (off >= table.size()) return std::nullopt;
  const std::string_view rest = table.as_chars().substr(off);
  const size_t end = rest.find('\0');
  if (end == std::string_view::npos || end > limits::kMaxElfStringBytes) return std::nullopt;
  return std::string(rest.substr(0, end));
}

}  // namespace

const char* machine_name(uint16_t machine) {
  switch (machine) {
    case kEmAarch64: return "aarch64";
    case kEmArm: return "arm";
    case kEmX86: return "x86";
    case kEmX86_64: return "x86_64";
  }
  return "unknown";
}

uint64_t ElfImage::word(size_t off) const {
  return is64_ ? bytes_.read_or<uint64_t>(off, 0) : bytes_.read_or<uint32_t>(off, 0);
}

Result<ElfImage> ElfImage::parse(ByteSpan bytes, const std::string& where, Diagnostics* diags) {
  ElfImage img;
  img.bytes_ = bytes;
  if (bytes.size() < 16 || bytes.chars(0, 4) != std::string_view("\x7f" "ELF", 4))
    return make_error(ErrorCode::kBadMagic, "not an ELF file");
  if (bytes.size() > limits::kMaxElfBytes) return make_error(ErrorCode::kLimitExceeded, "ELF file too large");
  const uint8_t cls = bytes[4], data = bytes[5];
  if (cls != 1 && cls != 2) return make_error(ErrorCode::kMalformed, "unknown ELF class " + std::to_string(cls), 4);
  if (data != 1) return make_error(ErrorCode::kUnsupported, "big-endian ELF is not supported", 5);
  img.is64_ = cls == 2;
  const size_t ehsize = img.is64_ ? 64 : 52;
  if (!bytes.has(0, ehsize)) return make_error(ErrorCode::kTruncated, "ELF header truncated", bytes.size());
  img.type_ = bytes.read_or<uint16_t>(16, 0);
  img.machine_ = bytes.read_or<uint16_t>(18, 0);
  if (img.is64_) {
    img.entry_ = bytes.read_or<uint64_t>(24, 0);
    img.phoff_ = bytes.read_or<uint64_t>(32, 0);
    img.shoff_ = bytes.read_or<uint64_t>(40, 0);
    img.phnum_ = bytes.read_or<uint16_t>(56, 0);
    img.shnum_ = bytes.read_or<uint16_t>(60, 0);
    img.shstrndx_ = bytes.read_or<uint16_t>(62, 0);
  } else {
    img.entry_ = bytes.read_or<uint32_t>(24, 0);
    img.phoff_ = bytes.read_or<uint32_t>(28, 0);
    img.shoff_ = bytes.read_or<uint32_t>(32, 0);
    img.phnum_ = bytes.read_or<uint16_t>(44, 0);
    img.shnum_ = bytes.read_or<uint16_t>(48, 0);
    img.shstrndx_ = bytes.read_or<uint16_t>(50, 0);
  }
  img.read_segments(diags, where);
  img.read_sections(diags, where);
  img.read_dynamic(diags, where);
  img.read_dynsyms(diags, where);
  img.read_relocations(diags, where);
  return img;
}

void ElfImage::read_segments(Diagnostics* diags, const std::string& where) {
  const size_t entsize = is64_ ? 56 : 32;
  uint32_t n = std::min<uint32_t>(phnum_, limits::kMaxElfSegments);
  if (n < phnum_) note(diags, "native-elf-limit", "only the first " + std::to_string(n) + " program headers are read", where);
  for (uint32_t i = 0; i < n; ++i) {
    const uint64_t off = phoff_ + uint64_t{i} * entsize;
    if (off < phoff_ || !bytes_.has(off, entsize)) {
      truncated_ = true;
      note(diags, "native-elf-truncated", "program header table runs past the end of the file", where);
      break;
    }
    ElfSegment s;
    s.type = bytes_.read_or<uint32_t>(off, 0);
    if (is64_) {
      s.flags = bytes_.read_or<uint32_t>(off + 4, 0);
      s.offset = bytes_.read_or<uint64_t>(off + 8, 0);
      s.vaddr = bytes_.read_or<uint64_t>(off + 16, 0);
      s.filesz = bytes_.read_or<uint64_t>(off + 32, 0);
      s.memsz = bytes_.read_or<uint64_t>(off + 40, 0);
    } else {
      s.offset = bytes_.read_or<uint32_t>(off + 4, 0);
      s.vaddr = bytes_.read_or<uint32_t>(off + 8, 0);
      s.filesz = bytes_.read_or<uint32_t>(off + 16, 0);
      s.memsz = bytes_.read_or<uint32_t>(off + 20, 0);
      s.flags = bytes_.read_or<uint32_t>(off + 24, 0);
    }
    if (s.type == kPtLoad && !bytes_.has(s.offset, s.filesz)) {
      truncated_ = true;
      note(diags, "native-elf-truncated", "a PT_LOAD segment at " + hex(s.offset) + " runs past the end of the file", where);
    }
    segments_.push_back(s);
  }
}

void ElfImage::read_sections(Diagnostics* diags, const std::string& where) {
  if (shoff_ == 0 || shnum_ == 0) return;
  const size_t entsize = is64_ ? 64 : 40;
  uint32_t n = std::min<uint32_t>(shnum_, limits::kMaxElfSections);
  std::vector<ElfSection> raw;
  std::vector<uint32_t> name_offsets;
  for (uint32_t i = 0; i < n; ++i) {
    const uint64_t off = shoff_ + uint64_t{i} * entsize;
    if (off < shoff_ || !bytes_.has(off, entsize)) {
      truncated_ = true;
      note(diags, "native-elf-truncated",
           "section header table claims " + std::to_string(shnum_) + " sections; " + std::to_string(i) +
               " fit in the file",
           where);
      break;
    }
    ElfSection s;
    name_offsets.push_back(bytes_.read_or<uint32_t>(off, 0));
    s.type = bytes_.read_or<uint32_t>(off + 4, 0);
    if (is64_) {
      s.flags = bytes_.read_or<uint64_t>(off + 8, 0);
      s.addr = bytes_.read_or<uint64_t>(off + 16, 0);
      s.offset = bytes_.read_or<uint64_t>(off + 24, 0);
      s.size = bytes_.read_or<uint64_t>(off + 32, 0);
      s.link = bytes_.read_or<uint32_t>(off + 40, 0);
      s.entsize = bytes_.read_or<uint64_t>(off + 56, 0);
    } else {
      s.flags = bytes_.read_or<uint32_t>(off + 8, 0);
      s.addr = bytes_.read_or<uint32_t>(off + 12, 0);
      s.offset = bytes_.read_or<uint32_t>(off + 16, 0);
      s.size = bytes_.read_or<uint32_t>(off + 20, 0);
      s.link = bytes_.read_or<uint32_t>(off + 24, 0);
      s.entsize = bytes_.read_or<uint32_t>(off + 36, 0);
    }
    s.in_file = s.type == kShtNobits || bytes_.has(s.offset, s.size);
    if (!s.in_file) {
      truncated_ = true;
      note(diags, "native-elf-section-out-of-file",
           "section " + std::to_string(i) + " [" + hex(s.offset) + ", +" + hex(s.size) + ") lies outside the file", where);
    }
    raw.push_back(std::move(s));
  }
  ByteSpan names;
  if (shstrndx_ < raw.size() && raw[shstrndx_].in_file && raw[shstrndx_].type == kShtStrtab)
    names = bytes_.sub(raw[shstrndx_].offset, raw[shstrndx_].size);
  else if (!raw.empty())
    note(diags, "native-elf-no-section-names", "the section name table (e_shstrndx) is missing or invalid", where);
  for (size_t i = 0; i < raw.size(); ++i)
    if (auto name = string_in(names, name_offsets[i])) raw[i].name = std::move(*name);
  sections_ = std::move(raw);
}

std::optional<uint64_t> ElfImage::va_to_offset(uint64_t va, uint64_t n) const {
  for (const ElfSegment& s : segments_) {
    if (s.type != kPtLoad || va < s.vaddr) continue;
    const uint64_t delta = va - s.vaddr;
    if (delta > s.filesz || n > s.filesz - delta) continue;
    const uint64_t off = s.offset + delta;
    if (off < s.offset || !bytes_.has(off, n)) continue;
    return off;
  }
  return std::nullopt;
}

ByteSpan ElfImage::at_va(uint64_t va, uint64_t n) const {
  auto off = va_to_offset(va, n);
  return off ? bytes_.sub(*off, n) : ByteSpan();
}

std::optional<std::string> ElfImage::c_string_at(uint64_t va, size_t max) const {
  auto off = va_to_offset(va, 1);
  if (!off) return std::nullopt;
  const std::string_view rest = bytes_.as_chars().substr(*off);
  const size_t end = rest.find('\0');
  if (end == std::string_view::npos || end > max) return std::nullopt;
  return std::string(rest.substr(0, end));
}

std::optional<uint64_t> ElfImage::word_at(uint64_t va) const {
  ByteSpan b = at_va(va, is64_ ? 8 : 4);
  if (b.empty()) return std::nullopt;
  return is64_ ? b.read_or<uint64_t>(0, 0) : b.read_or<uint32_t>(0, 0);
}

void ElfImage::read_dynamic(Diagnostics* diags, const std::string& where) {
  ByteSpan table;
  for (const ElfSegment& s : segments_)
    if (s.type == kPtDynamic) {
      table = bytes_.sub(s.offset, s.filesz);
      if (table.empty() && s.filesz) {
        truncated_ = true;
        note(diags, "native-elf-truncated", "the PT_DYNAMIC segment lies outside the file", where);
      }
      break;
    }
  const size_t entsize = is64_ ? 16 : 8;
  for (size_t off = 0; off + entsize <= table.size(); off += entsize) {
    if (dynamic_.size() >= limits::kMaxElfDynamicEntries) {
      note(diags, "native-elf-limit", "only the first " + std::to_string(dynamic_.size()) + " dynamic entries are read", where);
      break;
    }
    ElfDynamic d;
    d.tag = is64_ ? table.read_or<int64_t>(off, 0) : table.read_or<int32_t>(off, 0);
    d.value = is64_ ? table.read_or<uint64_t>(off + 8, 0) : table.read_or<uint32_t>(off + 4, 0);
    if (d.tag == kDtNull) break;
    dynamic_.push_back(d);
  }
  auto strtab = dynamic_value(kDtStrTab);
  auto strsz = dynamic_value(kDtStrSz);
  if (!strtab || !strsz) return;
  ByteSpan strings = at_va(*strtab, *strsz);
  if (strings.empty()) {
    note(diags, "native-elf-bad-dynstr", "DT_STRTAB/DT_STRSZ point outside the file", where);
    return;
  }
  for (const ElfDynamic& d : dynamic_) {
    if (d.tag != kDtNeeded && d.tag != kDtSoname) continue;
    auto s = string_in(strings, d.value);
    if (!s) {
      note(diags, "native-elf-bad-dynstr", "a DT_NEEDED/DT_SONAME name lies outside the string table", where);
      continue;
    }
    if (d.tag == kDtNeeded) needed_.push_back(std::move(*s));
    else soname_ = std::move(*s);
  }
}

void ElfImage::read_dynsyms(Diagnostics* diags, const std::string& where) {
  // The section table names .dynsym and its string table, as readelf --dyn-syms reads it.
  const ElfSection* symtab = nullptr;
  for (const ElfSection& s : sections_)
    if (s.type == kShtDynsym) {
      symtab = &s;
      break;
    }
  ByteSpan syms, strings;
  if (symtab && symtab->in_file && symtab->link < sections_.size() && sections_[symtab->link].in_file) {
    syms = bytes_.sub(symtab->offset, symtab->size);
    strings = bytes_.sub(sections_[symtab->link].offset, sections_[symtab->link].size);
  } else if (auto symva = dynamic_value(kDtSymTab)) {
    // No usable section table: the dynamic table's DT_SYMTAB up to DT_STRTAB (the usual layout).
    auto strva = dynamic_value(kDtStrTab);
    auto strsz = dynamic_value(kDtStrSz);
    if (strva && strsz && *strva > *symva) syms = at_va(*symva, *strva - *symva);
    if (strva && strsz) strings = at_va(*strva, *strsz);
    if (!sections_.empty() || symtab)
      note(diags, "native-elf-no-dynsym-section", "no usable .dynsym section; symbols read through DT_SYMTAB", where);
  }
  if (syms.empty()) return;
  const size_t entsize = is64_ ? 24 : 16;
  size_t count = syms.size() / entsize;
  if (count > limits::kMaxElfSymbols) {
    note(diags, "native-elf-limit", "only the first " + std::to_string(limits::kMaxElfSymbols) + " dynamic symbols are read", where);
    count = limits::kMaxElfSymbols;
  }
  dynsyms_.reserve(count);
  size_t bad_names = 0;
  for (size_t i = 0; i < count; ++i) {
    const size_t off = i * entsize;
    ElfSymbol s;
    const uint32_t name = syms.read_or<uint32_t>(off, 0);
    uint8_t info = 0;
    if (is64_) {
      info = syms[off + 4];
      s.visibility = syms[off + 5] & 3;
      s.shndx = syms.read_or<uint16_t>(off + 6, 0);
      s.value = syms.read_or<uint64_t>(off + 8, 0);
      s.size = syms.read_or<uint64_t>(off + 16, 0);
    } else {
      s.value = syms.read_or<uint32_t>(off + 4, 0);
      s.size = syms.read_or<uint32_t>(off + 8, 0);
      info = syms[off + 12];
      s.visibility = syms[off + 13] & 3;
      s.shndx = syms.read_or<uint16_t>(off + 14, 0);
    }
    s.type = info & 0xf;
    s.bind = info >> 4;
    if (name) {
      if (auto n = string_in(strings, name)) s.name = std::move(*n);
      else ++bad_names;
    }
    dynsyms_.push_back(std::move(s));
  }
  if (bad_names)
    note(diags, "native-elf-bad-symbol-name",
         std::to_string(bad_names) + " dynamic symbol names lie outside the string table", where);
}

void ElfImage::read_reloc_table(ByteSpan table, bool rela, Diagnostics* diags, const std::string& where) {
  const size_t entsize = is64_ ? (rela ? 24 : 16) : (rela ? 12 : 8);
  for (size_t off = 0; off + entsize <= table.size(); off += entsize) {
    if (got_.size() >= limits::kMaxElfRelocations) {
      note(diags, "native-elf-limit", "only the first " + std::to_string(got_.size()) + " relocations are read", where);
      return;
    }
    const uint64_t where_va = is64_ ? table.read_or<uint64_t>(off, 0) : table.read_or<uint32_t>(off, 0);
    const uint64_t info = is64_ ? table.read_or<uint64_t>(off + 8, 0) : table.read_or<uint32_t>(off + 4, 0);
    const uint32_t sym = is64_ ? static_cast<uint32_t>(info >> 32) : static_cast<uint32_t>(info >> 8);
    const uint32_t type = is64_ ? static_cast<uint32_t>(info & 0xffffffff) : static_cast<uint32_t>(info & 0xff);
    if (sym != 0 && sym < dynsyms_.size()) {
      got_.emplace_back(where_va, sym);
    } else if (sym == 0 && type == relative_type()) {
      const uint64_t addend = rela ? (is64_ ? table.read_or<uint64_t>(off + 16, 0) : table.read_or<uint32_t>(off + 8, 0))
                                   : word_at(where_va).value_or(0);
      relative_.emplace_back(where_va, addend);
    }
  }
}

void ElfImage::read_relocations(Diagnostics* diags, const std::string& where) {
  struct Table {
    int64_t addr, size;
    std::optional<bool> rela;
  };
  const auto pltrel = dynamic_value(kDtPltRel);
  const Table tables[] = {{kDtJmpRel, kDtPltRelSz, pltrel ? std::optional<bool>(*pltrel == kDtRela) : std::nullopt},
                          {kDtRela, kDtRelaSz, true},
                          {kDtRel, kDtRelSz, false}};
  for (const Table& t : tables) {
    auto va = dynamic_value(t.addr);
    auto size = dynamic_value(t.size);
    if (!va || !size) continue;
    ByteSpan table = at_va(*va, *size);
    if (table.empty()) {
      note(diags, "native-elf-bad-relocations", "a relocation table lies outside the file", where);
      continue;
    }
    read_reloc_table(table, t.rela.value_or(machine_ == kEmAarch64 || machine_ == kEmX86_64), diags, where);
  }
  std::sort(got_.begin(), got_.end());
  std::sort(relative_.begin(), relative_.end());
}

uint32_t ElfImage::relative_type() const {
  switch (machine_) {
    case kEmAarch64: return 1027;  // R_AARCH64_RELATIVE
    case kEmArm: return 23;        // R_ARM_RELATIVE
    case kEmX86_64: return 8;      // R_X86_64_RELATIVE
    case kEmX86: return 8;         // R_386_RELATIVE
  }
  return ~0u;
}

std::optional<uint64_t> ElfImage::pointer_at(uint64_t va) const {
  auto it = std::lower_bound(relative_.begin(), relative_.end(), std::make_pair(va, uint64_t{0}));
  if (it != relative_.end() && it->first == va) return it->second;
  if (got_symbol(va)) return std::nullopt;
  return word_at(va);
}

uint32_t ElfImage::got_symbol(uint64_t slot) const {
  auto it = std::lower_bound(got_.begin(), got_.end(), std::make_pair(slot, uint32_t{0}));
  return it != got_.end() && it->first == slot ? it->second : 0;
}

const ElfSection* ElfImage::section(std::string_view name) const {
  for (const ElfSection& s : sections_)
    if (s.name == name) return &s;
  return nullptr;
}

bool ElfImage::has_dynamic(int64_t tag) const { return dynamic_value(tag).has_value(); }

std::optional<uint64_t> ElfImage::dynamic_value(int64_t tag) const {
  for (const ElfDynamic& d : dynamic_)
    if (d.tag == tag) return d.value;
  return std::nullopt;
}

}  // namespace apkwarden::native
