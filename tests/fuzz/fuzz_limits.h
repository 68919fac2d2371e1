// Bounds that keep one fuzz input fast; the parsers' own limits (dex/limits.h) still apply.
#pragma once

#include <cstddef>

namespace apkwarden::fuzz {

inline constexpr size_t kMaxEntriesRead = 64;    // zip entries inflated per input
inline constexpr size_t kMaxClassesWalked = 256;   // dex classes dumped per input

}  // namespace apkwarden::fuzz
