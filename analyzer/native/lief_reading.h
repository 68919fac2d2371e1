// What the LIEF module (lief_module/, a shared object apkwarden opens with dlopen when an app
// has native libraries) reads from one ELF image. LIEF 0.9 and the libraries it pulls in cost
// every start ~3.5 ms of loading and relocation, a third of a small scan, so it is not linked
// into apkwarden. Both sides are built by this project with the same compiler, so the struct
// crosses the boundary as it is; exceptions never do.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace apkwarden::native {

struct LiefReading {
  std::string error;  // non-empty: LIEF could not read the image (the rest is empty)
  size_t header_sections = 0;
  size_t dynamic_symbols = 0;
  std::vector<std::string> section_names;
  uint32_t dynamic_entries = 0;  // without DT_NULL
  bool nx = false;
  bool pic = false;
};

// The module's one entry point.
using ReadWithLief = void (*)(const uint8_t* data, size_t size, const char* where, LiefReading* out);
inline constexpr const char* kReadWithLiefSymbol = "apkwarden_read_with_lief";
inline constexpr const char* kLiefModuleFile = "apkwarden_lief.so";

}  // namespace apkwarden::native
