// Capstone, loaded on first use with dlopen (analyzer/system/shared_library.h): only apps with
// native libraries need the disassembler, and linking it costs every start ~2 ms (its tables
// carry 77,000 relocations). The types come from <capstone/capstone.h> as usual.
#pragma once

#include <capstone/capstone.h>

#include <string>

namespace apkwarden::native {

struct Capstone {
  decltype(&::cs_open) open;
  decltype(&::cs_option) option;
  decltype(&::cs_close) close;
  decltype(&::cs_malloc) malloc;
  decltype(&::cs_free) free;
  decltype(&::cs_disasm_iter) disasm_iter;
};

// The entry points, loaded once per process (thread-safe); null when libcapstone.so.4 (Debian
// package libcapstone4) cannot be loaded, with the reason in `*error`.
const Capstone* capstone(std::string* error);

}  // namespace apkwarden::native
