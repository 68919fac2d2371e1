// The LIEF 0.9 facade: section names, dynamic entries and hardening facts for an ELF that our
// own reader (elf_image.h) has already accepted. LIEF returns silently truncated objects
// (TOOLCHAIN.md §4), so its answers are compared with ours and disagreements become
// diagnostics ("native-lief-*") instead of facts.
#pragma once

#include <string>

#include "analyzer/native/elf_image.h"
#include "analyzer/native/native_facts.h"

namespace apkwarden::native {

// Opens the LIEF module now (it is opened on first use otherwise); false with the reason in *error.
bool load_lief_module(std::string* error);

// Fills section_names, dynamic_entries and hardening (nx, pic) of `facts` from LIEF.
void add_lief_facts(const ElfImage& image, const std::string& where, NativeLibFacts& facts, Diagnostics* diags);

}  // namespace apkwarden::native
